import type { Doc, Filter, FindOptions, ReadStore, Update, WriteOp } from '../read-store.port';
import type { ProjectionCollection, ProjectionContext } from './projection';

/** The writes of one batch, in order, per collection. */
export class ProjectionBatch implements ProjectionContext {
  private ops: Array<{ collection: string; op: WriteOp }> = [];

  constructor(
    private readonly store: ReadStore,
    private readonly owned: ReadonlySet<string>,
    /** Runs before each write and may refuse it by throwing (a projection whose lease ran out). */
    private readonly mayWrite: () => void = () => undefined,
  ) {}

  get size(): number {
    return this.ops.length;
  }

  /** Marks where an event's writes start, so a failing event's writes can be taken back. */
  mark(): number {
    return this.ops.length;
  }

  rollbackTo(mark: number): void {
    this.ops.length = mark;
  }

  collection<T extends Doc = Doc>(name: string): ProjectionCollection<T> {
    if (!this.owned.has(name)) throw new Error(`Projection writes to ${name}, which it does not declare`);
    const push = (op: WriteOp) => this.ops.push({ collection: name, op });
    return {
      find: async (filter: Filter, options?: FindOptions) => {
        await this.flush();
        return this.store.collection<T>(name).find(filter, options);
      },
      findOne: async (filter: Filter) => {
        await this.flush();
        return this.store.collection<T>(name).findOne(filter);
      },
      replaceOne: (filter, replacement, options) =>
        push({ replaceOne: { filter, replacement, upsert: options?.upsert } }),
      updateOne: (filter: Filter, update: Update, options?: { upsert?: boolean }) =>
        push({ updateOne: { filter, update, upsert: options?.upsert } }),
      updateMany: (filter: Filter, update: Update) => push({ updateMany: { filter, update } }),
      deleteOne: (filter: Filter) => push({ deleteOne: { filter } }),
      deleteMany: (filter: Filter) => push({ deleteMany: { filter } }),
    };
  }

  /**
   * Writes what is buffered: one bulk per collection, each in the order its writes were made.
   * Writes to different collections never depend on each other, and a projection that reads one
   * flushes first, so a batch whose events alternate between collections (a message and its
   * ticket) is two bulks, not one per write.
   */
  async flush(): Promise<void> {
    const byCollection = new Map<string, WriteOp[]>();
    for (const { collection, op } of this.ops) {
      const run = byCollection.get(collection);
      if (run) run.push(op);
      else byCollection.set(collection, [op]);
    }
    this.ops = [];
    for (const [name, run] of byCollection) {
      this.mayWrite();
      await this.store.collection(name).bulkWrite(run, { relaxed: true });
    }
  }
}
