import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandExecutor, EmbeddedEventStore } from '@kundportal/eventstore';
import { AppError, CommandContext, SYSTEM } from '@kundportal/kernel';
import { TicketNumbers } from './ticket-numbers';

const context = (): CommandContext => ({ actor: SYSTEM, now: new Date('2026-03-02T09:00:00.000Z'), correlationId: 'c', commandId: 'c' });
const numeric = (number: string) => Number(number.slice(2));
const allocateMany = (numbers: TicketNumbers, count: number) => Promise.all(Array.from({ length: count }, () => numbers.allocate(context())));
/** Allocates `count` numbers at once; refusals are counted by code rather than failing the first await, so a failure says how many. */
const allocateAll = async (numbers: TicketNumbers, count: number) => {
  const settled = await Promise.allSettled(Array.from({ length: count }, () => numbers.allocate(context())));
  const allocated: string[] = [];
  const refused: Record<string, number> = {};
  for (const outcome of settled) {
    if (outcome.status === 'fulfilled') allocated.push(outcome.value);
    else {
      const { statusCode, code } = outcome.reason as AppError;
      const key = code ? `${statusCode} ${code}` : String(outcome.reason);
      refused[key] = (refused[key] ?? 0) + 1;
    }
  }
  return { allocated, refused };
};
const range = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => first + i);

/** Ticket numbers on the embedded event log: unique within a process and across processes. */
describe('TicketNumbers (embedded event log)', () => {
  let dir: string;
  const stores: EmbeddedEventStore[] = [];
  /** A store on the shared data directory: each one its own SQLite connection, as another process would have. */
  const open = () => {
    const store = EmbeddedEventStore.open({ dataDir: dir });
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kp-ticket-numbers-'));
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The blocks taken from the `ticket-numbers` stream, in order. */
  const blocks = async (store: EmbeddedEventStore) =>
    (await store.readStream('ticket-numbers')).map((e) => {
      expect(e.type).toBe('TicketNumberBlockAllocated');
      return e.data as { first: number; last: number };
    });
  /** The blocks follow each other without gaps or overlaps, from T-1001. */
  const expectContiguous = (taken: { first: number; last: number }[]) => {
    let next = 1001;
    for (const block of taken) {
      expect(block.first).toBe(next);
      expect(block.last).toBeGreaterThanOrEqual(block.first);
      next = block.last + 1;
    }
  };

  it('numbers look like T-<int> and start at T-1001', async () => {
    const numbers = new TicketNumbers(new CommandExecutor(open()));
    const first = await numbers.allocate(context());
    expect(first).toBe('T-1001');
    expect(await numbers.allocate(context())).toBe('T-1002');
    for (const n of await allocateMany(numbers, 200)) expect(n).toMatch(/^T-[1-9][0-9]*$/);
  });

  it('1,000 concurrent allocations in one instance are unique, and in one process they leave no gaps', async () => {
    const store = open();
    const numbers = new TicketNumbers(new CommandExecutor(store));
    const allocated = await allocateMany(numbers, 1000);
    expect(new Set(allocated).size).toBe(1000);
    for (const n of allocated) expect(n).toMatch(/^T-\d+$/);
    expect(allocated.map(numeric).sort((a, b) => a - b)).toEqual(range(1001, 2000));
    const taken = await blocks(store);
    expectContiguous(taken);
    // One append per block, not per number.
    expect(taken.length).toBeLessThan(100);
  });

  it('a restarted process never repeats a number: the rest of its block is wasted instead', async () => {
    const before = new TicketNumbers(new CommandExecutor(open()));
    const early = await allocateMany(before, 5);
    const after = new TicketNumbers(new CommandExecutor(open()));
    const late = await allocateMany(after, 5);
    expect(early.map(numeric)).toEqual(range(1001, 1005));
    expect(Math.min(...late.map(numeric))).toBeGreaterThan(Math.max(...early.map(numeric)));
    expect(new Set([...early, ...late]).size).toBe(10);
  });

  it('two instances on one store, allocating concurrently, never collide', async () => {
    const store = open();
    const a = new TicketNumbers(new CommandExecutor(store));
    const b = new TicketNumbers(new CommandExecutor(store));
    const [fromA, fromB] = await Promise.all([allocateAll(a, 1000), allocateAll(b, 1000)]);
    expect([fromA.refused, fromB.refused]).toEqual([{}, {}]);
    const all = [...fromA.allocated, ...fromB.allocated];
    expect(new Set(all).size).toBe(2000);
    expect(Math.min(...all.map(numeric))).toBe(1001);
    expectContiguous(await blocks(store));
  });

  it('two processes on the same data directory, allocating concurrently, never collide', async () => {
    const first = open();
    const second = open();
    const a = new TicketNumbers(new CommandExecutor(first));
    const b = new TicketNumbers(new CommandExecutor(second));
    const [fromA, fromB] = await Promise.all([allocateAll(a, 1000), allocateAll(b, 1000)]);
    const all = [...fromA.allocated, ...fromB.allocated];
    // Whatever was handed out is unique, even when some allocations fail.
    expect(new Set(all).size).toBe(all.length);
    // Every caller gets a number: losing the race for a block is retried, never answered with a conflict.
    expect([fromA.refused, fromB.refused]).toEqual([{}, {}]);
    expect(all).toHaveLength(2000);
    for (const n of all) expect(n).toMatch(/^T-\d+$/);
    expect(Math.min(...all.map(numeric))).toBe(1001);
    // Both see the same blocks, and the numbers each handed out lie in blocks of the log.
    const taken = await blocks(first);
    expect(await blocks(second)).toEqual(taken);
    expectContiguous(taken);
    const inSomeBlock = (n: number) => taken.some((block) => block.first <= n && n <= block.last);
    for (const n of all.map(numeric)) expect(inSomeBlock(n)).toBe(true);
  });

  it('several processes, allocating in waves, never collide', async () => {
    const instances = Array.from({ length: 4 }, () => new TicketNumbers(new CommandExecutor(open())));
    const all: string[] = [];
    const refused: Record<string, number>[] = [];
    for (let wave = 0; wave < 3; wave++) {
      const results = await Promise.all(instances.map((numbers) => allocateAll(numbers, 250)));
      all.push(...results.flatMap((r) => r.allocated));
      refused.push(...results.map((r) => r.refused).filter((r) => Object.keys(r).length > 0));
    }
    expect(new Set(all).size).toBe(all.length);
    expect(refused).toEqual([]);
    expect(all).toHaveLength(3000);
    expect(new Set(all).size).toBe(3000);
    expectContiguous(await blocks(stores[0]));
  });
});
