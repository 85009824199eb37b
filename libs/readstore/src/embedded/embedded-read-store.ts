import { Logger } from '@nestjs/common';
import { DEFAULT_CACHED_DOCUMENTS } from '@kundportal/kernel';
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
  type SortSpec,
  type Update,
  type WriteOp,
  type BulkWriteOptions,
} from '../read-store.port';
import { cloneValue, encodeDocument, isOperatorObject } from './document-values';
import { equalityValues, HashIndex, planCandidates, sameEntry } from './hash-index';
import type { OrderedRows } from './ordered-rows';
import { compileFilter } from './mingo-engine';
import { SortedPage } from './sort-documents';
import { DocumentTable } from './document-table';
import { type CollectionImage, ReadModelImages } from './read-model-image';
import { SqliteReadModelFile } from './sqlite-read-model-file';
import { applyUpdate, seedFromFilter } from './update-document';

export interface EmbeddedReadStoreOptions {
  /** Directory of `readmodels.sqlite`; created when missing. */
  dataDir: string;
  /**
   * How many documents of each collection are kept in memory (the ones used last); the others
   * are read from the file when asked for. Default DEFAULT_CACHED_DOCUMENTS.
   */
  cachedDocuments?: number;
}

/** What one port call changed, so it can be written as one transaction or undone as a whole. */
interface WriteLog {
  /** Each document touched, with its state before the touch (undefined: it did not exist). */
  readonly undo: Array<[id: string, previous: Doc | undefined]>;
  /** The documents as they were before a drop. */
  cleared?: Map<string, Doc | null>;
  added?: HashIndex[];
  removed?: HashIndex[];
}

interface StoreContext {
  readonly file: SqliteReadModelFile | null;
  readonly cachedDocuments: number;
  assertOpen(): void;
}

/**
 * The read store inside the process: hash indexes in memory for equality lookups (and compound
 * ones for sorted pages), MongoDB's query language for filters, updates and sort order (mingo's,
 * with the common filters compiled natively: see compileFilter), and an SQLite file written
 * through on every call so a restart does not mean a rebuild. Each collection keeps the documents
 * it used last in memory and reads the others from the file (see DocumentTable), so memory follows
 * what is in use, not the size of the read models.
 *
 * Calls are synchronous underneath, so each one is atomic with respect to the others. One
 * process per data directory (the file is locked while open).
 */
export class EmbeddedReadStore implements ReadStore {
  private readonly collections = new Map<string, EmbeddedCollection>();
  private closed = false;
  private readonly context: StoreContext;
  private readonly images: ReadModelImages;
  /** How the last open found the read models: by reading every document, or from a clean stop's image. */
  openedFrom: 'documents' | 'image' = 'documents';

  private constructor(
    file: SqliteReadModelFile | null,
    private readonly location: string,
    cachedDocuments: number,
  ) {
    if (!(Number.isInteger(cachedDocuments) && cachedDocuments > 0)) {
      throw new RangeError(`cachedDocuments must be a positive integer, not ${cachedDocuments}`);
    }
    this.images = new ReadModelImages(location);
    this.context = {
      file,
      cachedDocuments,
      assertOpen: () => {
        if (this.closed) throw new Error('The embedded read store is closed');
      },
    };
  }

  /** Opens (or creates) `<dataDir>/readmodels.sqlite`, builds the indexes and keeps the documents used last in memory. */
  static async open(options: EmbeddedReadStoreOptions): Promise<EmbeddedReadStore> {
    const file = SqliteReadModelFile.open(options.dataDir);
    file.onFlushError = (error) =>
      new Logger(EmbeddedReadStore.name).error({ err: (error as Error)?.message }, 'Writing read models to disk failed; retrying');
    const store = new EmbeddedReadStore(file, resolve(options.dataDir), options.cachedDocuments ?? DEFAULT_CACHED_DOCUMENTS);
    try {
      const image = store.images.take(file.takeImageToken());
      if (image) {
        for (const collection of image) store.getCollection(collection.name).restoreImage(collection);
        store.openedFrom = 'image';
      } else {
        for (const [name, specs] of file.loadIndexes()) store.getCollection(name).restoreIndexes(specs);
        for (const [name, count] of file.countDocuments()) store.getCollection(name).expectDocuments(count);
        file.loadDocuments((name, id, doc) => store.getCollection(name).restoreDocument(id, doc));
      }
    } catch (error) {
      file.close();
      throw error;
    }
    // Every document in memory is on disk once a write has been committed: the moment to let go of those not used lately.
    file.onWritten = () => {
      for (const collection of store.collections.values()) collection.evict();
    };
    return store;
  }

