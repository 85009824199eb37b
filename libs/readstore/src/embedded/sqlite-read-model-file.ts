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
}

export interface LoadedCollection {
  documents: Array<[id: string, doc: Record<string, unknown>]>;
  indexes: IndexSpec[];
}

/**
 * Write-through copy of the embedded read models, one SQLite transaction per port call.
 * WAL with synchronous=NORMAL: a process crash loses nothing; a power loss can lose the last
 * commits but never tears one, and commits survive in order, so a projection's checkpoint never
 * gets ahead of the documents written before it. Read models can be rebuilt from the event log,
 * so an fsync per write would buy nothing.
 */
export class SqliteReadModelFile {
  private readonly upsert: Database.Statement<[string, string, string]>;
  private readonly remove: Database.Statement<[string, string]>;
  private readonly clear: Database.Statement<[string]>;
  private readonly putIndex: Database.Statement<[string, string, string]>;
  private readonly commitTx: (changes: CollectionChanges) => void;

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
    `);
    this.upsert = db.prepare(
      'INSERT INTO documents (collection, id, body) VALUES (?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET body = excluded.body',
    );
    this.remove = db.prepare('DELETE FROM documents WHERE collection = ? AND id = ?');
    this.clear = db.prepare('DELETE FROM documents WHERE collection = ?');
    this.putIndex = db.prepare(
      'INSERT INTO indexes (collection, name, spec) VALUES (?, ?, ?) ON CONFLICT (collection, name) DO UPDATE SET spec = excluded.spec',
    );
    this.commitTx = db.transaction((changes: CollectionChanges) => {
      const { collection } = changes;
      if (changes.cleared) this.clear.run(collection);
      for (const id of changes.deletes) this.remove.run(collection, id);
      for (const [id, body] of changes.upserts) this.upsert.run(collection, id, body);
      for (const spec of changes.indexes ?? []) this.putIndex.run(collection, spec.name ?? '', JSON.stringify(spec));
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

  commit(changes: CollectionChanges): void {
    this.commitTx(changes);
  }

  /** Every collection's documents and index definitions. */
  loadAll(): Map<string, LoadedCollection> {
    try {
      return this.readAll();
    } catch (error) {
      throw inUse(this.path, error);
    }
  }

  private readAll(): Map<string, LoadedCollection> {
    const out = new Map<string, LoadedCollection>();
    const get = (name: string): LoadedCollection => {
      let c = out.get(name);
      if (!c) out.set(name, (c = { documents: [], indexes: [] }));
      return c;
    };
    for (const row of this.db.prepare('SELECT collection, spec FROM indexes ORDER BY collection, name').raw().iterate()) {
      const [collection, spec] = row as [string, string];
      get(collection).indexes.push(JSON.parse(spec) as IndexSpec);
    }
    for (const row of this.db.prepare('SELECT collection, id, body FROM documents').raw().iterate()) {
      const [collection, id, body] = row as [string, string, string];
      get(collection).documents.push([id, decodeDocument(body)]);
    }
    return out;
  }

  ping(): void {
    this.db.prepare('SELECT 1').get();
  }

  close(): void {
    this.db.close();
  }
}

/** SQLITE_BUSY at open means another process holds the file (see locking_mode above). */
function inUse(path: string, error: unknown): unknown {
  if (error instanceof Error && /locked|busy/i.test(error.message)) {
    return new Error(`${path} is in use by another process: ${error.message}`, { cause: error });
  }
  return error;
}
