import type { Doc } from '../read-store.port';

/** Where the documents of a collection that are not in memory are read from. */
export interface DocumentSource {
  /** The document as last written to disk; undefined when the disk has none. */
  read(id: string): Doc | undefined;
  /** Whether the document changed in memory since it was last written (then it must stay in memory). */
  isDirty(id: string): boolean;
}

/** Documents read from disk beyond the budget before some are let go again (so evicting runs in batches). */
const READ_SLACK = 1_024;

/**
 * One collection's documents by id, in the order they were first stored.
 *
 * With a source on disk, at most `budget` of them are kept in memory: the ones read or written
 * last. The others are only an id here and are read from the source when asked for. A large
 * collection that is rarely read as a whole (a ticket's messages, the mail sent) then costs
 * memory for its ids and indexes, not its documents. A document changed in memory and not yet
 * written is never dropped.
 *
 * Without a source every document stays in memory.
 */
export class DocumentTable {
  /** Every id; the document when it is in memory, null when it is only on disk. */
  private entries = new Map<string, Doc | null>();
  /** The ids whose documents are in memory, least recently used first (kept only with a source). */
  private recent = new Set<string>();
  /**
   * Set while a write is under way: the documents it changed are not on disk, nor yet known to
   * the source as changed, so nothing may be dropped until it is over.
   */
  writing = false;
  private loadedSinceEvict = 0;

  constructor(
    private readonly source: DocumentSource | null,
    private readonly budget: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** How many documents are in memory. */
  get resident(): number {
    return this.source ? this.recent.size : this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** The stored document (never hand it out: callers copy it); read from disk and kept when it is not in memory. */
  get(id: string): Doc | undefined {
    const held = this.entries.get(id);
    if (held === undefined) return undefined;
    if (held === null) {
      const loaded = this.load(id);
      this.entries.set(id, loaded);
      this.recent.add(id);
      if (++this.loadedSinceEvict >= READ_SLACK && this.recent.size > this.budget) this.evict();
      return loaded;
    }
    if (this.source && this.entries.size > this.budget) {
      // Only a table that can overflow its budget needs to know what was used last.
      this.recent.delete(id);
      this.recent.add(id);
    }
    return held;
  }

  /** At start, from an image: documents that are all on disk. */
  restoreIds(ids: readonly string[]): void {
    if (!this.source) throw new Error('Only a table on disk can start with its documents there');
    for (const id of ids) this.entries.set(id, null);
  }

  /** At start: a document read from disk, kept in memory or not. */
  restore(id: string, doc: Doc, keep: boolean): void {
    this.entries.set(id, keep ? doc : null);
    if (keep && this.source) this.recent.add(id);
  }

  set(id: string, doc: Doc): void {
    this.entries.set(id, doc);
    if (this.source) {
      this.recent.delete(id);
      this.recent.add(id);
    }
  }

  delete(id: string): void {
    this.entries.delete(id);
    this.recent.delete(id);
  }

  ids(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** Every document in order, those on disk read one at a time and not kept (a scan would flush the cache). */
  *documents(): IterableIterator<[string, Doc]> {
    for (const [id, held] of this.entries) yield [id, held ?? this.load(id)];
  }

  /** Empties the table and hands back what it held (for a drop that may be undone with `restoreFrom`). */
  takeAll(): Map<string, Doc | null> {
    const taken = this.entries;
    this.entries = new Map();
    this.recent = new Set();
    return taken;
  }

  restoreFrom(taken: Map<string, Doc | null>): void {
    this.entries = taken;
    this.recent = new Set();
    for (const [id, held] of taken) if (held) this.recent.add(id);
  }

  /** Keeps only `budget` documents in memory (and those not written yet), the ones used last. */
  evict(): void {
    const source = this.source;
    if (!source || this.writing) return;
    this.loadedSinceEvict = 0;
    // Each id is looked at once: one not written yet goes to the back, as if just used.
    let unseen = this.recent.size;
    for (const id of this.recent) {
      if (this.recent.size <= this.budget || unseen-- <= 0) return;
      this.recent.delete(id);
      if (source.isDirty(id)) this.recent.add(id);
      else this.entries.set(id, null);
    }
  }

  private load(id: string): Doc {
    const doc = this.source?.read(id);
    if (!doc) throw new Error(`Document ${id} is missing from the read-model file`);
    return doc;
  }
}
