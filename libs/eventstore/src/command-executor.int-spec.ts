import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { CommandContext, Decider, DomainError } from '@kundportal/kernel';
import { CommandExecutor } from './command-executor';
import { EmbeddedEventStore } from './embedded/embedded-event-store';
import { AppendResult, EventStore, EventToAppend, ExpectedRevision } from './event-store.port';

/** A tally that takes numbered entries in order and refuses a number out of turn, and anything once closed. */
type TallyCommand = { type: 'Add'; n: number } | { type: 'Close' } | { type: 'Touch' };
type TallyEvent = { type: 'Added'; data: { n: number } } | { type: 'Closed'; data: Record<string, never> };
interface TallyState {
  next: number;
  closed: boolean;
}

const tally: Decider<TallyCommand, TallyEvent, TallyState> = {
  initialState: () => ({ next: 0, closed: false }),
  decide(command, state) {
    if (command.type === 'Touch') return [];
    if (state.closed) throw DomainError.conflict('TALLY_CLOSED', 'The tally is closed.');
    if (command.type === 'Close') return [{ type: 'Closed', data: {} }];
    if (command.n !== state.next) throw DomainError.conflict('OUT_OF_TURN', `Expected ${state.next}, got ${command.n}.`);
    return [{ type: 'Added', data: { n: command.n } }];
  },
  evolve(state, event) {
    return event.type === 'Added' ? { ...state, next: event.data.n + 1 } : { ...state, closed: true };
  },
};

const context = (): CommandContext => ({
  actor: { id: 'tester', name: 'Tester' },
  correlationId: randomUUID(),
  commandId: randomUUID(),
  now: new Date('2026-01-01T00:00:00.000Z'),
});

/** Counts the appends that reach the store, and runs a test's action just before a given one. */
class CountingStore {
  appends = 0;
  reads = 0;
  readonly before = new Map<number, () => Promise<void>>();
  readonly after = new Map<number, () => Promise<void>>();

  constructor(readonly inner: EventStore) {}

