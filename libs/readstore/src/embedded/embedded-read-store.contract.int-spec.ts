import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuplicateKeyError } from '../read-store.port';
import { describeReadStoreContract } from '../testing/read-store.contract';
import { EmbeddedReadStore } from './embedded-read-store';
import { READ_MODEL_FILE } from './sqlite-read-model-file';

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
