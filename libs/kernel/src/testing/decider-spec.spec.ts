import { AssertionError } from 'node:assert';
import { Decider } from '../decider';
import { DomainError, NotFound } from '../errors';
import { DeciderSpecification } from './decider-spec';

type CounterEvent = { type: 'Incremented'; data: { by: number } };
type CounterCommand = { type: 'Increment'; by: number } | { type: 'Reset' };

/** A counter that may not exceed 3 and refuses to reset when nothing was counted. */
const counter: Decider<CounterCommand, CounterEvent, number> = {
  initialState: () => 0,
  decide(command, state) {
    if (command.type === 'Reset') {
      if (state === 0) throw new NotFound('resource');
      return [];
    }
    if (state + command.by > 3) throw DomainError.rule('TOO_MANY', 'At most 3.');
    return [{ type: 'Incremented', data: { by: command.by } }];
  },
  evolve: (state, event) => state + event.data.by,
};

const spec = DeciderSpecification.for(counter);
const incremented = (by: number): CounterEvent => ({ type: 'Incremented', data: { by } });

describe('DeciderSpecification', () => {
  it('folds the given events before deciding', () => {
    spec.given([incremented(1), incremented(1)]).when({ type: 'Increment', by: 1 }).then([incremented(1)]);
    spec.given([incremented(2), incremented(1)]).when({ type: 'Increment', by: 1 }).thenThrows(DomainError);
  });

  it('then fails when the events differ', () => {
    expect(() => spec.given([]).when({ type: 'Increment', by: 1 }).then([incremented(2)])).toThrow(AssertionError);
    expect(() => spec.given([]).when({ type: 'Increment', by: 1 }).then([])).toThrow(AssertionError);
  });

  it('then and thenNothing let an unexpected error through as it is', () => {
    expect(() => spec.given([incremented(3)]).when({ type: 'Increment', by: 1 }).then([])).toThrow(DomainError);
    expect(() => spec.given([]).when({ type: 'Reset' }).thenNothing()).toThrow(NotFound);
  });

  it('thenNothing passes on no events and fails on some', () => {
    spec.given([incremented(1)]).when({ type: 'Reset' }).thenNothing();
    expect(() => spec.given([]).when({ type: 'Increment', by: 1 }).thenNothing()).toThrow(AssertionError);
  });

  it('thenThrows checks the class, and the predicate when given, and returns the error', () => {
    const error = spec
      .given([incremented(3)])
      .when({ type: 'Increment', by: 1 })
      .thenThrows(DomainError, (e) => e.code === 'TOO_MANY');
    expect(error.statusCode).toBe(422);
    expect(() => spec.given([incremented(3)]).when({ type: 'Increment', by: 1 }).thenThrows(NotFound)).toThrow(AssertionError);
    expect(() =>
      spec
        .given([incremented(3)])
        .when({ type: 'Increment', by: 1 })
        .thenThrows(DomainError, (e) => e.code === 'OTHER'),
    ).toThrow(AssertionError);
  });

  it('thenThrows fails when nothing is thrown', () => {
    expect(() => spec.given([]).when({ type: 'Increment', by: 1 }).thenThrows(DomainError)).toThrow(/Expected DomainError to be thrown/);
  });
});
