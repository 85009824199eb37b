import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Doc, DuplicateKeyError, ReadStore } from '../read-store.port';

export const LEASES = 'leases';

/** One lease: who holds the named task, and until when (epoch milliseconds of the holder's clock). */
export interface LeaseDoc extends Doc {
  owner: string;
  expiresAt: number;
  acquiredAt: string;
}

/** Nest injection token: the process's `Leases`, or null where the read store is not shared. */
export const LEASE_KEEPER = Symbol('Leases');

/**
 * Exclusive, expiring ownership of named tasks (a projection, the mail dispatcher) among the
 * processes that share one read store, so that each task runs in exactly one of them.
 *
 * A holder renews well before expiry; a process that dies stops renewing, and another takes the
 * lease once it has expired. The holder stops writing before its lease could have run out (see
 * `holds`), which leaves a safety margin of a sixth of the lease for clock skew between
 * processes and for a write under way; clocks are assumed to agree within that margin (NTP).
 */
export class Leases {
  private readonly validUntil = new Map<string, number>();

  constructor(
    private readonly store: ReadStore,
    /** This process, as named in the lease documents. */
    readonly owner: string = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** How often holders renew: three times per lease. */
  get renewEveryMs(): number {
    return Math.floor(this.ttlMs / 3);
  }

  /** Takes the lease if it is free or expired, or renews it if held; true while this process holds it. */
  async acquire(name: string): Promise<boolean> {
    const started = this.now();
    const expiresAt = started + this.ttlMs;
    const leases = this.store.collection<LeaseDoc>(LEASES);
    const taken = await leases.updateOne(
      { _id: name, $or: [{ owner: this.owner }, { expiresAt: { $lt: started } }] },
      { $set: { owner: this.owner, expiresAt, acquiredAt: new Date(started).toISOString() } },
    );
    if (taken.matched === 0) {
      try {
        await leases.insertOne({ _id: name, owner: this.owner, expiresAt, acquiredAt: new Date(started).toISOString() });
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
        this.validUntil.delete(name);
        return false;
      }
    }
    // Counted from before the write: the store may have applied it at any moment since.
    this.validUntil.set(name, expiresAt);
    return true;
  }

  /** Renews only when a third of the lease has passed since the last renewal; true while held. */
  async keep(name: string): Promise<boolean> {
    const until = this.validUntil.get(name);
    if (until !== undefined && until - this.now() > this.ttlMs - this.renewEveryMs) return true;
    return this.acquire(name);
  }

  /** Whether this process may still write for `name`: it holds the lease with the safety margin to spare. */
  holds(name: string): boolean {
    const until = this.validUntil.get(name);
    return until !== undefined && this.now() < until - this.ttlMs / 6;
  }

  /** Gives the lease up at once (a clean shutdown), so another process need not wait for it to expire. */
  async release(name: string): Promise<void> {
    this.validUntil.delete(name);
    await this.store.collection<LeaseDoc>(LEASES).deleteOne({ _id: name, owner: this.owner });
  }
}
