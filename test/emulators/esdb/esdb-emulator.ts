/**
 * EMULATOR ONLY — an in-memory stand-in for an EventStoreDB node, speaking the real gRPC wire
 * protocol with the service definitions that ship inside `@eventstore/db-client`, so the
 * official client (and our adapter over it) runs unmodified against it.
 *
 * Served: Streams.Read (stream and $all, forwards and backwards, filters, subscriptions with
 * catch-up then live), Streams.Append, Streams.BatchAppend, ServerFeatures.GetSupportedMethods.
 * Fault injection: `dropSubscriptions`, `dropConnections`, `stop`/`resume`/`restart` on the
 * same port, `appendSystemEvent` to interleave `$` events.
 *
 * Tests against it prove wire compatibility with the client and our adapter's logic; they do
 * not prove EventStoreDB behaviour. The real server runs the same contract when
 * EVENTSTORE_CONNECTION_STRING is set.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtoEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import {
  AllStreamPosition,
  Empty,
  StreamIdentifier,
  UUID,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
  ReadReq,
  ReadResp,
} from '@eventstore/db-client/generated/streams_pb';
import { AppendOutcome, EmulatedEvent, EmulatedExpectation, EmulatedLog, ProposedEvent } from './esdb-emulator-log';

export interface EsdbEmulatorOptions {
  /** Advertise and serve BatchAppend (as servers ≥ 21.10 do); off makes the client use Append. */
  batchAppend?: boolean;
  /** Seed the log with a system event, as a real node has before any user write. */
  seedSystemEvents?: boolean;
  /** Answer idempotent retries without a position, as older servers do. */
  retriesWithoutPosition?: boolean;
}

type ReadCall = grpc.ServerWritableStream<ReadReq, ReadResp>;

interface LiveSubscription {
  call: ReadCall;
  /** Decides whether a new event goes to this subscriber. */
  accepts: (event: EmulatedEvent) => boolean;
}

const SERVER_VERSION = '23.10.0-emulator';
const STREAMS_SERVICE = 'event_store.client.streams.Streams';
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the emulator was asked to do, so tests can check which wire path ran. */
export interface EsdbEmulatorCalls {
  reads: number;
  subscriptions: number;
  appends: number;
  batchAppends: number;
}

export class EsdbEmulator {
  readonly log = new EmulatedLog();
  readonly calls: EsdbEmulatorCalls = { reads: 0, subscriptions: 0, appends: 0, batchAppends: 0 };
  private server: grpc.Server | null = null;
  private readonly subscriptions = new Set<LiveSubscription>();
  private boundPort = 0;

  private constructor(private readonly options: Required<EsdbEmulatorOptions>) {
    this.log.onWrite((events) => this.publish(events));
    if (options.seedSystemEvents) this.appendSystemEvent('$settings', '$settings');
  }

  /** Starts an emulator on 127.0.0.1 and a free port. */
  static async start(options: EsdbEmulatorOptions = {}): Promise<EsdbEmulator> {
    const emulator = new EsdbEmulator({
      batchAppend: true,
      seedSystemEvents: true,
      retriesWithoutPosition: false,
      ...options,
    });
    await emulator.listen(0);
    return emulator;
  }

