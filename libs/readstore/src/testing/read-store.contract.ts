/**
 * The behaviour every ReadStore adapter must show, as one jest suite each adapter's int-spec runs:
 *
 *   describeReadStoreContract('embedded', async () => ({ store, cleanup }));
 *
 * Each test uses a collection of its own, so the suite can run against a shared real server.
 * An adapter (or an emulator standing in for a server) that lacks a feature skips just that case,
 * with the reason in the test name; a skipped case is reported, never passed.
 */
import { DuplicateKeyError, type Doc, type IndexSpec, type ReadCollection, type ReadStore } from '../read-store.port';

export interface ReadStoreUnderTest {
  store: ReadStore;
  cleanup: () => Promise<void>;
}

export const READ_STORE_CONTRACT_CASES = {
  'collection.name': 'a collection knows its name',
  'health.up': 'health reports up',
  'find.equality': 'find by field equality (a string is not a number)',
  'find.array-contains': 'equality on an array field matches arrays containing the value, or the exact array',
  'find.dotted-paths': 'dotted paths reach embedded documents and arrays of them',
  'find.$eq': 'find with $eq',
  'find.$ne': 'find with $ne (an array matches only when no element equals)',
  'find.$in': 'find with $in',
  'find.$nin': 'find with $nin',
  'find.ranges': 'find with $gt $gte $lt $lte on numbers and ISO date strings, without crossing types',
  'find.$exists': 'find with $exists',
  'find.null': 'equality with null matches null and missing fields',
  'find.$and': 'find with $and',
  'find.$or': 'find with $or',
  'find.$elemMatch': 'find with $elemMatch on embedded documents and on scalars',
  'sort.multi-key': 'sort by several keys, ascending and descending',
  'sort.numbers': 'sort numbers numerically',
  'sort.iso-dates': 'sort ISO date strings chronologically',
  'sort.missing-first': 'sort puts missing fields first when ascending',
  'page.skip-limit': 'skip and limit page through sorted results',
  'find.projection': 'a projection returns only the fields asked for, and _id',
  count: 'count matching documents',
  findOne: 'findOne returns a matching document or null',
  'ids.strings': 'documents come back as stored, with string _id',
  'reads.copies': 'documents returned or inserted are copies',
  'insert.duplicate-id': 'insertOne with an existing _id fails with DuplicateKeyError and changes nothing',
  'index.unique-insert': 'a unique index refuses a second insert of the same value',
  'index.unique-update': 'a unique index refuses updates, replacements and upserts to a taken value',
  'index.unique-compound': 'a unique compound index refuses only the same combination',
  'index.unique-multikey': 'a unique index on an array field refuses an element another document holds',
  'index.unique-existing-duplicates': 'a unique index cannot be created over duplicates',
  'index.idempotent': 'createIndexes with the same definitions twice is fine; non-unique indexes allow duplicates',
  'index.sync': 'syncIndexes creates the indexes asked for and drops the others, and one whose definition changed',
  replaceOne: 'replaceOne replaces the whole document, or reports no match',
  'replaceOne.upsert': 'replaceOne with upsert inserts the replacement',
  updateOne: 'updateOne updates one matching document, or reports no match',
  'updateOne.upsert': 'updateOne with upsert seeds the new document from the filter equalities, once',
  'updateOne.upsert-$eq': 'an upsert also seeds the fields the filter pins with $eq',
  'updateOne.upsert-generated-id': 'an upsert whose filter has no _id creates a string _id',
  updateMany: 'updateMany updates every matching document',
  'update.$set': 'update with $set, on top-level and dotted paths',
  'update.$unset': 'update with $unset',
  'update.$inc': 'update with $inc, on existing and missing fields',
  'update.$push': 'update with $push, one value and $each',
  'update.$pull': 'update with $pull, by value and by condition',
  'update.$addToSet': 'update with $addToSet, one value and $each',
  'update.$setOnInsert': 'update with $setOnInsert does nothing to an existing document',
  'update.$max': 'update with $max',
  'update.$min': 'update with $min',
  deleteOne: 'deleteOne deletes one matching document',
  deleteMany: 'deleteMany deletes every matching document',
  'bulkWrite.in-order': 'bulkWrite applies every kind of operation in order',
  'bulkWrite.stops-at-failure': 'bulkWrite keeps the operations before a failure and stops there (ordered)',
  drop: 'drop removes every document and the collection stays usable',
  'drop.keeps-indexes': 'drop keeps the indexes',
} as const;

export type ReadStoreContractCase = keyof typeof READ_STORE_CONTRACT_CASES;

export interface ReadStoreContractOptions {
  /** Cases this adapter cannot pass, each with the reason shown in the skipped test's name. */
  skip?: Partial<Record<ReadStoreContractCase, string>>;
}

interface Person extends Doc {
  name: string;
  [field: string]: unknown;
}

