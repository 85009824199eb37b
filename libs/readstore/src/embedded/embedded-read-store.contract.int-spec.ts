import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuplicateKeyError } from '../read-store.port';
import { describeReadStoreContract } from '../testing/read-store.contract';
import { EmbeddedReadStore } from './embedded-read-store';
import { eventually } from '@kundportal/kernel/testing';
import { READ_MODEL_IMAGE } from './read-model-image';
import { READ_MODEL_FILE, SqliteReadModelFile } from './sqlite-read-model-file';

/** Run in a child process: counts the documents, or prints the SQLite error. */
const PEEK = `
  const Database = require('better-sqlite3');
  try {
    const db = new Database(process.argv[1], { timeout: 0 });
    console.log(db.prepare('SELECT count(*) AS n FROM documents').get().n + ' document(s)');
  } catch (error) {
    console.log(error.message);
  }
`;

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'kundportal-readstore-'));

describeReadStoreContract('embedded (in memory)', async () => {
  const store = EmbeddedReadStore.inMemory();
  return { store, cleanup: () => store.close() };
});

describeReadStoreContract('embedded (SQLite file)', async () => {
  const dataDir = tempDir();
  const store = await EmbeddedReadStore.open({ dataDir });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

// Two documents per collection in memory: nearly every read and write goes to the file and back.
describeReadStoreContract('embedded (SQLite file, 2 documents in memory)', async () => {
  const dataDir = tempDir();
  const store = await EmbeddedReadStore.open({ dataDir, cachedDocuments: 2 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('EmbeddedReadStore persistence', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDir();
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives back the documents and indexes after reopening', async () => {
    const first = await EmbeddedReadStore.open({ dataDir });
    const tickets = first.collection('tickets');
    await tickets.createIndexes([
      { keys: { number: 1 }, unique: true },
      { keys: { ownerId: 1, updatedAt: -1 }, name: 'by_owner' },
    ]);
    await tickets.bulkWrite([
      { insertOne: { document: { _id: 't1', number: 1, ownerId: 'u1', updatedAt: '2024-01-02', due: new Date('2024-02-01T00:00:00.000Z') } } },
      { insertOne: { document: { _id: 't2', number: 2, ownerId: 'u1', updatedAt: '2024-01-03', lines: [{ text: 'a' }] } } },
      { insertOne: { document: { _id: 't3', number: 3, ownerId: 'u2', updatedAt: '2024-01-01' } } },
    ]);
    await tickets.updateOne({ _id: 't3' }, { $set: { ownerId: 'u1' } });
    await tickets.deleteOne({ _id: 't2' });
    await first.collection('empty').createIndexes([{ keys: { x: 1 } }]);
    await first.close();

    const second = await EmbeddedReadStore.open({ dataDir });
    const reopened = second.collection('tickets');
    expect(await reopened.find({}, { sort: { _id: 1 } })).toEqual([
      { _id: 't1', number: 1, ownerId: 'u1', updatedAt: '2024-01-02', due: new Date('2024-02-01T00:00:00.000Z') },
      { _id: 't3', number: 3, ownerId: 'u1', updatedAt: '2024-01-01' },
    ]);
    expect((await reopened.findOne({ _id: 't1' }))?.due).toBeInstanceOf(Date);
    expect(reopened.indexSpecs()).toEqual([
      { keys: { ownerId: 1, updatedAt: -1 }, unique: false, name: 'by_owner' },
      { keys: { number: 1 }, unique: true, name: 'number_1' },
    ]);
    expect(reopened.explain({ ownerId: 'u1' })).toEqual({ index: 'by_owner', candidates: 2 });
    await expect(reopened.insertOne({ _id: 't9', number: 3 })).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(second.collection('empty').indexSpecs()).toHaveLength(1);
    await second.close();
  });

  it('keeps indexes dropped by syncIndexes dropped, after a clean stop and after a crash', async () => {
    const first = await EmbeddedReadStore.open({ dataDir });
    const tickets = first.collection('tickets');
    await tickets.createIndexes([{ keys: { unreadBy: 1 } }, { keys: { number: 1 }, unique: true }]);
    await tickets.insertOne({ _id: 't1', number: 1, unreadBy: ['u1'], at: '2024-01-01' });
    expect(await tickets.syncIndexes([{ keys: { unreadBy: 1, at: -1 } }, { keys: { number: 1 }, unique: true }])).toEqual(['unreadBy_1']);
    await first.close();

    const second = await EmbeddedReadStore.open({ dataDir });
    expect(second.openedFrom).toBe('image');
    const specs = [
      { keys: { number: 1 }, unique: true, name: 'number_1' },
      { keys: { unreadBy: 1, at: -1 }, unique: false, name: 'unreadBy_1_at_-1' },
    ];
    expect(second.collection('tickets').indexSpecs()).toEqual(specs);
    expect(await second.collection('tickets').syncIndexes([{ keys: { number: 1 }, unique: true }])).toEqual(['unreadBy_1_at_-1']);
    await second.closeWithoutImage();

    const third = await EmbeddedReadStore.open({ dataDir });
    expect(third.openedFrom).toBe('documents');
    expect(third.collection('tickets').indexSpecs()).toEqual([specs[0]]);
    await expect(third.collection('tickets').insertOne({ _id: 't2', number: 1 })).rejects.toBeInstanceOf(DuplicateKeyError);
    await third.close();
  });

  it('keeps the operations before a failed bulkWrite, on disk too', async () => {
    const first = await EmbeddedReadStore.open({ dataDir });
    const c = first.collection('c');
    await expect(
      c.bulkWrite([
        { insertOne: { document: { _id: 'a' } } },
        { updateOne: { filter: { _id: 'a' }, update: { $set: { v: 1 } } } },
        { insertOne: { document: { _id: 'a' } } },
        { insertOne: { document: { _id: 'b' } } },
      ]),
    ).rejects.toBeInstanceOf(DuplicateKeyError);
    await first.close();
    const second = await EmbeddedReadStore.open({ dataDir });
    expect(await second.collection('c').find({})).toEqual([{ _id: 'a', v: 1 }]);
    await second.close();
  });

  it('leaves memory and disk unchanged when a write fails part-way', async () => {
    const first = await EmbeddedReadStore.open({ dataDir });
    const c = first.collection('accounts');
    await c.createIndexes([{ keys: { email: 1 }, unique: true }]);
    await c.insertOne({ _id: 'a', email: 'a@x', n: 1 });
    await c.insertOne({ _id: 'b', email: 'b@x', n: 2 });
    await c.insertOne({ _id: 'c', email: 'c@x', n: 3 });
    // The first document gets a free address, the second collides: MongoDB would keep the first
    // change; the embedded store undoes the whole call.
    await expect(c.updateMany({}, { $set: { email: 'same@x' } })).rejects.toBeInstanceOf(DuplicateKeyError);
    // $inc on a string is refused before anything changes.
    await expect(c.updateMany({}, { $inc: { email: 1 } })).rejects.toThrow(/\$inc/);
    const expected = [
      { _id: 'a', email: 'a@x', n: 1 },
      { _id: 'b', email: 'b@x', n: 2 },
      { _id: 'c', email: 'c@x', n: 3 },
    ];
    expect(await c.find({}, { sort: { _id: 1 } })).toEqual(expected);
    expect(c.explain({ email: 'same@x' }).candidates).toBe(0);
    expect(c.explain({ email: 'a@x' }).candidates).toBe(1);
    await first.close();
    const second = await EmbeddedReadStore.open({ dataDir });
    expect(await second.collection('accounts').find({}, { sort: { _id: 1 } })).toEqual(expected);
    await second.close();
  });

  it('persists drop', async () => {
    const first = await EmbeddedReadStore.open({ dataDir });
    await first.collection('c').insertOne({ _id: 'a' });
    await first.collection('c').drop();
    await first.collection('c').insertOne({ _id: 'b' });
    await first.close();
    const second = await EmbeddedReadStore.open({ dataDir });
    expect(await second.collection('c').find({})).toEqual([{ _id: 'b' }]);
    await second.close();
  });

  it('keeps only the documents used last in memory and reads the others from the file', async () => {
    const first = await EmbeddedReadStore.open({ dataDir, cachedDocuments: 3 });
    const c = first.collection('messages');
    await c.createIndexes([{ keys: { ticketId: 1, at: 1 } }]);
    const all = Array.from({ length: 10 }, (_, i) => ({ _id: `m${i}`, ticketId: `t${i % 2}`, at: 100 - i, text: `message ${i}` }));
    for (const doc of all) await c.insertOne(doc);
    expect(c.residentDocuments).toBe(3);
    // Sorted through the compound index, filtered, counted and updated: documents on disk included.
    expect((await c.find({ ticketId: 't0' }, { sort: { at: 1, _id: 1 } })).map((d) => d._id)).toEqual(['m8', 'm6', 'm4', 'm2', 'm0']);
    expect(await c.count({ text: { $in: ['message 1', 'message 9'] } })).toBe(2);
    await c.updateOne({ _id: 'm1' }, { $set: { text: 'edited' } });
    expect(await c.findOne({ _id: 'm1' })).toEqual({ ...all[1], text: 'edited' });
    expect(c.residentDocuments).toBe(3);

    // Relaxed writes stay in memory until they are on disk, then memory shrinks to the budget again.
    await c.bulkWrite(
      all.map((doc) => ({ updateOne: { filter: { _id: doc._id }, update: { $inc: { at: 1000 } } } })),
      { relaxed: true },
    );
    expect(c.residentDocuments).toBe(10);
    await eventually(() => c.residentDocuments === 3, { timeoutMs: 2_000, what: () => `${c.residentDocuments} documents in memory` });
    // As a crash leaves it: the next start reads every document and keeps the last ones stored.
    await first.closeWithoutImage();

    const second = await EmbeddedReadStore.open({ dataDir, cachedDocuments: 3 });
    const reopened = second.collection('messages');
    expect(reopened.residentDocuments).toBe(3);
    expect(await reopened.find({}, { sort: { _id: 1 } })).toEqual(
      all.map((doc) => ({ ...doc, at: doc.at + 1000, ...(doc._id === 'm1' ? { text: 'edited' } : {}) })).sort((a, b) => a._id.localeCompare(b._id)),
    );
    await second.close();
  });

  it('lets go of documents read from disk, but never of one changed and not yet written', async () => {
    const first = await EmbeddedReadStore.open({ dataDir, cachedDocuments: 2 });
    const c = first.collection('c');
    await c.bulkWrite(Array.from({ length: 1_500 }, (_, i) => ({ insertOne: { document: { _id: `d${i}`, n: 0 } } })));
    // One call that reads far more documents from disk than the budget while holding its changes.
    await c.updateMany({}, { $inc: { n: 1 } });
    await c.bulkWrite([{ updateMany: { filter: {}, update: { $inc: { n: 1 } } } }], { relaxed: true });
    for (let i = 0; i < 1_500; i++) expect((await c.findOne({ _id: `d${i}` }))?.n).toBe(2);
    await eventually(() => c.residentDocuments === 2, { timeoutMs: 2_000, what: () => `${c.residentDocuments} documents in memory` });
    // Reads alone do not grow memory past the budget (and a batch of reads from disk).
    for (let i = 0; i < 1_500; i++) expect((await c.findOne({ _id: `d${i}` }))?.n).toBe(2);
    expect(c.residentDocuments).toBeLessThanOrEqual(2 + 1_024);
    await first.close();
    const second = await EmbeddedReadStore.open({ dataDir, cachedDocuments: 2 });
    expect(await second.collection('c').count({ n: 2 })).toBe(1_500);
    await second.close();
  });

  it('undoes a failed write to documents that were only on disk', async () => {
    const store = await EmbeddedReadStore.open({ dataDir, cachedDocuments: 1 });
    const c = store.collection('accounts');
    await c.createIndexes([{ keys: { email: 1 }, unique: true }]);
    for (const id of ['a', 'b', 'c']) await c.insertOne({ _id: id, email: `${id}@x` });
    await expect(c.updateMany({}, { $set: { email: 'same@x' } })).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(await c.find({}, { sort: { _id: 1 } })).toEqual(['a', 'b', 'c'].map((id) => ({ _id: id, email: `${id}@x` })));
    expect(c.explain({ email: 'same@x' }).candidates).toBe(0);
    await store.close();
    const reopened = await EmbeddedReadStore.open({ dataDir, cachedDocuments: 1 });
    expect(await reopened.collection('accounts').count({ email: 'same@x' })).toBe(0);
    await reopened.close();
  });

  it('starts from the image a clean stop left, once, and from the documents after a crash', async () => {
    const first = await EmbeddedReadStore.open({ dataDir, cachedDocuments: 2 });
    const tickets = first.collection('tickets');
    await tickets.createIndexes([
      { keys: { number: 1 }, unique: true },
      { keys: { participants: 1, at: -1 } },
    ]);
    for (let i = 0; i < 20; i++) {
      await tickets.insertOne({ _id: `t${i}`, number: i, participants: [`u${i % 3}`, 'staff'], at: `2024-01-${String(i + 1).padStart(2, '0')}` });
    }
    const query = async (store: EmbeddedReadStore) => {
      const c = store.collection('tickets');
      return {
        page: (await c.find({ participants: 'u1' }, { sort: { at: -1, _id: 1 }, limit: 3 })).map((d) => d._id),
        natural: (await c.find({ participants: 'staff' })).map((d) => d._id),
        count: await c.count({ participants: 'u2' }),
        byNumber: await c.findOne({ number: 7 }),
        plan: c.explain({ participants: 'u0' }),
      };
    };
    const before = await query(first);
    await first.close();
    expect(existsSync(join(dataDir, READ_MODEL_IMAGE))).toBe(true);

    const second = await EmbeddedReadStore.open({ dataDir, cachedDocuments: 2 });
    expect(second.openedFrom).toBe('image');
    expect(existsSync(join(dataDir, READ_MODEL_IMAGE))).toBe(false);
    expect(await query(second)).toEqual(before);
    await expect(second.collection('tickets').insertOne({ _id: 'dup', number: 7 })).rejects.toBeInstanceOf(DuplicateKeyError);
    await second.collection('tickets').updateOne({ _id: 't4' }, { $set: { participants: ['u1'], at: '2025-01-01' } });
    await second.close();
    const image = readFileSync(join(dataDir, READ_MODEL_IMAGE));

    // A start from the image, a write, then a crash: the image on disk is stale and is not used.
    const third = await EmbeddedReadStore.open({ dataDir, cachedDocuments: 2 });
    expect(third.openedFrom).toBe('image');
    await third.collection('tickets').deleteOne({ _id: 't4' });
    await third.closeWithoutImage();
    writeFileSync(join(dataDir, READ_MODEL_IMAGE), image);
    const fourth = await EmbeddedReadStore.open({ dataDir, cachedDocuments: 2 });
    expect(fourth.openedFrom).toBe('documents');
    const c = fourth.collection('tickets');
    expect(await c.findOne({ _id: 't4' })).toBeNull();
    expect((await c.find({ participants: 'u1' }, { sort: { at: -1, _id: 1 }, limit: 3 })).map((d) => d._id)).toEqual(['t19', 't16', 't13']);
    await fourth.close();
  });

  it('keeps the ordered rows of a compound index in the image, so a sorted page after the start reads only its own documents', async () => {
    const first = await EmbeddedReadStore.open({ dataDir, cachedDocuments: 100 });
    const outbox = first.collection('outbox');
    await outbox.createIndexes([{ keys: { sentAt: 1, createdAt: 1 } }]);
    for (let i = 0; i < 400; i++) await outbox.insertOne({ _id: `m${i}`, sentAt: null, createdAt: `2024-01-01T00:00:${String(399 - i).padStart(3, '0')}` });
    const oldestFirst = async (store: EmbeddedReadStore) =>
      (await store.collection('outbox').find({ sentAt: null }, { sort: { createdAt: 1, _id: 1 }, limit: 3 })).map((d) => d._id);
    expect(await oldestFirst(first)).toEqual(['m399', 'm398', 'm397']);
    await outbox.updateOne({ _id: 'm398' }, { $set: { sentAt: '2024-02-01' } });
    await first.close();

    const second = await EmbeddedReadStore.open({ dataDir, cachedDocuments: 100 });
    expect(second.openedFrom).toBe('image');
    const reads = jest.spyOn(SqliteReadModelFile.prototype, 'read');
    try {
      expect(await oldestFirst(second)).toEqual(['m399', 'm397', 'm396']);
      // The three documents of the page, not the 399 waiting.
      expect(reads.mock.calls.length).toBeLessThanOrEqual(3);
    } finally {
      reads.mockRestore();
    }
    await second.collection('outbox').insertOne({ _id: 'late', sentAt: null, createdAt: '2023-12-31T00:00:00' });
    expect(await oldestFirst(second)).toEqual(['late', 'm399', 'm397']);
    await second.close();
  });

  it('locks its file against other processes while open', async () => {
    const store = await EmbeddedReadStore.open({ dataDir });
    await store.collection('c').insertOne({ _id: 'a' });
    // Another process (the API and a projector sharing DATA_DIR by mistake) cannot read or write it.
    const otherProcess = (): string =>
      execFileSync(process.execPath, ['-e', PEEK, join(dataDir, READ_MODEL_FILE)], { encoding: 'utf8', cwd: process.cwd() }).trim();
    expect(otherProcess()).toMatch(/locked/);
    await store.close();
    expect(otherProcess()).toBe('1 document(s)');
  });

  it('reports down and refuses calls once closed', async () => {
    const store = await EmbeddedReadStore.open({ dataDir });
    expect((await store.health()).status).toBe('up');
    await store.close();
    expect((await store.health()).status).toBe('down');
    expect(() => store.collection('c')).toThrow(/closed/);
  });
});
