import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import { EmbeddedEventStore, EventStore } from '@kundportal/eventstore';
import { eventually } from '@kundportal/kernel/testing';
import { EmbeddedReadStore } from '../embedded/embedded-read-store';
import { countedProjection } from '../testing/counted-projection';
import { observedLog } from '../testing/observed-log';
import { Leases } from './leases';
import { ProjectionRunner } from './projection-runner';

/**
 * The runner under random interleavings of appends, projections failing and being resumed (at
 * once, or while the feed is in the middle of reading a batch), and restarts from the
 * checkpoints. Whatever happened, once every fault is fixed each projection has applied every
 * event: a projection that skipped one (fed a batch from past its own checkpoint) is missing its
 * document at the end. And runners sharing one read store under leases, stopped with a hand-over
 * or dying without one, and started again: at the end each projection runs in exactly one of
 * them, with every event applied.
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

/** Counted events n = from … from+count-1, each followed by an event no projection handles; concurrent, so group-committed. */
async function appendCounted(events: EventStore, from: number, count: number): Promise<void> {
  const writes = [];
  for (let n = from; n < from + count; n++) {
    writes.push(events.appendToStream(`count-${n % 4}`, [{ id: randomUUID(), type: 'Counted', data: { n }, metadata }], { expectedRevision: 'any' }));
    writes.push(events.appendToStream('noise', [{ id: randomUUID(), type: 'Other', data: {}, metadata }], { expectedRevision: 'any' }));
  }
  await Promise.all(writes);
}

async function play(steps: Step[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kp-runner-prop-'));
  const events = EmbeddedEventStore.open({ dataDir: dir });
  const reads = EmbeddedReadStore.inMemory();
  const log = observedLog(events);
  const projections = NAMES.map((name) => countedProjection(name));
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
        case 'append':
          await appendCounted(events, next, s.count);
          next += s.count;
          break;
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

  it('with leases, hands every projection over without losing an event, however the runners stop, die and start', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(leasedStep, { minLength: 1, maxLength: 8 }), (steps) => playLeased(steps)),
      { numRuns: 12 },
    );
  }, 90_000);
});

/** Short leases, so a runner that died is taken over within the run. */
const TTL_MS = 300;

type LeasedStep =
  | { kind: 'append'; count: number }
  | { kind: 'stop'; which: number; handOver: boolean }
  | { kind: 'start' }
  | { kind: 'settle' };

const leasedStep: fc.Arbitrary<LeasedStep> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('stop' as const), which: fc.nat(), handOver: fc.boolean() }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'start' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' as const }) },
);

/**
 * Runners sharing one read store, each under its own leases. A stop hands the leases over at once,
 * or (a process that died) leaves them to expire. At the end every projection runs in exactly one
 * runner, at the head, with a document for every event.
 */
async function playLeased(steps: LeasedStep[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kp-runner-leased-'));
  const events = EmbeddedEventStore.open({ dataDir: dir });
  const reads = EmbeddedReadStore.inMemory();
  const runners: ProjectionRunner[] = [];
  let started = 0;
  const start = async () => {
    const runner = new ProjectionRunner(events, reads, new Leases(reads, `runner-${started++}`, TTL_MS));
    runners.push(runner);
    await runner.start(NAMES.map((name) => countedProjection(name)));
  };
  let next = 0;
  try {
    await start();
    for (const s of steps) {
      switch (s.kind) {
        case 'append':
          await appendCounted(events, next, s.count);
          next += s.count;
          break;
        case 'stop': {
          if (runners.length === 0) break;
          const [runner] = runners.splice(s.which % runners.length, 1);
          // A process that dies hands nothing over: its leases stay until they expire.
          if (!s.handOver) Object.assign(runner, { leases: Object.assign(Object.create((runner as unknown as { leases: Leases }).leases), { release: async () => undefined }) });
          await runner.stop();
          break;
        }
        case 'start':
          await start();
          break;
        case 'settle':
          if (runners.length > 0) await settledLeased(runners, await events.headPosition());
          break;
      }
    }
    if (runners.length === 0) await start();
    await settledLeased(runners, await events.headPosition());
    const all = Array.from({ length: next }, (_, n) => n);
    for (const name of NAMES) {
      const counted = (await reads.collection(`${name}_docs`).find({}, { sort: { n: 1 } })).map((d) => d.n);
      expect({ name, counted }).toEqual({ name, counted: all });
    }
  } finally {
    for (const runner of runners) await runner.stop();
    await reads.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every projection running in exactly one of the runners, at the head. */
async function settledLeased(runners: ProjectionRunner[], head: bigint): Promise<void> {
  await eventually(
    async () => {
      for (const name of NAMES) {
        const states = runners.map((r) => r.status().find((p) => p.name === name)!);
        const running = states.filter((p) => p.state === 'running');
        if (running.length !== 1 || BigInt(running[0].position) < head) return undefined;
        if (states.some((p) => p.state !== 'running' && p.state !== 'standby')) return undefined;
      }
      return true;
    },
    { timeoutMs: 10 * TTL_MS, pollMs: 20, what: () => `every projection running in one runner at ${head}: ${JSON.stringify(runners.map((r) => r.status()))}` },
  );
}
