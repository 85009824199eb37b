import fc from 'fast-check';
import { cloneValue } from './document-values';
import { applyOperator, type UpdateOperatorName } from './mingo-engine';
import { applyUpdate } from './update-document';

const OPERATORS: UpdateOperatorName[] = ['$set', '$unset', '$inc', '$push', '$pull', '$addToSet', '$max', '$min'];
const FIELDS = ['a', 'b', 'c'];
const scalar = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('x', 'y', 'z'), fc.boolean(), fc.constant(null));
// Arrays without repeats: on an array that already holds repeats, mingo's $addToSet drops them and
// MongoDB's (and ours) keeps them.
const value = fc.oneof(scalar, fc.uniqueArray(scalar, { maxLength: 4 }));
const doc = fc.record({ a: value, b: value, c: value }, { requiredKeys: [] });

describe('applyUpdate', () => {
  it('gives what mingo gives for one operator on top-level fields with scalar operands', () => {
    fc.assert(
      fc.property(doc, fc.constantFrom(...OPERATORS), fc.constantFrom(...FIELDS), scalar, (start, op, field, operand) => {
        const update = { [op]: { [field]: op === '$inc' ? (typeof operand === 'number' ? operand : 1) : operand } };
        const ours: Record<string, unknown> = { _id: 'd', ...cloneValue(start) };
        try {
          applyUpdate(ours, update, false);
        } catch {
          return; // refused (e.g. $push onto a number): nothing to compare
        }
        const theirs: Record<string, unknown> = { _id: 'd', ...cloneValue(start) };
        applyOperator(theirs, op, cloneValue(update[op]));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never changes the document it was given a shallow copy of, nor what the two share', () => {
    const nested = fc.record({ a: value, n: fc.record({ x: value, y: value }, { requiredKeys: [] }) }, { requiredKeys: [] });
    const path = fc.constantFrom('a', 'b', 'n', 'n.x', 'n.y', 'n.z');
    const operand = fc.oneof(scalar, fc.record({ $each: fc.array(scalar, { maxLength: 3 }) }));
    fc.assert(
      fc.property(nested, fc.constantFrom(...OPERATORS), path, operand, (start, op, field, given) => {
        const stored: Record<string, unknown> = { _id: 'd', ...start };
        const before = cloneValue(stored);
        const copy = { ...stored };
        try {
          applyUpdate(copy, { [op]: { [field]: op === '$inc' ? 1 : given } }, false);
        } catch {
          // refused: the stored document must be untouched all the same
        }
        expect(stored).toEqual(before);
      }),
      // Shrinking these nested documents can take minutes: the first failure says enough.
      { numRuns: 2_000, endOnFailure: true },
    );
  });

  it('keeps repeats already in an array on $addToSet, as MongoDB does', () => {
    const d: Record<string, unknown> = { _id: 'd', tags: ['z', 'z'] };
    applyUpdate(d, { $addToSet: { tags: 'x' } }, false);
    expect(d.tags).toEqual(['z', 'z', 'x']);
  });

  it('leaves dotted paths and modifiers to mingo', () => {
    const d: Record<string, unknown> = { _id: 'd', tags: ['a'], nested: { n: 1 } };
    applyUpdate(d, { $addToSet: { tags: { $each: ['a', 'b', 'b'] } }, $inc: { 'nested.n': 2 }, $pull: { missing: 'x' } }, false);
    expect(d).toEqual({ _id: 'd', tags: ['a', 'b'], nested: { n: 3 } });
  });
});
