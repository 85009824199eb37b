import fc from 'fast-check';
import { Query } from 'mingo';
import type { Doc, Filter } from '../read-store.port';
import { EmbeddedReadStore } from './embedded-read-store';
import { equalityValues, HashIndex, planCandidates } from './hash-index';

const DOCS: Doc[] = [
  { _id: 'a', status: 'open', owner: 'u1', tags: ['x', 'y'], lines: [{ sku: 'p' }, { sku: 'q' }], n: 1 },
  { _id: 'b', status: 'open', owner: 'u2', tags: ['y'], lines: [{ sku: 'q' }], n: '1' },
  { _id: 'c', status: 'closed', owner: 'u1', tags: [], n: 2 },
  { _id: 'd', status: 'closed', lines: [], n: null },
];

function indexed(...specs: ConstructorParameters<typeof HashIndex>[0][]): HashIndex[] {
  return specs.map((spec) => {
    const index = new HashIndex(spec);
    for (const doc of DOCS) index.add(doc._id, index.entryFor(doc));
    return index;
  });
}

const ids = new Set(DOCS.map((d) => d._id));
const plan = (filter: Filter, indexes: HashIndex[]) => {
  const p = planCandidates(filter, indexes, (id) => ids.has(id));
  return p && { index: p.index, ids: [...p.ids].sort() };
};

describe('equalityValues', () => {
  it('takes scalars, $eq and $in, and nothing else', () => {
    expect(equalityValues('x')).toEqual(['x']);
    expect(equalityValues({ $eq: 3 })).toEqual([3]);
    expect(equalityValues({ $in: ['a', 'b'], $ne: 'c' })).toEqual(['a', 'b']);
    expect(equalityValues({ $eq: 'a', $in: ['a', 'b'] })).toEqual(['a']);
    expect(equalityValues({ $eq: 'z', $in: ['a', 'b'] })).toEqual([]);
    expect(equalityValues(null)).toBeNull();
    expect(equalityValues({ $in: ['a', null] })).toBeNull();
    expect(equalityValues(['x'])).toBeNull();
    expect(equalityValues({ sku: 'p' })).toBeNull();
    expect(equalityValues({ $gt: 1 })).toBeNull();
    expect(equalityValues(/x/)).toBeNull();
  });
});

describe('planCandidates', () => {
  const indexes = indexed(
    { keys: { status: 1 } },
    { keys: { owner: 1, status: -1 }, name: 'owner_status', unique: true },
    { keys: { tags: 1 } },
    { keys: { 'lines.sku': 1 } },
  );

  it('uses the primary key for _id', () => {
    expect(plan({ _id: 'a', status: 'open' }, indexes)).toEqual({ index: '_id_', ids: ['a'] });
    expect(plan({ _id: { $in: ['a', 'zz'] } }, indexes)).toEqual({ index: '_id_', ids: ['a'] });
  });

  it('uses a single-field index for equality and $in', () => {
    expect(plan({ status: 'closed' }, indexes)).toEqual({ index: 'status_1', ids: ['c', 'd'] });
    expect(plan({ status: { $in: ['open', 'gone'] } }, indexes)).toEqual({ index: 'status_1', ids: ['a', 'b'] });
  });

  it('indexes array elements and paths through arrays (multikey)', () => {
    expect(plan({ tags: 'y' }, indexes)).toEqual({ index: 'tags_1', ids: ['a', 'b'] });
    expect(plan({ 'lines.sku': 'q' }, indexes)).toEqual({ index: 'lines.sku_1', ids: ['a', 'b'] });
  });

  it('uses a compound index by its leading field, or a unique one by all its fields', () => {
    expect(plan({ owner: 'u1' }, indexes)).toEqual({ index: 'owner_status', ids: ['a', 'c'] });
    expect(plan({ owner: 'u1', status: 'closed' }, indexes)).toEqual({ index: 'owner_status', ids: ['c'] });
    const nonUnique = indexed({ keys: { owner: 1, status: -1 } });
    expect(plan({ owner: 'u1', status: 'closed' }, nonUnique)).toEqual({ index: 'owner_1_status_-1', ids: ['a', 'c'] });
  });

  it('never uses a compound index by a later field alone', () => {
    const onlyCompound = indexed({ keys: { owner: 1, status: 1 } });
    expect(plan({ status: 'open' }, onlyCompound)).toBeNull();
  });

  it('picks the smallest candidate set, also inside $and', () => {
    expect(plan({ status: 'open', tags: 'x' }, indexes)).toEqual({ index: 'tags_1', ids: ['a'] });
    expect(plan({ $and: [{ status: 'open' }, { 'lines.sku': 'p' }] }, indexes)).toEqual({ index: 'lines.sku_1', ids: ['a'] });
  });

  it('unions $or branches only when every branch can use an index', () => {
    expect(plan({ $or: [{ tags: 'x' }, { status: 'closed' }] }, indexes)?.ids).toEqual(['a', 'c', 'd']);
    expect(plan({ $or: [{ tags: 'x' }, { n: 2 }] }, indexes)).toBeNull();
  });

  it('uses an index for null on a top-level field (missing, null, or an array holding null)', () => {
    expect(plan({ status: null }, indexes)).toEqual({ index: 'status_1', ids: [] });
    expect(plan({ owner: null }, indexes)).toEqual({ index: 'owner_status', ids: ['d'] });
    expect(plan({ owner: { $in: [null, 'u2'] } }, indexes)).toEqual({ index: 'owner_status', ids: ['b', 'd'] });
    expect(equalityValues({ $in: ['a', null] }, true)).toEqual(['a', null]);
  });

  it('scans for ranges, null on a dotted path, arrays and embedded documents', () => {
    expect(plan({ status: { $gt: 'a' } }, indexes)).toBeNull();
    expect(plan({ 'lines.sku': null }, indexes)).toBeNull();
    expect(plan({ tags: ['y'] }, indexes)).toBeNull();
    expect(plan({ lines: { sku: 'p' } }, indexes)).toBeNull();
  });

  it('refuses parallel arrays in a compound index, as MongoDB does', () => {
    const index = new HashIndex({ keys: { tags: 1, 'lines.sku': 1 } });
    expect(() => index.entryFor(DOCS[0])).toThrow(/parallel arrays/);
    expect(index.entryFor(DOCS[1]).leading).toEqual(['sy']);
  });
});