  wrap(): EventStore {
    return new Proxy(this.inner, {
      get: (target, key) => {
        if (key === 'readStream') this.reads++;
        if (key !== 'appendToStream') {
          const value = Reflect.get(target, key) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return async (streamId: string, events: EventToAppend[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> => {
          const n = ++this.appends;
          await this.before.get(n)?.();
          const result = await target.appendToStream(streamId, events, options);
          await this.after.get(n)?.();
          return result;
        };
      },
    });
  }
}

describe('CommandExecutor (embedded event log)', () => {
  let dir: string;
  let store: EmbeddedEventStore;
  let counting: CountingStore;
  let executor: CommandExecutor;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kp-executor-'));
    store = EmbeddedEventStore.open({ dataDir: dir });
    counting = new CountingStore(store);
    executor = new CommandExecutor(counting.wrap());
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decides commands arriving together on one stream one after another, each on the state the previous left, in few appends', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, (_, n) => executor.execute(tally, 'tally-1', { type: 'Add', n }, context())));
    const stored = await store.readStream('tally-1');
    expect(stored.map((e) => (e.data as { n: number }).n)).toEqual(Array.from({ length: 200 }, (_, n) => n));
    // Each answer holds the revision its own events reached, and a position at which they are in the log.
    answers.forEach((answer, n) => {
      expect(answer.revision).toBe(BigInt(n));
      expect(answer.position).toBeGreaterThanOrEqual(stored[n].position);
      expect(answer.state).toEqual({ next: n + 1, closed: false });
    });
    // The first command is written alone; the others queue behind it and share appends.
    expect(counting.appends).toBeLessThanOrEqual(1 + Math.ceil(199 / 100) + 1);
  });

  it('refuses a command decided on an earlier command of the same batch, and answers it only once that batch is stored', async () => {
    await executor.execute(tally, 'tally-2', { type: 'Add', n: 0 }, context());
    const order: string[] = [];
    const close = executor.execute(tally, 'tally-2', { type: 'Close' }, context()).then(() => order.push('closed'));
    const late = executor.execute(tally, 'tally-2', { type: 'Add', n: 1 }, context()).catch((error: DomainError) => order.push(`refused ${error.code}`));
    const touch = executor.execute(tally, 'tally-2', { type: 'Touch' }, context()).then((a) => order.push(`nothing to do at ${a.revision}`));
    await Promise.all([close, late, touch]);
    expect(order).toEqual(['closed', 'refused TALLY_CLOSED', 'nothing to do at 1']);
    expect((await store.readStream('tally-2')).map((e) => e.type)).toEqual(['Added', 'Closed']);
  });

  it('decides the whole batch again when another process wrote to the stream in between', async () => {
    const other = new CommandExecutor(store);
    await executor.execute(tally, 'tally-3', { type: 'Add', n: 0 }, context());
    // Append 3 carries the batch [2, 3], decided on the state this process kept; another process writes 2 first.
    counting.before.set(3, async () => void (await other.execute(tally, 'tally-3', { type: 'Add', n: 2 }, context())));
    const results = await Promise.allSettled([1, 2, 3].map((n) => executor.execute(tally, 'tally-3', { type: 'Add', n }, context())));
    // Decided again on the other process's write: 2 is taken (refused), 3 now follows it.
    expect(results[0]).toMatchObject({ status: 'fulfilled' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ code: 'OUT_OF_TURN' }) });
    expect(results[2]).toMatchObject({ status: 'fulfilled', value: expect.objectContaining({ revision: 3n }) });
    expect((await store.readStream('tally-3')).map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2, 3]);
  });

  it('decides a batch of refusals again on the stream as it is, not on the state kept from its last write', async () => {
    const other = new CommandExecutor(store);
    await executor.execute(tally, 'tally-7', { type: 'Add', n: 0 }, context());
    // Right after this process wrote 1, another writes 2; 3, queued meanwhile, follows 2 and is no refusal.
    counting.after.set(2, async () => void (await other.execute(tally, 'tally-7', { type: 'Add', n: 2 }, context())));
    const [one, three] = await Promise.all([1, 3].map((n) => executor.execute(tally, 'tally-7', { type: 'Add', n }, context())));
    expect([one.revision, three.revision]).toEqual([1n, 3n]);
    expect((await store.readStream('tally-7')).map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2, 3]);
  });

  it('fails every command of a batch whose append failed, writes none of them, and goes on with the next', async () => {
    await executor.execute(tally, 'tally-4', { type: 'Add', n: 0 }, context());
    counting.before.set(3, () => Promise.reject(new Error('disk full')));
    const results = await Promise.allSettled([1, 2, 3].map((n) => executor.execute(tally, 'tally-4', { type: 'Add', n }, context())));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('disk full');
    expect((await executor.execute(tally, 'tally-4', { type: 'Add', n: 2 }, context())).revision).toBe(2n);
    expect((await store.readStream('tally-4')).map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2]);
  });

  it('keeps streams apart: a refusal on one stream does not touch another', async () => {
    const [a, b] = await Promise.allSettled([
      executor.execute(tally, 'tally-5', { type: 'Add', n: 1 }, context()),
      executor.execute(tally, 'tally-6', { type: 'Add', n: 0 }, context()),
    ]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('fulfilled');
  });

  it('decides a command on a stream it has just named at random without reading the log', async () => {
    const answer = await executor.execute(tally, 'tally-8', { type: 'Add', n: 0 }, context(), { newStream: true });
    expect(answer.revision).toBe(0n);
    expect(counting.reads).toBe(0);
    expect((await store.readStream('tally-8')).map((e) => (e.data as { n: number }).n)).toEqual([0]);
  });

  it('reads a stream taken to be new that exists after all, and decides again on it', async () => {
    const other = new CommandExecutor(store);
    await other.execute(tally, 'tally-9', { type: 'Add', n: 0 }, context());
    // Decided on the empty state this writes 0 again: the append expects no stream and conflicts.
    await expect(executor.execute(tally, 'tally-9', { type: 'Add', n: 0 }, context(), { newStream: true })).rejects.toMatchObject({ code: 'OUT_OF_TURN' });
    // Refused on the empty state (1 is out of turn there): no append confirms that, so it is read and decided again.
    expect((await executor.execute(tally, 'tally-9', { type: 'Add', n: 1 }, context(), { newStream: true })).revision).toBe(1n);
    expect((await store.readStream('tally-9')).map((e) => (e.data as { n: number }).n)).toEqual([0, 1]);
  });
});
