import type { RecordedEvent } from '@kundportal/eventstore';
import type { Doc, Filter, FindOptions, IndexSpec, Update } from '../read-store.port';

/**
 * A read model fed from the log. `apply` must be idempotent (replaying an event after a crash
 * between the documents and the checkpoint changes nothing): write final values with $set,
 * $addToSet, upserts by deterministic ids, never blind $inc or $push of an event's effect.
 */
export interface Projection {
  readonly name: string;
  /** Bump to rebuild: the runner drops this projection's collections and replays the log. */
  readonly version: number;
  /** Collections it owns, with their indexes. */
  readonly collections: Record<string, IndexSpec[]>;
  /** Event types it reads; other events only move its checkpoint. */
  readonly eventTypes: readonly string[];
  /**
   * Reactors perform side effects (e-mail). Their collections are never dropped by a rebuild, so
   * each side effect happens once however often read models are rebuilt.
   */
  readonly reactor?: boolean;
  apply(event: RecordedEvent, context: ProjectionContext): void | Promise<void>;
}

/** Writes are buffered and written in one bulk per collection per batch; reads see them first. */
export interface ProjectionCollection<T extends Doc = Doc> {
  find(filter: Filter, options?: FindOptions): Promise<T[]>;
  findOne(filter: Filter): Promise<T | null>;
  replaceOne(filter: Filter, replacement: T, options?: { upsert?: boolean }): void;
  updateOne(filter: Filter, update: Update, options?: { upsert?: boolean }): void;
  updateMany(filter: Filter, update: Update): void;
  deleteOne(filter: Filter): void;
  deleteMany(filter: Filter): void;
}

export interface ProjectionContext {
  collection<T extends Doc = Doc>(name: string): ProjectionCollection<T>;
}

export const PROJECTIONS = Symbol('Projections');
