import fc from 'fast-check';
import { Context } from 'mingo/core';
import * as queryOperators from 'mingo/operators/query';
import { Query } from 'mingo/query';
import type { Filter } from '../read-store.port';
import { compileFilter } from './mingo-engine';
import { compileNative } from './native-filter';

const context = Context.init({ query: { ...queryOperators } });
const mingo = (filter: Filter, doc: Record<string, unknown>) => new Query(filter, { scriptEnabled: false, context }).test(doc);

// Few distinct values, so that equalities and comparisons hit often.
const scalar = fc.constantFrom<unknown>('a', 'b', 'B', '', '10', 1, 0, -0, 10, 2.5, NaN, true, false, null);
// No undefined: stored documents come from JSON (mingo's hashing also trips over it).
const leaf = fc.oneof(scalar, fc.constant(new Date(0)));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(fc.oneof(leaf, tie('value')), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('x', 'y'), tie('value'), { maxKeys: 2, noNullPrototype: true }),
  ),
})).value;
const doc = fc.dictionary(fc.constantFrom('a', 'b', 'c'), value, { maxKeys: 3, noNullPrototype: true }).map((d) => ({ _id: 'id', ...d }));

const path = fc.constantFrom('a', 'b', 'c', 'a.x', 'b.y', 'a.x.y', 'a.0', 'missing');
// Mostly what the native code takes; now and then what it leaves to mingo.
const operand = fc.oneof({ arbitrary: scalar, weight: 12 }, fc.constant(new Date(0)), fc.constant({ x: 'a' }), fc.constant(['a']));
const condition = fc.oneof(
  operand,
  fc.record({ $eq: operand }),
  fc.record({ $ne: operand }),
  fc.record({ $in: fc.array(operand, { maxLength: 3 }) }),
  fc.record({ $nin: fc.array(operand, { maxLength: 3 }) }),
  fc.record({ $gt: operand }),
  fc.record({ $gte: operand, $lt: operand }),
  fc.record({ $lte: operand }),
  fc.record({ $exists: fc.boolean() }),
  fc.record({ $size: fc.nat(2) }),
);
const filter: fc.Arbitrary<Filter> = fc.letrec((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small' },
    fc.dictionary(path, condition, { maxKeys: 2, noNullPrototype: true }),
    fc.record({ $and: fc.array(tie('filter'), { minLength: 1, maxLength: 2 }) }),
    fc.record({ $or: fc.array(tie('filter'), { minLength: 1, maxLength: 2 }), a: condition }),
  ),
})).filter as fc.Arbitrary<Filter>;

describe('native filters', () => {
  it('answer as mingo does, for every document', () => {
    fc.assert(
      fc.property(filter, fc.array(doc, { maxLength: 6 }), (f, docs) => {
        const compiled = compileFilter(f);
        for (const d of docs) expect([f, d, compiled.test(d)]).toEqual([f, d, mingo(f, d)]);
      }),
      { numRuns: 3000 },
    );
  });

  it('cover the filters read models use', () => {
    for (const f of [
      { participants: 'acc-1' },
      { $or: [{ participants: 'acc-1' }, { organisationId: { $in: ['org-1', 'org-2'] } }], status: 'open' },
      { waiting: true, $or: [{ waitingOrganisationId: 'org-1', role: { $in: ['orderer', 'attestant'] } }] },
      { sentAt: null, attempts: { $lt: 5 } },
      { _id: 'x', revision: { $lt: 3 } },
      { signatoryDigest: 'd', 'agreement.status': 'awaiting-signature' },
      { mergedInto: { $in: ['org-1'] } },
      {},
    ]) {
      expect(compileNative(f)).not.toBeNull();
    }
  });

  it('leave other operators and values to mingo', () => {
    for (const f of [
      { a: { $regex: 'x' } },
      { a: { $elemMatch: { b: 1 } } },
      { a: { x: 1 } },
      { a: ['x'] },
      { a: new Date(0) },
      { a: { $in: [new Date(0)] } },
      { $nor: [{ a: 1 }] },
      { a: { $not: { $eq: 1 } } },
      { 'a.b': { $exists: true } },
      { constructor: 'x' },
    ] as Filter[]) {
      expect(compileNative(f)).toBeNull();
    }
  });

  it('ask mingo about documents with arrays part-way down a path', () => {
    const f = { 'lines.sku': 'p' };
    const native = compileNative(f);
    expect(native?.({ _id: 'a', lines: [{ sku: 'p' }] })).toBeUndefined();
    expect(compileFilter(f).test({ _id: 'a', lines: [{ sku: 'p' }] })).toBe(true);
    expect(compileFilter(f).test({ _id: 'a', lines: { sku: 'q' } })).toBe(false);
  });
});
