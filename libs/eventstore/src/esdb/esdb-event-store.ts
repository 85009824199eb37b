import { upcast } from '../upcasting';
import {
  ANY,
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  AppendResult as EsdbAppendResult,
  EventStoreDBClient,
  FORWARDS,
  JSONType,
  NO_STREAM,
  NotLeaderError,
  ResolvedEvent,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  convertToCommandError,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { CallOptions, Channel, Metadata } from '@grpc/grpc-js';
import { EventMetadata } from '@kundportal/kernel';
import {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoreHealth,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';

/*
 * Positions. Our `position` is the event's commit position in EventStoreDB's transaction log.
 * Since v20 a gRPC append writes each event as its own prepare record flagged IsCommitted
 * (an implicit transaction), and $all reads report such an event with commit == prepare ==
 * its own log position: unique per event and strictly increasing in $all order, even for the
 * events of one append. Only legacy explicit transactions (the TCP API, never used by this
 * service) give several events one commit position; such foreign events would share a
 * position here, and a resumed subscription skips events at or before its checkpoint.
 * An append answers with the commit position of its last event (the server's CommitIndexed
 * position); idempotent retries answer with the stored last event's position, or with none on
 * older servers, in which case we read it.
 */

export interface EsdbEventStoreOptions {
  /** Attempts for an append or a read on a transient error (appends are idempotent by event id). */
  attempts?: number;
  /** First delay between attempts and between resubscriptions; doubles up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

/** gRPC keep-alive, so a half-open connection is noticed and a subscription resumes. */
const KEEP_ALIVE = { keepAliveInterval: 10_000, keepAliveTimeout: 10_000 };
/** Same page as the embedded adapter when `maxCount` is omitted. */
const DEFAULT_READ_ALL_PAGE = 1000;
const HEALTH_DEADLINE_MS = 2_000;
/** The server-side filter of `excludeSystemEvents()`: event types not starting with `$`. */
const OUR_EVENT_TYPES = '^[^$].*';
/** gRPC codes after which the same call may succeed: the connection or the node was the problem. */
const TRANSIENT_CODES = new Set([
  1 /* CANCELLED, by the server or a closed channel */, 4 /* DEADLINE_EXCEEDED */,
  10 /* ABORTED: the server's commit timeout */, 13 /* INTERNAL: also a connection reset mid-call */,
  14 /* UNAVAILABLE */,
]);

/**
 * Protected members of the v6 client. Its public `readAll` takes no filter, so the filtered
 * $all read (the same one `subscribeToAll` sends) goes through the client's own channel and
 * reconnect handling here. v6.2.1 is the last release of `@eventstore/db-client`.
 */
interface ClientInternals {
  execute<T>(
    client: typeof StreamsClient,
    debugName: string,
    action: (grpcClient: StreamsClient) => Promise<T>,
  ): Promise<T>;
  callArguments(options: { deadline?: number }, callOptions?: CallOptions): [Metadata, CallOptions];
  getChannel(): Promise<Channel>;
}

export class EsdbEventStore implements EventStore {
  private readonly internals: ClientInternals;
  private readonly live = new Set<{ stop: () => Promise<void> }>();
  private closed = false;
  private readonly attempts: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;

  private constructor(
    private readonly client: EventStoreDBClient,
    options: EsdbEventStoreOptions,
  ) {
    this.internals = client as unknown as ClientInternals;
    if (typeof this.internals.execute !== 'function' || typeof this.internals.callArguments !== 'function') {
      throw new Error('@eventstore/db-client internals changed: EsdbEventStore needs execute/callArguments (v6)');
    }
    this.attempts = options.attempts ?? 4;
    this.baseBackoffMs = options.baseBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  /** Creates the adapter; the channel opens lazily on the first call (use `health()` to check). */
  static connect(connectionString: string, options: EsdbEventStoreOptions = {}): EsdbEventStore {
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(withKeepAlive(connectionString));
    } catch (error) {
      // The client's parser says what is wrong (an unknown setting, a bad host); say which variable it was.
      throw new Error(`EVENTSTORE_CONNECTION_STRING is not valid: ${(error as Error).message}`);
    }
    return new EsdbEventStore(client, options);
  }

  async appendToStream(
    streamId: string,
    events: EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('Nothing to append');
    const { expectedRevision } = options;
    const proposed = events.map((e) =>
      jsonEvent({ id: e.id, type: e.type, data: e.data as JSONType, metadata: e.metadata as unknown as JSONType }),
    );
    let result: EsdbAppendResult;
    try {
      result = await this.retrying(() =>
        this.client.appendToStream(streamId, proposed, { expectedRevision: toClientRevision(expectedRevision) }),
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamId, expectedRevision, toActualRevision(error.actualVersion));
      }
      throw error;
    }
    const nextExpectedRevision = BigInt(result.nextExpectedRevision);
    const commit = result.position !== undefined ? BigInt(result.position.commit) : 0n;
    const position = commit > 0n ? commit : await this.positionOf(streamId, nextExpectedRevision);
    return { nextExpectedRevision, position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    return this.retrying(async () => {
      const read = this.client.readStream(streamId, {
        fromRevision: options.fromRevision ?? START,
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
        direction: FORWARDS,
      });
      // A late second error must not become an unhandled 'error' event once iteration has ended.
      read.on('error', () => undefined);
      const events: RecordedEvent[] = [];
      try {
        for await (const resolved of read as AsyncIterable<ResolvedEvent>) {
          const event = fromClientEvent(resolved);
          if (event) events.push(event);
        }
      } catch (error) {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      }
      return events;
    });
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? DEFAULT_READ_ALL_PAGE;
    if (maxCount <= 0) return [];
    const after = options.after !== undefined && options.after > 0n ? options.after : null;
    if (after === null) return this.retrying(() => this.readLog('forwards', 'start', maxCount));
    // A forwards read from a position includes the event at it: ask for one more and drop it.
    const events = await this.retrying(() => this.readLog('forwards', after, maxCount + 1));
    return events.filter((e) => e.position > after).slice(0, maxCount);
  }

  async headPosition(): Promise<bigint> {
    const [last] = await this.retrying(() => this.readLog('backwards', 'end', 1));
    return last?.position ?? 0n;
  }

  async health(): Promise<StoreHealth> {
    if (this.closed) return { status: 'down', adapter: 'esdb', detail: 'closed' };
    try {
      // Unfiltered: the newest record of any kind is found at once, a filtered read may scan.
      await this.readLog('backwards', 'end', 1, { ourEventsOnly: false, deadlineMs: HEALTH_DEADLINE_MS });
      return { status: 'up', adapter: 'esdb' };
    } catch (error) {
      return { status: 'down', adapter: 'esdb', detail: (error as Error).message };
    }
  }

  /**
   * A catch-up subscription to our events in $all that survives dropped subscriptions and
   * connections: on a transient error it resubscribes after the last event it delivered, with
   * backoff, so the consumer misses nothing and sees nothing twice.
   */
  subscribeToAll(options: { after?: bigint } = {}): Subscription {
    const store = this;
    const stopped = new AbortController();
    let current: AllStreamSubscription | null = null;
    let last = options.after !== undefined && options.after > 0n ? options.after : null;
    const handle = {
      stop: async () => {
        stopped.abort();
        store.live.delete(handle);
        await current?.unsubscribe();
      },
    };
    this.live.add(handle);

    async function* deliver(): AsyncGenerator<RecordedEvent> {
      let attempt = 0;
      try {
        while (!stopped.signal.aborted && !store.closed) {
          const sub = store.client.subscribeToAll({
            fromPosition: last === null ? START : { commit: last, prepare: last },
            filter: excludeSystemEvents(),
          });
          current = sub;
          // Errors reach us through the iterator; this listener only keeps a late one from crashing the process.
          sub.on('error', () => undefined);
          sub.on('confirmation', () => (attempt = 0));
          try {
            for await (const resolved of sub as AsyncIterable<AllStreamResolvedEvent>) {
              const event = fromClientEvent(resolved);
              // Subscriptions start after the given position; the check keeps that true whatever the server does.
              if (!event || (last !== null && event.position <= last)) continue;
              last = event.position;
              yield event;
            }
            // Ended without an error: we unsubscribed, or the server closed the call; then resubscribe.
          } catch (error) {
            if (stopped.signal.aborted || store.closed) return;
            if (!isTransient(error)) throw error;
          } finally {
            current = null;
            await sub.unsubscribe().catch(() => undefined);
          }
          if (stopped.signal.aborted || store.closed) return;
          await sleep(store.backoff(attempt++), stopped.signal);
        }
      } finally {
        store.live.delete(handle);
      }
    }

    const iterator = deliver();
    return {
      [Symbol.asyncIterator]: () => iterator,
      unsubscribe: () => handle.stop(),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.live].map((s) => s.stop()));
    await this.client.dispose();
    // dispose() cancels calls but keeps the channel; close it so nothing holds the process open.
    (await this.internals.getChannel()).close();
  }

  /** Reads $all, by default only our events (server-side filter); forwards is inclusive, backwards exclusive. */
  private readLog(
    direction: 'forwards' | 'backwards',
    from: bigint | 'start' | 'end',
    count: number,
    { ourEventsOnly = true, deadlineMs }: { ourEventsOnly?: boolean; deadlineMs?: number } = {},
  ): Promise<RecordedEvent[]> {
    const all = new ReadReq.Options.AllOptions();
    if (from === 'start') all.setStart(new Empty());
    else if (from === 'end') all.setEnd(new Empty());
    else
      all.setPosition(new ReadReq.Options.Position().setCommitPosition(String(from)).setPreparePosition(String(from)));
    const options = new ReadReq.Options()
      .setAll(all)
      .setReadDirection(
        direction === 'forwards' ? ReadReq.Options.ReadDirection.FORWARDS : ReadReq.Options.ReadDirection.BACKWARDS,
      )
      .setResolveLinks(false)
      .setCount(String(count))
      .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty()));
    if (ourEventsOnly) {
      options.setFilter(
        new ReadReq.Options.FilterOptions()
          .setEventType(new ReadReq.Options.FilterOptions.Expression().setRegex(OUR_EVENT_TYPES))
          .setCount(new Empty())
          .setCheckpointintervalmultiplier(1),
      );
    } else {
      options.setNoFilter(new Empty());
    }
    const request = new ReadReq().setOptions(options);
    return this.internals.execute(StreamsClient, 'readAll', async (grpcClient) => {
      const call = grpcClient.read(request, ...this.internals.callArguments({ deadline: deadlineMs }));
      const events: RecordedEvent[] = [];
      for await (const response of call as AsyncIterable<ReadResp>) {
        const read = response.getEvent();
        const event = read && fromWireEvent(read);
        if (event) events.push(event);
      }
      return events;
    });
  }

  /** Position of one stored event, for answers that come without one (idempotent retries on older servers). */
  private async positionOf(streamId: string, revision: bigint): Promise<bigint> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!event) throw new Error(`Stream ${streamId} has no event at revision ${revision} after a successful append`);
    return event.position;
  }

  private async retrying<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new Error('The event store is closed');
      try {
        return await operation();
      } catch (raw) {
        const error = raw instanceof Error ? convertToCommandError(raw) : raw;
        if (attempt + 1 >= this.attempts || !isTransient(error)) throw error;
        await sleep(this.backoff(attempt));
      }
    }
  }

  private backoff(attempt: number): number {
    const delay = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** attempt);
    return delay * (0.8 + Math.random() * 0.4);
  }
}

function toClientRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return BigInt(expected);
  }
}

function toActualRevision(actual: unknown): bigint | 'no_stream' {
  if (actual === 'no_stream' || actual === undefined || actual === null) return 'no_stream';
  const revision = BigInt(actual as bigint | number | string);
  return revision < 0n ? 'no_stream' : revision;
}

function isTransient(error: unknown): boolean {
  if (error instanceof NotLeaderError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && TRANSIENT_CODES.has(code);
}

/** An event as the client parsed it (stream reads, subscriptions); numbers coerced, the client is loose there. */
function fromClientEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | null {
  const event = resolved.event;
  if (!event) return null;
  const commit = event.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) {
    throw new Error(
      `EventStoreDB sent ${event.streamId}@${event.revision} without a position (server older than 22.6?)`,
    );
  }
  return upcast({
    id: event.id,
    streamId: event.streamId,
    revision: BigInt(event.revision),
    position: BigInt(commit),
    type: event.type,
    data: event.data,
    metadata: event.metadata as unknown as EventMetadata,
  });
}

/** An event straight from the wire (our filtered $all reads). */
function fromWireEvent(read: ReadResp.ReadEvent): RecordedEvent | null {
  const recorded = read.getEvent();
  if (!recorded) return null;
  const metadata = recorded.getMetadataMap();
  const isJson = metadata.get('content-type') === 'application/json';
  const customMetadata = recorded.getCustomMetadata_asU8();
  return upcast({
    id: recorded.getId()?.getString() ?? '',
    streamId: Buffer.from(recorded.getStreamIdentifier()?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8'),
    revision: BigInt(recorded.getStreamRevision()),
    position: BigInt(recorded.getCommitPosition()),
    type: metadata.get('type') ?? '',
    data: isJson ? JSON.parse(Buffer.from(recorded.getData_asU8()).toString('utf8')) : recorded.getData_asU8(),
    metadata: (customMetadata.length > 0 ? parseJson(customMetadata) : undefined) as EventMetadata,
  });
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return bytes;
  }
}

/** Adds the keep-alive settings unless the connection string sets them. */
function withKeepAlive(connectionString: string): string {
  const [base, query = ''] = connectionString.split('?', 2);
  const params = query ? query.split('&') : [];
  const given = new Set(params.map((p) => p.split('=')[0].trim().toLowerCase().replace(/[_-]/g, '')));
  for (const [key, value] of Object.entries(KEEP_ALIVE)) {
    if (!given.has(key.toLowerCase())) params.push(`${key}=${value}`);
  }
  return `${base}?${params.join('&')}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
