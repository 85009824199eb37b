import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError } from '../event-store.port';
import { EmbeddedEventStore } from './embedded-event-store';

const metadata = { actor: { id: 'a', name: 'A' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 };
const event = (n: number) => ({ id: randomUUID(), type: 'Happened', data: { n }, metadata });

describe('EmbeddedEventStore specifics', () => {
  let dir: string;
  let store: EmbeddedEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kp-log-'));
    store = EmbeddedEventStore.open({ dataDir: dir });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shares durable commits between concurrent appends (group commit)', async () => {
    await Promise.all(Array.from({ length: 500 }, (_, n) => store.appendToStream(`s-${n}`, [event(n)], { expectedRevision: 'no_stream' })));
    expect(store.stats.appends).toBe(500);
    expect(store.stats.commits).toBeLessThanOrEqual(5);
  });

  it('fails one append of a batch without touching its batch-mates, and leaves no trace of it', async () => {
    await store.appendToStream('taken', [event(0)], { expectedRevision: 'no_stream' });
    const duplicateId = randomUUID();
    const results = await Promise.allSettled([
      store.appendToStream('a', [event(1)], { expectedRevision: 'no_stream' }),
      store.appendToStream('taken', [event(2)], { expectedRevision: 'no_stream' }),
      // The second event reuses an id already in this append: the insert fails half-way.
      store.appendToStream('b', [{ ...event(3), id: duplicateId }, { ...event(4), id: duplicateId }], { expectedRevision: 'no_stream' }),
      store.appendToStream('c', [event(5)], { expectedRevision: 'no_stream' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readStream('b')).toEqual([]);
    expect((await store.readAll()).map((e) => e.streamId)).toEqual(['taken', 'a', 'c']);
  });

  it('keeps every acknowledged append across a reopen', async () => {
    const acknowledged = await Promise.all(Array.from({ length: 50 }, (_, n) => store.appendToStream('s', [event(n)], { expectedRevision: 'any' })));
    await store.close();
    store = EmbeddedEventStore.open({ dataDir: dir });
    expect(await store.headPosition()).toBe(acknowledged[acknowledged.length - 1].position);
    expect((await store.readStream('s')).map((e) => (e.data as { n: number }).n)).toEqual(Array.from({ length: 50 }, (_, n) => n));
  });
});
