/** Test helpers; not part of the runtime surface (`@kundportal/kernel` does not export them). */
export * from './command-sequence';
export * from './decider-spec';
export * from './eventually';
