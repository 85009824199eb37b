import { randomUUID } from 'node:crypto';
import {
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  type Filter as MongoFilter,
  type MongoClientOptions,
  type UpdateFilter,
} from 'mongodb';
import {
  DuplicateKeyError,
  sameIndexKeys,
  type Doc,
  type Filter,
  type FindOptions,
  type IndexSpec,
  type ReadCollection,
  type ReadStore,
  type ReadStoreHealth,
  type Update,
  type WriteOp,
  type BulkWriteOptions,
} from '../read-store.port';

/**
 * The read store on MongoDB, through the official driver. Filters and updates are MongoDB's own
 * language and pass straight through; this layer only maps duplicate keys to DuplicateKeyError
 * and keeps `_id` a string on upserts.
 */
/** How long the start waits for MongoDB before it gives up. */
const START_TIMEOUT_MS = 5_000;

export class MongoReadStore implements ReadStore {
  private readonly collections = new Map<string, MongoReadCollection>();

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /**
   * Connects, or fails within `startTimeoutMs` naming the hosts: at start an unreachable MongoDB
   * is a deployment error to report at once, where the driver would keep selecting a server for
   * 30 s (which stays its patience later, across a replica set's election).
   */
  static async connect(uri: string, dbName: string, options?: MongoClientOptions, startTimeoutMs = START_TIMEOUT_MS): Promise<MongoReadStore> {
    const client = new MongoClient(uri, options);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${startTimeoutMs / 1000} s`)), startTimeoutMs);
    });
    try {
      await Promise.race([client.connect(), gaveUp]);
    } catch (error) {
      await client.close(true).catch(() => undefined);
      // Credentials in the URI stay out of the message.
      const where = uri.replace(/\/\/[^@/]*@/, '//');
      throw new Error(`MongoDB (MONGODB_URI ${where}) could not be reached at start: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    return new MongoReadStore(client, client.db(dbName));
  }

