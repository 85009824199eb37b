import { TooManyRequests } from '@kundportal/kernel';
import type { ReadModelWaiter } from '@kundportal/readstore';
import { Badge, BadgeSink, LiveNotices } from './live-notices';
import type { NotificationQueries, NotifiedCaller } from './notification.queries';

/** The read models' progress, moved by the test: waits resolve when it passes them. */
class FakeProgress {
  position = 10n;
  private waits: Array<{ position: bigint; resolve: (moved: boolean) => void }> = [];

  reached = async () => this.position;

  waitFor = (position: bigint, ms: number) =>
    new Promise<boolean>((resolve) => {
      if (this.position >= position) return resolve(true);
      const timer = setTimeout(() => resolve(false), ms);
      timer.unref();
      this.waits.push({ position, resolve: (moved) => (clearTimeout(timer), resolve(moved)) });
    });

  advance(): void {
    this.position += 1n;
    const due = this.waits.filter((w) => this.position >= w.position);
    this.waits = this.waits.filter((w) => this.position < w.position);
    for (const w of due) w.resolve(true);
  }
}

const badge = (unreadTickets: number): Badge => ({ total: unreadTickets, approvals: 0, unreadTickets, agreementsToSign: 0, joinRequests: 0 });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('LiveNotices', () => {
  let progress: FakeProgress;
  let counts: Map<string, number>;
  let asked: string[];
  let live: LiveNotices;

  beforeEach(() => {
    progress = new FakeProgress();
    counts = new Map();
    asked = [];
    const notifications = {
      forCaller: async (caller: NotifiedCaller) => {
        asked.push(caller.accountId!);
        return { badge: badge(counts.get(caller.accountId!) ?? 0), items: [] };
      },
    } as unknown as NotificationQueries;
    live = new LiveNotices(notifications, progress as unknown as ReadModelWaiter);
    live.limits = { maxStreams: 3, maxStreamsPerCaller: 2, heartbeatMs: 60_000, minIntervalMs: 0 };
  });
  afterEach(() => live.onModuleDestroy());

  const sink = () => {
    const received: Badge[] = [];
    const s: BadgeSink & { received: Badge[]; closed: boolean } = {
      received,
      closed: false,
      badge: (b) => received.push(b),
      heartbeat: () => undefined,
      close: () => (s.closed = true),
    };
    return s;
  };
  const caller = (accountId: string) => async (): Promise<NotifiedCaller> => ({ accountId, personalNumber: null, staff: false });

  it('sends the badge at once, then only when the read models move and it changed', async () => {
    const rut = sink();
    await live.subscribe('rut', caller('rut'), rut);
    expect(rut.received).toEqual([badge(0)]);

    progress.advance();
    await settle();
    expect(rut.received).toEqual([badge(0)]);

    counts.set('rut', 1);
    await settle();
    expect(rut.received).toEqual([badge(0)]);
    progress.advance();
    await settle();
    expect(rut.received).toEqual([badge(0), badge(1)]);
  });

  it('recomputes once per person however many streams they have, and not for those gone', async () => {
    const tab1 = sink();
    const tab2 = sink();
    const other = sink();
    await live.subscribe('rut', caller('rut'), tab1);
    await live.subscribe('rut', caller('rut'), tab2);
    const leave = await live.subscribe('bo', caller('bo'), other);
    leave();
    asked.length = 0;
    counts.set('rut', 2);
    counts.set('bo', 5);
    progress.advance();
    await settle();
    expect(asked).toEqual(['rut']);
    expect(tab1.received.at(-1)).toEqual(badge(2));
    expect(tab2.received.at(-1)).toEqual(badge(2));
    expect(other.received).toEqual([badge(0)]);
  });

  it('refuses streams beyond the limits per person and per process with 429', async () => {
    await live.subscribe('rut', caller('rut'), sink());
    await live.subscribe('rut', caller('rut'), sink());
    await expect(live.subscribe('rut', caller('rut'), sink())).rejects.toBeInstanceOf(TooManyRequests);
    await live.subscribe('bo', caller('bo'), sink());
    await expect(live.subscribe('cai', caller('cai'), sink())).rejects.toBeInstanceOf(TooManyRequests);
    expect(live.open).toBe(3);
  });

  it('a first badge that cannot be computed refuses the stream and leaves nothing open', async () => {
    const failing = async (): Promise<NotifiedCaller> => {
      throw new Error('read store down');
    };
    await expect(live.subscribe('rut', failing, sink())).rejects.toThrow('read store down');
    expect(live.open).toBe(0);
  });

  it('stopping closes every stream and takes no new ones', async () => {
    const rut = sink();
    await live.subscribe('rut', caller('rut'), rut);
    live.onModuleDestroy();
    expect(rut.closed).toBe(true);
    expect(live.open).toBe(0);
    await expect(live.subscribe('rut', caller('rut'), sink())).rejects.toBeInstanceOf(TooManyRequests);
  });
});
