import { currentVersion } from './upcasting';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { CommandContext, Decider, derivedId, DomainError, DomainEvent, EventMetadata, METRICS, Metrics, newId } from '@kundportal/kernel';
import { EVENT_STORE, EventStore, EventToAppend, RecordedEvent, WrongExpectedRevisionError } from './event-store.port';

export interface CommandOutcome<TState> {
  streamId: string;
  /** Global position after the write: what the client passes as `X-Min-Position`. */
  position: bigint;
  /** Stream revision after the write; null when the stream still does not exist. */
  revision: bigint | null;
  state: TState;
  events: DomainEvent[];
}

const MAX_ATTEMPTS = 10;

/** A short random pause before deciding again, so competing writers (other processes) spread out. */
const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));

/** How many queued commands on one stream are decided together and appended in one write. */
const MAX_BATCH = 100;

interface Queued {
  decider: Decider<unknown, DomainEvent, unknown>;
  command: unknown;
  context: CommandContext;
  newStream: boolean;
  resolve(outcome: CommandOutcome<unknown>): void;
  reject(error: unknown): void;
}

/** A stream's state as this process last wrote or read it, while commands on it keep coming. */
interface Known {
  decider: Queued['decider'];
  state: unknown;
  revision: bigint | null;
}

/**
 * The one command-handling helper: read the stream, fold it with `evolve`, `decide`, append with
 * the expected revision. A revision conflict means someone else wrote first: read again and
 * decide again, so the caller sees a conflict only when the decision itself changes.
 *
 * Commands on one stream in this process never race each other: they queue. While one write is
 * under way the next commands wait; then they are decided one after another, each on the state
 * the previous ones left, and their events go to the log in one append (one durable commit), so a
 * busy stream is not limited to one commit per command. Every command of such a batch is answered
 * only once that append is durable, refusals included (they were decided on that state), and a
 * conflict with another process decides the whole batch again. The state is kept between batches
 * while commands keep coming, and read again when the queue has run dry; a batch that would write
 * nothing (refusals, retries) is decided on the stream as read then, as no append would confirm it.
 */
