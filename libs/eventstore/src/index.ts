export * from './event-store.port';
export * from './command-executor';
export * from './reservations';
export { EmbeddedEventStore } from './embedded/embedded-event-store';
export * from './eventstore.module';
export { EsdbEventStore } from './esdb/esdb-event-store';
export * from './upcasting';
