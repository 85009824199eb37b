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
  handled: Set<string>;
  owned: Set<string>;
  error?: ProjectionStatus['error'];
  /** The batch under way for this projection. */
  busy?: Promise<void>;
}

/**
 * The one projection runner: each projection follows the log from its own checkpoint, in
 * batches. One subscription per process feeds them all (each event read and decoded once),
 * from the lowest of their checkpoints; each skips what it has already seen, and a projection that
 * joins behind the others (resumed, taken over) starts the feed again from its checkpoint. Its
 * documents are written before its checkpoint, and its handlers are idempotent, so
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
  private feed?: Promise<void>;
  private feedSubscription?: Subscription;
  /** Wakes the feed when a projection starts, so it can take it in (from further back if need be). */
  private wakeFeed: () => void = () => undefined;
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
    // Each collection has one owner, whose declaration sets its indexes (see prepare).
    const owners = new Map<string, string>();
    for (const projection of projections) {
      for (const name of Object.keys(projection.collections)) {
        const other = owners.get(name);
        if (other && other !== projection.name) throw new Error(`Collection ${name} is declared by both ${other} and ${projection.name}`);
        owners.set(name, projection.name);
      }
    }
    for (const projection of projections) {
      if (this.running.has(projection.name)) throw new Error(`Projection ${projection.name} registered twice`);
      if (this.leases) {
        this.running.set(projection.name, this.entry(projection, 'standby', 0n));
        continue;
      }
      this.running.set(projection.name, this.entry(projection, 'starting', await this.prepare(projection)));
    }
    if (this.leases) {
      await this.tendLeases();
      this.scheduleLeases();
      return;
    }
    for (const entry of this.running.values()) if (entry.state === 'starting') this.launch(entry);
  }

  private entry(projection: Projection, state: ProjectionState, position: bigint): Running {
    return { projection, state, position, handled: new Set(projection.eventTypes), owned: new Set(Object.keys(projection.collections)) };
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

  /** Stops feeding one projection and waits for its batch under way. */
  private async halt(entry: Running, state: ProjectionState): Promise<void> {
    entry.state = state;
    await entry.busy;
  }

  private async prepare(projection: Projection): Promise<bigint> {
    const checkpoints = this.readStore.collection<CheckpointDoc>(CHECKPOINTS);
    const checkpoint = await checkpoints.findOne({ _id: projection.name });
    if (checkpoint && checkpoint.version !== projection.version && !projection.reactor) {
      this.logger.warn(`Rebuilding ${projection.name}: version ${checkpoint.version} → ${projection.version}`);
      for (const name of Object.keys(projection.collections)) await this.readStore.collection(name).drop();
    }
    // The declaration is the truth: an index it no longer names (changed or removed) is dropped.
    for (const [name, indexes] of Object.entries(projection.collections)) {
      const dropped = await this.readStore.collection(name).syncIndexes(indexes);
      if (dropped.length > 0) this.logger.log({ projection: projection.name, collection: name, dropped }, `Dropped indexes of ${name} that ${projection.name} no longer declares`);
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
    this.feed ??= this.runFeed()
      .catch((error) => this.logger.error({ err: (error as Error)?.message, stack: (error as Error)?.stack }, 'Projection feed failed'))
      .finally(() => (this.feed = undefined));
    this.wakeFeed();
  }

  /**
   * The one reader of the log: takes what is there, up to a batch, and hands the same events to
   * every running projection at once; waits for the slowest before the next batch. With none
   * running it sleeps until one starts.
   */
  private async runFeed(): Promise<void> {
    let iterator: AsyncIterator<RecordedEvent> | undefined;
    let next: Promise<IteratorResult<RecordedEvent>> | undefined;
    let from = 0n;
    const close = async () => {
      // A read still pending on the old subscription settles unheard.
      next?.catch(() => undefined);
      const subscription = this.feedSubscription;
      this.feedSubscription = iterator = next = undefined;
      await subscription?.unsubscribe();
    };
    try {
      while (!this.stopping) {
        const woken = new Promise<typeof NOT_YET>((resolve) => (this.wakeFeed = () => resolve(NOT_YET)));
        const members = [...this.running.values()].filter((e) => e.state === 'running');
        if (members.length === 0) {
          await close();
          await woken;
          continue;
        }
        const low = members.reduce((min, e) => (e.position < min ? e.position : min), members[0].position);
        if (!iterator || low < from) {
          await close();
          this.feedSubscription = this.events.subscribeToAll({ after: low });
          iterator = this.feedSubscription[Symbol.asyncIterator]();
          next = iterator.next();
          from = low;
        }
        let first: IteratorResult<RecordedEvent> | typeof NOT_YET;
        try {
          first = await Promise.race([next!, woken]);
        } catch (error) {
          // The log failed under the feed: every projection on it starts again from its checkpoint.
          await close().catch(() => undefined);
          for (const e of members) this.onFailure(e, error);
          continue;
        }
        if (first === NOT_YET) continue;
        if (first.done) {
          await close();
          continue;
        }
        next = iterator.next();
        const batch = [first.value];
        // Take what is already there without waiting, up to a batch.
        while (batch.length < MAX_BATCH) {
          const more = await Promise.race([next, new Promise<typeof NOT_YET>((r) => setImmediate(r, NOT_YET))]);
          if (more === NOT_YET || more.done) break;
          batch.push(more.value);
          next = iterator.next();
        }
        // The batch follows `from` without a gap: only a projection that has reached `from` may take it.
        // One that joined behind it meanwhile (resumed, taken over) makes the next turn read again from its checkpoint.
        const covered = from;
        from = batch[batch.length - 1].position;
        const feeding = [...this.running.values()].filter((e) => e.state === 'running' && e.position >= covered);
        for (const e of feeding) e.busy = this.applyBatch(e, batch).catch((error) => this.onFailure(e, error));
        await Promise.all(feeding.map((e) => e.busy));
        // Let requests in between batches: an embedded store answers without real I/O, so a long
        // catch-up would otherwise hold the event loop until it is done.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      await close().catch(() => undefined);
    }
  }

  private async applyBatch(entry: Running, events: RecordedEvent[]) {
    const { handled, owned } = entry;
    const name = entry.projection.name;
    // The lease is checked before every write, not once per batch: a pause in the middle of one
    // (a write to each collection, then the checkpoint) stops what is left of it.
    const mayWrite = () => {
      if (this.leases && !this.leases.holds(name)) throw new LeaseLost(name);
    };
    const writes = new ProjectionBatch(this.readStore, owned, mayWrite);
    let reached = entry.position;
    let failure: ProjectionParked | undefined;
    for (const event of events) {
      if (event.position <= reached) continue;
      if (handled.has(event.type)) {
        const mark = writes.mark();
        try {
          await entry.projection.apply(event, writes);
        } catch (error) {
          // A read flushes first: a flush refused for the lease is not the event's fault.
          if (error instanceof LeaseLost) throw error;
          writes.rollbackTo(mark);
          failure = new ProjectionParked(event, error);
          break;
        }
      }
      reached = event.position;
    }
    if (reached > entry.position) {
      await writes.flush();
      mayWrite();
      await this.saveCheckpoint(entry.projection, reached);
      entry.position = reached;
      this.notifyWaiters();
    }
    if (failure) throw failure;
  }

  private async saveCheckpoint(projection: Projection, position: bigint): Promise<void> {
    // Relaxed like the documents before it: both can be replayed from the log.
    const checkpoint: CheckpointDoc = { _id: projection.name, position: position.toString(), version: projection.version, updatedAt: new Date().toISOString(), state: 'running' };
    await this.readStore
      .collection<CheckpointDoc>(CHECKPOINTS)
      .bulkWrite([{ replaceOne: { filter: { _id: projection.name }, replacement: checkpoint, upsert: true } }], { relaxed: true });
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
      // A wait alone (a live stream's, between changes) does not keep a stopping process alive.
      timer.unref();
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
    this.wakeFeed();
    await this.feedSubscription?.unsubscribe();
    await this.feed;
    await Promise.all(entries.map((e) => e.busy));
    // Handed over at once rather than when the leases expire.
    if (this.leases) await Promise.all(held.map((e) => this.leases!.release(e.projection.name).catch(() => undefined)));
  }
}