describe('index-served finds agree with full scans', () => {
  // A small deterministic generator, so a failure can be replayed.
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const VALUES = ['a', 'b', 'c', 1, 2, '1', true, null] as const;
  const value = (): unknown => {
    const r = random();
    if (r < 0.15) return undefined;
    if (r < 0.35) return [pick(VALUES), pick(VALUES)];
    if (r < 0.45) return [{ k: pick(VALUES) }, { k: pick(VALUES) }];
    if (r < 0.55) return { k: pick(VALUES) };
    return pick(VALUES);
  };
  const docs: Doc[] = Array.from({ length: 300 }, (_, i) => {
    const doc: Doc = { _id: `d${i}` };
    for (const field of ['f', 'g', 'h']) {
      const v = value();
      if (v !== undefined) doc[field] = v;
    }
    return doc;
  });
  const condition = (): unknown => {
    const r = random();
    if (r < 0.05) return null;
    if (r < 0.08) return { $in: [null, pick(VALUES.filter((v) => v !== null))] };
    if (r < 0.5) return pick(VALUES.filter((v) => v !== null));
    if (r < 0.7) return { $in: [pick(VALUES.filter((v) => v !== null)), pick(VALUES.filter((v) => v !== null))] };
    if (r < 0.8) return { $eq: pick(VALUES.filter((v) => v !== null)), $ne: pick(VALUES) };
    return { $gt: pick([0, 'a']) };
  };
  const path = (): string => pick(['f', 'g', 'h', 'f.k', 'g.k']);
  const filters: Filter[] = Array.from({ length: 300 }, () => {
    const r = random();
    if (r < 0.4) return { [path()]: condition() };
    if (r < 0.6) return { [path()]: condition(), [path()]: condition() };
    if (r < 0.8) return { $or: [{ [path()]: condition() }, { [path()]: condition() }] };
    return { $and: [{ [path()]: condition() }, { [path()]: condition() }] };
  });

  it('for random documents and filters', async () => {
    const store = EmbeddedReadStore.inMemory();
    const plain = store.collection('plain');
    const withIndexes = store.collection('indexed');
    await withIndexes.createIndexes([{ keys: { f: 1 } }, { keys: { 'g.k': 1 } }, { keys: { g: 1, h: 1 } }, { keys: { 'f.k': 1, _id: 1 }, unique: true }]);
    for (const doc of docs) {
      await plain.insertOne(doc);
      try {
        await withIndexes.insertOne(doc);
      } catch {
        // parallel arrays in the compound index: MongoDB refuses those documents too
        await plain.deleteOne({ _id: doc._id });
      }
    }
    let served = 0;
    for (const filter of filters) {
      const expected = (await plain.find(filter, { sort: { _id: 1 } })).map((d) => d._id);
      const actual = (await withIndexes.find(filter, { sort: { _id: 1 } })).map((d) => d._id);
      const query = new Query(filter, {});
      const byMingo = docs.filter((d) => query.test(d)).map((d) => d._id);
      expect({ filter, ids: actual }).toEqual({ filter, ids: expected });
      expect(expected.every((id) => byMingo.includes(id))).toBe(true);
      if (withIndexes.explain(filter).index) served++;
    }
    // The comparison means something only if most filters went through an index.
    expect(served).toBeGreaterThan(filters.length / 2);
  });
});