  /** Nothing written anywhere: for tests and throw-away runs. */
  static inMemory(): EmbeddedReadStore {
    return new EmbeddedReadStore(null, 'memory', DEFAULT_CACHED_DOCUMENTS);
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

  /** Writes what is waiting (recordImageToken flushes first) and an image of the ids and indexes for the next start (see ReadModelImages). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const file = this.context.file;
    if (!file) return;
    try {
      file.recordImageToken(this.images.write([...this.collections.values()].map((collection) => collection.image())));
    } catch (error) {
      // The next start reads the documents instead.
      new Logger(EmbeddedReadStore.name).warn({ err: (error as Error)?.message }, 'Writing the read-model image failed');
    } finally {
      file.close();
    }
  }

  /** A consistent copy of `readmodels.sqlite` into `path` (SQLite's online backup), while the store goes on. */
  async backup(path: string): Promise<void> {
    if (!this.context.file) throw new Error('This embedded read store keeps no file to back up.');
    await this.context.file.backup(path);
  }

  /** Closes the file without an image, as a crash leaves it (for tests of what a crash leaves). */
  async closeWithoutImage(): Promise<void> {
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
  private readonly docs: DocumentTable;
  private indexes: HashIndex[] = [];
  private restoring?: { seen: number; keepFrom: number };

  /** @internal created by EmbeddedReadStore */
  constructor(
    readonly name: string,
    private readonly context: StoreContext,
  ) {
    const file = context.file;
    this.docs = new DocumentTable(
      file && { read: (id) => file.read(name, id) as Doc | undefined, isDirty: (id) => file.isPending(name, id) },
      context.cachedDocuments,
    );
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    this.context.assertOpen();
    const skip = Math.max(0, options.skip ?? 0);
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const sort = options.sort && Object.keys(options.sort).length > 0 ? options.sort : undefined;
    const copy = copier(options.projection);
    if (!sort) {
      // Natural order: stop as soon as the page is full.
      const page: Doc[] = [];
      let seen = 0;
      this.scan(filter, skip + limit, (doc) => {
        if (seen++ >= skip) page.push(doc);
      });
      return page.map(copy) as T[];
    }
    const ordered = this.inIndexOrder(filter, sort);
    if (ordered) {
      // A compound index already holds the candidates in the sort order: read until the page is full.
      const query = compileFilter(filter);
      const page: Doc[] = [];
      let seen = 0;
      const { rows, reverse } = ordered;
      for (const row of reverse ? rows.backward() : rows.forward()) {
        const doc = this.docs.get(row.id);
        if (!doc || !query.test(doc)) continue;
        if (seen++ < skip) continue;
        page.push(doc);
        if (page.length >= limit) break;
      }
      return page.map(copy) as T[];
    }
    // Only the rows up to the end of the page are kept in order, not every match.
    const page = new SortedPage(sort, skip + limit);
    this.scan(filter, Infinity, (doc) => page.offer(doc));
    return page.documents().slice(skip).map(copy) as T[];
  }

  async findOne(filter: Filter): Promise<T | null> {
    this.context.assertOpen();
    const doc = this.first(filter);
    return doc ? (cloneValue(doc) as T) : null;
  }

  async count(filter: Filter): Promise<number> {
    this.context.assertOpen();
    if (Object.keys(filter).length === 0) return this.docs.size;
    const counted = this.exactCount(filter);
    if (counted !== undefined) return counted;
    let n = 0;
    this.scan(filter, Infinity, () => n++);
    return n;
  }

  async insertOne(document: T): Promise<void> {
    this.write({}, (log) => this.insert(log, cloneValue(document)));
  }

  async replaceOne(filter: Filter, replacement: T, options: { upsert?: boolean } = {}): Promise<{ matched: number; upserted: boolean }> {
    return this.write({}, (log) => this.replace(log, filter, replacement, options.upsert === true));
  }

  async updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<{ matched: number; upserted: boolean }> {
    return this.write({}, (log) => this.updateFirst(log, filter, update, options.upsert === true));
  }

  async updateMany(filter: Filter, update: Update): Promise<{ matched: number }> {
    return this.write({}, (log) => ({ matched: this.updateAll(log, filter, update, false).matched }));
  }

  async deleteOne(filter: Filter): Promise<{ deleted: number }> {
    return this.write({}, (log) => {
      const doc = this.first(filter);
      if (doc) this.remove(log, doc._id);
      return { deleted: doc ? 1 : 0 };
    });
  }

  async deleteMany(filter: Filter): Promise<{ deleted: number }> {
    return this.write({}, (log) => {
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
  async bulkWrite(ops: WriteOp<T>[], options: BulkWriteOptions = {}): Promise<void> {
    let failed = false;
    let failure: unknown;
    this.write(options, (log) => {
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
    this.write({}, (log) => this.addIndexes(log, specs));
  }

  async syncIndexes(specs: IndexSpec[]): Promise<string[]> {
    const stale = this.indexes.filter((ix) => !specs.some((spec) => (spec.name ?? HashIndex.defaultName(spec.keys)) === ix.name && ix.sameDefinition(spec)));
    // One write: the stale indexes go and the missing ones come, or (a unique one refused) neither.
    return this.write({}, (log) => {
      if (stale.length > 0) {
        this.indexes = this.indexes.filter((ix) => !stale.includes(ix));
        log.removed = stale;
      }
      this.addIndexes(log, specs);
      return stale.map((ix) => ix.name);
    });
  }

  private addIndexes(log: WriteLog, specs: IndexSpec[]): void {
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
      for (const [id, doc] of this.docs.documents()) {
        const entry = index.entryFor(doc);
        const key = index.conflict(id, entry);
        if (key !== undefined) throw new DuplicateKeyError(this.name, `index ${name} dup key ${key}`);
        index.add(id, entry);
      }
      added.push(index);
    }
    this.indexes = [...this.indexes, ...added];
    log.added = added;
  }

  async drop(): Promise<void> {
    this.write({}, (log) => {
      log.cleared = this.docs.takeAll();
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

  /** @internal the index definitions the SQLite file held, before its documents (restoreDocument). */
  restoreIndexes(specs: IndexSpec[]): void {
    this.indexes = specs.map((spec) => new HashIndex(spec));
  }

  /** @internal how many documents restoreDocument will be given: only the last `cachedDocuments` are kept in memory. */
  expectDocuments(count: number): void {
    this.restoring = { seen: 0, keepFrom: count - this.context.cachedDocuments };
  }

  /** @internal one document the SQLite file held; that state satisfied its unique indexes when written. */
  restoreDocument(id: string, doc: Record<string, unknown>): void {
    const stored = doc as Doc;
    // The last ones stored are likeliest to be used soon (a new ticket, not one closed last year).
    const restoring = (this.restoring ??= { seen: 0, keepFrom: 0 });
    this.docs.restore(id, stored, this.context.file === null || restoring.seen++ >= restoring.keepFrom);
    for (const index of this.indexes) index.add(id, index.entryFor(stored));
  }

  /** @internal the ids and indexes, for a read-model image (see ReadModelImages). */
  image(): CollectionImage {
    const ids = [...this.docs.ids()];
    const ordinals = new Map<string, number>();
    for (let i = 0; i < ids.length; i++) ordinals.set(ids[i], i);
    // By name, the order a start from the documents gives them.
    const indexes = [...this.indexes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { name: this.name, ids, indexes: indexes.map((index) => ({ spec: index.spec, keys: index.exportKeys(ordinals) })) };
  }

  /** @internal takes back what `image` gave: every document stays on disk until it is used. */
  restoreImage(image: CollectionImage): void {
    this.indexes = image.indexes.map(({ spec }) => new HashIndex(spec));
    this.docs.restoreIds(image.ids);
    image.indexes.forEach(({ keys }, i) => this.indexes[i].importKeys(keys, image.ids));
  }

  /** @internal keeps the documents used last in memory (see DocumentTable.evict). */
  evict(): void {
    if (this.docs.resident > this.context.cachedDocuments) this.docs.evict();
  }

  /** How many documents are in memory (for tests and diagnosis). */
  get residentDocuments(): number {
    return this.docs.resident;
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
      for (const [, doc] of this.docs.documents()) {
        if (query.test(doc)) {
          visit(doc);
          if (++found >= max) return;
        }
      }
    }
  }

  /**
   * The candidates of a sorted find in sort order straight from a compound index, when that is
   * the best index for the filter: the filter pins the index's leading field to one value, and
   * the sort is the index's other fields in its directions (or all reversed), then `_id`. `_id`
   * last makes the order total, so it is the order a sort of the candidates would give.
   */
  private inIndexOrder(filter: Filter, sort: SortSpec): { rows: OrderedRows; reverse: boolean } | null {
    const keys = Object.keys(sort);
    if (keys.length < 2 || keys[keys.length - 1] !== '_id') return null;
    const reverse = sort._id === -1;
    for (const index of this.indexes) {
      if (index.fields.length !== keys.length) continue;
      const directions = index.trailingDirections;
      if (!directions.every((direction, i) => index.fields[i + 1] === keys[i] && sort[keys[i]] === (reverse ? -direction : direction))) continue;
      const leading = index.fields[0];
      const values = equalityValues(filter[leading], !leading.includes('.'));
      if (!values || values.length !== 1) continue;
      // Another index may narrow the filter further (the ordered path reads every candidate of this one).
      const plan = planCandidates(filter, this.indexes, (id) => this.docs.has(id));
      if (plan && plan.ids.size < index.countLeading(values[0])) continue;
      const rows = index.orderedRows(values[0], (id) => this.docs.get(id));
      if (rows) return { rows, reverse };
    }
    return null;
  }

  /**
   * The count of a filter that is one equality on a top-level field, from an index on that field:
   * the documents under a value's key are exactly those mingo's equality matches (the value, or
   * an array holding it), so no document needs reading.
   */
  private exactCount(filter: Filter): number | undefined {
    const fields = Object.keys(filter);
    if (fields.length !== 1) return undefined;
    const field = fields[0];
    if (field === '_id' || field.startsWith('$') || field.includes('.')) return undefined;
    const values = equalityValues(filter[field]);
    if (!values || values.length !== 1) return undefined;
    if (isOperatorObject(filter[field]) && Object.keys(filter[field] as object).length !== 1) return undefined;
    const value = values[0];
    if (!(typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value)))) return undefined;
    const index = this.indexes.find((ix) => ix.fields[0] === field);
    return index?.countLeading(value);
  }

  private first(filter: Filter): Doc | undefined {
    let hit: Doc | undefined;
    this.scan(filter, 1, (doc) => (hit = doc));
    return hit;
  }

  // ---- writes ----

  /** Runs one port call: all of it is committed to SQLite in one transaction, or none of it happens. */
  private write<R>(options: BulkWriteOptions, run: (log: WriteLog) => R): R {
    this.context.assertOpen();
    const log: WriteLog = { undo: [] };
    try {
      let result: R;
      this.docs.writing = true;
      try {
        result = run(log);
      } finally {
        this.docs.writing = false;
      }
      this.persist(log, options);
      return result;
    } catch (error) {
      this.rollback(log, 0);
      throw error;
    }
  }

  private persist(log: WriteLog, options: BulkWriteOptions): void {
    const file = this.context.file;
    const indexesChanged = Boolean(log.added?.length || log.removed?.length);
    if (!file || (log.undo.length === 0 && !log.cleared && !indexesChanged)) return;
    const touched = new Set(log.undo.map(([id]) => id));
    if (options.relaxed && !log.cleared && !indexesChanged) {
      file.changed(this.name, touched, this.bodyOf);
      return;
    }
    const upserts: Array<[string, string]> = [];
    const deletes: string[] = [];
    for (const id of touched) {
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
      droppedIndexes: log.removed?.map((ix) => ix.name),
    });
  }

  /** A document as stored on disk now; null when it is gone. */
  private readonly bodyOf = (id: string): string | null => {
    const doc = this.docs.get(id);
    return doc ? encodeDocument(doc) : null;
  };

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
    if (log.removed) {
      this.indexes = [...this.indexes, ...log.removed];
      log.removed = undefined;
    }
    if (log.cleared) {
      this.docs.restoreFrom(log.cleared);
      log.cleared = undefined;
      for (const index of this.indexes) {
        index.clear();
        for (const [id, doc] of this.docs.documents()) index.add(id, index.entryFor(doc));
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
      // A shallow copy: applyUpdate replaces the fields it changes and leaves the rest shared.
      const doc = { ...target };
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
      const doc = { ...target };
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
    this.indexes.forEach((index, i) => {
      if (previous) {
        // Most changes leave most indexes as they were (a new message moves a ticket's activity, not its number).
        const before = index.entryFor(previous);
        if (sameEntry(before, entries[i])) return;
        index.remove(id, before);
      }
      index.add(id, entries[i]);
    });
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

/** What a read hands out for a stored document: a copy, of the projected fields only when asked. */
function copier(projection: Record<string, unknown> | undefined): (doc: Doc) => Doc {
  if (!projection) return cloneValue;
  let copy = copiersByObject.get(projection);
  if (!copy) {
    // A projection written inline at the call is a new object each time: it finds its copier by its fields.
    const fields = projectedFields(projection);
    const signature = fields.join('\0');
    copy = copiersByFields.get(signature) ?? compileCopier(fields);
    copiersByFields.set(signature, copy);
    copiersByObject.set(projection, copy);
  }
  return copy;
}

/** Each projection is compiled once: found by the object (nearly always a module constant), else by its fields. */
const copiersByObject = new WeakMap<Record<string, unknown>, (doc: Doc) => Doc>();
const copiersByFields = new Map<string, (doc: Doc) => Doc>();

function projectedFields(projection: Record<string, unknown>): string[] {
  const fields = Object.keys(projection).filter((field) => field !== '_id');
  for (const field of fields) {
    if (projection[field] !== 1) throw new Error(`Only inclusion projections ({ field: 1 }) are supported, not ${field}: ${JSON.stringify(projection[field])}`);
    if (field.includes('.') || field.startsWith('$')) throw new Error(`Projections name top-level fields, not ${field}`);
  }
  return fields;
}

/**
 * A copier for these fields, compiled to straight-line code (one property access per field by
 * its literal name), so copying a page of documents does not go through keyed, megamorphic
 * property access.
 */
function compileCopier(fields: readonly string[]): (doc: Doc) => Doc {
  const lines = fields.map((field) => {
    const name = JSON.stringify(field);
    return `if (hasOwn(doc, ${name})) out[${name}] = clone(doc[${name}]);`;
  });
  // Field names are JSON string literals: nothing from the projection is evaluated as code.
  const build = new Function('hasOwn', 'clone', `return function copy(doc) { const out = { _id: doc._id }; ${lines.join(' ')} return out; };`);
  return build(Object.hasOwn, cloneValue) as (doc: Doc) => Doc;
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
