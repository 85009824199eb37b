import { deepStrictEqual, fail, ok } from 'node:assert/strict';
import { Decider, fold } from '../decider';
import { DomainEvent } from '../envelope';

/** Any error class, abstract ones included (`AppError`, `DomainError`, `NotFound`, ...). */
export type ErrorClass<TError extends Error> = abstract new (...args: never[]) => TError;

/** The last step of a specification: what the command should cause. */
export interface DeciderThen<TEvent extends DomainEvent> {
  /** `decide` returns exactly these events, in this order. */
  then(expected: readonly TEvent[]): void;
  /** `decide` returns no events: the command changes nothing (a retry of a step already taken). */
  thenNothing(): void;
  /**
   * `decide` throws an instance of `errorClass` for which `predicate`, if given, holds.
   * Returns the error for further checks.
   */
  thenThrows<TError extends Error>(errorClass: ErrorClass<TError>, predicate?: (error: TError) => boolean): TError;
}

/**
 * Given/when/then for deciders: the given events are folded with `evolve` from `initialState()`,
 * the command is decided on that state, and the outcome is compared. No test runner is needed:
 * failures are `node:assert` errors, which jest reports with a diff.
 *
 *   DeciderSpecification.for(orderDecider).given([orderSubmitted]).when(approve).then([orderApproved]);
 */
export class DeciderSpecification<TCommand, TEvent extends DomainEvent, TState> {
  private constructor(private readonly decider: Decider<TCommand, TEvent, TState>) {}

  static for<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
  ): DeciderSpecification<TCommand, TEvent, TState> {
    return new DeciderSpecification(decider);
  }

  given(events: readonly TEvent[]): { when(command: TCommand): DeciderThen<TEvent> } {
    return { when: (command) => this.outcome(events, command) };
  }

  private outcome(given: readonly TEvent[], command: TCommand): DeciderThen<TEvent> {
    const decide = (): TEvent[] => this.decider.decide(command, fold(this.decider, given));
    return {
      then: (expected) => deepStrictEqual(decide(), expected),
      thenNothing: () => deepStrictEqual(decide(), []),
      thenThrows: <TError extends Error>(errorClass: ErrorClass<TError>, predicate?: (error: TError) => boolean): TError => {
        let events: TEvent[];
        try {
          events = decide();
        } catch (error) {
          ok(error instanceof errorClass, `Expected ${errorClass.name} to be thrown, got ${describeError(error)}`);
          if (predicate) ok(predicate(error), `${describeError(error)} does not satisfy the predicate`);
          return error;
        }
        return fail(`Expected ${errorClass.name} to be thrown, but decide returned ${JSON.stringify(events)}`);
      },
    };
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a non-error: ${String(error)}`;
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === 'string' ? ` (${code})` : ''}: ${error.message}`;
}
