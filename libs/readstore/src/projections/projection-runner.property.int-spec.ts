import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import { EmbeddedEventStore } from '@kundportal/eventstore';
import { eventually } from '@kundportal/kernel/testing';
import { EmbeddedReadStore } from '../embedded/embedded-read-store';
import { observedLog } from '../testing/observed-log';
import { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

/**
 * The runner under random interleavings of appends, projections failing and being resumed (at
 * once, or while the feed is in the middle of reading a batch), and restarts from the
 * checkpoints. Whatever happened, once every fault is fixed each projection has applied every
 * event: a projection that skipped one (fed a batch from past its own checkpoint) is missing its
 * document at the end.
 */

const metadata = { actor: { id: 'a', name: 'A' }, correlationId: 'c', causationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 };
const NAMES = ['p0', 'p1', 'p2'] as const;

type Step =
  | { kind: 'append'; count: number }
  | { kind: 'break'; which: number }
  | { kind: 'resume'; which: number; settled: boolean; duringRead: boolean }
  | { kind: 'restart' }
  | { kind: 'settle' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('break' as const), which: fc.integer({ min: 0, max: NAMES.length - 1 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('resume' as const),
      which: fc.integer({ min: 0, max: NAMES.length - 1 }),
      settled: fc.boolean(),
      duringRead: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' as const }) },
);

interface Counter extends Projection {
  failOn?: (n: number) => boolean;
}

function counter(name: string): Counter {
  const projection: Counter = {
    name,
    version: 1,
    collections: { [`${name}_docs`]: [] },
    eventTypes: ['Counted'],
    apply(event, ctx) {
      const n = (event.data as { n: number }).n;
      if (projection.failOn?.(n)) throw new Error(`cannot count ${n}`);
      ctx.collection(`${name}_docs`).replaceOne({ _id: String(n) }, { _id: String(n), n }, { upsert: true });
    },
  };
  return projection;
}

async function play(steps: Step[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kp-runner-prop-'));
  const events = EmbeddedEventStore.open({ dataDir: dir });
  const reads = EmbeddedReadStore.inMemory();
  const log = observedLog(events);
  const projections = NAMES.map(counter);
  let runner = new ProjectionRunner(log.store, reads);
  let next = 0;
  const settle = async () => {
    const head = await events.headPosition();
    await eventually(async () => runner.status().every((p) => p.state === 'parked' || BigInt(p.position) >= head) || undefined, {
      timeoutMs: 5_000,
      what: 'every projection parked or at the head',
    });
  };
  try {
    await runner.start(projections);
    for (const s of steps) {
      switch (s.kind) {
        case 'append': {
          const writes = [];
          for (let i = 0; i < s.count; i++) {
            const n = next++;
            writes.push(events.appendToStream(`count-${n % 4}`, [{ id: randomUUID(), type: 'Counted', data: { n }, metadata }], { expectedRevision: 'any' }));
            writes.push(events.appendToStream('noise', [{ id: randomUUID(), type: 'Other', data: {}, metadata }], { expectedRevision: 'any' }));
          }
          await Promise.all(writes);
          break;
        }
        case 'break': {
          const from = next;
          projections[s.which].failOn ??= (n) => n === from;
          break;
        }
        case 'resume': {
          if (s.settled) await settle();
          // A parked one if there is any (resuming a running one does nothing).
          const parked = runner.status().filter((p) => p.state === 'parked');
          const name = parked.length > 0 ? parked[s.which % parked.length].name : NAMES[s.which];
          const projection = projections[NAMES.indexOf(name as (typeof NAMES)[number])];
          projection.failOn = undefined;
          if (s.duringRead) log.onNextRead(() => runner.resume(projection.name));
          else runner.resume(projection.name);
          break;
        }
        case 'restart':
          await runner.stop();
          runner = new ProjectionRunner(log.store, reads);
          await runner.start(projections);
          break;
        case 'settle':
          await settle();
          break;
      }
    }
    // Every fault fixed: each projection catches up and holds one document per event.
    await settle();
    log.clear();
    for (const projection of projections) {
      projection.failOn = undefined;
      runner.resume(projection.name);
    }
    const head = await events.headPosition();
    expect(await runner.waitFor(head, 5_000)).toBe(true);
    const all = Array.from({ length: next }, (_, n) => n);
    for (const name of NAMES) {
      const counted = (await reads.collection(`${name}_docs`).find({}, { sort: { n: 1 } })).map((d) => d.n);
      expect({ name, counted }).toEqual({ name, counted: all });
    }
  } finally {
    await runner.stop();
    await reads.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ProjectionRunner under random faults, resumes and restarts (property)', () => {
  // Every run parks projections on purpose: their error logs would only bury the result.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new Logger()));

  it('applies every event to every projection once its faults are fixed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), (steps) => play(steps)),
      { numRuns: 60 },
    );
  }, 60_000);
});
