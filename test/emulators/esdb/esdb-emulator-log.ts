/**
 * EMULATOR ONLY — the in-memory transaction log behind the EventStoreDB wire emulator.
 *
 * It keeps the server semantics the adapters rely on, as EventStoreDB (v20+, gRPC) has them:
 * - positions are byte-like offsets in one log: they grow strictly but are not contiguous;
 *   every event of a gRPC append is committed on its own, so commit == prepare position per event;
 * - an append's answer carries the position of its last event;
 * - expected revisions and idempotence by event id follow the server's commit check: a retry
 *   with the same ids answers as the first write, a partial match is a wrong expected version.
 * It is not EventStoreDB: no deletes, no ACLs, no projections, no link resolution.
 */

/** The first offset handed out: a real log starts with an epoch record, not with an event. */
const FIRST_POSITION = 1024n;
/** Fixed part of a record's size, so offsets look like a real log's. */
const RECORD_OVERHEAD = 96n;

export interface EmulatedEvent {
  id: string;
  streamName: string;
  revision: bigint;
  position: bigint;
  type: string;
  contentType: string;
  /** Unix epoch in .NET ticks (100 ns), as the server's `created` metadata. */
  created: bigint;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

export type EmulatedExpectation =
  { kind: 'any' } | { kind: 'no_stream' } | { kind: 'stream_exists' } | { kind: 'revision'; revision: bigint };

export type AppendOutcome =
  /** `retry`: the ids were stored before; the answer is the first write's. */
  | { ok: true; currentRevision: bigint; position: bigint; retry: boolean }
  | { ok: false; currentRevision: bigint | null };

export class EmulatedLog {
  private readonly all: EmulatedEvent[] = [];
  private readonly streams = new Map<string, EmulatedEvent[]>();
  private readonly byId = new Map<string, EmulatedEvent>();
  private nextPosition = FIRST_POSITION;
  private readonly listeners = new Set<(events: EmulatedEvent[]) => void>();

  /** Called synchronously after each successful write, with the new events in log order. */
  onWrite(listener: (events: EmulatedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(streamName: string, expected: EmulatedExpectation, proposed: ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamName);
    const current = stream ? stream[stream.length - 1].revision : null;
    const idempotent = this.checkRetry(streamName, stream ?? [], current, expected, proposed);
    if (idempotent !== 'not_a_retry') return idempotent;

    const accepted =
      expected.kind === 'any' ||
      (expected.kind === 'no_stream' && current === null) ||
      (expected.kind === 'stream_exists' && current !== null) ||
      (expected.kind === 'revision' && current === expected.revision);
    if (!accepted) return { ok: false, currentRevision: current };
    if (proposed.length === 0) {
      return { ok: true, currentRevision: current ?? -1n, position: this.nextPosition, retry: false };
    }

    const target = stream ?? [];
    if (!stream) this.streams.set(streamName, target);
    let revision = current ?? -1n;
    const written: EmulatedEvent[] = [];
    const created = BigInt(Date.now()) * 10_000n;
    for (const p of proposed) {
      revision += 1n;
      const event: EmulatedEvent = { ...p, streamName, revision, position: this.nextPosition, created };
      this.nextPosition +=
        RECORD_OVERHEAD + BigInt(streamName.length + p.type.length + p.data.length + p.customMetadata.length);
      target.push(event);
      this.all.push(event);
      this.byId.set(event.id, event);
      written.push(event);
    }
    for (const listener of this.listeners) listener(written);
    const last = written[written.length - 1];
    return { ok: true, currentRevision: last.revision, position: last.position, retry: false };
  }

  /**
   * The server's idempotence: with an exact expectation the ids are compared with the events
   * after the expected revision; with any/stream_exists they are looked up by id.
   */
  private checkRetry(
    streamName: string,
    stream: EmulatedEvent[],
    current: bigint | null,
    expected: EmulatedExpectation,
    proposed: ProposedEvent[],
  ): AppendOutcome | 'not_a_retry' {
    if (proposed.length === 0) return 'not_a_retry';
    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      if (expected.kind === 'stream_exists' && current === null) return 'not_a_retry';
      const first = this.byId.get(proposed[0].id);
      if (!first || first.streamName !== streamName) return 'not_a_retry';
      return this.matchFrom(stream, first.revision, current, proposed);
    }
    const expectedRevision = expected.kind === 'no_stream' ? -1n : expected.revision;
    if (current === null || current <= expectedRevision) return 'not_a_retry';
    const first = stream[Number(expectedRevision + 1n)];
    if (first.id !== proposed[0].id) return { ok: false, currentRevision: current };
    return this.matchFrom(stream, first.revision, current, proposed);
  }

  private matchFrom(
    stream: EmulatedEvent[],
    fromRevision: bigint,
    current: bigint | null,
    proposed: ProposedEvent[],
  ): AppendOutcome {
    const stored = proposed.map((p, i) => stream[Number(fromRevision) + i] as EmulatedEvent | undefined);
    if (!stored.every((e, i) => e?.id === proposed[i].id)) return { ok: false, currentRevision: current };
    const last = stored[stored.length - 1] as EmulatedEvent;
    return { ok: true, currentRevision: last.revision, position: last.position, retry: true };
  }

  stream(streamName: string): readonly EmulatedEvent[] | undefined {
    return this.streams.get(streamName);
  }

  /** The whole log in position order. */
  get events(): readonly EmulatedEvent[] {
    return this.all;
  }

  /** Position of the last record, or 0n when the log is empty (a real log never is). */
  get headPosition(): bigint {
    return this.all.length === 0 ? 0n : this.all[this.all.length - 1].position;
  }
}
