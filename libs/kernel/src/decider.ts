import { DomainEvent } from './envelope';

/**
 * An aggregate as three plain things. `decide` returns the events a command causes or throws a
 * DomainError; `evolve` folds one event into the state and must be deterministic (no clock, no ids).
 */
export interface Decider<TCommand, TEvent extends DomainEvent, TState> {
  initialState: () => TState;
  decide: (command: TCommand, state: TState) => TEvent[];
  evolve: (state: TState, event: TEvent) => TState;
}

export function fold<TEvent extends DomainEvent, TState>(
  decider: Pick<Decider<unknown, TEvent, TState>, 'initialState' | 'evolve'>,
  events: Iterable<TEvent>,
): TState {
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, e);
  return state;
}

/** Ends a `switch` over a discriminated union so a new member cannot be forgotten. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
