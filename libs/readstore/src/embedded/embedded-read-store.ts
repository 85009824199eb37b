import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import {
  DuplicateKeyError,
  type Doc,
  type Filter,
  type FindOptions,
  type IndexSpec,
  type ReadCollection,
  type ReadStore,
  type ReadStoreHealth,
  type Update,
  type WriteOp,
} from '../read-store.port';
import { cloneValue, encodeDocument, isOperatorObject } from './document-values';
import { HashIndex, planCandidates } from './hash-index';
import { compileFilter } from './mingo-engine';
import { sortDocuments } from './sort-documents';
import { SqliteReadModelFile } from './sqlite-read-model-file';
import { applyUpdate, seedFromFilter } from './update-document';

export interface EmbeddedReadStoreOptions {
  /** Directory of `readmodels.sqlite`; created when missing. */
  dataDir: string;
}

/** What one port call changed, so it can be written as one transaction or undone as a whole. */
interface WriteLog {
  /** Each document touched, with its state before the touch (undefined: it did not exist). */
  readonly undo: Array<[id: string, previous: Doc | undefined]>;
  /** The documents as they were before a drop. */
  cleared?: Map<string, Doc>;
  added?: HashIndex[];
}

interface StoreContext {
  readonly file: SqliteReadModelFile | null;
  assertOpen(): void;
}

/**
 * The read store inside the process: documents in memory, hash indexes for equality lookups,
 * mingo (MongoDB's query language) for filters, updates and sort order, and an SQLite file
 * written through on every call so a restart does not mean a rebuild.
 *
 * Calls are synchronous underneath, so each one is atomic with respect to the others. One
 * process per data directory (the file is locked while open).
 */
export class EmbeddedReadStore implements ReadStore {
  private readonly collections = new Map<string, EmbeddedCollection>();
  private closed = false;
  private readonly context: StoreContext;

  private constructor(
    file: SqliteReadModelFile | null,
    private readonly location: string,
  ) {
    this.context = {
      file,
      assertOpen: () => {
        if (this.closed) throw new Error('The embedded read store is closed');
      },
    };
  }

  /** Opens (or creates) `<dataDir>/readmodels.sqlite` and loads every document into memory. */
  static async open(options: EmbeddedReadStoreOptions): Promise<EmbeddedReadStore> {
    const file = SqliteReadModelFile.open(options.dataDir);
    const store = new EmbeddedReadStore(file, resolve(options.dataDir));
    try {
      for (const [name, loaded] of file.loadAll()) store.getCollection(name).restore(loaded.indexes, loaded.documents);
    } catch (error) {
      file.close();
      throw error;
    }
    return store;
  }

  /** Nothing written anywhere: for tests and throw-away runs. */
  static inMemory(): EmbeddedReadStore {
    return new EmbeddedReadStore(null, 'memory');
  }

  collection<T extends Doc = Doc>(name: string): EmbeddedCollection<T> {
    this.context.assertOpen();
    return this.getCollection(name) as unknown as EmbeddedCollection<T>;
  }

  async health(): Promise<ReadStoreHealth> {
    if (this.closed) return { status: 'down', adapter: 'embedded', detail: 'closed' };
    try {
      this.context.file?.ping();
      return { status: 'up', adapter: 'embedded', detail: this.location };
    } catch (error) {
      return { status: 'down', adapter: 'embedded', detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.context.file?.close();
  }

  private getCollection(name: string): EmbeddedCollection {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new EmbeddedCollection(name, this.context);
      this.collections.set(name, collection);
    }
    return collection;
  }
}

export class EmbeddedCollection<T extends Doc = Doc> implements ReadCollection<T> {
  private docs = new Map<string, Doc>();
  private indexes: HashIndex[] = [];

  /** @internal created by EmbeddedReadStore */
  constructor(
    readonly name: string,
    private readonly context: StoreContext,
  ) {}

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    this.context.assertOpen();
    const skip = Math.max(0, options.skip ?? 0);
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const sort = options.sort && Object.keys(options.sort).length > 0 ? options.sort : undefined;
    if (!sort) {
      // Natural order: stop as soon as the page is full.
      const page: Doc[] = [];
      let seen = 0;
      this.scan(filter, skip + limit, (doc) => {
        if (seen++ >= skip) page.push(doc);
      });
      return page.map((doc) => cloneValue(doc) as T);
    }
    const matches: Doc[] = [];
    this.scan(filter, Infinity, (doc) => matches.push(doc));
    const page = sortDocuments(matches, sort).slice(skip, limit === Infinity ? undefined : skip + limit);
    return page.map((doc) => cloneValue(doc) as T);
  }

