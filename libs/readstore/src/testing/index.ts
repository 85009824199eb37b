export * from './projection-test-kit';
export * from './observed-log';
