import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { EVENT_STORE, EventStore, RecordedEvent, Subscription } from '@kundportal/eventstore';
import { READ_STORE, ReadStore } from '../read-store.port';
import { LEASE_KEEPER, Leases } from './leases';
import { Projection } from './projection';
import { ProjectionBatch } from './projection-batch';

export const CHECKPOINTS = 'projection_checkpoints';

/** Stored with the read models, so other processes (an API beside a projector) can read progress and faults. */
export interface CheckpointDoc {
  _id: string;
  position: string;
  version: number;
  updatedAt: string;
  state?: 'running' | 'parked';
  error?: ProjectionStatus['error'];
  /** Staff asked, through a process that does not run it, for this parked projection to be retried. */
  resumeRequested?: boolean;
  [key: string]: unknown;
}

/** `standby`: another process holds this projection's lease (a shared read store) and runs it. */
export type ProjectionState = 'starting' | 'running' | 'parked' | 'retrying' | 'standby' | 'stopped';

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  position: string;
  error?: { message: string; eventPosition: string; eventType: string; streamId: string };
}

const MAX_BATCH = 500;
const NOT_YET = Symbol('not-yet');

class ProjectionParked extends Error {
  constructor(readonly event: RecordedEvent, readonly reason: unknown) {
    super(`Projection failed on event ${event.type} at position ${event.position}: ${(reason as Error)?.message ?? reason}`);
  }
}

/** The lease ran out (or was taken) before a batch was written: stop, another process runs it now. */
class LeaseLost extends Error {
  constructor(name: string) {
    super(`Lease on projection ${name} lost`);
  }
}

interface Running {
  projection: Projection;
  state: ProjectionState;
  position: bigint;
  subscription?: Subscription;
  error?: ProjectionStatus['error'];
  done?: Promise<void>;
}

/**
 * The one projection runner: each projection follows the log from its own checkpoint, in
 * batches; its documents are written before its checkpoint, and its handlers are idempotent, so
 * a crash in between replays harmlessly. A projection whose handler throws is parked (logged,
 * reported by `/health`) while the others go on; `resume` retries it.
 *
 * With a shared read store (several processes, `Leases`), each projection runs where its lease
 * is held: the others keep it on standby and take it over when the lease expires. A batch is
 * written only while the lease is held with its safety margin.
 */