  async findOne(filter: Filter): Promise<T | null> {
    this.context.assertOpen();
    const doc = this.first(filter);
    return doc ? (cloneValue(doc) as T) : null;
  }

  async count(filter: Filter): Promise<number> {
    this.context.assertOpen();
    if (Object.keys(filter).length === 0) return this.docs.size;
    let n = 0;
    this.scan(filter, Infinity, () => n++);
    return n;
  }

  async insertOne(document: T): Promise<void> {
    this.write((log) => this.insert(log, cloneValue(document)));
  }

  async replaceOne(filter: Filter, replacement: T, options: { upsert?: boolean } = {}): Promise<{ matched: number; upserted: boolean }> {
    return this.write((log) => this.replace(log, filter, replacement, options.upsert === true));
  }

  async updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<{ matched: number; upserted: boolean }> {
    return this.write((log) => this.updateFirst(log, filter, update, options.upsert === true));
  }

  async updateMany(filter: Filter, update: Update): Promise<{ matched: number }> {
    return this.write((log) => ({ matched: this.updateAll(log, filter, update, false).matched }));
  }

  async deleteOne(filter: Filter): Promise<{ deleted: number }> {
    return this.write((log) => {
      const doc = this.first(filter);
      if (doc) this.remove(log, doc._id);
      return { deleted: doc ? 1 : 0 };
    });
  }

  async deleteMany(filter: Filter): Promise<{ deleted: number }> {
    return this.write((log) => {
      const ids: string[] = [];
      this.scan(filter, Infinity, (doc) => ids.push(doc._id));
      for (const id of ids) this.remove(log, id);
      return { deleted: ids.length };
    });
  }

  /**
   * Ordered, like MongoDB's default: the operations before a failing one stay applied (and are
   * committed), the failing one is undone as a whole, the rest are not attempted, and the error
   * is rethrown.
   */
  async bulkWrite(ops: WriteOp<T>[]): Promise<void> {
    let failed = false;
    let failure: unknown;
    this.write((log) => {
      for (const op of ops) {
        const mark = log.undo.length;
        try {
          this.apply(log, op);
        } catch (error) {
          this.rollback(log, mark);
          failed = true;
          failure = error;
          break;
        }
      }
    });
    if (failed) throw failure;
  }

  /**
   * Hash indexes (see HashIndex). Creating an index that exists with the same definition is a
   * no-op; the same name or keys with another definition is refused, as MongoDB does. A unique
   * index that the current documents break is refused with DuplicateKeyError and not created.
   */
  async createIndexes(specs: IndexSpec[]): Promise<void> {
    this.write((log) => {
      const added: HashIndex[] = [];
      for (const spec of specs) {
        const fields = Object.keys(spec.keys);
        if (fields.length === 1 && fields[0] === '_id') continue; // the primary key, always there
        const name = spec.name ?? HashIndex.defaultName(spec.keys);
        const existing = [...this.indexes, ...added].find((ix) => ix.name === name || ix.sameKeys(spec));
        if (existing) {
          if (existing.name === name && existing.sameDefinition(spec)) continue;
          throw new Error(`Index ${name} conflicts with existing index ${existing.name} on ${this.name}`);
        }
        const index = new HashIndex({ ...spec, name });
        for (const [id, doc] of this.docs) {
          const entry = index.entryFor(doc);
          const key = index.conflict(id, entry);
          if (key !== undefined) throw new DuplicateKeyError(this.name, `index ${name} dup key ${key}`);
          index.add(id, entry);
        }
        added.push(index);
      }
      this.indexes = [...this.indexes, ...added];
      log.added = added;
    });
  }

  async drop(): Promise<void> {
    this.write((log) => {
      log.cleared = this.docs;
      this.docs = new Map();
      for (const index of this.indexes) index.clear();
    });
  }

  /** Which index a filter would use and how many documents it would test (for tests and diagnosis). */
  explain(filter: Filter): { index: string | null; candidates: number } {
    const plan = planCandidates(filter, this.indexes, (id) => this.docs.has(id));
    return plan ? { index: plan.index, candidates: plan.ids.size } : { index: null, candidates: this.docs.size };
  }

  /** The index definitions, `_id_` excluded. */
  indexSpecs(): IndexSpec[] {
    return this.indexes.map((ix) => ({ ...ix.spec, keys: { ...ix.spec.keys } }));
  }

