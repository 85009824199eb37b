import { Decider } from '../decider';
import { DomainEvent } from '../envelope';
import { AppError } from '../errors';
import type { ErrorClass } from './decider-spec';

/** One command of a sequence: the state it met, and what came of it. A refusal leaves the state as it was. */
export type DecidedStep<TCommand, TEvent extends DomainEvent, TState> = {
  index: number;
  command: TCommand;
  before: TState;
  after: TState;
} & ({ accepted: true; events: TEvent[] } | { accepted: false; error: AppError });

export interface DecidedSequence<TCommand, TEvent extends DomainEvent, TState> {
  steps: DecidedStep<TCommand, TEvent, TState>[];
  /** Every event the accepted commands caused, in order: the stream. */
  history: TEvent[];
  /** The state reached step by step, each accepted event folded in as it came. */
  state: TState;
}

/**
 * Decides commands one after another, each on the state the commands before it left, and folds the
 * events of each accepted one into the state. `commandFor` turns each generated intent into the
 * command the handlers would build from the state they read, and `check` sees every step as it is
 * taken, so a broken invariant names the first step that breaks it.
 *
 * A refusal must be an `AppError` (a deliberate answer the API names); anything else is a crash and
 * is thrown as it is. Each state reached is written down when made and compared with what it is at
 * the end: `evolve` must make new states, never change earlier ones.
 */
export function decideInTurn<TIntent, TCommand, TEvent extends DomainEvent, TState>(
  decider: Decider<TCommand, TEvent, TState>,
  intents: readonly TIntent[],
  commandFor: (intent: TIntent, state: TState, index: number) => TCommand,
  check: (step: DecidedStep<TCommand, TEvent, TState>) => void = () => undefined,
): DecidedSequence<TCommand, TEvent, TState> {
  const history: TEvent[] = [];
  let state = decider.initialState();
  const seen: Array<{ state: TState; copy: string }> = [{ state, copy: show(state) }];
  const steps: DecidedStep<TCommand, TEvent, TState>[] = [];

  intents.forEach((intent, index) => {
    const before = state;
    const command = commandFor(intent, before, index);
    let step: DecidedStep<TCommand, TEvent, TState>;
    try {
      const events = decider.decide(command, before);
      for (const event of events) state = decider.evolve(state, event);
      history.push(...events);
      seen.push({ state, copy: show(state) });
      step = { index, command, before, after: state, accepted: true, events };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      step = { index, command, before, after: before, accepted: false, error };
    }
    steps.push(step);
    check(step);
  });

  for (const { state: made, copy } of seen) {
    if (show(made) !== copy) throw new Error(`A state was changed after it was made: ${copy} became ${show(made)}`);
  }
  return { steps, history, state };
}

/**
 * How a step ended, in a form tests compare and print: `accepted` (with events), `unchanged`
 * (accepted without events: a retry of something done already), or the refusal's class and code.
 */
export type Outcome = 'accepted' | 'unchanged' | `${string} ${string}`;

export const ACCEPTED: Outcome = 'accepted';
export const UNCHANGED: Outcome = 'unchanged';

/** The outcome of a refusal with this error class and code, e.g. `refusal(Forbidden, 'FORBIDDEN')`. */
export function refusal(errorClass: ErrorClass<AppError>, code: string): Outcome {
  return `${errorClass.name} ${code}`;
}

export function outcomeOf(step: DecidedStep<unknown, DomainEvent, unknown>): Outcome {
  if (!step.accepted) return `${step.error.name} ${step.error.code}`;
  return step.events.length > 0 ? ACCEPTED : UNCHANGED;
}

/** The events as the store gives them back: through JSON, so what is lost on the way shows. */
export function asStored<TEvent extends DomainEvent>(events: readonly TEvent[]): TEvent[] {
  return JSON.parse(JSON.stringify(events)) as TEvent[];
}

/** JSON with maps and sets as arrays of their entries. */
function show(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v));
}
