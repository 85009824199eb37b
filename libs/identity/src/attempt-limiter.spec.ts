import { TooManyRequests } from '@kundportal/kernel';
import { AttemptLimiter, GrowingDelay } from './attempt-limiter';

const WINDOW_MS = 15 * 60 * 1000;
const T0 = Date.parse('2026-03-05T10:00:00.000Z');

/** The error `check` throws, or null when it lets the key through. */
function refusal(limiter: AttemptLimiter, key: string, now: number): TooManyRequests | null {
  try {
    limiter.check(key, now);
    return null;
  } catch (error) {
    if (error instanceof TooManyRequests) return error;
    throw error;
  }
}

describe('AttemptLimiter', () => {
  let limiter: AttemptLimiter;
  beforeEach(() => {
    limiter = new AttemptLimiter(5, WINDOW_MS);
  });

  it('lets a key through below the limit', () => {
    for (let i = 0; i < 4; i++) limiter.fail('kim@skola.se', T0 + i * 1000);
    expect(refusal(limiter, 'kim@skola.se', T0 + 5000)).toBeNull();
  });

  it('refuses a key at the limit with 429 TOO_MANY_REQUESTS and Retry-After until the oldest failure leaves the window', () => {
    for (let i = 0; i < 5; i++) limiter.fail('kim@skola.se', T0 + i * 1000);
    const error = refusal(limiter, 'kim@skola.se', T0 + 10_000);
    expect(error).toBeInstanceOf(TooManyRequests);
    expect(error).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS' });
    // The oldest failure (T0) leaves the window at T0 + 15 min: 890 s from T0 + 10 s.
    expect(error?.retryAfterSeconds).toBe(WINDOW_MS / 1000 - 10);
  });

  it('rounds Retry-After up to whole seconds and never answers less than 1', () => {
    for (let i = 0; i < 5; i++) limiter.fail('kim@skola.se', T0);
    expect(refusal(limiter, 'kim@skola.se', T0 + 1500)?.retryAfterSeconds).toBe(Math.ceil((WINDOW_MS - 1500) / 1000));
    expect(refusal(limiter, 'kim@skola.se', T0 + WINDOW_MS - 1)?.retryAfterSeconds).toBe(1);
  });

  it('slides: once the oldest failure is out of the window the key may try again', () => {
    for (let i = 0; i < 5; i++) limiter.fail('kim@skola.se', T0 + i * 60_000);
    expect(refusal(limiter, 'kim@skola.se', T0 + WINDOW_MS - 1)).not.toBeNull();
    expect(refusal(limiter, 'kim@skola.se', T0 + WINDOW_MS)).toBeNull();
    // One new failure brings it back to the limit; Retry-After now counts from the second-oldest.
    limiter.fail('kim@skola.se', T0 + WINDOW_MS);
    expect(refusal(limiter, 'kim@skola.se', T0 + WINDOW_MS)?.retryAfterSeconds).toBe(60);
  });

  it('forgets failures older than the window altogether', () => {
    for (let i = 0; i < 5; i++) limiter.fail('kim@skola.se', T0);
    for (let i = 0; i < 4; i++) limiter.fail('kim@skola.se', T0 + WINDOW_MS + i);
    expect(refusal(limiter, 'kim@skola.se', T0 + WINDOW_MS + 10)).toBeNull();
  });

  it('counts each key on its own', () => {
    for (let i = 0; i < 5; i++) limiter.fail('kim@skola.se', T0);
    expect(refusal(limiter, 'kim@skola.se', T0 + 1)).not.toBeNull();
    expect(refusal(limiter, 'eva@skola.se', T0 + 1)).toBeNull();
  });

  it('reset clears a key (a successful sign-in)', () => {
    for (let i = 0; i < 5; i++) limiter.fail('kim@skola.se', T0);
    limiter.reset('kim@skola.se');
    expect(refusal(limiter, 'kim@skola.se', T0 + 1)).toBeNull();
    for (let i = 0; i < 4; i++) limiter.fail('kim@skola.se', T0 + 2);
    expect(refusal(limiter, 'kim@skola.se', T0 + 3)).toBeNull();
  });

  it('honours its own limit and window', () => {
    const strict = new AttemptLimiter(1, 10_000);
    strict.fail('10.0.0.1', T0);
    expect(refusal(strict, '10.0.0.1', T0 + 2000)?.retryAfterSeconds).toBe(8);
    expect(refusal(strict, '10.0.0.1', T0 + 10_000)).toBeNull();
  });
});

describe('GrowingDelay', () => {
  const key = '10.0.0.1\u0000kim@skola.se';
  const waitAfter = (failures: number[]) => {
    const delay = new GrowingDelay(3, 1000, 60_000);
    for (const at of failures) delay.fail(key, at);
    return delay;
  };

  it('lets the first failures through at once', () => {
    expect(waitAfter([T0, T0, T0]).waitFor(key, T0) > 0).toBe(true);
    expect(waitAfter([T0, T0]).waitFor(key, T0)).toBe(0);
  });

  it('then makes each attempt wait twice as long as the one before, from the last failure, up to the maximum', () => {
    expect(waitAfter([T0, T0, T0]).waitFor(key, T0)).toBe(1000);
    expect(waitAfter([T0, T0, T0, T0]).waitFor(key, T0)).toBe(2000);
    expect(waitAfter([T0, T0, T0, T0, T0]).waitFor(key, T0 + 1500)).toBe(2500);
    expect(waitAfter(Array.from({ length: 40 }, () => T0)).waitFor(key, T0)).toBe(60_000);
  });

  it('refuses with 429 and Retry-After in whole seconds while waiting, and never locks: after the wait it lets through', () => {
    const delay = waitAfter([T0, T0, T0, T0]);
    let error: unknown;
    try {
      delay.check(key, T0 + 500);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TooManyRequests);
    expect(error).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 2 });
    expect(() => delay.check(key, T0 + 2000)).not.toThrow();
  });

  it('a success clears the key; other keys are apart', () => {
    const delay = waitAfter([T0, T0, T0, T0]);
    expect(delay.waitFor('10.0.0.2\u0000kim@skola.se', T0)).toBe(0);
    delay.reset(key);
    expect(delay.waitFor(key, T0)).toBe(0);
  });
});
