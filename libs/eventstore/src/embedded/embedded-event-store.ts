import { upcast } from '../upcasting';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
import { LogNotifier } from './log-notifier';

interface PendingAppend {
  streamId: string;
  events: EventToAppend[];
  expectedRevision: ExpectedRevision;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
}

interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

const PAGE = 1000;

/**
 * The embedded event log: one SQLite file in DATA_DIR, write-ahead logged with
 * `synchronous=FULL`, so a commit is on disk before any append is acknowledged.
 *
 * Group commit: appends arriving in the same turn of the event loop are queued and written
 * in one transaction (one fsync), then each caller is answered. Each append is checked on
 * its own (optimistic concurrency per stream); a failed one does not fail its batch-mates.
 */
export class EmbeddedEventStore implements EventStore {
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private head: bigint;
  /** Durable commits and the appends they carried: appends per commit shows the group commit at work. */
  readonly stats = { commits: 0, appends: 0 };
  private readonly notifier = new LogNotifier();
  private readonly stmt: {
    insert: Database.Statement;
    streamHead: Database.Statement;
    byEventId: Database.Statement;
    readStream: Database.Statement;
    readAll: Database.Statement;
    head: Database.Statement;
  };

  private constructor(private readonly db: Database.Database, readonly file: string) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        position  INTEGER PRIMARY KEY AUTOINCREMENT,
        stream_id TEXT    NOT NULL,
        revision  INTEGER NOT NULL,
        event_id  TEXT    NOT NULL UNIQUE,
        type      TEXT    NOT NULL,
        data      TEXT    NOT NULL,
        metadata  TEXT    NOT NULL,
        UNIQUE (stream_id, revision)
      );
    `);
    this.stmt = {
      insert: db.prepare(
        'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      streamHead: db.prepare('SELECT max(revision) AS r FROM events WHERE stream_id = ?').pluck(),
      byEventId: db.prepare('SELECT * FROM events WHERE event_id = ?'),
      readStream: db.prepare(
        'SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
      ),
      readAll: db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      head: db.prepare('SELECT max(position) FROM events').pluck(),
    };
    this.head = BigInt((this.stmt.head.get() as number | null) ?? 0);
    this.notifier.advance(this.head);
    // Nested in the batch transaction this runs in a savepoint: a failing append leaves no trace.
    this.writeOne = db.transaction((append: PendingAppend, heads: Map<string, bigint | null>) =>
      this.write(append, heads),
    );
  }

  private readonly writeOne: (append: PendingAppend, heads: Map<string, bigint | null>) => AppendResult;

  static open(options: { dataDir: string; fileName?: string }): EmbeddedEventStore {
    mkdirSync(options.dataDir, { recursive: true });
    const file = join(options.dataDir, options.fileName ?? 'events.sqlite');
    return new EmbeddedEventStore(new Database(file), file);
  }

  /** A consistent copy of the log into `path`, taken with SQLite's online backup while appends go on. */
  async backup(path: string): Promise<void> {
    await this.db.backup(path);
  }

  appendToStream(
    streamId: string,
    events: EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('The event store is closed'));
    if (events.length === 0) return Promise.reject(new Error('Nothing to append'));
    return new Promise((resolve, reject) => {
      this.queue.push({ streamId, events, expectedRevision: options.expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
    // Stream heads written earlier in this batch: a hot stream costs one query per batch, not per append.
    const heads = new Map<string, bigint | null>();
    try {
      this.db.transaction(() => {
        for (const append of batch) {
          try {
            outcomes.push({ ok: true, result: this.writeOne(append, heads) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      }).immediate();
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of this batch is stored.
      for (const append of batch) append.reject(error);
      return;
    }
    this.stats.commits += 1;
    this.stats.appends += batch.length;
    let newHead = this.head;
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i];
      if (outcome.ok) {
        if (outcome.result.position > newHead) newHead = outcome.result.position;
        batch[i].resolve(outcome.result);
      } else batch[i].reject(outcome.error);
    }
    if (newHead > this.head) {
      this.head = newHead;
      this.notifier.advance(newHead);
    }
  }

  /**
   * Writes one append inside the batch transaction, or throws without writing anything of it. A
   * retried append (its events stored before) is recognised only where it fails, by its revision or
   * by its first event's id, so a first attempt costs no lookup by event id.
   */
  private write(append: PendingAppend, heads: Map<string, bigint | null>): AppendResult {
    const { streamId, events, expectedRevision } = append;
    let current = heads.get(streamId);
    if (current === undefined) {
      const r = this.stmt.streamHead.get(streamId) as number | null;
      current = r === null ? null : BigInt(r);
    }
    const ok =
      expectedRevision === 'any' ||
      (expectedRevision === 'no_stream' && current === null) ||
      (expectedRevision === 'stream_exists' && current !== null) ||
      (typeof expectedRevision === 'bigint' && current === expectedRevision);
    if (!ok) {
      const existing = this.stmt.byEventId.get(events[0].id) as EventRow | undefined;
      if (existing) return this.answerRetry(append, existing);
      throw new WrongExpectedRevisionError(streamId, expectedRevision, current ?? 'no_stream');
    }

    let revision = current === null ? -1n : current;
    let position = 0n;
    for (const [i, e] of events.entries()) {
      revision += 1n;
      try {
        const info = this.stmt.insert.run(
          streamId,
          Number(revision),
          e.id,
          e.type,
          JSON.stringify(e.data),
          JSON.stringify(e.metadata),
        );
        position = BigInt(info.lastInsertRowid);
      } catch (error) {
        // Nothing of this append is written yet when its first event id is taken: a retry.
        const existing = i === 0 && isDuplicateEventId(error) ? (this.stmt.byEventId.get(e.id) as EventRow | undefined) : undefined;
        if (existing) return this.answerRetry(append, existing);
        throw error;
      }
    }
    heads.set(streamId, revision);
    return { nextExpectedRevision: revision, position };
  }

  /** The same event ids again: a retried append that was stored before. Answer as the first time. */
  private answerRetry(append: PendingAppend, first: EventRow): AppendResult {
    const rows = append.events.map((e) => this.stmt.byEventId.get(e.id) as EventRow | undefined);
    const consistent = rows.every(
      (row, i) => row && row.stream_id === append.streamId && row.revision === first.revision + i,
    );
    if (!consistent) {
      throw new WrongExpectedRevisionError(append.streamId, append.expectedRevision, BigInt(first.revision));
    }
    const last = rows[rows.length - 1] as EventRow;
    return { nextExpectedRevision: BigInt(last.revision), position: BigInt(last.position) };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const rows = this.stmt.readStream.all(
      streamId,
      Number(options.fromRevision ?? 0n),
      options.maxCount ?? -1,
    ) as EventRow[];
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options.after ?? 0n, options.maxCount ?? PAGE);
  }

  private readAllSync(after: bigint, maxCount: number): RecordedEvent[] {
    return (this.stmt.readAll.all(Number(after), maxCount) as EventRow[]).map(toRecorded);
  }

  subscribeToAll(options: { after?: bigint } = {}): Subscription {
    let cursor = options.after ?? 0n;
    let active = true;
    const stop = new AbortController();
    const self = this;
    async function* events(): AsyncGenerator<RecordedEvent> {
      while (active && !self.closed) {
        const page = self.readAllSync(cursor, PAGE);
        for (const e of page) {
          if (!active) return;
          cursor = e.position;
          yield e;
        }
        if (page.length < PAGE) {
          const reached = await self.notifier.waitBeyond(cursor, stop.signal);
          if (!reached) return;
        }
      }
    }
    const iterator = events();
    return {
      [Symbol.asyncIterator]: () => iterator,
      unsubscribe: async () => {
        active = false;
        stop.abort();
      },
    };
  }

  async headPosition(): Promise<bigint> {
    return this.head;
  }

  async health(): Promise<StoreHealth> {
    if (this.closed) return { status: 'down', adapter: 'embedded', detail: 'closed' };
    try {
      this.stmt.head.get();
      return { status: 'up', adapter: 'embedded', detail: this.file };
    } catch (error) {
      return { status: 'down', adapter: 'embedded', detail: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Answer every append already accepted before closing the file.
    if (this.queue.length > 0) this.flush();
    this.closed = true;
    this.notifier.close();
    this.db.close();
  }
}

/** By its code, not its class: the driver's error class need not be the one this module loaded. */
function isDuplicateEventId(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string' && message.includes('events.event_id');
}

function toRecorded(row: EventRow): RecordedEvent {
  return upcast({
    id: row.event_id,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
  });
}