  get port(): number {
    return this.boundPort;
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.boundPort}?tls=false`;
  }

  get activeSubscriptions(): number {
    return this.subscriptions.size;
  }

  /** Writes a system event (`$` stream and type), as the server's own writers do. */
  appendSystemEvent(streamName = '$stats-127.0.0.1:2113', type = '$statsCollected'): void {
    this.log.append(streamName, { kind: 'any' }, [
      {
        id: randomUUID(),
        type,
        contentType: 'application/json',
        data: Buffer.from('{"emulator":true}'),
        customMetadata: new Uint8Array(),
      },
    ]);
  }

  /** Ends every live subscription with an error status; the connection stays up. */
  dropSubscriptions(code: grpc.status = grpc.status.UNAVAILABLE, details = 'EMULATOR: subscription dropped'): void {
    for (const sub of [...this.subscriptions]) {
      this.subscriptions.delete(sub);
      sub.call.emit('error', { code, details });
    }
  }

  /** Tears down every HTTP/2 connection at once, then serves again on the same port. */
  async dropConnections(): Promise<void> {
    await this.stop();
    await this.resume();
  }

  /** Stops serving (connections are torn down); the log is kept for `resume`. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    this.subscriptions.clear();
    server.forceShutdown();
  }

  /** Serves the same log again on the same port. */
  async resume(): Promise<void> {
    if (!this.server) await this.listen(this.boundPort);
  }

  async restart(downtimeMs = 0): Promise<void> {
    await this.stop();
    if (downtimeMs > 0) await new Promise((r) => setTimeout(r, downtimeMs));
    await this.resume();
  }

  async close(): Promise<void> {
    await this.stop();
  }

  private async listen(port: number): Promise<void> {
    const server = new grpc.Server();
    server.addService(StreamsService, {
      read: (call: ReadCall) => this.read(call),
      append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) =>
        this.append(call, callback),
      batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => this.batchAppend(call),
      delete: unimplemented,
      tombstone: unimplemented,
    });
    server.addService(ServerFeaturesService, {
      getSupportedMethods: (
        _call: grpc.ServerUnaryCall<Empty, SupportedMethods>,
        callback: grpc.sendUnaryData<SupportedMethods>,
      ) => callback(null, this.supportedMethods()),
    });
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    this.server = server;
  }

  private supportedMethods(): SupportedMethods {
    const names = ['Read', 'Append', ...(this.options.batchAppend ? ['BatchAppend'] : [])];
    return new SupportedMethods()
      .setEventStoreServerVersion(SERVER_VERSION)
      .setMethodsList(names.map((name) => new SupportedMethod().setServiceName(STREAMS_SERVICE).setMethodName(name)));
  }

  // ---- Read: plain reads and subscriptions -------------------------------------------------

  private read(call: ReadCall): void {
    const options = call.request.getOptions();
    if (!options) return fail(call, grpc.status.INVALID_ARGUMENT, 'EMULATOR: read without options');
    const filter = options.hasFilter() ? compileFilter(options.getFilter() as ReadReq.Options.FilterOptions) : null;
    if (options.hasSubscription()) return this.subscribe(call, options, filter);
    this.calls.reads++;

    const forwards = options.getReadDirection() === ReadReq.Options.ReadDirection.FORWARDS;
    const count = options.hasCount() ? Number(options.getCount()) : Number.MAX_SAFE_INTEGER;
    let selected: EmulatedEvent[];
    if (options.hasStream()) {
      const streamOptions = options.getStream() as ReadReq.Options.StreamOptions;
      const stream = this.log.stream(streamName(streamOptions.getStreamIdentifier()));
      if (!stream) {
        const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(streamOptions.getStreamIdentifier());
        call.write(new ReadResp().setStreamNotFound(notFound));
        call.end();
        return;
      }
      // Stream reads start at the given revision inclusive, in both directions.
      const from = streamFrom(streamOptions);
      if (forwards) {
        const first = from === 'start' ? 0 : from === 'end' ? stream.length : Number(from);
        selected = stream.slice(first, first + count);
      } else {
        const first = from === 'start' ? 0 : from === 'end' ? stream.length - 1 : Number(from);
        selected = stream.slice(Math.max(0, first - count + 1), first + 1).reverse();
      }
    } else {
      // $all reads forwards from a position are inclusive; backwards from a position, exclusive.
      const from = allFrom(options.getAll() as ReadReq.Options.AllOptions);
      const matching = this.log.events.filter((e) => !filter || filter(e));
      if (forwards) {
        selected = from === 'end' ? [] : matching.filter((e) => from === 'start' || e.position >= from).slice(0, count);
      } else {
        const candidates = from === 'start' ? [] : matching.filter((e) => from === 'end' || e.position < from);
        selected = candidates.slice(Math.max(0, candidates.length - count)).reverse();
      }
    }
    for (const event of selected) call.write(eventResponse(event));
    call.end();
  }

  private subscribe(call: ReadCall, options: ReadReq.Options, filter: EventFilter | null): void {
    this.calls.subscriptions++;
    call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
    let accepts: (event: EmulatedEvent) => boolean;
    let backlog: readonly EmulatedEvent[];
    if (options.hasStream()) {
      // Stream subscriptions start after the given revision (exclusive).
      const streamOptions = options.getStream() as ReadReq.Options.StreamOptions;
      const name = streamName(streamOptions.getStreamIdentifier());
      const stream = this.log.stream(name) ?? [];
      const from = streamFrom(streamOptions);
      const after = from === 'start' ? -1n : from === 'end' ? BigInt(stream.length - 1) : from;
      accepts = (e) => e.streamName === name;
      backlog = stream.filter((e) => e.revision > after);
    } else {
      // $all subscriptions start after the given position (exclusive).
      const from = allFrom(options.getAll() as ReadReq.Options.AllOptions);
      const after = from === 'start' ? -1n : from === 'end' ? this.log.headPosition : from;
      accepts = (e) => !filter || filter(e);
      backlog = this.log.events.filter((e) => e.position > after && accepts(e));
    }
    // Catch-up and the switch to live happen in one synchronous turn, so nothing falls between.
    for (const event of backlog) call.write(eventResponse(event));
    if (filter) {
      const head = this.log.headPosition;
      call.write(
        new ReadResp().setCheckpoint(
          new ReadResp.Checkpoint().setCommitPosition(String(head)).setPreparePosition(String(head)),
        ),
      );
    }
    call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
    const live: LiveSubscription = { call, accepts };
    this.subscriptions.add(live);
    const forget = () => this.subscriptions.delete(live);
    call.on('cancelled', forget);
    call.on('close', forget);
  }

  private publish(events: EmulatedEvent[]): void {
    for (const sub of this.subscriptions) {
      for (const event of events) if (sub.accepts(event)) sub.call.write(eventResponse(event));
    }
  }

  // ---- Append and BatchAppend ----------------------------------------------------------------

  private append(
    call: grpc.ServerReadableStream<AppendReq, AppendResp>,
    callback: grpc.sendUnaryData<AppendResp>,
  ): void {
    let options: AppendReq.Options | undefined;
    const proposed: ProposedEvent[] = [];
    let invalid: string | null = null;
    call.on('data', (req: AppendReq) => {
      if (req.hasOptions()) options = req.getOptions();
      else if (req.hasProposedMessage()) {
        const parsed = parseProposed(req.getProposedMessage() as AppendReq.ProposedMessage);
        if (typeof parsed === 'string') invalid = parsed;
        else proposed.push(parsed);
      }
    });
    call.on('end', () => {
      if (!options)
        return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'EMULATOR: append without options' });
      if (invalid) return callback({ code: grpc.status.INVALID_ARGUMENT, details: invalid });
      const expected = expectation(options, options.hasRevision() ? options.getRevision() : null);
      this.calls.appends++;
      const outcome = this.log.append(streamName(options.getStreamIdentifier()), expected, proposed);
      callback(null, appendResponse(outcome, expected, this.options.retriesWithoutPosition));
    });
  }

  private batchAppend(call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    // The client multiplexes appends on one call, each under its correlation id, possibly in several messages.
    const pending = new Map<
      string,
      { options?: BatchAppendReq.Options; proposed: ProposedEvent[]; invalid?: string }
    >();
    call.on('data', (req: BatchAppendReq) => {
      const correlation = req.getCorrelationId();
      const key = correlation?.getString() ?? '';
      const batch = pending.get(key) ?? { proposed: [] };
      pending.set(key, batch);
      if (req.hasOptions()) batch.options = req.getOptions();
      for (const message of req.getProposedMessagesList()) {
        const parsed = parseProposed(message);
        if (typeof parsed === 'string') batch.invalid = parsed;
        else batch.proposed.push(parsed);
      }
      if (!req.getIsFinal()) return;
      pending.delete(key);
      const options = batch.options;
      const resp = new BatchAppendResp().setCorrelationId(new UUID().setString(key));
      if (!options || batch.invalid) {
        call.write(
          resp.setError(
            new Status().setCode(Code.INVALID_ARGUMENT).setMessage(batch.invalid ?? 'EMULATOR: batch without options'),
          ),
        );
        return;
      }
      resp.setStreamIdentifier(options.getStreamIdentifier());
      const expected = expectation(options, options.hasStreamPosition() ? options.getStreamPosition() : null);
      this.calls.batchAppends++;
      const outcome = this.log.append(streamName(options.getStreamIdentifier()), expected, batch.proposed);
      if (outcome.ok) {
        const success = new BatchAppendResp.Success().setCurrentRevision(String(outcome.currentRevision));
        if (outcome.retry && this.options.retriesWithoutPosition) success.setNoPosition(new ProtoEmpty());
        else {
          success.setPosition(
            new AllStreamPosition()
              .setCommitPosition(String(outcome.position))
              .setPreparePosition(String(outcome.position)),
          );
        }
        call.write(resp.setSuccess(success));
        return;
      }
      call.write(resp.setError(wrongExpectedVersionStatus(outcome.currentRevision, expected)));
    });
    call.on('end', () => call.end());
  }
}

type EventFilter = (event: EmulatedEvent) => boolean;

function expectation(
  options: { hasNoStream(): boolean; hasStreamExists(): boolean },
  revision: string | null,
): EmulatedExpectation {
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  if (revision !== null) return { kind: 'revision', revision: BigInt(revision) };
  return { kind: 'any' };
}

/** BatchAppend reports a conflict as google.rpc.Status with packed details, as unpackToCommandError reads. */
function wrongExpectedVersionStatus(current: bigint | null, expected: EmulatedExpectation): Status {
  const details = new WrongExpectedVersion();
  if (current === null) details.setCurrentNoStream(new ProtoEmpty());
  else details.setCurrentStreamRevision(String(current));
  if (expected.kind === 'revision') details.setExpectedStreamPosition(String(expected.revision));
  else if (expected.kind === 'no_stream') details.setExpectedNoStream(new ProtoEmpty());
  else if (expected.kind === 'stream_exists') details.setExpectedStreamExists(new ProtoEmpty());
  else details.setExpectedAny(new ProtoEmpty());
  const any = new Any();
  any.pack(details.serializeBinary(), 'event_store.client.WrongExpectedVersion');
  return new Status().setCode(Code.FAILED_PRECONDITION).setMessage('Wrong expected version').setDetails(any);
}

function compileFilter(options: ReadReq.Options.FilterOptions): EventFilter {
  const onType = options.hasEventType();
  const expression = (
    onType ? options.getEventType() : options.getStreamIdentifier()
  ) as ReadReq.Options.FilterOptions.Expression;
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : null;
  const prefixes = expression.getPrefixList();
  return (event) => {
    const subject = onType ? event.type : event.streamName;
    return regex ? regex.test(subject) : prefixes.some((p) => subject.startsWith(p));
  };
}

/** Where a stream read or subscription starts: a revision, or the start or end of the stream. */
function streamFrom(options: ReadReq.Options.StreamOptions): bigint | 'start' | 'end' {
  if (options.hasRevision()) return BigInt(options.getRevision());
  return options.hasEnd() ? 'end' : 'start';
}

/** Where an $all read or subscription starts: a commit position, or the start or end of the log. */
function allFrom(options: ReadReq.Options.AllOptions): bigint | 'start' | 'end' {
  if (options.hasPosition()) return BigInt((options.getPosition() as ReadReq.Options.Position).getCommitPosition());
  return options.hasEnd() ? 'end' : 'start';
}

function streamName(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

function parseProposed(message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): ProposedEvent | string {
  const id = message.getId()?.getString() ?? '';
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (!UUID_PATTERN.test(id)) return `EMULATOR: event id is not a UUID: ${id}`;
  if (!type || !contentType) return 'EMULATOR: required metadata properties missing: type, content-type';
  return {
    id: id.toLowerCase(),
    type,
    contentType,
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

function eventResponse(event: EmulatedEvent): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString(event.id))
    .setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(event.streamName, 'utf8')))
    .setStreamRevision(String(event.revision))
    .setCommitPosition(String(event.position))
    .setPreparePosition(String(event.position))
    .setData(event.data)
    .setCustomMetadata(event.customMetadata);
  recorded
    .getMetadataMap()
    .set('type', event.type)
    .set('content-type', event.contentType)
    .set('created', String(event.created));
  return new ReadResp().setEvent(new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(String(event.position)));
}

function appendResponse(
  outcome: AppendOutcome,
  expected: EmulatedExpectation,
  retriesWithoutPosition: boolean,
): AppendResp {
  if (outcome.ok) {
    const success = new AppendResp.Success().setCurrentRevision(String(outcome.currentRevision));
    if (outcome.retry && retriesWithoutPosition) success.setNoPosition(new Empty());
    else {
      success.setPosition(
        new AppendResp.Position()
          .setCommitPosition(String(outcome.position))
          .setPreparePosition(String(outcome.position)),
      );
    }
    return new AppendResp().setSuccess(success);
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  if (outcome.currentRevision === null) wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentRevision(String(outcome.currentRevision));
  if (expected.kind === 'revision') wrong.setExpectedRevision(String(expected.revision));
  else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new Empty());
  else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
  else wrong.setExpectedAny(new Empty());
  return new AppendResp().setWrongExpectedVersion(wrong);
}

function fail(call: ReadCall, code: grpc.status, details: string): void {
  call.emit('error', { code, details });
}

function unimplemented(_call: unknown, callback: grpc.sendUnaryData<never>): void {
  callback({ code: grpc.status.UNIMPLEMENTED, details: 'EMULATOR: not emulated' });
}