/** Fixture chosen to separate look-alikes: '41' vs 41, null vs missing, arrays vs scalars. */
const PEOPLE: Person[] = [
  {
    _id: 'p1',
    name: 'Astrid',
    age: 34,
    city: 'Umeå',
    tags: ['admin', 'buyer'],
    address: { zip: '90325', country: 'SE' },
    orders: [
      { sku: 'A', qty: 2 },
      { sku: 'B', qty: 10 },
    ],
    readings: [3, 8],
    joined: '2024-03-01T10:00:00.000Z',
    score: 10,
  },
  {
    _id: 'p2',
    name: 'Bo',
    age: 27,
    city: 'Luleå',
    tags: ['buyer'],
    address: { zip: '97231', country: 'SE' },
    orders: [{ sku: 'B', qty: 1 }],
    readings: [1, 20],
    joined: '2023-11-15T08:30:00.000Z',
    score: 2,
  },
  {
    _id: 'p3',
    name: 'Cecilia',
    age: 41,
    city: 'Umeå',
    tags: [],
    address: { zip: '90330', country: 'NO' },
    orders: [],
    joined: '2024-01-20T12:00:00.000Z',
    score: 10,
    nickname: null,
  },
  { _id: 'p4', name: 'David', age: '41', city: 'Kiruna', joined: '2022-06-30T23:59:59.000Z', score: 100 },
];

let collectionCounter = 0;

function uniqueCollectionName(): string {
  collectionCounter += 1;
  return `contract_${Date.now().toString(36)}_${process.pid}_${collectionCounter}_${Math.random().toString(36).slice(2, 6)}`;
}

const ids = (docs: Doc[]): string[] => docs.map((d) => d._id);
const sortedIds = (docs: Doc[]): string[] => ids(docs).sort();

