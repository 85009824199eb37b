import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandContext, Decider, derivedId, DomainError, DomainEvent, EventMetadata, METRICS, Metrics } from '@kundportal/kernel';
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

/**
 * The one command-handling helper: read the stream, fold it with `evolve`, `decide`, append with
 * the expected revision. A revision conflict means someone else wrote first: read again and
 * decide again, so the caller sees a conflict only when the decision itself changes.
 */
@Injectable()
export class CommandExecutor {
  /** Commands on one stream in this process run one after another: they cannot conflict with each other. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(METRICS) private readonly metrics?: Metrics,
  ) {}

  execute<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    streamId: string,
    command: TCommand,
    context: CommandContext,
  ): Promise<CommandOutcome<TState>> {
    const previous = this.queues.get(streamId) ?? Promise.resolve();
    const timed = () => this.timed(streamId, () => this.decideAndAppend(decider, streamId, command, context));
    const run = previous.then(timed, timed);
    const settled = run.catch(() => undefined);
    this.queues.set(streamId, settled);
    void settled.then(() => {
      if (this.queues.get(streamId) === settled) this.queues.delete(streamId);
    });
    return run;
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

  private async decideAndAppend<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    streamId: string,
    command: TCommand,
    context: CommandContext,
  ): Promise<CommandOutcome<TState>> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const { state, revision } = await this.load(decider, streamId);
      const events = decider.decide(command, state);
      if (events.length === 0) {
        // Nothing to change (a retried step that already happened): answer with the log's head.
        return { streamId, position: await this.store.headPosition(), revision, state, events };
      }
      const toAppend = events.map((event, index) => toStored(event, index, streamId, revision, context));
      try {
        const endAppend = this.metrics?.appendDuration.startTimer();
        const result = await this.store.appendToStream(streamId, toAppend, {
          expectedRevision: revision === null ? 'no_stream' : revision,
        });
        endAppend?.();
        const next = events.reduce(decider.evolve, state);
        return { streamId, position: result.position, revision: result.nextExpectedRevision, state: next, events };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        this.metrics?.revisionConflicts.inc({ aggregate: streamId.slice(0, streamId.indexOf('-')) || streamId });
      }
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
    schemaVersion: 1,
  };
  return { id: eventId(context, streamId, revision, index), type: event.type, data: event.data, metadata };
}

/**
 * With an idempotency key the ids are derived from it, so the same decision appended twice (an
 * answer lost on the way back) is stored once; the store treats known ids as a retry.
 */
function eventId(context: CommandContext, streamId: string, revision: bigint | null, index: number): string {
  if (!context.idempotencyKey) return randomUUID();
  return derivedId('event', context.actor.id, context.idempotencyKey, streamId, String(revision), String(index));
}
