import fc from 'fast-check';
import { OrderedRow, OrderedRows } from './ordered-rows';

/** By value descending, then id: the shape of a `{ leading: 1, at: -1 }` index's rows. */
const order = (a: OrderedRow, b: OrderedRow) => {
  const [x, y] = [a.values[0] as number, b.values[0] as number];
  return x !== y ? y - x : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

describe('OrderedRows', () => {
  it('holds the same rows in the same order as one sorted array, through inserts and removals anywhere', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), id: fc.integer({ min: 0, max: 40 }), value: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 40 }), value: fc.integer({ min: 0, max: 6 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 10 }), (ops, chunkSize, initial) => {
        const reference: OrderedRow[] = Array.from({ length: initial }, (_, i) => ({ id: `i${i}`, values: [i % 3] })).sort(order);
        const rows = new OrderedRows(reference.slice(), order, chunkSize);
        for (const o of ops) {
          const row = { id: `r${o.id}`, values: [o.value] };
          const at = reference.findIndex((r) => order(r, row) === 0);
          if (o.kind === 'insert') {
            if (reference.some((r) => r.id === row.id)) continue; // one row per id, as in an index
            rows.insert(row);
            reference.push(row);
            reference.sort(order);
          } else {
            expect(rows.remove(row)).toBe(at >= 0);
            if (at >= 0) reference.splice(at, 1);
          }
          expect(rows.length).toBe(reference.length);
        }
        expect([...rows.forward()].map((r) => r.id)).toEqual(reference.map((r) => r.id));
        expect([...rows.backward()].map((r) => r.id)).toEqual(reference.map((r) => r.id).reverse());
      }),
      { numRuns: 500 },
    );
  });

  it('removes from the front of many rows (a queue read oldest first) and reads on from there', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ id: String(i).padStart(6, '0'), values: [0] }));
    const rows = new OrderedRows(many, order);
    for (let i = 0; i < 1000; i++) expect(rows.remove(many[i])).toBe(true);
    expect(rows.length).toBe(99_000);
    expect(rows.forward().next().value?.id).toBe('001000');
  });
});
