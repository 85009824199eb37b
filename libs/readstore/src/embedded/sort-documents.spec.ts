import fc from 'fast-check';
import { compare, resolve } from 'mingo/util';
import type { Doc, SortSpec } from '../read-store.port';
import { SortedPage } from './sort-documents';

/** The plain definition: a stable sort of everything with mingo's compare, then the first `keep`. */
function reference(docs: Doc[], spec: SortSpec, keep: number): Doc[] {
  const keys = Object.keys(spec);
  return docs
    .map((doc, i) => ({ doc, i }))
    .sort((a, b) => {
      for (const key of keys) {
        const order = compare(resolve(a.doc, key), resolve(b.doc, key));
        if (order !== 0) return spec[key] === -1 ? -order : order;
      }
      return a.i - b.i;
    })
    .slice(0, keep)
    .map((row) => row.doc);
}

// No arrays: mingo compares an array with a value element by element, which is not a total
// order (a < [a, b] < b < a can all hold), so no sort defines an order among them.
const value = fc.oneof(
  fc.constantFrom('a', 'b', 'B', '', '2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z'),
  fc.constantFrom(0, 1, -1, 2.5, 10),
  fc.constantFrom(null, true, false),
  fc.constant(undefined),
  fc.record({ y: fc.constantFrom('a', 'b') }),
);
const docs = fc.array(
  fc.record({ a: value, b: value, c: fc.record({ y: value }) }, { requiredKeys: [] }).map((d) => d as Record<string, unknown>),
  { maxLength: 40 },
).map((list) => list.map((d, i) => ({ _id: `d${i}`, ...d }) as Doc));
const spec = fc
  .uniqueArray(fc.constantFrom('a', 'b', 'c.y', '_id'), { minLength: 1, maxLength: 3 })
  .chain((keys) => fc.tuple(...keys.map((k) => fc.constantFrom<[string, 1 | -1]>([k, 1], [k, -1]))))
  .map((pairs) => Object.fromEntries(pairs) as SortSpec);

describe('SortedPage', () => {
  it('keeps what a stable sort of everything would put first', () => {
    fc.assert(
      fc.property(docs, spec, fc.oneof(fc.integer({ min: 0, max: 45 }), fc.constant(Infinity)), (list, s, keep) => {
        const page = new SortedPage(s, keep);
        for (const doc of list) page.offer(doc);
        expect(page.documents().map((d) => d._id)).toEqual(reference(list, s, keep).map((d) => d._id));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps ties in the order they came', () => {
    const page = new SortedPage({ at: -1 }, 3);
    for (const [id, at] of [['x', '1'], ['y', '2'], ['z', '1'], ['w', '2'], ['v', '1']] as const) page.offer({ _id: id, at });
    expect(page.documents().map((d) => d._id)).toEqual(['y', 'w', 'x']);
  });
});
