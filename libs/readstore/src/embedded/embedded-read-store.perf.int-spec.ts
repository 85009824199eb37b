import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Doc } from '../read-store.port';
import { EmbeddedReadStore } from './embedded-read-store';

/**
 * The embedded store's performance targets, on 100,000 ticket-list documents: an indexed,
 * sorted, paged find well under 1 ms; loading the SQLite file at startup. Timings are printed.
 */
jest.setTimeout(60_000);

const TOTAL = 100_000;
const OWNERS = 1_000;

function ticket(i: number): Doc {
  return {
    _id: `ticket-${i}`,
    number: i,
    ownerId: `account-${i % OWNERS}`,
    organisationId: `org-${i % 97}`,
    status: ['open', 'waiting', 'closed'][i % 3],
    subject: `Printer on floor ${i % 12} does not answer (${i})`,
    tags: ['hardware', i % 2 ? 'printer' : 'network'],
    createdAt: new Date(Date.UTC(2023, 0, 1) + i * 60_000).toISOString(),
    updatedAt: new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % TOTAL) * 60_000).toISOString(),
    lastMessage: { by: 'Support', excerpt: 'We have ordered a replacement part and will be back.' },
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const report = (line: string): void => {
  process.stdout.write(`[embedded read store, ${TOTAL} docs] ${line}\n`);
};

describe('EmbeddedReadStore at 100k documents', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kundportal-readstore-perf-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes, reloads and answers an indexed sorted page in well under 1 ms', async () => {
    const first = await EmbeddedReadStore.open({ dataDir });
    const tickets = first.collection('ticket-list');
    await tickets.createIndexes([{ keys: { ownerId: 1, updatedAt: -1 } }, { keys: { number: 1 }, unique: true }]);
    let t = performance.now();
    await tickets.bulkWrite(Array.from({ length: TOTAL }, (_, i) => ({ insertOne: { document: ticket(i) } })));
    report(`bulkWrite of ${TOTAL} inserts (one transaction): ${(performance.now() - t).toFixed(0)} ms`);

    const writes: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      t = performance.now();
      await tickets.updateOne({ _id: `ticket-${i * 97}` }, { $set: { status: 'closed' }, $inc: { replies: 1 } });
      writes.push(performance.now() - t);
    }
    report(`updateOne by _id, each its own SQLite transaction: median ${(median(writes) * 1000).toFixed(0)} µs`);
    await first.close();

    t = performance.now();
    const store = await EmbeddedReadStore.open({ dataDir });
    const loadMs = performance.now() - t;
    report(`open + load into memory (documents and indexes): ${loadMs.toFixed(0)} ms`);
    const reloaded = store.collection('ticket-list');
    expect(await reloaded.count({})).toBe(TOTAL);

    const query = () => reloaded.find({ ownerId: 'account-42' }, { sort: { updatedAt: -1 }, skip: 20, limit: 20 });
    const page = await query();
    expect(page).toHaveLength(20);
    const all = (await reloaded.find({ ownerId: 'account-42' })).map((d) => d.updatedAt as string).sort().reverse();
    expect(all).toHaveLength(TOTAL / OWNERS);
    expect(page.map((d) => d.updatedAt)).toEqual(all.slice(20, 40));
    expect(reloaded.explain({ ownerId: 'account-42' })).toEqual({ index: 'ownerId_1_updatedAt_-1', candidates: 100 });

    for (let i = 0; i < 200; i++) await query(); // warm up the JIT
    const finds: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      t = performance.now();
      await query();
      finds.push(performance.now() - t);
    }
    report(`find by indexed field (100 of ${TOTAL}), sorted, page of 20: median ${(median(finds) * 1000).toFixed(0)} µs`);
    expect(median(finds)).toBeLessThan(1);

    t = performance.now();
    expect(await reloaded.count({ status: 'waiting', number: { $gte: 50_000 } })).toBeGreaterThan(0);
    report(`unindexed count (full scan): ${(performance.now() - t).toFixed(0)} ms`);
    await store.close();
  });
});
