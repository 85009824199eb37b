import { Page, PageRequest, skipOf } from '@kundportal/kernel';

/**
 * Read models, shaped like the part of MongoDB's collection API that projections and queries use.
 * Filters and updates use MongoDB's syntax (the operators listed below), so the `mongo` adapter
 * passes them through and the `embedded` adapter evaluates the same language.
 *
 * Filter operators: field equality (arrays match when they contain the value), dotted paths,
 *   $eq $ne $in $nin $gt $gte $lt $lte $exists $and $or $elemMatch.
 * Update operators: $set $unset $inc $push $pull $addToSet $setOnInsert $max $min.
 */
export type Doc = { _id: string } & Record<string, unknown>;
export type Filter = Record<string, unknown>;
export type Update = Record<string, unknown>;
export type SortSpec = Record<string, 1 | -1>;

export interface FindOptions {
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  /**
   * MongoDB's inclusion projection on top-level fields, `{ field: 1, … }`: the documents come back
   * with only those fields (the ones they have) and `_id`. For lists that show a few fields of
   * large documents; the result type is still `T`, so read only the fields asked for.
   */
  projection?: Record<string, 1>;
}

export type WriteOp<T extends Doc = Doc> =
  | { insertOne: { document: T } }
  | { replaceOne: { filter: Filter; replacement: T; upsert?: boolean } }
  | { updateOne: { filter: Filter; update: Update; upsert?: boolean } }
  | { updateMany: { filter: Filter; update: Update; upsert?: boolean } }
  | { deleteOne: { filter: Filter } }
  | { deleteMany: { filter: Filter } };

export interface IndexSpec {
  /** Field paths, in order; 1 ascending, -1 descending. */
  keys: Record<string, 1 | -1>;
  unique?: boolean;
  name?: string;
}

/**
 * Whether an index's key document (as a store lists it: directions may come back as other
 * number types) names the same fields, in the same order and directions, as `keys`.
 */
export function sameIndexKeys(key: Record<string, unknown>, keys: IndexSpec['keys']): boolean {
  const mine = Object.entries(key);
  const theirs = Object.entries(keys);
  return mine.length === theirs.length && mine.every(([field, direction], i) => theirs[i][0] === field && Number(direction) === theirs[i][1]);
}

export interface BulkWriteOptions {
  /**
   * The caller can write it again if it is lost (a projection replays from its checkpoint, which
   * is written relaxed after its documents): the store may make it durable a little later, or on
   * fewer replicas. A relaxed write is never stored out of order with the writes before it.
   */
  relaxed?: boolean;
}

export interface ReadCollection<T extends Doc = Doc> {
  readonly name: string;
  find(filter: Filter, options?: FindOptions): Promise<T[]>;
  findOne(filter: Filter): Promise<T | null>;
  count(filter: Filter): Promise<number>;
  insertOne(document: T): Promise<void>;
  replaceOne(filter: Filter, replacement: T, options?: { upsert?: boolean }): Promise<{ matched: number; upserted: boolean }>;
  updateOne(filter: Filter, update: Update, options?: { upsert?: boolean }): Promise<{ matched: number; upserted: boolean }>;
  updateMany(filter: Filter, update: Update): Promise<{ matched: number }>;
  deleteOne(filter: Filter): Promise<{ deleted: number }>;
  deleteMany(filter: Filter): Promise<{ deleted: number }>;
  /** Applies the operations in order. */
  bulkWrite(ops: WriteOp<T>[], options?: BulkWriteOptions): Promise<void>;
  createIndexes(specs: IndexSpec[]): Promise<void>;
  /**
   * Makes the collection's indexes (`_id` aside) exactly `specs`: creates those missing, and drops
   * any other, or one of the same name or keys defined otherwise, so indexes a projection no longer
   * declares stop costing memory and writes. Answers the names dropped.
   */
  syncIndexes(specs: IndexSpec[]): Promise<string[]>;
  /** Removes every document (used by rebuilds). */
  drop(): Promise<void>;
}

export interface ReadStoreHealth {
  status: 'up' | 'down';
  adapter: string;
  detail?: string;
}

export interface ReadStore {
  collection<T extends Doc = Doc>(name: string): ReadCollection<T>;
  health(): Promise<ReadStoreHealth>;
  close(): Promise<void>;
}

/** Nest injection token for the ReadStore port. */
export const READ_STORE = Symbol('ReadStore');

/** A write that broke a unique index (MongoDB's E11000). */
export class DuplicateKeyError extends Error {
  constructor(readonly collection: string, detail: string) {
    super(`Duplicate key in ${collection}: ${detail}`);
    this.name = 'DuplicateKeyError';
  }
}

/**
 * One page of the documents a filter matches, in the order given, and how many it matches in all:
 * the one way a query answers a list route.
 */
export async function findPage<T extends Doc>(
  collection: ReadCollection<T>,
  filter: Filter,
  options: { sort: SortSpec; projection?: Record<string, 1> },
  request: PageRequest,
): Promise<Page<T>> {
  const [items, total] = await Promise.all([
    collection.find(filter, { ...options, skip: skipOf(request), limit: request.pageSize }),
    collection.count(filter),
  ]);
  return { items, total };
}
