import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@kundportal/kernel';
import { EmbeddedReadStore } from './embedded/embedded-read-store';
import { MongoReadStore } from './mongo/mongo-read-store';
import { LEASE_KEEPER, Leases } from './projections/leases';
import { ProjectionRunner } from './projections/projection-runner';
import { READ_STORE, ReadStore } from './read-store.port';

/** The read store chosen by configuration, and the projection runner that fills it. */
@Global()
@Module({
  providers: [
    {
      provide: READ_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Promise<ReadStore> =>
        config.readStore.kind === 'mongo'
          ? MongoReadStore.connect(config.readStore.uri, config.readStore.database)
          : EmbeddedReadStore.open({ dataDir: config.dataDir, cachedDocuments: config.readStore.cachedDocuments }),
    },
    {
      // Only a shared read store needs leases: the embedded one belongs to a single process.
      provide: LEASE_KEEPER,
      inject: [APP_CONFIG, READ_STORE],
      useFactory: (config: AppConfig, store: ReadStore): Leases | null =>
        config.readStore.kind === 'mongo' ? new Leases(store, undefined, config.projectionLeaseSeconds * 1000) : null,
    },
    ProjectionRunner,
  ],
  exports: [READ_STORE, LEASE_KEEPER, ProjectionRunner],
})
export class ReadStoreModule implements OnApplicationShutdown {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore, private readonly runner: ProjectionRunner) {}

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.store.close();
  }
}
