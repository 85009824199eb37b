import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { EmbeddedEventStore } from '@kundportal/eventstore';
import { eventually } from '@kundportal/kernel/testing';
import { EmbeddedReadStore } from '../embedded/embedded-read-store';
import { countedProjection } from '../testing/counted-projection';
import { observedLog } from '../testing/observed-log';
import type { IndexSpec } from '../read-store.port';
import { CHECKPOINTS, ProjectionRunner } from './projection-runner';

const metadata = { actor: { id: 'a', name: 'A' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 };

describe('ProjectionRunner (embedded stores)', () => {
  let dir: string;
  let events: EmbeddedEventStore;
  let reads: EmbeddedReadStore;
  let runner: ProjectionRunner;

  /** Appends Counted events n = from … from+count-1, each followed by an unrelated event; concurrent, so group-committed, in call order. */
  const append = async (from: number, count: number) => {
    const writes = [];
    for (let n = from; n < from + count; n++) {
      writes.push(events.appendToStream(`count-${n % 3}`, [{ id: randomUUID(), type: 'Counted', data: { n }, metadata }], { expectedRevision: 'any' }));
      // Other events move checkpoints without reaching handlers.
      writes.push(events.appendToStream('noise', [{ id: randomUUID(), type: 'Other', data: {}, metadata }], { expectedRevision: 'any' }));
    }
    const results = await Promise.all(writes);
    return results[results.length - 1].position;
  };
  const docs = (name: string) => reads.collection(`${name}_docs`).count({});
  const checkpoint = async (name: string) => (await reads.collection(CHECKPOINTS).findOne({ _id: name }))?.position;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kp-runner-'));
    events = EmbeddedEventStore.open({ dataDir: dir });
    reads = await EmbeddedReadStore.open({ dataDir: dir });
    runner = new ProjectionRunner(events, reads);
  });
  afterEach(async () => {
    await runner.stop();
    await reads.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('catches up, then follows live appends, and answers waitFor without polling', async () => {
    await append(0, 1200);
    const projection = countedProjection('a');
    await runner.start([projection]);
    const head = await events.headPosition();
    expect(await runner.waitFor(head, 5000)).toBe(true);
    expect(projection.seen).toHaveLength(1200);
    const live = append(1200, 10);
    const position = await live;
    expect(await runner.waitFor(position, 5000)).toBe(true);
    expect(projection.seen).toEqual(Array.from({ length: 1210 }, (_, i) => i));
    expect(await docs('a')).toBe(1210);
    expect(await checkpoint('a')).toBe(position.toString());
    expect(await runner.waitFor(position + 1000n, 50)).toBe(false);
  });

  it('resumes from its checkpoint after a restart', async () => {
    const first = countedProjection('b');
    await runner.start([first]);
    expect(await runner.waitFor(await append(0, 20), 5000)).toBe(true);
    await runner.stop();
    await append(20, 5);
    const second = countedProjection('b');
    runner = new ProjectionRunner(events, reads);
    await runner.start([second]);
    expect(await runner.waitFor(await events.headPosition(), 5000)).toBe(true);
    expect(second.seen).toEqual([20, 21, 22, 23, 24]);
  });

  it('parks a failing projection, keeps the others going, writes none of the failing event, and resumes after a fix', async () => {
    const broken = countedProjection('broken', { failOn: (n) => n === 5 });
    const healthy = countedProjection('healthy');
    await runner.start([broken, healthy]);
    const head = await append(0, 10);
    await new Promise((r) => setTimeout(r, 200));
    const status = Object.fromEntries(runner.status().map((s) => [s.name, s]));
    expect(status.healthy.state).toBe('running');
    expect(status.healthy.position).toBe(head.toString());
    expect(status.broken.state).toBe('parked');
    expect(status.broken.error).toMatchObject({ eventType: 'Counted', message: 'cannot count 5' });
    expect(broken.seen).toEqual([0, 1, 2, 3, 4]);
    expect(await reads.collection('broken_docs').findOne({ _id: '5' })).toBeNull();
    expect(await runner.waitFor(head, 100)).toBe(false);

    broken.failOn = undefined;
    expect(runner.resume('broken')).toBe(true);
    expect(await runner.waitFor(head, 5000)).toBe(true);
    expect(broken.seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('feeds a projection that joins behind the feed from its own checkpoint, not from where the feed has got to', async () => {
    // The feed reads the log through this wrapper; a hook runs as the feed asks for its next event.
    const log = observedLog(events);
    runner = new ProjectionRunner(log.store, reads);
    const late = countedProjection('late', { failOn: (n) => n === 5 });
    const steady = countedProjection('steady');
    await runner.start([late, steady]);
    const head = await append(0, 10);
    const state = (name: string) => runner.status().find((s) => s.name === name)!;
    await eventually(async () => (state('late').state === 'parked' && state('steady').position === head.toString()) || undefined, { timeoutMs: 4_000, what: 'late parked at 5, steady at the head' });

    // Resumed while the feed, already past 5 … 9, is in the middle of reading its next batch.
    late.failOn = undefined;
    let resumed = false;
    log.onNextRead(() => (resumed = runner.resume('late')));
    const more = await append(10, 3);
    expect(await runner.waitFor(more, 5000)).toBe(true);
    expect(resumed).toBe(true);
    expect(late.seen).toEqual(Array.from({ length: 13 }, (_, i) => i));
    expect(await docs('late')).toBe(13);
  });

  it('gives each collection the indexes its projection declares, dropping those it no longer does', async () => {
    const declared: IndexSpec[] = [{ keys: { n: 1 } }, { keys: { old: 1 } }];
    const before = { ...countedProjection('ix'), collections: { ix_docs: declared } };
    await runner.start([before]);
    await runner.stop();
    expect(reads.collection('ix_docs').indexSpecs().map((ix) => ix.name)).toEqual(['n_1', 'old_1']);

    runner = new ProjectionRunner(events, reads);
    await runner.start([countedProjection('ix')]);
    expect(reads.collection('ix_docs').indexSpecs().map((ix) => ix.name)).toEqual(['n_1']);
    await expect(new ProjectionRunner(events, reads).start([countedProjection('twice'), { ...countedProjection('other'), collections: { twice_docs: [] } }])).rejects.toThrow(
      'Collection twice_docs is declared by both twice and other',
    );
  });

  it('rebuilds a projection whose version changed, but never a reactor', async () => {
    await runner.start([countedProjection('c'), countedProjection('r', { reactor: true })]);
    expect(await runner.waitFor(await append(0, 5), 5000)).toBe(true);
    await runner.stop();
    const rebuilt = countedProjection('c', { version: 2 });
    const reactor = countedProjection('r', { reactor: true, version: 2 });
    runner = new ProjectionRunner(events, reads);
    await runner.start([rebuilt, reactor]);
    expect(await runner.waitFor(await events.headPosition(), 5000)).toBe(true);
    expect(rebuilt.seen).toEqual([0, 1, 2, 3, 4]);
    expect(reactor.seen).toEqual([]);
    expect(await docs('c')).toBe(5);
  });

  it('after a crash between the documents and the checkpoint, replays to the same read model as a full rebuild', async () => {
    // The checkpoint write fails once, right after the batch's documents were written: as if the
    // process died between the two. The runner starts again from the stored (older) checkpoint.
    let failures = 1;
    const flaky: typeof reads = Object.create(reads);
    flaky.collection = ((name: string) => {
      const real = reads.collection(name);
      if (name !== CHECKPOINTS) return real;
      return Object.assign(Object.create(real), {
        bulkWrite: (...args: Parameters<typeof real.bulkWrite>) => {
          if (failures-- > 0) return Promise.reject(new Error('killed before the checkpoint'));
          return real.bulkWrite(...args);
        },
      });
    }) as typeof reads.collection;
    const head = await append(0, 50);
    const crashed = countedProjection('d');
    runner = new ProjectionRunner(events, flaky);
    await runner.start([crashed]);
    expect(await runner.waitFor(head, 5000)).toBe(true);
    expect(crashed.seen.length).toBeGreaterThan(50); // the first batch was applied twice

    const rebuilt = EmbeddedReadStore.inMemory();
    const fresh = new ProjectionRunner(events, rebuilt);
    await fresh.start([countedProjection('d')]);
    expect(await fresh.waitFor(head, 5000)).toBe(true);
    await fresh.stop();
    const all = (store: typeof reads) => store.collection('d_docs').find({}, { sort: { n: 1 } });
    expect(await all(reads)).toEqual(await all(rebuilt));
  });
});