@Injectable()
export class ProjectionRunner {
  private readonly logger = new Logger(ProjectionRunner.name);
  private readonly running = new Map<string, Running>();
  private waiters = new Set<{ position: bigint; resolve: () => void }>();
  private stopping = false;
  private leaseTimer?: NodeJS.Timeout;
  private leaseRound?: Promise<void>;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Optional() @Inject(LEASE_KEEPER) private readonly leases: Leases | null = null,
  ) {}

  /**
   * Prepares collections and checkpoints (rebuilding a projection whose version changed), then
   * starts all; with leases, only those whose lease this process gets, the others on standby.
   */
  async start(projections: Projection[]): Promise<void> {
    for (const projection of projections) {
      if (this.running.has(projection.name)) throw new Error(`Projection ${projection.name} registered twice`);
      if (this.leases) {
        this.running.set(projection.name, { projection, state: 'standby', position: 0n });
        continue;
      }
      const entry: Running = { projection, state: 'starting', position: await this.prepare(projection) };
      this.running.set(projection.name, entry);
    }
    if (this.leases) {
      await this.tendLeases();
      this.scheduleLeases();
      return;
    }
    for (const entry of this.running.values()) if (entry.state === 'starting') this.launch(entry);
  }

  private scheduleLeases(): void {
    const leases = this.leases!;
    this.leaseTimer = setTimeout(() => {
      this.leaseRound = this.tendLeases()
        .catch((error) => this.logger.warn({ err: (error as Error).message }, 'Renewing projection leases failed'))
        .finally(() => {
          if (!this.stopping) this.scheduleLeases();
        });
    }, leases.renewEveryMs);
    this.leaseTimer.unref();
  }

  /**
   * Renews the leases held, takes free or expired ones (starting those projections from their
   * checkpoints), stops the ones lost, and retries a parked one that staff asked to resume.
   */
  private async tendLeases(): Promise<void> {
    const leases = this.leases!;
    const stored = new Map(
      (await this.readStore.collection<CheckpointDoc>(CHECKPOINTS).find({ _id: { $in: [...this.running.keys()] } })).map((d) => [d._id, d]),
    );
    for (const entry of this.running.values()) {
      if (this.stopping) return;
      const name = entry.projection.name;
      const held = await leases.acquire(name).catch((error) => {
        // Not renewed: `holds` stops the writes once the lease may have run out.
        this.logger.warn({ projection: name, err: (error as Error).message }, 'Projection lease not renewed');
        return null;
      });
      if (held === null) continue;
      const doc = stored.get(name);
      if (!held) {
        if (entry.state !== 'standby') {
          this.logger.warn({ projection: name }, `Projection ${name} taken over by another process`);
          await this.halt(entry, 'standby');
        }
        entry.position = doc ? BigInt(doc.position) : 0n;
      } else if (entry.state === 'standby') {
        entry.position = await this.prepare(entry.projection);
        this.logger.log({ projection: name, position: entry.position.toString() }, `Projection ${name} runs here (lease ${leases.owner})`);
        this.launch(entry);
      } else if (entry.state === 'parked' && doc?.resumeRequested) {
        await this.readStore.collection<CheckpointDoc>(CHECKPOINTS).updateOne({ _id: name }, { $unset: { resumeRequested: '' } });
        this.logger.log({ projection: name }, `Projection ${name} resumed on request`);
        this.launch(entry);
      }
    }
  }

  /** Stops following the log for one projection and waits for its batch under way. */
  private async halt(entry: Running, state: ProjectionState): Promise<void> {
    entry.state = state;
    await entry.subscription?.unsubscribe();
    await entry.done;
  }

  private async prepare(projection: Projection): Promise<bigint> {
    const checkpoints = this.readStore.collection<CheckpointDoc>(CHECKPOINTS);
    const checkpoint = await checkpoints.findOne({ _id: projection.name });
    if (checkpoint && checkpoint.version !== projection.version && !projection.reactor) {
      this.logger.warn(`Rebuilding ${projection.name}: version ${checkpoint.version} → ${projection.version}`);
      for (const name of Object.keys(projection.collections)) await this.readStore.collection(name).drop();
    }
    for (const [name, indexes] of Object.entries(projection.collections)) {
      if (indexes.length > 0) await this.readStore.collection(name).createIndexes(indexes);
    }
    if (!checkpoint) return 0n;
    if (checkpoint.version !== projection.version && !projection.reactor) {
      await this.saveCheckpoint(projection, 0n);
      return 0n;
    }
    return BigInt(checkpoint.position);
  }

  private launch(entry: Running): void {
    entry.state = 'running';
    entry.error = undefined;
    entry.done = this.follow(entry).catch((error) => this.onFailure(entry, error));
  }

  private async follow(entry: Running): Promise<void> {
    const { projection } = entry;
    const handled = new Set(projection.eventTypes);
    const owned = new Set(Object.keys(projection.collections));
    const subscription = this.events.subscribeToAll({ after: entry.position });
    entry.subscription = subscription;
    const iterator = subscription[Symbol.asyncIterator]();
    let next = iterator.next();
    try {
      while (!this.stopping && entry.state === 'running') {
        const first = await next;
        if (first.done) return;
        next = iterator.next();
        const batch = [first.value];
        // Take what is already there without waiting, up to a batch.
        while (batch.length < MAX_BATCH) {
          const more = await Promise.race([next, new Promise<typeof NOT_YET>((r) => setImmediate(r, NOT_YET))]);
          if (more === NOT_YET || more.done) break;
          batch.push(more.value);
          next = iterator.next();
        }
        await this.applyBatch(entry, batch, handled, owned);
        // Let requests in between batches: an embedded store answers without real I/O, so a long
        // catch-up would otherwise hold the event loop until it is done.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      await subscription.unsubscribe();
    }
  }

  private async applyBatch(entry: Running, events: RecordedEvent[], handled: Set<string>, owned: Set<string>) {
    const writes = new ProjectionBatch(this.readStore, owned);
    let reached = entry.position;
    let failure: ProjectionParked | undefined;
    for (const event of events) {
      if (event.position <= reached) continue;
      if (handled.has(event.type)) {
        const mark = writes.mark();
        try {
          await entry.projection.apply(event, writes);
        } catch (error) {
          writes.rollbackTo(mark);
          failure = new ProjectionParked(event, error);
          break;
        }
      }
      reached = event.position;
    }
    if (reached > entry.position) {
      if (this.leases && !this.leases.holds(entry.projection.name)) throw new LeaseLost(entry.projection.name);
      await writes.flush();
      await this.saveCheckpoint(entry.projection, reached);
      entry.position = reached;
      this.notifyWaiters();
    }
    if (failure) throw failure;
  }

  private async saveCheckpoint(projection: Projection, position: bigint): Promise<void> {
    await this.readStore.collection<CheckpointDoc>(CHECKPOINTS).replaceOne(
      { _id: projection.name },
      { _id: projection.name, position: position.toString(), version: projection.version, updatedAt: new Date().toISOString(), state: 'running' },
      { upsert: true },
    );
  }

  private onFailure(entry: Running, error: unknown): void {
    if (this.stopping) return;
    if (error instanceof LeaseLost) {
      entry.state = 'standby';
      this.logger.warn({ projection: entry.projection.name }, error.message);
      return;
    }
    if (error instanceof ProjectionParked) {
      entry.state = 'parked';
      entry.error = {
        message: String((error.reason as Error)?.message ?? error.reason),
        eventPosition: error.event.position.toString(),
        eventType: error.event.type,
        streamId: error.event.streamId,
      };
      this.logger.error(
        { projection: entry.projection.name, ...entry.error, stack: (error.reason as Error)?.stack },
        `Projection ${entry.projection.name} parked at event ${error.event.type} (position ${error.event.position})`,
      );
      this.readStore
        .collection<CheckpointDoc>(CHECKPOINTS)
        .updateOne({ _id: entry.projection.name }, { $set: { state: 'parked', error: entry.error } })
        .catch(() => undefined);
      return;
    }
    // The stores failed (connection lost, disk): start again from the stored checkpoint.
    entry.state = 'retrying';
    this.logger.warn({ projection: entry.projection.name, err: (error as Error)?.message }, 'Projection retrying');
    setTimeout(async () => {
      if (this.stopping || entry.state !== 'retrying') return;
      if (this.leases && !this.leases.holds(entry.projection.name)) {
        entry.state = 'standby';
        return;
      }
      try {
        entry.position = await this.prepare(entry.projection);
        this.launch(entry);
      } catch (again) {
        this.onFailure(entry, again);
      }
    }, 1000).unref();
  }

  /** Retries a parked projection from its checkpoint (after the fault is fixed). */
  resume(name: string): boolean {
    const entry = this.running.get(name);
    if (!entry || entry.state !== 'parked') return false;
    this.launch(entry);
    return true;
  }

  /**
   * For a projection parked in another process: records the request in its checkpoint, and the
   * process holding its lease retries it at its next renewal. False when it is not parked.
   */
  async requestResume(name: string): Promise<boolean> {
    const { matched } = await this.readStore
      .collection<CheckpointDoc>(CHECKPOINTS)
      .updateOne({ _id: name, state: 'parked' }, { $set: { resumeRequested: true } });
    return matched > 0;
  }

  status(): ProjectionStatus[] {
    return [...this.running.values()].map((e) => ({
      name: e.projection.name,
      state: e.state,
      position: e.position.toString(),
      ...(e.error ? { error: e.error } : {}),
    }));
  }

  /** The lowest checkpoint of the read models (reactors aside): all have processed the log up to here. */
  lowestPosition(): bigint {
    let low: bigint | null = null;
    for (const e of this.running.values()) {
      if (!e.projection.reactor && (low === null || e.position < low)) low = e.position;
    }
    return low ?? 0n;
  }

  get isRunning(): boolean {
    return this.running.size > 0;
  }

  /** Every projection runs in this process (none on standby), so its progress is known here. */
  get runsAll(): boolean {
    if (this.running.size === 0) return false;
    for (const e of this.running.values()) if (e.state === 'standby') return false;
    return true;
  }

  /** Resolves true once every projection has reached `position`; false after `timeoutMs`. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.lowestPosition() >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private notifyWaiters(): void {
    if (this.waiters.size === 0) return;
    const low = this.lowestPosition();
    for (const w of this.waiters) {
      if (low >= w.position) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  /** Stops following the log; batches under way finish first. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.leaseTimer);
    await this.leaseRound;
    const entries = [...this.running.values()];
    const held = entries.filter((e) => e.state !== 'standby');
    for (const e of entries) e.state = 'stopped';
    await Promise.all(entries.map((e) => e.subscription?.unsubscribe()));
    await Promise.all(entries.map((e) => e.done));
    // Handed over at once rather than when the leases expire.
    if (this.leases) await Promise.all(held.map((e) => this.leases!.release(e.projection.name).catch(() => undefined)));
  }
}
