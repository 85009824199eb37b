/** Where time comes from. Deciders never read the clock themselves: time arrives in command metadata. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('Clock');

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests that moves only when told to. */
export class FixedClock implements Clock {
  constructor(private current: Date = new Date('2026-01-01T08:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(to: Date | string): void {
    this.current = new Date(to);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
