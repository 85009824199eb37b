import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { TooManyRequests } from '@kundportal/kernel';
import { ReadModelWaiter } from '@kundportal/readstore';
import { NotificationQueries, NotifiedCaller, Notifications } from './notification.queries';

export type Badge = Notifications['badge'];

/** Where one open stream's badges go (an HTTP response, in the API). */
export interface BadgeSink {
  badge(badge: Badge): void;
  /** A comment that keeps proxies from closing a quiet connection. */
  heartbeat(): void;
  /** Ends the stream (the service is stopping). */
  close(): void;
}

export interface LiveNoticeLimits {
  /** Open streams per process. */
  maxStreams: number;
  /** Open streams per signed-in person (tabs and devices). */
  maxStreamsPerCaller: number;
  heartbeatMs: number;
  /** Bursts of batches are answered with one recomputation per this interval. */
  minIntervalMs: number;
}

export const DEFAULT_LIVE_NOTICE_LIMITS: LiveNoticeLimits = { maxStreams: 2000, maxStreamsPerCaller: 10, heartbeatMs: 15_000, minIntervalMs: 100 };

/** How long one wait for the read models to move lasts before it is asked again (to notice a stop). */
const WAIT_MS = 5_000;

interface Stream {
  /** The same person on several tabs shares one recomputation. */
  key: string;
  caller: () => Promise<NotifiedCaller>;
  sink: BadgeSink;
  /** The badge last sent, as JSON: a badge is sent only when it differs. */
  last: string | null;
}

/**
 * The badge, live: each open stream gets the caller's badge at once and again whenever it changes.
 * Changes are noticed from the read models' progress (the same wait as `X-Min-Position`: a promise
 * the projection runner resolves, or the stored checkpoints when another process runs them), so
 * nothing is recomputed while nothing happens, and only the connected callers' badges are.
 * One loop per process follows the progress while any stream is open.
 */
@Injectable()
export class LiveNotices implements OnModuleDestroy {
  private readonly logger = new Logger(LiveNotices.name);
  private readonly streams = new Set<Stream>();
  private following?: Promise<void>;
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;
  private wakeStop: () => void = () => undefined;
  private readonly stopping = new Promise<void>((resolve) => (this.wakeStop = resolve));
  limits: LiveNoticeLimits = DEFAULT_LIVE_NOTICE_LIMITS;

  constructor(
    private readonly notifications: NotificationQueries,
    private readonly progress: ReadModelWaiter,
  ) {}

  get open(): number {
    return this.streams.size;
  }

  /**
   * Opens a stream for the caller (`key` names the person) and sends the badge as it is now.
   * Answers the function that closes it. Refused with 429 when the process or the person has as
   * many open as allowed.
   */
  async subscribe(key: string, caller: () => Promise<NotifiedCaller>, sink: BadgeSink): Promise<() => void> {
    if (this.stopped) throw new TooManyRequests(5, 'The service is restarting; connect again in a moment.');
    if (this.streams.size >= this.limits.maxStreams) throw new TooManyRequests(30, 'Too many live notice streams are open; try again later.');
    let mine = 0;
    for (const s of this.streams) if (s.key === key) mine++;
    if (mine >= this.limits.maxStreamsPerCaller) throw new TooManyRequests(30, 'You have too many live notice streams open; close one first.');
    const stream: Stream = { key, caller, sink, last: null };
    this.streams.add(stream);
    try {
      await this.refresh([stream]);
    } catch (error) {
      this.streams.delete(stream);
      throw error;
    }
    this.start();
    return () => {
      this.streams.delete(stream);
      if (this.streams.size === 0) this.quiet();
    };
  }

  /** No stream open: no heartbeat either (the loop ends at its next wake). */
  private quiet(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private start(): void {
    this.heartbeat ??= setInterval(() => {
      for (const s of this.streams) s.sink.heartbeat();
    }, this.limits.heartbeatMs).unref();
    this.following ??= this.follow()
      .catch((error) => this.logger.error({ err: (error as Error)?.message }, 'Following the read models for live notices failed'))
      .finally(() => {
        this.following = undefined;
        // A stream opened while the loop was ending is followed by a new one.
        if (this.streams.size > 0 && !this.stopped) this.start();
      });
  }

  private async follow(): Promise<void> {
    let seen = await this.progress.reached();
    while (this.streams.size > 0 && !this.stopped) {
      const moved = await Promise.race([this.progress.waitFor(seen + 1n, WAIT_MS), this.stopping.then(() => false)]);
      if (!moved || this.stopped) continue;
      seen = await this.progress.reached();
      await this.refresh([...this.streams]);
      await Promise.race([new Promise((resolve) => setTimeout(resolve, this.limits.minIntervalMs)), this.stopping]);
    }
  }

  /** Recomputes the badge once per person, and sends it to those of their streams where it changed. */
  private async refresh(streams: Stream[]): Promise<void> {
    const byKey = new Map<string, Stream[]>();
    for (const s of streams) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s]);
    for (const group of byKey.values()) {
      let badge: Badge;
      try {
        badge = (await this.notifications.forCaller(await group[0].caller())).badge;
      } catch (error) {
        // One caller's failure (a read store hiccup) is tried again at the next change.
        if (group.some((s) => s.last === null)) throw error;
        this.logger.warn({ err: (error as Error)?.message }, 'Recomputing a live badge failed');
        continue;
      }
      const json = JSON.stringify(badge);
      for (const s of group) {
        if (s.last === json || !this.streams.has(s)) continue;
        s.last = json;
        s.sink.badge(badge);
      }
    }
  }

  /** Ends every stream, so the server can close (an open stream would hold it). */
  onModuleDestroy(): void {
    this.stopped = true;
    this.wakeStop();
    this.quiet();
    for (const s of this.streams) s.sink.close();
    this.streams.clear();
  }
}