  collection<T extends Doc = Doc>(name: string): ReadCollection<T> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new MongoReadCollection(this.db.collection<Doc>(name));
      this.collections.set(name, collection);
    }
    return collection as unknown as ReadCollection<T>;
  }

  async health(): Promise<ReadStoreHealth> {
    try {
      await this.db.command({ ping: 1 });
      return { status: 'up', adapter: 'mongo', detail: this.db.databaseName };
    } catch (error) {
      return { status: 'down', adapter: 'mongo', detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

class MongoReadCollection<T extends Doc = Doc> implements ReadCollection<T> {
  readonly name: string;

  constructor(private readonly collection: Collection<Doc>) {
    this.name = collection.collectionName;
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    const docs = await this.guard(() =>
      this.collection
        .find(filter as MongoFilter<Doc>, {
          ...(options.sort ? { sort: options.sort } : {}),
          ...(options.skip ? { skip: options.skip } : {}),
          ...(options.limit ? { limit: options.limit } : {}),
          ...(options.projection ? { projection: options.projection } : {}),
        })
        .toArray(),
    );
    return docs as unknown as T[];
  }

  async findOne(filter: Filter): Promise<T | null> {
    return (await this.guard(() => this.collection.findOne(filter as MongoFilter<Doc>))) as T | null;
  }

  async count(filter: Filter): Promise<number> {
    return this.guard(() => this.collection.countDocuments(filter as MongoFilter<Doc>));
  }

  async insertOne(document: T): Promise<void> {
    // A copy: the driver would otherwise write an ObjectId into a document that lacks _id.
    await this.guard(() => this.collection.insertOne({ ...document }));
  }

  async replaceOne(filter: Filter, replacement: T, options: { upsert?: boolean } = {}): Promise<{ matched: number; upserted: boolean }> {
    const result = await this.guard(() =>
      this.collection.replaceOne(filter as MongoFilter<Doc>, replacement, { upsert: options.upsert === true }),
    );
    return { matched: result.matchedCount, upserted: result.upsertedCount > 0 };
  }

  async updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<{ matched: number; upserted: boolean }> {
    const upsert = options.upsert === true;
    const result = await this.guard(() =>
      this.collection.updateOne(filter as MongoFilter<Doc>, withStringId(filter, update, upsert), { upsert }),
    );
    return { matched: result.matchedCount, upserted: result.upsertedCount > 0 };
  }

  async updateMany(filter: Filter, update: Update): Promise<{ matched: number }> {
    const result = await this.guard(() =>
      this.collection.updateMany(filter as MongoFilter<Doc>, update as UpdateFilter<Doc>),
    );
    return { matched: result.matchedCount };
  }

  async deleteOne(filter: Filter): Promise<{ deleted: number }> {
    const result = await this.guard(() => this.collection.deleteOne(filter as MongoFilter<Doc>));
    return { deleted: result.deletedCount };
  }

  async deleteMany(filter: Filter): Promise<{ deleted: number }> {
    const result = await this.guard(() => this.collection.deleteMany(filter as MongoFilter<Doc>));
    return { deleted: result.deletedCount };
  }

  /** Ordered: MongoDB applies the operations before a failing one and stops there. */
  async bulkWrite(ops: WriteOp<T>[], options: BulkWriteOptions = {}): Promise<void> {
    if (ops.length === 0) return;
    // Relaxed: acknowledged by the primary alone. Lost in a failover only as a suffix of the oplog,
    // checkpoint included, so the projection replays what it lost.
    const writeConcern = options.relaxed ? { writeConcern: { w: 1 } } : {};
    await this.guard(() => this.collection.bulkWrite(ops.map(toDriverOp), { ordered: true, ...writeConcern }));
  }

  async createIndexes(specs: IndexSpec[]): Promise<void> {
    if (specs.length === 0) return;
    await this.guard(() =>
      this.collection.createIndexes(
        specs.map((spec) => ({
          key: spec.keys,
          ...(spec.unique ? { unique: true } : {}),
          ...(spec.name ? { name: spec.name } : {}),
        })),
      ),
    );
  }

  async syncIndexes(specs: IndexSpec[]): Promise<string[]> {
    const wanted = specs.filter((spec) => !(Object.keys(spec.keys).length === 1 && '_id' in spec.keys));
    const existing = await this.collection.listIndexes().toArray().catch((error: unknown) => {
      // A collection nobody has written to yet has no indexes to list.
      if ((error as { code?: number })?.code === NAMESPACE_NOT_FOUND) return [];
      throw error;
    });
    const stale = existing.filter(
      (ix) =>
        ix.name !== '_id_' &&
        !wanted.some((spec) => sameIndexKeys(ix.key as Record<string, unknown>, spec.keys) && Boolean(ix.unique) === Boolean(spec.unique) && (!spec.name || spec.name === ix.name)),
    );
    for (const ix of stale) await this.collection.dropIndex(ix.name as string);
    await this.createIndexes(wanted);
    return stale.map((ix) => ix.name as string);
  }

  /** Removes the documents and keeps the indexes, so a rebuild need not recreate them. */
  async drop(): Promise<void> {
    await this.guard(() => this.collection.deleteMany({}));
  }

  private async guard<R>(run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      if (isDuplicateKey(error)) {
        const duplicate = new DuplicateKeyError(this.name, error.message);
        duplicate.cause = error;
        throw duplicate;
      }
      throw error;
    }
  }
}

function toDriverOp<T extends Doc>(op: WriteOp<T>): AnyBulkWriteOperation<Doc> {
  if ('updateOne' in op) {
    const { filter, update, upsert } = op.updateOne;
    return { updateOne: { filter: filter as MongoFilter<Doc>, update: withStringId(filter, update, upsert === true), upsert: upsert === true } };
  }
  if ('updateMany' in op) {
    const { filter, update, upsert } = op.updateMany;
    return { updateMany: { filter: filter as MongoFilter<Doc>, update: withStringId(filter, update, upsert === true), upsert: upsert === true } };
  }
  if ('replaceOne' in op) {
    const { filter, replacement, upsert } = op.replaceOne;
    return { replaceOne: { filter: filter as MongoFilter<Doc>, replacement, upsert: upsert === true } };
  }
  if ('insertOne' in op) return { insertOne: { document: { ...op.insertOne.document } } };
  return op as AnyBulkWriteOperation<Doc>;
}

/**
 * An upsert whose filter does not pin `_id` would get an ObjectId from the server; the port
 * promises string ids, so such an upsert carries a UUID in $setOnInsert (used only on insert).
 */
function withStringId(filter: Filter, update: Update, upsert: boolean): UpdateFilter<Doc> {
  if (!upsert || pinsId(filter) || setsId(update)) return update as UpdateFilter<Doc>;
  const setOnInsert = (update.$setOnInsert ?? {}) as Record<string, unknown>;
  return { ...update, $setOnInsert: { ...setOnInsert, _id: randomUUID() } } as UpdateFilter<Doc>;
}

function pinsId(filter: Filter): boolean {
  const id = filter._id;
  if (id === undefined) return Array.isArray(filter.$and) && filter.$and.some((clause) => pinsId(clause as Filter));
  return typeof id !== 'object' || id === null || '$eq' in id;
}

function setsId(update: Update): boolean {
  return ['$set', '$setOnInsert'].some((op) => {
    const fields = update[op];
    return typeof fields === 'object' && fields !== null && '_id' in fields;
  });
}

function isDuplicateKey(error: unknown): error is MongoServerError {
  if (!(error instanceof MongoServerError)) return false;
  if (error.code === 11000 || error.code === 11001) return true;
  if (error instanceof MongoBulkWriteError) {
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    return writeErrors.some((e) => e?.code === 11000);
  }
  return false;
}

/** MongoDB's NamespaceNotFound: the collection does not exist (yet). */
const NAMESPACE_NOT_FOUND = 26;
