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
