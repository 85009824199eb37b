export * from './read-store.port';
export * from './projections/projection';
export * from './projections/projection-runner';
export * from './projections/leases';
export * from './readstore.module';
export * from './projections/read-model-waiter';
export { EmbeddedReadStore } from './embedded/embedded-read-store';
export { MongoReadStore } from './mongo/mongo-read-store';
