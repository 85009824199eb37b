import { EventMetadata } from '@kundportal/kernel';

/**
 * The event log. Positions are bigints inside and decimal strings at the API edge;
 * a position orders every event of the log (one global order) and grows strictly.
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

export interface EventToAppend {
  /** A UUID. Appending the same ids to the same stream again is a no-op that answers as the first time. */
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export interface RecordedEvent {
  id: string;
  streamId: string;
  /** 0-based revision within the stream. */
  revision: bigint;
  /** Position in the global log. */
  position: bigint;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export interface AppendResult {
  /** Revision of the last event written: the expected revision for the next append. */
  nextExpectedRevision: bigint;
  /** Global position of the last event written. */
  position: bigint;
}

export interface ReadStreamOptions {
  /** Inclusive; default 0. */
  fromRevision?: bigint;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omitted: from the start of the log. */
  after?: bigint;
  maxCount?: number;
}

/** A live view of the log: catch-up from `after`, then new events as they are appended, in order. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  unsubscribe(): Promise<void>;
}

export interface StoreHealth {
  status: 'up' | 'down';
  adapter: string;
  detail?: string;
}

export interface EventStore {
  appendToStream(
    streamId: string,
    events: EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Events of one stream in revision order; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of the global log in position order, only this service's events. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: { after?: bigint }): Subscription;
  /** Position of the newest event of this service in the log; 0n when empty. */
  headPosition(): Promise<bigint>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

/** Nest injection token for the EventStore port. */
export const EVENT_STORE = Symbol('EventStore');

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export function positionToString(p: bigint): string {
  return p.toString();
}

/** Parses a position from the edge; null when it is not a non-negative integer. */
export function parsePosition(s: unknown): bigint | null {
  if (typeof s !== 'string' || !/^\d{1,20}$/.test(s)) return null;
  return BigInt(s);
}