  /** @internal loads what the SQLite file held; that state satisfied its unique indexes when written. */
  restore(specs: IndexSpec[], documents: Array<[string, Record<string, unknown>]>): void {
    this.indexes = specs.map((spec) => new HashIndex(spec));
    for (const [id, doc] of documents) {
      const stored = doc as Doc;
      this.docs.set(id, stored);
      for (const index of this.indexes) index.add(id, index.entryFor(stored));
    }
  }

  // ---- reads ----

  /** Calls `visit` for each matching document (the stored object: never hand it out), up to `max`. */
  private scan(filter: Filter, max: number, visit: (doc: Doc) => void): void {
    if (max <= 0) return;
    const byId = exactId(filter);
    if (byId !== undefined) {
      // The commonest call of all (projections write by _id) needs no query engine.
      const doc = this.docs.get(byId);
      if (doc) visit(doc);
      return;
    }
    const plan = planCandidates(filter, this.indexes, (id) => this.docs.has(id));
    if (plan && plan.ids.size === 0) return;
    const query = compileFilter(filter);
    let found = 0;
    if (plan) {
      for (const id of plan.ids) {
        const doc = this.docs.get(id);
        if (doc && query.test(doc)) {
          visit(doc);
          if (++found >= max) return;
        }
      }
    } else {
      for (const doc of this.docs.values()) {
        if (query.test(doc)) {
          visit(doc);
          if (++found >= max) return;
        }
      }
    }
  }

  private first(filter: Filter): Doc | undefined {
    let hit: Doc | undefined;
    this.scan(filter, 1, (doc) => (hit = doc));
    return hit;
  }

  // ---- writes ----

  /** Runs one port call: all of it is committed to SQLite in one transaction, or none of it happens. */
  private write<R>(run: (log: WriteLog) => R): R {
    this.context.assertOpen();
    const log: WriteLog = { undo: [] };
    try {
      const result = run(log);
      this.persist(log);
      return result;
    } catch (error) {
      this.rollback(log, 0);
      throw error;
    }
  }

  private persist(log: WriteLog): void {
    const file = this.context.file;
    if (!file || (log.undo.length === 0 && !log.cleared && !log.added?.length)) return;
    const upserts: Array<[string, string]> = [];
    const deletes: string[] = [];
    for (const id of new Set(log.undo.map(([touched]) => touched))) {
      const doc = this.docs.get(id);
      if (doc) upserts.push([id, encodeDocument(doc)]);
      else if (!log.cleared) deletes.push(id);
    }
    file.commit({
      collection: this.name,
      cleared: log.cleared !== undefined,
      upserts,
      deletes,
      indexes: log.added?.map((ix) => ix.spec),
    });
  }

  /** Undoes the log back to `mark` (0: the whole call). */
  private rollback(log: WriteLog, mark: number): void {
    while (log.undo.length > mark) {
      const [id, previous] = log.undo.pop() as [string, Doc | undefined];
      const current = this.docs.get(id);
      if (current) this.unindex(id, current);
      if (previous) {
        for (const index of this.indexes) index.add(id, index.entryFor(previous));
        this.docs.set(id, previous);
      } else {
        this.docs.delete(id);
      }
    }
    if (mark > 0) return;
    if (log.added) {
      const added = new Set(log.added);
      this.indexes = this.indexes.filter((ix) => !added.has(ix));
      log.added = undefined;
    }
    if (log.cleared) {
      this.docs = log.cleared;
      log.cleared = undefined;
      for (const index of this.indexes) {
        index.clear();
        for (const [id, doc] of this.docs) index.add(id, index.entryFor(doc));
      }
    }
  }

  private apply(log: WriteLog, op: WriteOp<T>): void {
    if ('insertOne' in op) this.insert(log, cloneValue(op.insertOne.document));
    else if ('replaceOne' in op) this.replace(log, op.replaceOne.filter, op.replaceOne.replacement, op.replaceOne.upsert === true);
    else if ('updateOne' in op) this.updateFirst(log, op.updateOne.filter, op.updateOne.update, op.updateOne.upsert === true);
    else if ('updateMany' in op) this.updateAll(log, op.updateMany.filter, op.updateMany.update, op.updateMany.upsert === true);
    else if ('deleteOne' in op) {
      const doc = this.first(op.deleteOne.filter);
      if (doc) this.remove(log, doc._id);
    } else if ('deleteMany' in op) {
      const ids: string[] = [];
      this.scan(op.deleteMany.filter, Infinity, (doc) => ids.push(doc._id));
      for (const id of ids) this.remove(log, id);
    } else {
      throw new Error(`Unknown bulk write operation: ${Object.keys(op as object).join(', ')}`);
    }
  }

