import { TooManyRequests } from '@kundportal/kernel';

/**
 * Failed attempts per key (an e-mail, an address) in a sliding window. Past the limit the key is
 * refused with 429 and Retry-After until its oldest failure leaves the window. Kept per process:
 * behind a load balancer each instance limits on its own, which still bounds guessing.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly max: number, private readonly windowMs: number) {}

  check(key: string, now: number): void {
    const recent = this.recent(key, now);
    if (recent.length >= this.max) throw new TooManyRequests(Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000)));
  }

  fail(key: string, now: number): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.failures.set(key, recent);
    if (this.failures.size > 100_000) this.prune(now);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }

  private prune(now: number): void {
    for (const [key, times] of this.failures) if (times.every((t) => t <= now - this.windowMs)) this.failures.delete(key);
  }
}

/**
 * Failures per key answered with a pause that doubles: the first `free` failures cost nothing,
 * then each further attempt must wait `baseMs`, twice that, … up to `maxMs` after the last
 * failure. Nothing is locked: whoever waits may try again, and a success clears the key. Kept per
 * process, like AttemptLimiter.
 */
export class GrowingDelay {
  private readonly failures = new Map<string, { count: number; last: number }>();

  constructor(private readonly free: number, private readonly baseMs: number, private readonly maxMs: number) {}

  /** How long the key must still wait, in ms (0: it may try now). */
  waitFor(key: string, now: number): number {
    const entry = this.failures.get(key);
    if (!entry || entry.count < this.free) return 0;
    const delay = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(entry.count - this.free, 30));
    return Math.max(0, entry.last + delay - now);
  }

  check(key: string, now: number): void {
    const wait = this.waitFor(key, now);
    if (wait > 0) throw new TooManyRequests(Math.ceil(wait / 1000));
  }

  fail(key: string, now: number): void {
    const entry = this.failures.get(key);
    this.failures.set(key, { count: (entry?.count ?? 0) + 1, last: now });
    if (this.failures.size > 100_000) this.prune(now);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  /** Keys whose pause has long passed are forgotten (a count that old says nothing any more). */
  private prune(now: number): void {
    for (const [key, { last }] of this.failures) if (now - last > this.maxMs * 2) this.failures.delete(key);
  }
}