describe('sorted finds and counts served by an index agree with sorting and scanning', () => {
  const owner = fc.constantFrom('u1', 'u2', 'u3');
  const at = fc.oneof(fc.constantFrom('2025-01-01', '2025-01-02', '2025-01-03', 1, 2, null), fc.constant(undefined), fc.constant(['2025-01-01']));
  const doc = fc.record(
    { owner: fc.oneof(owner, fc.uniqueArray(fc.oneof(owner, fc.constant(null)), { maxLength: 2 }), fc.constant(null)), at, status: fc.constantFrom('open', 'closed') },
    { requiredKeys: [] },
  );
  const op = fc.oneof(
    fc.record({ kind: fc.constant('put' as const), id: fc.nat(11), doc }),
    fc.record({ kind: fc.constant('set' as const), id: fc.nat(11), at }),
    fc.record({ kind: fc.constant('delete' as const), id: fc.nat(11) }),
    fc.record({
      kind: fc.constant('find' as const),
      owner: fc.oneof(owner, fc.constant(null)),
      status: fc.option(fc.constantFrom('open', 'closed'), { nil: undefined }),
      direction: fc.constantFrom<1 | -1>(1, -1),
      idDirection: fc.constantFrom<1 | -1>(1, -1),
      skip: fc.nat(3),
      limit: fc.integer({ min: 0, max: 4 }),
    }),
  );

  it('through inserts, updates and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const store = EmbeddedReadStore.inMemory();
        const plain = store.collection('plain');
        const indexed = store.collection('indexed');
        await indexed.createIndexes([{ keys: { owner: 1, at: -1 } }]);
        for (const o of ops) {
          if (o.kind === 'put') {
            const replacement = { ...Object.fromEntries(Object.entries(o.doc).filter(([, v]) => v !== undefined)), _id: `d${o.id}` };
            for (const c of [plain, indexed]) await c.replaceOne({ _id: `d${o.id}` }, replacement, { upsert: true });
          } else if (o.kind === 'set') {
            const update = o.at === undefined ? { $unset: { at: '' } } : { $set: { at: o.at } };
            for (const c of [plain, indexed]) await c.updateOne({ _id: `d${o.id}` }, update);
          } else if (o.kind === 'delete') {
            for (const c of [plain, indexed]) await c.deleteOne({ _id: `d${o.id}` });
          } else {
            const filter: Filter = o.status ? { owner: o.owner, status: o.status } : { owner: o.owner };
            const options = { sort: { at: o.direction, _id: o.idDirection }, skip: o.skip, limit: o.limit };
            const [expected, actual] = await Promise.all([plain.find(filter, options), indexed.find(filter, options)]);
            expect(actual.map((d) => d._id)).toEqual(expected.map((d) => d._id));
            expect(await indexed.count({ owner: o.owner })).toBe(await plain.count({ owner: o.owner }));
            expect((await indexed.find({ owner: o.owner })).map((d) => d._id).sort()).toEqual((await plain.find({ owner: o.owner })).map((d) => d._id).sort());
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reads the candidates in index order, and counts from the index', async () => {
    const store = EmbeddedReadStore.inMemory();
    const c = store.collection('tickets');
    await c.createIndexes([{ keys: { participants: 1, lastActivityAt: -1 } }]);
    for (let i = 0; i < 10; i++) await c.insertOne({ _id: `t${i}`, participants: ['a', `b${i % 2}`], lastActivityAt: `2025-01-0${i}` });
    const page = await c.find({ participants: 'a' }, { sort: { lastActivityAt: -1, _id: 1 }, skip: 2, limit: 3, projection: { lastActivityAt: 1 } });
    expect(page).toEqual([
      { _id: 't7', lastActivityAt: '2025-01-07' },
      { _id: 't6', lastActivityAt: '2025-01-06' },
      { _id: 't5', lastActivityAt: '2025-01-05' },
    ]);
    await c.updateOne({ _id: 't0' }, { $set: { lastActivityAt: '2025-02-01' } });
    expect((await c.find({ participants: 'b0' }, { sort: { lastActivityAt: 1, _id: -1 }, limit: 2 })).map((d) => d._id)).toEqual(['t2', 't4']);
    expect((await c.find({ participants: 'a' }, { sort: { lastActivityAt: -1, _id: 1 }, limit: 1 })).map((d) => d._id)).toEqual(['t0']);
    expect(await c.count({ participants: 'b1' })).toBe(5);
    expect(await c.count({ participants: { $eq: 'a' } })).toBe(10);

    // Writes that fail part-way leave the order as the documents are.
    const newest = () => c.find({ participants: 'a' }, { sort: { lastActivityAt: -1, _id: 1 }, limit: 3 }).then((docs) => docs.map((d) => d._id));
    await expect(
      c.bulkWrite([
        { updateOne: { filter: { _id: 't3' }, update: { $set: { lastActivityAt: '2025-03-01' } } } },
        { insertOne: { document: { _id: 't1', participants: ['a'], lastActivityAt: '2026-01-01' } } },
      ]),
    ).rejects.toThrow();
    expect(await newest()).toEqual(['t3', 't0', 't9']);
    await c.updateOne({ _id: 't5' }, { $set: { n: 'text' } });
    await expect(c.updateMany({ participants: 'b1' }, { $set: { lastActivityAt: '2027-01-01' }, $inc: { n: 1 } })).rejects.toThrow();
    expect(await newest()).toEqual(['t3', 't0', 't9']);
    await c.deleteOne({ _id: 't3' });
    expect(await newest()).toEqual(['t0', 't9', 't8']);
  });
});
