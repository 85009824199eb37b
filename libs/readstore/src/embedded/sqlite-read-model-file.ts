import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexSpec } from '../read-store.port';
import { decodeDocument } from './document-values';

export const READ_MODEL_FILE = 'readmodels.sqlite';

/** One port call's effect on one collection, written as one SQLite transaction. */
export interface CollectionChanges {
  collection: string;
  /** Every document was removed before `upserts` (drop). */
  cleared?: boolean;
  upserts: Array<[id: string, body: string]>;
  deletes: string[];
  indexes?: IndexSpec[];
  /** Names of the indexes dropped. */
  droppedIndexes?: string[];
}

/** How long relaxed writes may wait before they are written, and how many may wait. */
const RELAXED_DELAY_MS = 200;
const RELAXED_MAX_PENDING = 50_000;

/**
 * The embedded read models' copy on disk.
 *
 * A durable write (the default) is committed before `commit` returns, in one SQLite transaction
 * with every relaxed write still waiting, which it follows. A relaxed write (a projection's batch
 * and its checkpoint: the log can replay them) waits up to RELAXED_DELAY_MS, and the latest body of
 * each document waiting is written once, with all others waiting, in one transaction. A document a
 * projection rewrites with every event of a busy stream is then written a few times a second, not
 * once per batch. Every transaction holds all writes made before it, so the file always holds the
 * read models as they were at one moment: a checkpoint never gets ahead of its documents. A
 * process crash loses at most the relaxed writes of the last RELAXED_DELAY_MS, which the
 * projections replay from their checkpoints.
 *
 * WAL with synchronous=NORMAL: a process crash loses no committed transaction; a power loss can
 * lose the last ones but never tears one, and they survive in order. Read models can be rebuilt
 * from the event log, so an fsync per write would buy nothing.
 */
export class SqliteReadModelFile {
  private readonly upsert: Database.Statement<[string, string, string]>;
  private readonly remove: Database.Statement<[string, string]>;
  private readonly clear: Database.Statement<[string]>;
  private readonly putIndex: Database.Statement<[string, string, string]>;
  private readonly dropIndex: Database.Statement<[string, string]>;
  private readonly readOne: Database.Statement<[string, string], string>;
  private readonly commitTx: (changes: CollectionChanges[]) => void;
  /** Relaxed writes waiting: per collection, the documents changed. */
  private readonly pending = new Map<string, Set<string>>();
  private pendingCount = 0;
  /** Per collection, how to read a document's body as it is now (see `changed`). */
  private readonly readers = new Map<string, (id: string) => string | null>();
  private timer?: NodeJS.Timeout;

  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {
    // The documents live in this process's memory: a second process writing the same file would
    // be invisible to it (and overwritten by it). An exclusive lock makes that fail at open.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS documents (
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (collection, id)
      );
      CREATE TABLE IF NOT EXISTS indexes (
        collection TEXT NOT NULL,
        name TEXT NOT NULL,
        spec TEXT NOT NULL,
        PRIMARY KEY (collection, name)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
    this.upsert = db.prepare(
      'INSERT INTO documents (collection, id, body) VALUES (?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET body = excluded.body',
    );
    this.remove = db.prepare('DELETE FROM documents WHERE collection = ? AND id = ?');
    this.clear = db.prepare('DELETE FROM documents WHERE collection = ?');
    this.putIndex = db.prepare(
      'INSERT INTO indexes (collection, name, spec) VALUES (?, ?, ?) ON CONFLICT (collection, name) DO UPDATE SET spec = excluded.spec',
    );
    this.dropIndex = db.prepare('DELETE FROM indexes WHERE collection = ? AND name = ?');
    this.readOne = db.prepare<[string, string], string>('SELECT body FROM documents WHERE collection = ? AND id = ?').pluck();
    this.commitTx = db.transaction((all: CollectionChanges[]) => {
      for (const changes of all) {
        const { collection } = changes;
        if (changes.cleared) this.clear.run(collection);
        for (const id of changes.deletes) this.remove.run(collection, id);
        for (const [id, body] of changes.upserts) this.upsert.run(collection, id, body);
        for (const name of changes.droppedIndexes ?? []) this.dropIndex.run(collection, name);
        for (const spec of changes.indexes ?? []) this.putIndex.run(collection, spec.name ?? '', JSON.stringify(spec));
      }
    });
  }

