export * from './projection-test-kit';
export * from './observed-log';
export * from './counted-projection';
