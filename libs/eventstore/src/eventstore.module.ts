import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@kundportal/kernel';
import { CommandExecutor } from './command-executor';
import { EmbeddedEventStore } from './embedded/embedded-event-store';
import { EsdbEventStore } from './esdb/esdb-event-store';
import { EVENT_STORE, EventStore } from './event-store.port';
import { Reservations } from './reservations';

/** The event store chosen by configuration, and the one command-handling helper over it. */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): EventStore =>
        config.eventStore.kind === 'esdb'
          ? EsdbEventStore.connect(config.eventStore.connectionString)
          : EmbeddedEventStore.open({ dataDir: config.dataDir }),
    },
    CommandExecutor,
    Reservations,
  ],
  exports: [EVENT_STORE, CommandExecutor, Reservations],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Last: after the HTTP server and the projections have stopped using it. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
