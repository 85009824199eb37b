import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { EmbeddedEventStore } from '@kundportal/eventstore';
import { eventually } from '@kundportal/kernel/testing';
import { EmbeddedReadStore } from '../embedded/embedded-read-store';
import { countedProjection } from '../testing/counted-projection';
import type { Doc, ReadStore } from '../read-store.port';
import { LEASES, Leases } from './leases';
import { Projection } from './projection';
import { CHECKPOINTS, ProjectionRunner } from './projection-runner';

const metadata = { actor: { id: 'a', name: 'A' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 };

/** Counts each event once per document; `applied` counts calls per runner, to see who ran it. */
function counting(name: string, applied: Map<string, number>, runnerName: () => string) {
  return countedProjection(name, { onApplied: () => applied.set(runnerName(), (applied.get(runnerName()) ?? 0) + 1) });
}

describe('Leases', () => {
  let dir: string;
  let reads: EmbeddedReadStore;
  let clock = 1_000_000;
  const now = () => clock;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kp-leases-'));
    reads = await EmbeddedReadStore.open({ dataDir: dir });
  });
  afterEach(async () => {
    await reads.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a lease to one owner at a time; another takes it only once it has expired', async () => {
    const a = new Leases(reads, 'a', 6_000, now);
    const b = new Leases(reads, 'b', 6_000, now);
    expect(await a.acquire('p')).toBe(true);
    expect(await b.acquire('p')).toBe(false);
    expect(a.holds('p')).toBe(true);
    expect(b.holds('p')).toBe(false);

    clock += 5_999;
    expect(await b.acquire('p')).toBe(false);
    // Past the safety margin the holder stops writing, before anyone else may take the lease.
    expect(a.holds('p')).toBe(false);
    clock += 2;
    expect(await b.acquire('p')).toBe(true);
    expect(await a.acquire('p')).toBe(false);
    expect(a.holds('p')).toBe(false);
    expect(await reads.collection(LEASES).findOne({ _id: 'p' })).toMatchObject({ owner: 'b' });
  });

  it('renews a held lease, so its holder keeps it for as long as it lives', async () => {
    const a = new Leases(reads, 'a', 6_000, now);
    const b = new Leases(reads, 'b', 6_000, now);
    for (let i = 0; i < 10; i++) {
      expect(await a.keep('p')).toBe(true);
      clock += 2_000;
      expect(await b.acquire('p')).toBe(false);
    }
  });

  it('keep writes only when a third of the lease has passed', async () => {
    const a = new Leases(reads, 'a', 6_000, now);
    await a.acquire('p');
    const stored = async () => (await reads.collection(LEASES).findOne({ _id: 'p' }))?.expiresAt;
    const first = await stored();
    clock += 1_000;
    await a.keep('p');
    expect(await stored()).toBe(first);
    clock += 1_500;
    await a.keep('p');
    expect(await stored()).toBe(clock + 6_000);
  });

  it('release hands the lease over at once, and only its own', async () => {
    const a = new Leases(reads, 'a', 6_000, now);
    const b = new Leases(reads, 'b', 6_000, now);
    await a.acquire('p');
    await b.release('p');
    expect(await b.acquire('p')).toBe(false);
    await a.release('p');
    expect(a.holds('p')).toBe(false);
    expect(await b.acquire('p')).toBe(true);
  });
});