  private insert(log: WriteLog, doc: Doc): void {
    if (typeof doc._id !== 'string') throw new TypeError(`Documents in ${this.name} need a string _id`);
    if (this.docs.has(doc._id)) throw new DuplicateKeyError(this.name, `index _id_ dup key ${JSON.stringify(doc._id)}`);
    this.put(log, doc._id, doc);
  }

  private replace(log: WriteLog, filter: Filter, replacement: Doc, upsert: boolean): { matched: number; upserted: boolean } {
    if (Object.keys(replacement).some((key) => key.startsWith('$'))) {
      throw new Error('A replacement document must not contain update operators');
    }
    const { _id: replacementId, ...body } = cloneValue(replacement) as Record<string, unknown>;
    const target = this.first(filter);
    if (target) {
      if (replacementId !== undefined && replacementId !== target._id) {
        throw new Error("The replacement would modify the immutable field '_id'");
      }
      this.put(log, target._id, { _id: target._id, ...body });
      return { matched: 1, upserted: false };
    }
    if (!upsert) return { matched: 0, upserted: false };
    const seededId = seedFromFilter(filter)._id;
    const id = replacementId ?? (typeof seededId === 'string' ? seededId : randomUUID());
    this.insert(log, { ...body, _id: id } as Doc);
    return { matched: 0, upserted: true };
  }

  private updateFirst(log: WriteLog, filter: Filter, update: Update, upsert: boolean): { matched: number; upserted: boolean } {
    const target = this.first(filter);
    if (target) {
      const doc = cloneValue(target);
      applyUpdate(doc, update, false);
      this.put(log, target._id, doc);
      return { matched: 1, upserted: false };
    }
    if (!upsert) return { matched: 0, upserted: false };
    this.upsertNew(log, filter, update);
    return { matched: 0, upserted: true };
  }

  private updateAll(log: WriteLog, filter: Filter, update: Update, upsert: boolean): { matched: number; upserted: boolean } {
    const targets: Doc[] = [];
    this.scan(filter, Infinity, (doc) => targets.push(doc));
    for (const target of targets) {
      const doc = cloneValue(target);
      applyUpdate(doc, update, false);
      this.put(log, target._id, doc);
    }
    if (targets.length === 0 && upsert) {
      this.upsertNew(log, filter, update);
      return { matched: 0, upserted: true };
    }
    return { matched: targets.length, upserted: false };
  }

  /** MongoDB's upsert: the filter's equality fields, then the update with $setOnInsert. */
  private upsertNew(log: WriteLog, filter: Filter, update: Update): void {
    const seed = seedFromFilter(filter);
    applyUpdate(seed, update, true);
    const doc = (seed._id === undefined ? { _id: randomUUID(), ...seed } : seed) as Doc;
    this.insert(log, doc);
  }

  /** Checks every unique index before changing anything, so a refused write leaves no trace. */
  private put(log: WriteLog, id: string, doc: Doc): void {
    const entries = this.indexes.map((index) => index.entryFor(doc));
    this.indexes.forEach((index, i) => {
      const key = index.conflict(id, entries[i]);
      if (key !== undefined) throw new DuplicateKeyError(this.name, `index ${index.name} dup key ${key}`);
    });
    const previous = this.docs.get(id);
    if (previous) this.unindex(id, previous);
    this.indexes.forEach((index, i) => index.add(id, entries[i]));
    this.docs.set(id, doc);
    log.undo.push([id, previous]);
  }

  private remove(log: WriteLog, id: string): void {
    const previous = this.docs.get(id);
    if (!previous) return;
    this.unindex(id, previous);
    this.docs.delete(id);
    log.undo.push([id, previous]);
  }

  private unindex(id: string, doc: Doc): void {
    for (const index of this.indexes) index.remove(id, index.entryFor(doc));
  }
}

/** The id a filter of the form `{ _id: 'x' }` or `{ _id: { $eq: 'x' } }` names, else undefined. */
function exactId(filter: Filter): string | undefined {
  let id: unknown;
  for (const key in filter) {
    if (key !== '_id') return undefined;
    id = filter[key];
  }
  if (typeof id === 'string') return id;
  if (isOperatorObject(id) && typeof id.$eq === 'string' && Object.keys(id).length === 1) return id.$eq;
  return undefined;
}