export function describeReadStoreContract(
  adapterName: string,
  factory: () => Promise<ReadStoreUnderTest>,
  options: ReadStoreContractOptions = {},
): void {
  describe(`ReadStore contract: ${adapterName}`, () => {
    let store: ReadStore;
    let cleanup: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      ({ store, cleanup } = await factory());
    });

    afterAll(async () => {
      await cleanup?.();
    });

    const check = (id: ReadStoreContractCase, body: () => Promise<void>): void => {
      const title = READ_STORE_CONTRACT_CASES[id];
      const reason = options.skip?.[id];
      if (reason) it.skip(`${title} [SKIPPED for ${adapterName}: ${reason}]`, body);
      else it(title, body);
    };

    const fresh = <T extends Doc = Doc>(): ReadCollection<T> => store.collection<T>(uniqueCollectionName());

    const seeded = async <T extends Doc>(docs: T[]): Promise<ReadCollection<T>> => {
      const collection = fresh<T>();
      for (const doc of docs) await collection.insertOne(structuredClone(doc));
      return collection;
    };

    const people = (): Promise<ReadCollection<Person>> => seeded(PEOPLE);

    check('collection.name', async () => {
      const name = uniqueCollectionName();
      expect(store.collection(name).name).toBe(name);
    });

    check('health.up', async () => {
      const health = await store.health();
      expect(health.status).toBe('up');
      expect(typeof health.adapter).toBe('string');
    });

    // ---- filters ----

    check('find.equality', async () => {
      const c = await people();
      expect(sortedIds(await c.find({ city: 'Umeå' }))).toEqual(['p1', 'p3']);
      expect(sortedIds(await c.find({ age: 41 }))).toEqual(['p3']);
      expect(sortedIds(await c.find({ age: '41' }))).toEqual(['p4']);
      expect(sortedIds(await c.find({ city: 'Umeå', age: 34 }))).toEqual(['p1']);
      expect(sortedIds(await c.find({}))).toEqual(['p1', 'p2', 'p3', 'p4']);
      expect(await c.find({ city: 'Nowhere' })).toEqual([]);
    });

    check('find.array-contains', async () => {
      const c = await people();
      expect(sortedIds(await c.find({ tags: 'buyer' }))).toEqual(['p1', 'p2']);
      expect(sortedIds(await c.find({ tags: 'admin' }))).toEqual(['p1']);
      expect(sortedIds(await c.find({ tags: ['buyer'] }))).toEqual(['p2']);
      expect(sortedIds(await c.find({ tags: [] }))).toEqual(['p3']);
    });

    check('find.dotted-paths', async () => {
      const c = await people();
      expect(sortedIds(await c.find({ 'address.country': 'SE' }))).toEqual(['p1', 'p2']);
      expect(sortedIds(await c.find({ 'address.zip': '90330' }))).toEqual(['p3']);
      expect(sortedIds(await c.find({ 'orders.sku': 'B' }))).toEqual(['p1', 'p2']);
      expect(sortedIds(await c.find({ 'orders.qty': { $gte: 5 } }))).toEqual(['p1']);
    });

    check('find.$eq', async () => {
      const c = await people();
      expect(sortedIds(await c.find({ city: { $eq: 'Umeå' } }))).toEqual(['p1', 'p3']);
      expect(sortedIds(await c.find({ tags: { $eq: 'admin' } }))).toEqual(['p1']);
    });

    check('find.$ne', async () => {
      const c = await people();
      expect(sortedIds(await c.find({ city: { $ne: 'Umeå' } }))).toEqual(['p2', 'p4']);
      expect(sortedIds(await c.find({ tags: { $ne: 'buyer' } }))).toEqual(['p3', 'p4']);
    });

    check('find.$in', async () => {
      const c = await people();
      expect(sortedIds(await c.find({ city: { $in: ['Luleå', 'Kiruna'] } }))).toEqual(['p2', 'p4']);
      expect(sortedIds(await c.find({ tags: { $in: ['admin', 'nobody'] } }))).toEqual(['p1']);
      expect(sortedIds(await c.find({ _id: { $in: ['p1', 'p4', 'p9'] } }))).toEqual(['p1', 'p4']);
      expect(await c.find({ city: { $in: [] } })).toEqual([]);
    });

    check('find.$nin', async () => {
      const c = await people();
      expect(sortedIds(await c.find({ city: { $nin: ['Umeå'] } }))).toEqual(['p2', 'p4']);
      expect(sortedIds(await c.find({ tags: { $nin: ['buyer'] } }))).toEqual(['p3', 'p4']);
    });

    check('find.ranges', async () => {
      const c = await people();
      expect(sortedIds(await c.find({ score: { $gt: 2 } }))).toEqual(['p1', 'p3', 'p4']);
      expect(sortedIds(await c.find({ score: { $gte: 10, $lt: 100 } }))).toEqual(['p1', 'p3']);
      expect(sortedIds(await c.find({ score: { $lte: 2 } }))).toEqual(['p2']);
      expect(sortedIds(await c.find({ joined: { $gte: '2024-01-01', $lt: '2024-02-01' } }))).toEqual(['p3']);
      expect(sortedIds(await c.find({ joined: { $lt: '2024-01-01T00:00:00.000Z' } }))).toEqual(['p2', 'p4']);
      // MongoDB compares within a type: the string '41' is not greater than 30.
      expect(sortedIds(await c.find({ age: { $gt: 30 } }))).toEqual(['p1', 'p3']);
    });

    check('find.$exists', async () => {
      const c = await people();
      expect(sortedIds(await c.find({ nickname: { $exists: true } }))).toEqual(['p3']);
      expect(sortedIds(await c.find({ tags: { $exists: false } }))).toEqual(['p4']);
      expect(sortedIds(await c.find({ 'address.zip': { $exists: true } }))).toEqual(['p1', 'p2', 'p3']);
    });

    check('find.null', async () => {
      const c = await people();
      expect(sortedIds(await c.find({ nickname: null }))).toEqual(['p1', 'p2', 'p3', 'p4']);
      expect(sortedIds(await c.find({ address: null }))).toEqual(['p4']);
    });

    check('find.$and', async () => {
      const c = await people();
      expect(sortedIds(await c.find({ $and: [{ city: 'Umeå' }, { score: { $gte: 10 } }, { age: { $lt: 40 } }] }))).toEqual(['p1']);
      expect(sortedIds(await c.find({ $and: [{ score: { $gt: 1 } }, { score: { $lt: 50 } }] }))).toEqual(['p1', 'p2', 'p3']);
    });

    check('find.$or', async () => {
      const c = await people();
      expect(sortedIds(await c.find({ $or: [{ city: 'Kiruna' }, { 'address.country': 'NO' }] }))).toEqual(['p3', 'p4']);
      expect(sortedIds(await c.find({ city: 'Umeå', $or: [{ score: 100 }, { age: 41 }] }))).toEqual(['p3']);
    });

    check('find.$elemMatch', async () => {
      const c = await people();
      expect(sortedIds(await c.find({ orders: { $elemMatch: { sku: 'B', qty: { $gte: 5 } } } }))).toEqual(['p1']);
      // Without $elemMatch the conditions may be met by different elements.
      expect(sortedIds(await c.find({ 'orders.sku': 'A', 'orders.qty': { $gte: 5 } }))).toEqual(['p1']);
      expect(await c.find({ orders: { $elemMatch: { sku: 'A', qty: { $gte: 5 } } } })).toEqual([]);
      expect(sortedIds(await c.find({ readings: { $elemMatch: { $gt: 5, $lt: 10 } } }))).toEqual(['p1']);
      expect(sortedIds(await c.find({ readings: { $gt: 5, $lt: 10 } }))).toEqual(['p1', 'p2']);
    });

    // ---- sort and paging ----

    check('sort.multi-key', async () => {
      const c = await people();
      expect(ids(await c.find({}, { sort: { city: 1, name: -1 } }))).toEqual(['p4', 'p2', 'p3', 'p1']);
      expect(ids(await c.find({}, { sort: { score: -1, name: 1 } }))).toEqual(['p4', 'p1', 'p3', 'p2']);
    });

    check('sort.numbers', async () => {
      const c = await people();
      expect(ids(await c.find({}, { sort: { score: 1, _id: 1 } }))).toEqual(['p2', 'p1', 'p3', 'p4']);
      expect(ids(await c.find({}, { sort: { score: -1, _id: -1 } }))).toEqual(['p4', 'p3', 'p1', 'p2']);
    });

    check('sort.iso-dates', async () => {
      const c = await people();
      expect(ids(await c.find({}, { sort: { joined: -1 } }))).toEqual(['p1', 'p3', 'p2', 'p4']);
      expect(ids(await c.find({}, { sort: { joined: 1 } }))).toEqual(['p4', 'p2', 'p3', 'p1']);
    });

    check('sort.missing-first', async () => {
      const c = await people();
      expect(ids(await c.find({}, { sort: { 'address.zip': 1 } }))).toEqual(['p4', 'p1', 'p3', 'p2']);
    });

    check('page.skip-limit', async () => {
      const c = await people();
      const page = (skip: number, limit: number) => c.find({}, { sort: { _id: 1 }, skip, limit }).then(ids);
      expect(await page(0, 1)).toEqual(['p1']);
      expect(await page(1, 2)).toEqual(['p2', 'p3']);
      expect(await page(3, 10)).toEqual(['p4']);
      expect(await page(4, 10)).toEqual([]);
      expect(ids(await c.find({ city: 'Umeå' }, { sort: { name: -1 }, limit: 1 }))).toEqual(['p3']);
      expect(await c.find({}, { limit: 2 })).toHaveLength(2);
      expect(await c.find({}, { skip: 3 })).toHaveLength(1);
    });

    check('find.projection', async () => {
      const c = await people();
      const found = await c.find({ age: { $gt: 30 } }, { sort: { _id: 1 }, projection: { name: 1, tags: 1, nickname: 1 } });
      expect(found).toEqual([
        { _id: 'p1', name: 'Astrid', tags: ['admin', 'buyer'] },
        { _id: 'p3', name: 'Cecilia', tags: [], nickname: null },
      ]);
      (found[0].tags as string[]).push('changed');
      expect(await c.find({ _id: 'p1' }, { projection: { tags: 1 } })).toEqual([{ _id: 'p1', tags: ['admin', 'buyer'] }]);
      expect(await c.find({ _id: 'p4' }, { projection: { _id: 1, city: 1 } })).toEqual([{ _id: 'p4', city: 'Kiruna' }]);
    });

    check('count', async () => {
      const c = await people();
      expect(await c.count({})).toBe(4);
      expect(await c.count({ city: 'Umeå' })).toBe(2);
      expect(await c.count({ tags: 'buyer', score: { $lt: 5 } })).toBe(1);
      expect(await c.count({ city: 'Nowhere' })).toBe(0);
    });

    check('findOne', async () => {
      const c = await people();
      expect(await c.findOne({ _id: 'p2' })).toEqual(PEOPLE[1]);
      expect((await c.findOne({ 'address.country': 'NO' }))?._id).toBe('p3');
      expect(await c.findOne({ city: 'Nowhere' })).toBeNull();
    });

    check('ids.strings', async () => {
      const c = await people();
      const all = await c.find({}, { sort: { _id: 1 } });
      expect(all).toEqual(PEOPLE);
      for (const doc of all) expect(typeof doc._id).toBe('string');
    });

    check('reads.copies', async () => {
      const c = fresh();
      const doc = { _id: 'x', list: [1], nested: { v: 1 } };
      await c.insertOne(doc);
      doc.list.push(2);
      doc.nested.v = 2;
      const found = (await c.find({ _id: 'x' }))[0] as typeof doc;
      expect(found).toEqual({ _id: 'x', list: [1], nested: { v: 1 } });
      found.list.push(3);
      found.nested.v = 3;
      const one = (await c.findOne({ _id: 'x' })) as typeof doc;
      expect(one).toEqual({ _id: 'x', list: [1], nested: { v: 1 } });
      one.list.length = 0;
      expect(await c.findOne({ _id: 'x' })).toEqual({ _id: 'x', list: [1], nested: { v: 1 } });
    });

    // ---- uniqueness ----

    check('insert.duplicate-id', async () => {
      const c = await people();
      await expect(c.insertOne({ _id: 'p1', name: 'Impostor' })).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await c.findOne({ _id: 'p1' })).toEqual(PEOPLE[0]);
      expect(await c.count({})).toBe(4);
    });

    check('index.unique-insert', async () => {
      const c = fresh();
      await c.createIndexes([{ keys: { email: 1 }, unique: true }]);
      await c.insertOne({ _id: 'a', email: 'a@example.se' });
      await c.insertOne({ _id: 'b', email: 'b@example.se' });
      const error = await c.insertOne({ _id: 'c', email: 'a@example.se' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateKeyError);
      expect((error as DuplicateKeyError).collection).toBe(c.name);
      expect(sortedIds(await c.find({}))).toEqual(['a', 'b']);
    });

    check('index.unique-update', async () => {
      const c = fresh();
      await c.createIndexes([{ keys: { email: 1 }, unique: true, name: 'email_unique' }]);
      await c.insertOne({ _id: 'a', email: 'a@example.se' });
      await c.insertOne({ _id: 'b', email: 'b@example.se', n: 1 });
      await expect(c.updateOne({ _id: 'b' }, { $set: { email: 'a@example.se' }, $inc: { n: 1 } })).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(c.replaceOne({ _id: 'b' }, { _id: 'b', email: 'a@example.se' })).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(c.updateOne({ _id: 'c' }, { $set: { email: 'a@example.se' } }, { upsert: true })).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await c.find({}, { sort: { _id: 1 } })).toEqual([
        { _id: 'a', email: 'a@example.se' },
        { _id: 'b', email: 'b@example.se', n: 1 },
      ]);
      // Keeping its own value is not a conflict.
      await c.updateOne({ _id: 'b' }, { $set: { email: 'b@example.se', n: 5 } });
      expect(await c.findOne({ _id: 'b' })).toEqual({ _id: 'b', email: 'b@example.se', n: 5 });
    });

    check('index.unique-compound', async () => {
      const c = fresh();
      await c.createIndexes([{ keys: { tenant: 1, number: -1 }, unique: true }]);
      await c.insertOne({ _id: '1', tenant: 't1', number: 1 });
      await c.insertOne({ _id: '2', tenant: 't1', number: 2 });
      await c.insertOne({ _id: '3', tenant: 't2', number: 1 });
      await expect(c.insertOne({ _id: '4', tenant: 't1', number: 1 })).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await c.count({ tenant: 't1' })).toBe(2);
    });

    check('index.unique-multikey', async () => {
      const c = fresh();
      await c.createIndexes([{ keys: { aliases: 1 }, unique: true }]);
      await c.insertOne({ _id: '1', aliases: ['a', 'b'] });
      await expect(c.insertOne({ _id: '2', aliases: ['c', 'b'] })).rejects.toBeInstanceOf(DuplicateKeyError);
      await c.insertOne({ _id: '3', aliases: ['c'] });
      // Repeating a value inside one document is not a conflict.
      await c.insertOne({ _id: '4', aliases: ['d', 'd'] });
      expect(sortedIds(await c.find({}))).toEqual(['1', '3', '4']);
    });

    check('index.unique-existing-duplicates', async () => {
      const c = fresh();
      await c.insertOne({ _id: 'a', code: 'X' });
      await c.insertOne({ _id: 'b', code: 'X' });
      await expect(c.createIndexes([{ keys: { code: 1 }, unique: true }])).rejects.toBeInstanceOf(DuplicateKeyError);
      await c.insertOne({ _id: 'c', code: 'X' });
      expect(await c.count({ code: 'X' })).toBe(3);
    });

    check('index.idempotent', async () => {
      const c = fresh();
      const specs: IndexSpec[] = [
        { keys: { status: 1, createdAt: -1 } },
        { keys: { ref: 1 }, unique: true, name: 'ref_unique' },
      ];
      await c.createIndexes(specs);
      await c.createIndexes(specs);
      await c.insertOne({ _id: 'a', status: 'open', createdAt: '2024-01-01', ref: 'r1' });
      await c.insertOne({ _id: 'b', status: 'open', createdAt: '2024-02-01', ref: 'r2' });
      expect(ids(await c.find({ status: 'open' }, { sort: { createdAt: -1 } }))).toEqual(['b', 'a']);
      expect(ids(await c.find({ ref: 'r2' }))).toEqual(['b']);
    });

    check('index.sync', async () => {
      const c = fresh();
      expect(await c.syncIndexes([{ keys: { code: 1 }, unique: true }])).toEqual([]);
      await c.insertOne({ _id: 'a', code: 'X', ref: 'r' });
      await expect(c.insertOne({ _id: 'b', code: 'X', ref: 'r' })).rejects.toBeInstanceOf(DuplicateKeyError);

      // code's unique index is no longer asked for: it goes, and ref's comes.
      expect(await c.syncIndexes([{ keys: { ref: 1 }, unique: true, name: 'ref_unique' }, { keys: { status: 1, at: -1 } }])).toEqual(['code_1']);
      await c.insertOne({ _id: 'b', code: 'X', ref: 's' });
      await expect(c.insertOne({ _id: 'c', code: 'Y', ref: 'r' })).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await c.syncIndexes([{ keys: { ref: 1 }, unique: true, name: 'ref_unique' }, { keys: { status: 1, at: -1 } }])).toEqual([]);

      // The same name and keys, no longer unique: dropped and made again as asked.
      expect(await c.syncIndexes([{ keys: { ref: 1 }, name: 'ref_unique' }])).toEqual(expect.arrayContaining(['ref_unique', 'status_1_at_-1']));
      await c.insertOne({ _id: 'c', code: 'Y', ref: 'r' });
      expect(sortedIds(await c.find({ ref: 'r' }))).toEqual(['a', 'c']);
      expect(await c.syncIndexes([])).toEqual(['ref_unique']);
    });

    // ---- writes ----

    check('replaceOne', async () => {
      const c = await people();
      expect(await c.replaceOne({ _id: 'p1' }, { _id: 'p1', name: 'Astrid II' })).toEqual({ matched: 1, upserted: false });
      expect(await c.findOne({ _id: 'p1' })).toEqual({ _id: 'p1', name: 'Astrid II' });
      expect(await c.replaceOne({ name: 'Bo' }, { _id: 'p2', name: 'Bo', city: 'Boden' })).toEqual({ matched: 1, upserted: false });
      expect(await c.findOne({ _id: 'p2' })).toEqual({ _id: 'p2', name: 'Bo', city: 'Boden' });
      expect(await c.replaceOne({ _id: 'p9' }, { _id: 'p9', name: 'Nobody' })).toEqual({ matched: 0, upserted: false });
      expect(await c.count({})).toBe(4);
    });

    check('replaceOne.upsert', async () => {
      const c = await people();
      expect(await c.replaceOne({ _id: 'p9' }, { _id: 'p9', name: 'Nine' }, { upsert: true })).toEqual({ matched: 0, upserted: true });
      expect(await c.findOne({ _id: 'p9' })).toEqual({ _id: 'p9', name: 'Nine' });
      expect(await c.replaceOne({ _id: 'p9' }, { _id: 'p9', name: 'Nine again' }, { upsert: true })).toEqual({ matched: 1, upserted: false });
      expect(await c.findOne({ _id: 'p9' })).toEqual({ _id: 'p9', name: 'Nine again' });
      expect(await c.count({})).toBe(5);
    });

    check('updateOne', async () => {
      const c = await people();
      expect(await c.updateOne({ city: 'Umeå' }, { $set: { visited: true } })).toEqual({ matched: 1, upserted: false });
      expect(await c.count({ visited: true })).toBe(1);
      expect(await c.updateOne({ city: 'Nowhere' }, { $set: { visited: true } })).toEqual({ matched: 0, upserted: false });
      expect(await c.count({})).toBe(4);
    });

    check('updateOne.upsert', async () => {
      const c = fresh();
      const filter = { _id: 'u1', tenant: 't1', 'period.year': 2024, amount: { $gt: 5 } };
      const first = await c.updateOne(
        filter,
        { $inc: { count: 1 }, $set: { status: 'open' }, $setOnInsert: { createdAt: '2024-05-01T00:00:00.000Z' } },
        { upsert: true },
      );
      expect(first).toEqual({ matched: 0, upserted: true });
      expect(await c.findOne({ _id: 'u1' })).toEqual({
        _id: 'u1',
        tenant: 't1',
        period: { year: 2024 },
        count: 1,
        status: 'open',
        createdAt: '2024-05-01T00:00:00.000Z',
      });
      await c.updateOne({ _id: 'u1' }, { $set: { amount: 10 } });
      const second = await c.updateOne(
        filter,
        { $inc: { count: 1 }, $setOnInsert: { createdAt: '2099-01-01T00:00:00.000Z' } },
        { upsert: true },
      );
      expect(second).toEqual({ matched: 1, upserted: false });
      expect(await c.findOne({ _id: 'u1' })).toMatchObject({ count: 2, createdAt: '2024-05-01T00:00:00.000Z' });
      expect(await c.count({})).toBe(1);
    });

    check('updateOne.upsert-$eq', async () => {
      const c = fresh();
      await c.updateOne({ _id: 'e1', kind: { $eq: 'monthly' }, $and: [{ tenant: 't1' }] }, { $set: { v: 1 } }, { upsert: true });
      expect(await c.findOne({ _id: 'e1' })).toEqual({ _id: 'e1', kind: 'monthly', tenant: 't1', v: 1 });
    });

    check('updateOne.upsert-generated-id', async () => {
      const c = fresh();
      expect(await c.updateOne({ key: 'k1' }, { $set: { v: 1 } }, { upsert: true })).toEqual({ matched: 0, upserted: true });
      const created = await c.findOne({ key: 'k1' });
      expect(created).toMatchObject({ key: 'k1', v: 1 });
      expect(typeof created?._id).toBe('string');
      await c.bulkWrite([{ updateOne: { filter: { key: 'k2' }, update: { $set: { v: 2 } }, upsert: true } }]);
      expect(typeof (await c.findOne({ key: 'k2' }))?._id).toBe('string');
    });

    check('updateMany', async () => {
      const c = await people();
      expect(await c.updateMany({ city: 'Umeå' }, { $set: { region: 'north' } })).toEqual({ matched: 2 });
      expect(sortedIds(await c.find({ region: 'north' }))).toEqual(['p1', 'p3']);
      expect(await c.updateMany({ city: 'Nowhere' }, { $set: { region: 'x' } })).toEqual({ matched: 0 });
      expect(await c.updateMany({}, { $inc: { score: 1 } })).toEqual({ matched: 4 });
      expect((await c.find({}, { sort: { _id: 1 } })).map((p) => p.score)).toEqual([11, 3, 11, 101]);
    });

    check('update.$set', async () => {
      const c = await people();
      await c.updateOne({ _id: 'p1' }, { $set: { city: 'Skellefteå', 'address.zip': '93130', 'meta.source': 'import' } });
      expect(await c.findOne({ _id: 'p1' })).toMatchObject({
        city: 'Skellefteå',
        address: { zip: '93130', country: 'SE' },
        meta: { source: 'import' },
      });
    });

    check('update.$unset', async () => {
      const c = await people();
      await c.updateOne({ _id: 'p3' }, { $unset: { nickname: '', 'address.zip': '', notThere: '' } });
      const p3 = (await c.findOne({ _id: 'p3' })) as Person;
      expect('nickname' in p3).toBe(false);
      expect(p3.address).toEqual({ country: 'NO' });
    });

    check('update.$inc', async () => {
      const c = await people();
      await c.updateOne({ _id: 'p1' }, { $inc: { score: 5, visits: 1, 'address.floor': -2 } });
      expect(await c.findOne({ _id: 'p1' })).toMatchObject({ score: 15, visits: 1, address: { floor: -2 } });
      await c.updateOne({ _id: 'p1' }, { $inc: { score: -15 } });
      expect((await c.findOne({ _id: 'p1' }))?.score).toBe(0);
    });

    check('update.$push', async () => {
      const c = await people();
      await c.updateOne({ _id: 'p1' }, { $push: { tags: 'buyer' } });
      await c.updateOne({ _id: 'p1' }, { $push: { tags: { $each: ['x', 'y'] }, history: 'created' } });
      expect(await c.findOne({ _id: 'p1' })).toMatchObject({ tags: ['admin', 'buyer', 'buyer', 'x', 'y'], history: ['created'] });
    });

    check('update.$pull', async () => {
      const c = await people();
      await c.updateOne({ _id: 'p1' }, { $pull: { tags: 'buyer', orders: { sku: 'A' } } });
      expect(await c.findOne({ _id: 'p1' })).toMatchObject({ tags: ['admin'], orders: [{ sku: 'B', qty: 10 }] });
      await c.updateOne({ _id: 'p2' }, { $pull: { readings: { $gte: 10 } } });
      expect((await c.findOne({ _id: 'p2' }))?.readings).toEqual([1]);
    });

    check('update.$addToSet', async () => {
      const c = await people();
      await c.updateOne({ _id: 'p2' }, { $addToSet: { tags: 'buyer' } });
      expect((await c.findOne({ _id: 'p2' }))?.tags).toEqual(['buyer']);
      await c.updateOne({ _id: 'p2' }, { $addToSet: { tags: { $each: ['buyer', 'seller', 'seller'] }, roles: 'viewer' } });
      expect(await c.findOne({ _id: 'p2' })).toMatchObject({ tags: ['buyer', 'seller'], roles: ['viewer'] });
      // A missing field, on an existing document and on an upserted one: each value once.
      await c.updateOne({ _id: 'p2' }, { $addToSet: { badges: { $each: ['a', 'a', 'b'] } } });
      await c.updateOne({ _id: 'p9' }, { $addToSet: { badges: { $each: ['a', 'a', 'b'] } } }, { upsert: true });
      expect((await c.findOne({ _id: 'p2' }))?.badges).toEqual(['a', 'b']);
      expect((await c.findOne({ _id: 'p9' }))?.badges).toEqual(['a', 'b']);
    });

    check('update.$setOnInsert', async () => {
      const c = await people();
      expect(await c.updateOne({ _id: 'p2' }, { $setOnInsert: { name: 'Changed' }, $set: { seen: 1 } }, { upsert: true })).toEqual({
        matched: 1,
        upserted: false,
      });
      expect(await c.findOne({ _id: 'p2' })).toMatchObject({ name: 'Bo', seen: 1 });
    });

    check('update.$max', async () => {
      const c = await people();
      await c.updateOne({ _id: 'p1' }, { $max: { score: 50, joined: '2025-01-01T00:00:00.000Z', best: 7 } });
      expect(await c.findOne({ _id: 'p1' })).toMatchObject({ score: 50, joined: '2025-01-01T00:00:00.000Z', best: 7 });
      await c.updateOne({ _id: 'p1' }, { $max: { score: 1, joined: '2020-01-01T00:00:00.000Z' } });
      expect(await c.findOne({ _id: 'p1' })).toMatchObject({ score: 50, joined: '2025-01-01T00:00:00.000Z' });
    });

    check('update.$min', async () => {
      const c = await people();
      await c.updateOne({ _id: 'p1' }, { $min: { score: 3, joined: '2020-01-01T00:00:00.000Z', low: 7 } });
      expect(await c.findOne({ _id: 'p1' })).toMatchObject({ score: 3, joined: '2020-01-01T00:00:00.000Z', low: 7 });
      await c.updateOne({ _id: 'p1' }, { $min: { score: 9 } });
      expect((await c.findOne({ _id: 'p1' }))?.score).toBe(3);
    });

    check('deleteOne', async () => {
      const c = await people();
      expect(await c.deleteOne({ city: 'Umeå' })).toEqual({ deleted: 1 });
      expect(await c.count({ city: 'Umeå' })).toBe(1);
      expect(await c.deleteOne({ city: 'Nowhere' })).toEqual({ deleted: 0 });
      expect(await c.count({})).toBe(3);
    });

    check('deleteMany', async () => {
      const c = await people();
      expect(await c.deleteMany({ city: 'Umeå' })).toEqual({ deleted: 2 });
      expect(sortedIds(await c.find({}))).toEqual(['p2', 'p4']);
      expect(await c.deleteMany({ city: 'Nowhere' })).toEqual({ deleted: 0 });
      expect(await c.deleteMany({})).toEqual({ deleted: 2 });
      expect(await c.count({})).toBe(0);
    });

    // ---- bulk, drop ----

    check('bulkWrite.in-order', async () => {
      const c = fresh();
      await c.bulkWrite([
        { insertOne: { document: { _id: 'n1', v: 1 } } },
        { updateOne: { filter: { _id: 'n1' }, update: { $inc: { v: 1 } } } },
        { replaceOne: { filter: { _id: 'n2' }, replacement: { _id: 'n2', v: 10 }, upsert: true } },
        { updateMany: { filter: { v: { $gte: 1 } }, update: { $set: { seen: true } } } },
        { deleteOne: { filter: { _id: 'n2' } } },
        { updateOne: { filter: { _id: 'n3' }, update: { $set: { v: 3 } }, upsert: true } },
        { updateMany: { filter: { _id: 'n4' }, update: { $set: { v: 4 } }, upsert: true } },
        { deleteMany: { filter: { v: 3 } } },
        { replaceOne: { filter: { _id: 'n4' }, replacement: { _id: 'n4', v: 44 } } },
      ]);
      expect(await c.find({}, { sort: { _id: 1 } })).toEqual([
        { _id: 'n1', v: 2, seen: true },
        { _id: 'n4', v: 44 },
      ]);
      await c.bulkWrite([]);
      expect(await c.count({})).toBe(2);
    });

    check('bulkWrite.stops-at-failure', async () => {
      const c = fresh();
      const inserts = c.bulkWrite([
        { insertOne: { document: { _id: 'b1' } } },
        { insertOne: { document: { _id: 'b2' } } },
        { insertOne: { document: { _id: 'b1' } } },
        { insertOne: { document: { _id: 'b3' } } },
      ]);
      await expect(inserts).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(sortedIds(await c.find({}))).toEqual(['b1', 'b2']);

      const mixed = c.bulkWrite([
        { updateOne: { filter: { _id: 'b1' }, update: { $set: { v: 1 } } } },
        { insertOne: { document: { _id: 'b2' } } },
        { updateOne: { filter: { _id: 'b2' }, update: { $set: { v: 2 } } } },
      ]);
      await expect(mixed).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await c.find({}, { sort: { _id: 1 } })).toEqual([{ _id: 'b1', v: 1 }, { _id: 'b2' }]);
    });

    check('drop', async () => {
      const c = await people();
      await c.drop();
      expect(await c.count({})).toBe(0);
      expect(await c.find({ city: 'Umeå' })).toEqual([]);
      await c.insertOne({ _id: 'p1', name: 'Again' });
      expect(await c.find({})).toEqual([{ _id: 'p1', name: 'Again' }]);
    });

    check('drop.keeps-indexes', async () => {
      const c = fresh();
      await c.createIndexes([{ keys: { email: 1 }, unique: true }]);
      await c.insertOne({ _id: 'a', email: 'a@example.se' });
      await c.drop();
      await c.insertOne({ _id: 'b', email: 'a@example.se' });
      await expect(c.insertOne({ _id: 'c', email: 'a@example.se' })).rejects.toBeInstanceOf(DuplicateKeyError);
    });
  });
}