describe('ProjectionRunner with leases: two runners sharing one read store', () => {
  let dir: string;
  let events: EmbeddedEventStore;
  let reads: EmbeddedReadStore;
  const runners: ProjectionRunner[] = [];

  const append = async (from: number, count: number) => {
    const writes = [];
    for (let n = from; n < from + count; n++) {
      writes.push(events.appendToStream(`count-${n % 5}`, [{ id: randomUUID(), type: 'Counted', data: { n }, metadata }], { expectedRevision: 'any' }));
    }
    const results = await Promise.all(writes);
    return results[results.length - 1].position;
  };
  const until = (condition: () => Promise<boolean> | boolean, timeoutMs = 10_000) =>
    eventually(condition, { timeoutMs, what: 'condition not reached', pollMs: 20 });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kp-leased-runners-'));
    events = EmbeddedEventStore.open({ dataDir: dir });
    reads = await EmbeddedReadStore.open({ dataDir: dir });
  });
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
    await reads.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs each projection in exactly one runner; a clean stop hands them over before the leases expire', async () => {
    const ttl = 3_000;
    const applied = new Map<string, number>();
    const names = ['one', 'two', 'three', 'four'];
    const projections = (runner: string) => names.map((n) => counting(n, applied, () => runner));
    const a = new ProjectionRunner(events, reads, new Leases(reads, 'a', ttl));
    const b = new ProjectionRunner(events, reads, new Leases(reads, 'b', ttl));
    runners.push(b);
    await a.start(projections('a'));
    await b.start(projections('b'));

    const head = await append(0, 200);
    await until(() => a.status().every((s) => BigInt(s.position) >= head));
    // The first runner to start took every lease; the second keeps them all on standby.
    expect(a.status().map((s) => s.state)).toEqual(['running', 'running', 'running', 'running']);
    expect(b.status().map((s) => s.state)).toEqual(['standby', 'standby', 'standby', 'standby']);
    expect(applied.get('a')).toBe(800);
    expect(applied.get('b')).toBeUndefined();
    expect([a.runsAll, b.runsAll]).toEqual([true, false]);

    await a.stop();
    const more = await append(200, 100);
    // b takes them at its next renewal (a third of the lease), not when the leases would have expired.
    const stopped = Date.now();
    await until(() => b.status().every((s) => s.state === 'running' && BigInt(s.position) >= more), ttl);
    expect(Date.now() - stopped).toBeLessThan(ttl);
    expect(applied.get('b')).toBe(400);
    for (const n of names) expect(await reads.collection(`${n}_docs`).count({})).toBe(300);
    expect(b.runsAll).toBe(true);
  });

  it('takes over from a holder that died only once its lease has expired, from the stored checkpoint', async () => {
    const ttl = 2_000;
    const applied = new Map<string, number>();
    const first = new ProjectionRunner(events, reads, new Leases(reads, 'first', ttl));
    await first.start([counting('solo', applied, () => 'first')]);
    const head = await append(0, 50);
    await until(() => BigInt(first.status()[0].position) >= head);
    await first.stop();
    // A holder that died without handing over: its lease stays until it expires.
    const diedAt = Date.now();
    await reads.collection(LEASES).replaceOne({ _id: 'solo' }, { _id: 'solo', owner: 'dead', expiresAt: diedAt + ttl, acquiredAt: new Date(diedAt).toISOString() }, { upsert: true });

    const b = new ProjectionRunner(events, reads, new Leases(reads, 'b', ttl));
    runners.push(b);
    await b.start([counting('solo', applied, () => 'b')]);
    expect(b.status()[0].state).toBe('standby');
    const more = await append(50, 50);
    await until(() => b.status()[0].state === 'running' && BigInt(b.status()[0].position) >= more, 3 * ttl);
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(ttl);
    // From the checkpoint: the 50 events the first runner projected are not applied again.
    expect(applied.get('b')).toBe(50);
    expect(await reads.collection('solo_docs').count({})).toBe(100);
  });

  it('a holder whose lease runs out in the middle of a batch writes nothing after that, its checkpoint included', async () => {
    let clock = Date.now();
    const ttl = 60_000;
    let freezeAfterFirst = false;
    // Frozen past its lease right after the batch's first write (the clock jumps a whole lease).
    const store = afterEachBulkWrite(reads, (collection) => {
      if (freezeAfterFirst && collection === 'pair_first') clock += ttl;
    });
    const pair: Projection = {
      name: 'pair',
      version: 1,
      collections: { pair_first: [], pair_second: [] },
      eventTypes: ['Counted'],
      apply(event, ctx) {
        const id = String((event.data as { n: number }).n);
        ctx.collection('pair_first').replaceOne({ _id: id }, { _id: id }, { upsert: true });
        ctx.collection('pair_second').replaceOne({ _id: id }, { _id: id }, { upsert: true });
      },
    };
    const a = new ProjectionRunner(events, store, new Leases(reads, 'a', ttl, () => clock));
    runners.push(a);
    await a.start([pair]);
    const head = await append(0, 10);
    await until(() => BigInt(a.status()[0].position) >= head);
    const checkpoint = await reads.collection(CHECKPOINTS).findOne({ _id: 'pair' });

    freezeAfterFirst = true;
    await append(10, 10);
    await until(() => a.status()[0].state === 'standby');
    expect(await reads.collection('pair_first').count({})).toBeGreaterThan(10);
    expect(await reads.collection('pair_second').count({})).toBe(10);
    expect(await reads.collection(CHECKPOINTS).findOne({ _id: 'pair' })).toEqual(checkpoint);
  });

  it('a projection parked in the process holding its lease is resumed there when another process asks', async () => {
    let broken = true;
    const fragile = () => countedProjection('fragile', { failOn: (n) => broken && n === 3 });
    const a = new ProjectionRunner(events, reads, new Leases(reads, 'a', 1_500));
    const b = new ProjectionRunner(events, reads, new Leases(reads, 'b', 1_500));
    runners.push(a, b);
    await a.start([fragile()]);
    await b.start([fragile()]);
    const head = await append(0, 10);
    await until(() => a.status()[0].state === 'parked');
    expect(b.status()[0].state).toBe('standby');
    expect(b.resume('fragile')).toBe(false);

    broken = false;
    expect(await b.requestResume('fragile')).toBe(true);
    await until(() => a.status()[0].state === 'running' && BigInt(a.status()[0].position) >= head);
    expect(await reads.collection(CHECKPOINTS).findOne({ _id: 'fragile' })).not.toHaveProperty('resumeRequested');
    // Not parked any more: nothing to ask for.
    expect(await b.requestResume('fragile')).toBe(false);
  }, 15_000);
});

/** The store, calling `written` after each bulk write of a collection (to stage what happens between two). */
function afterEachBulkWrite(store: ReadStore, written: (collection: string) => void): ReadStore {
  return {
    collection: <T extends Doc = Doc>(name: string) => {
      const collection = store.collection<T>(name);
      return new Proxy(collection, {
        get(target, property) {
          if (property === 'bulkWrite') {
            return async (...args: Parameters<typeof collection.bulkWrite>) => {
              await target.bulkWrite(...args);
              written(name);
            };
          }
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
    health: () => store.health(),
    close: () => store.close(),
  };
}
