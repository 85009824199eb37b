import { randomUUID } from 'node:crypto';
import { EventMetadata } from '@kundportal/kernel';
import {
  EventStore,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';

export type EventStoreFactory = () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>;

/** Generous: the same suite runs against a remote server. */
const TEST_TIMEOUT_MS = 20_000;
const WAIT_MS = 10_000;

/**
 * The behaviour every EventStore adapter must have. Each test gets a store from `factory`
 * (`cleanup` closes it) and writes only to streams with a random suffix, and never assumes
 * it is alone in the log, so the suite also runs against a shared real server.
 */
export function describeEventStoreContract(adapterName: string, factory: EventStoreFactory): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });

    afterEach(async () => {
      await cleanup();
    });

    const test = (name: string, fn: () => Promise<void>) => it(name, fn, TEST_TIMEOUT_MS);

    describe('appendToStream', () => {
      test('no_stream creates the stream; revisions are 0-based bigints', async () => {
        const stream = streamName('create');
        const result = await store.appendToStream(stream, [event(), event()], { expectedRevision: 'no_stream' });

        expect(result.nextExpectedRevision).toBe(1n);
        expect(typeof result.position).toBe('bigint');
        const read = await store.readStream(stream);
        expect(read.map((e) => e.revision)).toEqual([0n, 1n]);
        expect(read.every((e) => typeof e.revision === 'bigint' && typeof e.position === 'bigint')).toBe(true);
      });

      test('no_stream fails on an existing stream', async () => {
        const stream = streamName('exists');
        await store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });

        const error = await wrongRevision(store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' }));
        expect(error).toMatchObject({ streamId: stream, expected: 'no_stream', actual: 0n });
      });

      test('stream_exists succeeds on an existing stream and fails on a missing one', async () => {
        const stream = streamName('stream-exists');
        const missing = await wrongRevision(
          store.appendToStream(stream, [event()], { expectedRevision: 'stream_exists' }),
        );
        expect(missing).toMatchObject({ streamId: stream, expected: 'stream_exists', actual: 'no_stream' });

        await store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });
        const result = await store.appendToStream(stream, [event()], { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      test('any succeeds on a missing and on an existing stream', async () => {
        const stream = streamName('any');
        expect((await store.appendToStream(stream, [event()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(
          0n,
        );
        expect((await store.appendToStream(stream, [event()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(
          1n,
        );
      });

      test('an exact revision succeeds when it is the current one and fails otherwise', async () => {
        const stream = streamName('exact');
        const onMissing = await wrongRevision(store.appendToStream(stream, [event()], { expectedRevision: 0n }));
        expect(onMissing).toMatchObject({ streamId: stream, expected: 0n, actual: 'no_stream' });

        await store.appendToStream(stream, [event(), event()], { expectedRevision: 'no_stream' });
        const result = await store.appendToStream(stream, [event()], { expectedRevision: 1n });
        expect(result.nextExpectedRevision).toBe(2n);

        const behind = await wrongRevision(store.appendToStream(stream, [event()], { expectedRevision: 1n }));
        expect(behind).toMatchObject({ streamId: stream, expected: 1n, actual: 2n });
        const ahead = await wrongRevision(store.appendToStream(stream, [event()], { expectedRevision: 5n }));
        expect(ahead).toMatchObject({ expected: 5n, actual: 2n });
      });

      test('a rejected append writes nothing', async () => {
        const stream = streamName('rejected');
        await store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });
        await wrongRevision(store.appendToStream(stream, [event(), event()], { expectedRevision: 7n }));

        expect(await store.readStream(stream)).toHaveLength(1);
      });

      test('answers with the position of the last event written', async () => {
        const stream = streamName('append-position');
        const result = await store.appendToStream(stream, [event(), event(), event()], {
          expectedRevision: 'no_stream',
        });

        const read = await store.readStream(stream);
        expect(result.nextExpectedRevision).toBe(2n);
        expect(result.position).toBe(read[2].position);
      });
    });

    describe('readStream', () => {
      test('a missing stream reads as an empty array', async () => {
        expect(await store.readStream(streamName('missing'))).toEqual([]);
      });

      test('reads in revision order, from an inclusive revision, up to maxCount', async () => {
        const stream = streamName('read');
        const written = [event(), event(), event(), event(), event()];
        await store.appendToStream(stream, written, { expectedRevision: 'no_stream' });

        const all = await store.readStream(stream);
        expect(all.map((e) => e.id)).toEqual(written.map((e) => e.id));
        expect(all.every((e) => e.streamId === stream)).toBe(true);
        expectStrictlyIncreasing(all.map((e) => e.position));

        const fromTwo = await store.readStream(stream, { fromRevision: 2n });
        expect(fromTwo.map((e) => e.revision)).toEqual([2n, 3n, 4n]);
        const window = await store.readStream(stream, { fromRevision: 1n, maxCount: 2 });
        expect(window.map((e) => e.id)).toEqual([written[1].id, written[2].id]);
        expect(await store.readStream(stream, { maxCount: 1 })).toHaveLength(1);
        expect(await store.readStream(stream, { fromRevision: 5n })).toEqual([]);
      });
    });

    describe('readAll', () => {
      test('reads the global log in order, strictly after `after`', async () => {
        const head = await store.headPosition();
        const a = streamName('all-a');
        const b = streamName('all-b');
        const a1 = event();
        const b1 = event();
        const a2 = event();
        await store.appendToStream(a, [a1], { expectedRevision: 'no_stream' });
        await store.appendToStream(b, [b1], { expectedRevision: 'no_stream' });
        await store.appendToStream(a, [a2], { expectedRevision: 0n });

        const read = await store.readAll({ after: head, maxCount: 1000 });
        expect(read.every((e) => e.position > head)).toBe(true);
        expectStrictlyIncreasing(read.map((e) => e.position));
        const ours = read.filter((e) => e.streamId === a || e.streamId === b);
        expect(ours.map((e) => e.id)).toEqual([a1.id, b1.id, a2.id]);
        expect(ours.map((e) => e.revision)).toEqual([0n, 0n, 1n]);

        const afterFirst = await store.readAll({ after: ours[0].position, maxCount: 1 });
        expect(afterFirst).toHaveLength(1);
        expect(afterFirst[0]).toEqual(read[read.indexOf(ours[0]) + 1]);
      });

      test('maxCount limits a page; pages continue from the last position without gaps or repeats', async () => {
        const head = await store.headPosition();
        const stream = streamName('pages');
        const written = [event(), event(), event(), event(), event()];
        await store.appendToStream(stream, written, { expectedRevision: 'no_stream' });

        const firstPage = await store.readAll({ after: head, maxCount: 2 });
        expect(firstPage).toHaveLength(2);
        expect(firstPage).toEqual((await store.readAll({ after: head, maxCount: 1000 })).slice(0, 2));

        const seen: RecordedEvent[] = [];
        let cursor = head;
        for (let pages = 0; pages < 500 && seen.filter((e) => e.streamId === stream).length < written.length; pages++) {
          const page = await store.readAll({ after: cursor, maxCount: 2 });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(2);
          seen.push(...page);
          cursor = page[page.length - 1].position;
        }
        expectStrictlyIncreasing(seen.map((e) => e.position));
        expect(seen.filter((e) => e.streamId === stream).map((e) => e.id)).toEqual(written.map((e) => e.id));
      });

      test('without options reads from the start of the log, in order', async () => {
        await store.appendToStream(streamName('from-start'), [event()], { expectedRevision: 'no_stream' });
        const read = await store.readAll();
        expect(read.length).toBeGreaterThan(0);
        expectStrictlyIncreasing(read.map((e) => e.position));
        expect(await store.readAll({ maxCount: 1 })).toEqual([read[0]]);
      });

      test('positions grow strictly across streams, and each append answers with its own', async () => {
        const head = await store.headPosition();
        const streams = [streamName('pos-a'), streamName('pos-b'), streamName('pos-c')];
        const revisions = new Map<string, ExpectedRevision>();
        const positions: bigint[] = [];
        for (let i = 0; i < 9; i++) {
          const stream = streams[i % streams.length];
          const result = await store.appendToStream(stream, [event()], {
            expectedRevision: revisions.get(stream) ?? 'no_stream',
          });
          revisions.set(stream, result.nextExpectedRevision);
          positions.push(result.position);
        }
        expectStrictlyIncreasing(positions);

        const read = await store.readAll({ after: head, maxCount: 1000 });
        const ours = read.filter((e) => streams.includes(e.streamId));
        expect(ours.map((e) => e.position)).toEqual(positions);
      });
    });

    describe('subscribeToAll', () => {
      test('catches up from `after`, then delivers later appends live, in order, once each', async () => {
        const head = await store.headPosition();
        const x = streamName('sub-x');
        const y = streamName('sub-y');
        const before = [event(), event()];
        await store.appendToStream(x, [before[0]], { expectedRevision: 'no_stream' });
        await store.appendToStream(y, [before[1]], { expectedRevision: 'no_stream' });

        const collector = new Collector(
          store.subscribeToAll({ after: head }),
          (e) => e.streamId === x || e.streamId === y,
        );
        await collector.waitFor(2);

        const later = [event(), event(), event()];
        await store.appendToStream(x, [later[0]], { expectedRevision: 0n });
        await store.appendToStream(y, [later[1], later[2]], { expectedRevision: 0n });
        await collector.waitFor(5);
        await collector.stop();

        expect(collector.events.map((e) => e.id)).toEqual([...before, ...later].map((e) => e.id));
        expectStrictlyIncreasing(collector.events.map((e) => e.position));
        expect(collector.events.every((e) => e.position > head)).toBe(true);
        expect(collector.error).toBeUndefined();
      });

      test('starts strictly after `after`', async () => {
        const stream = streamName('sub-after');
        const written = [event(), event(), event()];
        await store.appendToStream(stream, written, { expectedRevision: 'no_stream' });
        const [first] = await store.readStream(stream, { maxCount: 1 });

        const collector = new Collector(store.subscribeToAll({ after: first.position }), (e) => e.streamId === stream);
        await collector.waitFor(2);
        await collector.stop();
        expect(collector.events.map((e) => e.id)).toEqual([written[1].id, written[2].id]);
      });

      test('without `after` starts at the beginning of the log', async () => {
        await store.appendToStream(streamName('sub-start'), [event()], { expectedRevision: 'no_stream' });
        const start = await store.readAll({ maxCount: 3 });

        const collector = new Collector(store.subscribeToAll(), () => true);
        await collector.waitFor(start.length);
        await collector.stop();
        expect(collector.events.slice(0, start.length)).toEqual(start);
      });

      test('unsubscribe ends the iteration of a waiting consumer', async () => {
        const collector = new Collector(store.subscribeToAll({ after: await store.headPosition() }), () => true);
        await new Promise((r) => setTimeout(r, 100));

        await collector.stop();
        expect(collector.ended).toBe(true);
        expect(collector.error).toBeUndefined();
      });

      test('breaking out of for-await ends the subscription', async () => {
        const head = await store.headPosition();
        const stream = streamName('sub-break');
        const written = [event(), event()];
        await store.appendToStream(stream, written, { expectedRevision: 'no_stream' });

        const subscription = store.subscribeToAll({ after: head });
        let received: RecordedEvent | undefined;
        for await (const e of subscription) {
          if (e.streamId !== stream) continue;
          received = e;
          break;
        }
        expect(received?.id).toBe(written[0].id);
        await subscription.unsubscribe();
      });
    });

    describe('idempotent retries', () => {
      test('the same event ids with no_stream again: answered as the first time, stored once', async () => {
        const head = await store.headPosition();
        const stream = streamName('retry-no-stream');
        const events = [event(), event()];
        const first = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        const retry = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });

        expect(retry).toEqual(first);
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual(events.map((e) => e.id));
        const inLog = (await store.readAll({ after: head, maxCount: 1000 })).filter((e) => e.streamId === stream);
        expect(inLog).toHaveLength(2);
      });

      test('the same event ids with an exact revision again: answered as the first time', async () => {
        const stream = streamName('retry-exact');
        await store.appendToStream(stream, [event(), event()], { expectedRevision: 'no_stream' });
        const events = [event()];
        const first = await store.appendToStream(stream, events, { expectedRevision: 1n });
        const retry = await store.appendToStream(stream, events, { expectedRevision: 1n });

        expect(retry).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      test('a retry after later appends still answers as the first time', async () => {
        const stream = streamName('retry-late');
        const events = [event()];
        const first = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, [event()], { expectedRevision: 0n });
        const retry = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });

        expect(retry).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      test('the same append twice at once: stored once, both answered alike', async () => {
        const stream = streamName('retry-together');
        const events = [event(), event()];
        const [first, retry] = await Promise.all([
          store.appendToStream(stream, events, { expectedRevision: 'any' }),
          store.appendToStream(stream, events, { expectedRevision: 'any' }),
        ]);

        expect(retry).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      test('the same event ids with any again: stored once', async () => {
        const stream = streamName('retry-any');
        const events = [event(), event()];
        const first = await store.appendToStream(stream, events, { expectedRevision: 'any' });
        const retry = await store.appendToStream(stream, events, { expectedRevision: 'any' });

        expect(retry).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('concurrency', () => {
      test('concurrent appends with the same expected revision: exactly one wins', async () => {
        const stream = streamName('race');
        await store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });

        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.appendToStream(stream, [event()], { expectedRevision: 0n })),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes) {
          if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      test('concurrent no_stream appends to one stream (a reservation): exactly one wins', async () => {
        const stream = streamName('reservation');
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' })),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      test('many concurrent appends to different streams all succeed', async () => {
        const head = await store.headPosition();
        const streams = Array.from({ length: 40 }, (_, i) => streamName(`fan-out-${i}`));
        const results = await Promise.all(
          streams.map((s) => store.appendToStream(s, [event(), event()], { expectedRevision: 'no_stream' })),
        );

        expect(results.every((r) => r.nextExpectedRevision === 1n)).toBe(true);
        expect(new Set(results.map((r) => r.position)).size).toBe(streams.length);
        const names = new Set(streams);
        const ours = (await store.readAll({ after: head, maxCount: 1000 })).filter((e) => names.has(e.streamId));
        expect(ours).toHaveLength(streams.length * 2);
        expectStrictlyIncreasing(ours.map((e) => e.position));
      });
    });

    describe('headPosition and health', () => {
      test('headPosition is 0n on an empty log and the newest position after appends', async () => {
        if ((await store.readAll({ maxCount: 1 })).length === 0) {
          expect(await store.headPosition()).toBe(0n);
        }
        const stream = streamName('head');
        const result = await store.appendToStream(stream, [event(), event()], { expectedRevision: 'no_stream' });

        const head = await store.headPosition();
        expect(head).toBeGreaterThanOrEqual(result.position);
        if ((await store.readAll({ after: result.position, maxCount: 1 })).length === 0) {
          expect(head).toBe(result.position); // nobody else wrote meanwhile
        }
      });

      test('health is up', async () => {
        const health = await store.health();
        expect(health.status).toBe('up');
        expect(health.adapter).toEqual(expect.any(String));
      });
    });

    describe('round trip', () => {
      test('data and metadata come back exactly, through every read path', async () => {
        const head = await store.headPosition();
        const stream = streamName('round-trip');
        const data = {
          name: 'Åsa Öberg-Ähnlund',
          greeting: 'Hej! 👋🏽 こんにちは, ¿qué tal? — «ok» ✓',
          escapes: 'quote " backslash \\ newline \n tab \t nul-free \u2028',
          numbers: { int: 42, negative: -7, float: 3.25, big: 9007199254740991, zero: 0 },
          flags: [true, false, null],
          nested: { level1: { level2: { level3: [1, { deep: 'ja' }, [], {}] } } },
          empty: '',
          long: 'x'.repeat(10_000),
        };
        const metadata: EventMetadata = {
          actor: { id: 'account-1', name: 'Örjan Åkesson 🧑‍💻', method: 'bankid' },
          correlationId: randomUUID(),
          causationId: randomUUID(),
          occurredAt: '2025-03-01T12:34:56.789Z',
          schemaVersion: 2,
        };
        const written: EventToAppend = { id: randomUUID(), type: 'ÄrendeSkapat', data, metadata };
        await store.appendToStream(stream, [written], { expectedRevision: 'no_stream' });

        const expected = { id: written.id, streamId: stream, revision: 0n, type: 'ÄrendeSkapat', data, metadata };
        const [fromStream] = await store.readStream(stream);
        expect(fromStream).toMatchObject(expected);
        const fromAll = (await store.readAll({ after: head, maxCount: 1000 })).find((e) => e.streamId === stream);
        expect(fromAll).toEqual(fromStream);
        const collector = new Collector(store.subscribeToAll({ after: head }), (e) => e.streamId === stream);
        await collector.waitFor(1);
        await collector.stop();
        expect(collector.events[0]).toEqual(fromStream);
      });
    });
  });
}

/** Consumes a subscription the way production code does, with `for await`, recording what arrives. */
export class Collector {
  readonly events: RecordedEvent[] = [];
  ended = false;
  error: unknown;
  private readonly finished: Promise<void>;

  constructor(
    private readonly subscription: Subscription,
    accept: (event: RecordedEvent) => boolean,
  ) {
    this.finished = (async () => {
      try {
        for await (const e of subscription) if (accept(e)) this.events.push(e);
      } catch (error) {
        this.error = error;
      } finally {
        this.ended = true;
      }
    })();
  }

  /** Resolves once `count` accepted events have arrived; fails after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = WAIT_MS): Promise<RecordedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      if (this.ended)
        throw new Error(`Subscription ended after ${this.events.length} of ${count} events: ${String(this.error)}`);
      if (Date.now() > deadline) throw new Error(`Timed out with ${this.events.length} of ${count} events`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.events;
  }

  /** Unsubscribes and waits until the consumer's loop has ended. */
  async stop(timeoutMs = WAIT_MS): Promise<void> {
    await this.subscription.unsubscribe();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('The iteration did not end after unsubscribe')), timeoutMs);
    });
    try {
      await Promise.race([this.finished, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export function streamName(label: string): string {
  return `contract_${label}-${randomUUID()}`;
}

export function event(type = 'ContractEventRecorded', data: unknown = { note: randomUUID() }): EventToAppend {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      actor: { id: 'system', name: 'Kundportal' },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: '2025-01-01T00:00:00.000Z',
      schemaVersion: 1,
    },
  };
}

async function wrongRevision(append: Promise<unknown>): Promise<WrongExpectedRevisionError> {
  try {
    await append;
  } catch (error) {
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    return error as WrongExpectedRevisionError;
  }
  throw new Error('Expected the append to fail with WrongExpectedRevisionError, but it succeeded');
}

function expectStrictlyIncreasing(positions: bigint[]): void {
  for (let i = 1; i < positions.length; i++) {
    if (positions[i] <= positions[i - 1]) {
      throw new Error(`Positions not strictly increasing at ${i}: ${positions[i - 1]} then ${positions[i]}`);
    }
  }
}
