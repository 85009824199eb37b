/**
 * mingo publishes these entry points through package.json "exports", which this project's
 * moduleResolution ("node") does not read for types; Node resolves them at run time.
 */
declare module 'mingo/util' {
  export * from 'mingo/types/util';
}
declare module 'mingo/core' {
  export * from 'mingo/types/core';
}
declare module 'mingo/query' {
  export * from 'mingo/types/query';
}
declare module 'mingo/operators/query' {
  export * from 'mingo/types/operators/query';
}
declare module 'mingo/operators/update' {
  export * from 'mingo/types/operators/update';
}
