export * from './read-store.port';
export * from './projections/projection';
export * from './projections/projection-runner';
export * from './readstore.module';
export * from './projections/read-model-waiter';