  static open(dataDir: string): SqliteReadModelFile {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, READ_MODEL_FILE);
    const db = new Database(path, { timeout: 1_000 });
    try {
      return new SqliteReadModelFile(db, path);
    } catch (error) {
      db.close();
      throw inUse(path, error);
    }
  }

  /** Writes one port call's changes now, after every relaxed write still waiting. */
  commit(changes: CollectionChanges): void {
    this.write(this.takePending(), changes);
  }

  /**
   * A relaxed write: these documents of the collection changed; their bodies (`bodyOf`, null for
   * a document deleted) are read when they are written, so a document changed many times while it
   * waited is encoded and written once, as it is by then.
   */
  changed(collection: string, ids: Iterable<string>, bodyOf: (id: string) => string | null, mayFlush = true): void {
    this.readers.set(collection, bodyOf);
    let waiting = this.pending.get(collection);
    if (!waiting) this.pending.set(collection, (waiting = new Set()));
    for (const id of ids) {
      if (waiting.has(id)) continue;
      waiting.add(id);
      this.pendingCount++;
    }
    if (mayFlush && this.pendingCount >= RELAXED_MAX_PENDING) this.flush();
    else this.timer ??= setTimeout(() => this.flushLogged(), RELAXED_DELAY_MS);
  }

  /** Whether a relaxed write of this document is still waiting. */
  isPending(collection: string, id: string): boolean {
    return this.pending.get(collection)?.has(id) === true;
  }

  /** Writes every relaxed write waiting, in one transaction. */
  flush(): void {
    const changes = this.takePending();
    if (changes.length > 0) this.write(changes);
  }

  /**
   * Commits the relaxed writes taken from `pending` and then `changes`. When that fails they wait
   * again, so a document changed in memory is never taken for one that is on disk.
   */
  private write(taken: CollectionChanges[], changes?: CollectionChanges): void {
    try {
      this.commitTx(changes ? [...taken, changes] : taken);
    } catch (error) {
      this.requeue(taken);
      throw error;
    }
    this.onWritten();
  }

  private requeue(taken: CollectionChanges[]): void {
    for (const c of taken) this.changed(c.collection, [...c.deletes, ...c.upserts.map(([id]) => id)], this.readers.get(c.collection)!, false);
  }

  private takePending(): CollectionChanges[] {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingCount === 0) return [];
    const changes: CollectionChanges[] = [];
    for (const [collection, ids] of this.pending) {
      const bodyOf = this.readers.get(collection)!;
      const upserts: Array<[string, string]> = [];
      const deletes: string[] = [];
      for (const id of ids) {
        const body = bodyOf(id);
        if (body === null) deletes.push(id);
        else upserts.push([id, body]);
      }
      changes.push({ collection, upserts, deletes });
    }
    this.pending.clear();
    this.pendingCount = 0;
    return changes;
  }

  /** A flush on the timer has no caller to tell: a failure is reported, and the writes wait for the next. */
  private flushLogged(): void {
    const changes = this.takePending();
    if (changes.length === 0) return;
    try {
      this.write(changes);
    } catch (error) {
      // Written as they are by then with the next flush (bodies are read from memory when written).
      this.onFlushError(error);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.flushLogged(), RELAXED_DELAY_MS * 5);
    }
  }

  /** Told when a timed flush fails (the store logs it). */
  onFlushError: (error: unknown) => void = () => undefined;

  /** Told after each committed transaction: then every write made so far is on disk. */
  onWritten: () => void = () => undefined;

  /** Every collection's index definitions. */
  loadIndexes(): Map<string, IndexSpec[]> {
    const out = new Map<string, IndexSpec[]>();
    try {
      for (const row of this.db.prepare('SELECT collection, spec FROM indexes ORDER BY collection, name').raw().iterate()) {
        const [collection, spec] = row as [string, string];
        const specs = out.get(collection) ?? [];
        specs.push(JSON.parse(spec) as IndexSpec);
        out.set(collection, specs);
      }
    } catch (error) {
      throw inUse(this.path, error);
    }
    return out;
  }

  /**
   * The token of the image a clean stop left (see ReadModelImages), or null. It is deleted at
   * once, durably, so an image is never used with a file changed after it was made.
   */
  takeImageToken(): string | null {
    try {
      const token = this.db.prepare<[], string>("SELECT value FROM meta WHERE key = 'image'").pluck().get() ?? null;
      if (token !== null) this.db.prepare("DELETE FROM meta WHERE key = 'image'").run();
      return token;
    } catch (error) {
      throw inUse(this.path, error);
    }
  }

  /** Records an image's token: the last write before the file is closed. */
  recordImageToken(token: string): void {
    this.flush();
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('image', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(token);
  }

  /** How many documents each collection holds. */
  countDocuments(): Map<string, number> {
    const rows = this.db.prepare('SELECT collection, count(*) FROM documents GROUP BY collection').raw().all() as Array<[string, number]>;
    return new Map(rows);
  }

  /** Hands each stored document to `visit`, one at a time, in the order they were first stored. */
  loadDocuments(visit: (collection: string, id: string, doc: Record<string, unknown>) => void): void {
    try {
      for (const row of this.db.prepare('SELECT collection, id, body FROM documents').raw().iterate()) {
        const [collection, id, body] = row as [string, string, string];
        visit(collection, id, decodeDocument(body));
      }
    } catch (error) {
      throw inUse(this.path, error);
    }
  }

  /** One document as committed (a relaxed write still waiting is not there yet); undefined when there is none. */
  read(collection: string, id: string): Record<string, unknown> | undefined {
    const body = this.readOne.get(collection, id);
    return body === undefined ? undefined : decodeDocument(body);
  }

  ping(): void {
    this.db.prepare('SELECT 1').get();
  }

  /**
   * A consistent copy into `path` with SQLite's online backup: what waits is written first, so the
   * copy holds whole batches with their checkpoints. The copy's image token is removed, as the
   * image belongs to this file (a start from the copy reads its documents instead).
   */
  async backup(path: string): Promise<void> {
    this.flush();
    await this.db.backup(path);
    const copy = new Database(path);
    try {
      copy.prepare("DELETE FROM meta WHERE key = 'image'").run();
    } finally {
      copy.close();
    }
  }

  close(): void {
    try {
      this.flush();
    } finally {
      this.db.close();
    }
  }
}

/** SQLITE_BUSY at open means another process holds the file (see locking_mode above). */
function inUse(path: string, error: unknown): unknown {
  if (error instanceof Error && /locked|busy/i.test(error.message)) {
    return new Error(`${path} is in use by another process: ${error.message}`, { cause: error });
  }
  return error;
}