@Injectable()
export class CommandExecutor {
  private readonly lanes = new Map<string, Queued[]>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(METRICS) private readonly metrics?: Metrics,
  ) {}

  /**
   * `newStream`: the stream's id was just made at random, so the stream cannot exist yet. It is
   * decided on the initial state without reading the log; the append still expects no stream, so
   * should it exist after all, that conflict reads it and decides again as for any other stream.
   */
  execute<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    streamId: string,
    command: TCommand,
    context: CommandContext,
    options: { newStream?: boolean } = {},
  ): Promise<CommandOutcome<TState>> {
    return this.timed(
      streamId,
      () =>
        new Promise<CommandOutcome<TState>>((resolve, reject) => {
          const queued = { decider, command, context, newStream: options.newStream === true, resolve, reject } as unknown as Queued;
          const lane = this.lanes.get(streamId);
          if (lane) {
            lane.push(queued);
            return;
          }
          this.lanes.set(streamId, [queued]);
          void this.drain(streamId);
        }),
    );
  }

  private async timed<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    if (!this.metrics) return work();
    const end = this.metrics.commandDuration.startTimer({ aggregate: streamId.slice(0, streamId.indexOf('-')) || streamId });
    try {
      const result = await work();
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      end({ outcome: error instanceof DomainError ? 'refused' : 'failed' });
      throw error;
    }
  }

  /** Works through a stream's queue, a batch at a time, until it is empty. */
  private async drain(streamId: string): Promise<void> {
    const lane = this.lanes.get(streamId)!;
    let known: Known | null = lane[0].newStream ? { decider: lane[0].decider, state: lane[0].decider.initialState(), revision: null } : null;
    while (lane.length > 0) {
      // One decider per batch (a stream belongs to one aggregate; anything else is decided apart).
      const decider = lane[0].decider;
      let size = 1;
      while (size < lane.length && size < MAX_BATCH && lane[size].decider === decider) size++;
      const batch = lane.splice(0, size);
      try {
        known = await this.decideAndAppend(streamId, batch, known?.decider === decider ? known : null);
      } catch (error) {
        for (const q of batch) q.reject(error);
        known = null;
      }
    }
    this.lanes.delete(streamId);
  }

  /** Decides the batch in order on the known (or freshly read) state, appends all its events at once, answers each. */
  private async decideAndAppend(streamId: string, batch: Queued[], known: Known | null): Promise<Known> {
    const decider = batch[0].decider;
    for (let attempt = 0, conflicts = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (conflicts > 0) await backoff(conflicts);
      const kept = known !== null;
      const start = known ?? { decider, ...(await this.load(decider, streamId)) };
      known = null;
      let { state, revision } = start;
      const decided: Array<{ q: Queued; outcome?: Omit<CommandOutcome<unknown>, 'position'>; refusal?: unknown }> = [];
      const toAppend: EventToAppend[] = [];
      for (const q of batch) {
        let events: DomainEvent[];
        try {
          events = decider.decide(q.command, state);
        } catch (refusal) {
          decided.push({ q, refusal });
          continue;
        }
        toAppend.push(...events.map((event, index) => toStored(event, index, streamId, revision, q.context)));
        state = events.reduce(decider.evolve, state);
        if (events.length > 0) revision = (revision ?? -1n) + BigInt(events.length);
        decided.push({ q, outcome: { streamId, revision, state, events } });
      }
      let position: bigint;
      if (toAppend.length === 0) {
        // Only refusals and retries: no append will confirm the kept state, which another process
        // may have changed since, so these are decided again on the stream as it is now.
        if (kept) continue;
        // Nothing to change (a retried step that already happened): answer with the log's head.
        position = await this.store.headPosition();
      } else {
        try {
          const endAppend = this.metrics?.appendDuration.startTimer();
          const result = await this.store.appendToStream(streamId, toAppend, {
            expectedRevision: start.revision === null ? 'no_stream' : start.revision,
          });
          endAppend?.();
          // Each command answers the position of the whole append: reading at it shows its events.
          position = result.position;
          revision = result.nextExpectedRevision;
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          this.metrics?.revisionConflicts.inc({ aggregate: streamId.slice(0, streamId.indexOf('-')) || streamId });
          conflicts++;
          continue;
        }
      }
      for (const { q, outcome, refusal } of decided) {
        if (outcome) q.resolve({ ...outcome, position });
        else q.reject(refusal);
      }
      return { decider, state, revision };
    }
    throw DomainError.conflict('CONCURRENCY_CONFLICT', 'Too many concurrent changes; try again.');
  }

  /**
   * Appends facts that guard no invariant (a read marker) without reading the stream first: nothing
   * is decided, so nothing can conflict. Same metadata and ids as every other write.
   */
  async record(streamId: string, events: DomainEvent[], context: CommandContext): Promise<bigint> {
    const toAppend = events.map((event, index) => toStored(event, index, streamId, null, context));
    return (await this.store.appendToStream(streamId, toAppend, { expectedRevision: 'any' })).position;
  }

  /** The log's head: the position to answer with when a command changed nothing (a recognised retry). */
  headPosition(): Promise<bigint> {
    return this.store.headPosition();
  }

  /** Folds a stream into its current state. Also for queries that must read the write side (audit). */
  async load<TEvent extends DomainEvent, TState>(
    decider: Pick<Decider<unknown, TEvent, TState>, 'initialState' | 'evolve'>,
    streamId: string,
  ): Promise<{ state: TState; revision: bigint | null; recorded: RecordedEvent[] }> {
    const recorded = await this.store.readStream(streamId);
    let state = decider.initialState();
    for (const e of recorded) state = decider.evolve(state, { type: e.type, data: e.data } as TEvent);
    const revision = recorded.length === 0 ? null : recorded[recorded.length - 1].revision;
    return { state, revision, recorded };
  }
}

function toStored(
  event: DomainEvent,
  index: number,
  streamId: string,
  revision: bigint | null,
  context: CommandContext,
): EventToAppend {
  const metadata: EventMetadata = {
    actor: context.actor,
    correlationId: context.correlationId,
    causationId: context.commandId,
    occurredAt: context.now.toISOString(),
    schemaVersion: currentVersion(event.type),
  };
  return { id: eventId(context, streamId, revision, index), type: event.type, data: event.data, metadata };
}

/**
 * With an idempotency key the ids are derived from it, so the same decision appended twice (an
 * answer lost on the way back) is stored once; the store treats known ids as a retry.
 */
function eventId(context: CommandContext, streamId: string, revision: bigint | null, index: number): string {
  if (!context.idempotencyKey) return newId();
  return derivedId('event', context.actor.id, context.idempotencyKey, streamId, String(revision), String(index));
}
