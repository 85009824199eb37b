import 'reflect-metadata';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FactoryProvider, Provider } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import type { Db } from 'mongodb';
import { CHECKPOINTS, LEASES, type Projection, PROJECTIONS } from '@kundportal/readstore';
import { READ_MODEL_FILE } from '../../libs/readstore/src/embedded/sqlite-read-model-file';
import { ReadSideModule } from '../../apps/projector/src/read-side.module';
import { IDEMPOTENCY_KEYS } from '../../apps/portal-api/src/http/idempotency';

/**
 * Hashes of the read models an embedded read store persisted in a DATA_DIR, to compare a server's
 * read models with a full rebuild from the log without going through the API.
 */

export interface CollectionDigest {
  documents: number;
  /** sha256 over the documents in canonical form, sorted by _id. */
  sha256: string;
}

export interface ReadModelDigest {
  /** Every read model found on disk (a collection a projection declares), by name. */
  compared: Record<string, CollectionDigest>;
  /** The other collections found on disk, which a rebuild does not reproduce, with the reason. */
  excluded: Record<string, string>;
  /** Excluded collections that nothing known writes: no projection declares them, and they are not checkpoints or idempotency keys. */
  undeclared: string[];
  /** Each projection's checkpoint position as stored, reactors included. */
  checkpoints: Record<string, string>;
  /** Documents hashed (over the compared collections). */
  documents: number;
}

/** The projections and reactors the read side runs, as ReadSideModule lists them. */
export function readSideProjections(): Projection[] {
  const providers = (Reflect.getMetadata(MODULE_METADATA.PROVIDERS, ReadSideModule) ?? []) as Provider[];
  const factory = providers.find(
    (p): p is FactoryProvider => typeof p === 'object' && p !== null && 'provide' in p && p.provide === PROJECTIONS && 'useFactory' in p,
  );
  if (!factory) throw new Error('ReadSideModule does not provide PROJECTIONS with a factory');
  // The reactors are injected into the factory. Only their name, flag and collections (fields set
  // in the constructor) are read here, so they are made without their dependencies.
  const injected = (factory.inject ?? []).map((token) => {
    if (typeof token !== 'function') throw new Error(`PROJECTIONS injects ${String(token)}, which is not a class`);
    return new (token as new () => unknown)();
  });
  return factory.useFactory(...injected) as Projection[];
}

/**
 * The collections in the read store that are not read models, with the reason: the checkpoints
 * (positions and wall-clock times of projection), the collections of reactors, which keep their own
 * state across rebuilds and are never rebuilt, and the answers kept for Idempotency-Key, which are
 * written by the HTTP layer when a request is answered, not from the log.
 */
export function collectionsNotRebuilt(projections: Projection[] = readSideProjections()): Map<string, string> {
  const out = new Map<string, string>([
    [CHECKPOINTS, 'projection checkpoints: positions and times of projection'],
    [IDEMPOTENCY_KEYS, 'answers kept for Idempotency-Key: written per request, not from the log'],
    [LEASES, 'leases: which process runs each projection, and until when'],
  ]);
  for (const p of projections) {
    if (!p.reactor) continue;
    for (const name of Object.keys(p.collections)) out.set(name, `state of reactor ${p.name}: kept across rebuilds, never rebuilt from the log`);
  }
  return out;
}

/**
 * Digest of `<dataDir>/readmodels.sqlite`, opened read-only. The server using the directory must
 * be stopped: a running one holds the file exclusively, and one killed leaves a write-ahead log.
 */
export function readModelDigest(dataDir: string, projections: Projection[] = readSideProjections()): ReadModelDigest {
  const plan = new DigestPlan(projections);
  const { digest } = plan;
  withReadModelFile(dataDir, (db) => {
    const names = db
      .prepare('SELECT collection FROM documents UNION SELECT collection FROM indexes ORDER BY 1')
      .pluck()
      .all() as string[];
    const rows = db.prepare('SELECT id, body FROM documents WHERE collection = ? ORDER BY id').raw();
    for (const name of names) {
      if (!plan.isReadModel(name)) continue;
      plan.add(
        name,
        collectionDigest(function* () {
          for (const row of rows.iterate(name)) {
            const [id, body] = row as [string, string];
            yield [id, JSON.parse(body)] as const;
          }
        }()),
      );
    }
    const checkpoints = db.prepare('SELECT id, body FROM documents WHERE collection = ? ORDER BY id').raw().all(CHECKPOINTS) as Array<[string, string]>;
    for (const [id, body] of checkpoints) digest.checkpoints[id] = String((JSON.parse(body) as { position?: unknown }).position);
  });
  return digest;
}

/**
 * The same digest of a MongoDB database the read store writes to (the production read store), read
 * through the official driver; the processes using it may go on running.
 */
export async function mongoReadModelDigest(db: Db, projections: Projection[] = readSideProjections()): Promise<ReadModelDigest> {
  const plan = new DigestPlan(projections);
  const { digest } = plan;
  // The jongodb emulator has no listCollections: there the declared read models are all that is
  // looked at (a projection can write no other collection), and none is reported undeclared.
  const listed = await db
    .listCollections({}, { nameOnly: true })
    .toArray()
    .then((collections) => collections.map((c) => c.name))
    .catch(() => [...plan.readModels, ...plan.notRebuilt.keys()]);
  const names = [...new Set(listed)].sort();
  for (const name of names) {
    if (!plan.isReadModel(name)) continue;
    const documents = await db.collection<{ _id: string }>(name).find({}).sort({ _id: 1 }).toArray();
    plan.add(name, collectionDigest(documents.map((d) => [d._id, d] as const)));
  }
  for (const checkpoint of await db.collection<{ _id: string; position?: unknown }>(CHECKPOINTS).find({}).toArray()) {
    digest.checkpoints[checkpoint._id] = String(checkpoint.position);
  }
  return digest;
}

/** Which collections found are read models to hash, and a digest filled as they are. */
class DigestPlan {
  readonly notRebuilt: Map<string, string>;
  /**
   * A projection can write only the collections it declares (ProjectionBatch refuses others), so
   * these are all the read models there are.
   */
  readonly readModels: Set<string>;
  readonly digest: ReadModelDigest = { compared: {}, excluded: {}, undeclared: [], checkpoints: {}, documents: 0 };

  constructor(projections: Projection[]) {
    this.notRebuilt = collectionsNotRebuilt(projections);
    this.readModels = new Set(projections.filter((p) => !p.reactor).flatMap((p) => Object.keys(p.collections)));
  }

  /** True for a read model; any other collection is recorded as excluded, with the reason. */
  isReadModel(name: string): boolean {
    if (this.readModels.has(name)) return true;
    const reason = this.notRebuilt.get(name);
    if (reason === undefined) this.digest.undeclared.push(name);
    this.digest.excluded[name] = reason ?? 'declared by no projection, so no read model';
    return false;
  }

  add(name: string, collection: CollectionDigest): void {
    this.digest.compared[name] = collection;
    this.digest.documents += collection.documents;
  }
}

/** sha256 over a collection's documents in canonical form, in the order given (by _id). */
function collectionDigest(documents: Iterable<readonly [string, unknown]>): CollectionDigest {
  const hash = createHash('sha256');
  let count = 0;
  for (const [id, document] of documents) {
    hash.update(`${JSON.stringify(id)}\t${canonicalJson(document)}\n`);
    count++;
  }
  return { documents: count, sha256: hash.digest('hex') };
}

/**
 * How two DATA_DIRs' documents of one collection differ: documents only in one of them, and for
 * documents in both the fields (dotted paths) whose values differ, with both values.
 */
export function readModelDifferences(left: string, right: string, collection: string, limit = 20): string[] {
  const a = loadCollection(left, collection);
  const b = loadCollection(right, collection);
  const out: string[] = [];
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(id);
    const y = b.get(id);
    if (x === undefined) out.push(`${collection}/${id}: only in ${right}`);
    else if (y === undefined) out.push(`${collection}/${id}: only in ${left}`);
    else {
      const fields = differingFields(x, y, '');
      if (fields.length > 0) out.push(`${collection}/${id}: ${fields.map((f) => `${f.path} ${f.left} ≠ ${f.right}`).join('; ')}`);
    }
    if (out.length >= limit) break;
  }
  return out;
}

/** JSON with every object's keys sorted, recursively; arrays keep their order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function withReadModelFile<T>(dataDir: string, use: (db: Database.Database) => T): T {
  const path = join(dataDir, READ_MODEL_FILE);
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new Error(`${wal} is not empty: the server using ${dataDir} is running or was not stopped cleanly`);
  }
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

function loadCollection(dataDir: string, collection: string): Map<string, unknown> {
  return withReadModelFile(dataDir, (db) => {
    const rows = db.prepare('SELECT id, body FROM documents WHERE collection = ? ORDER BY id').raw().all(collection) as Array<[string, string]>;
    return new Map(rows.map(([id, body]) => [id, JSON.parse(body) as unknown]));
  });
}

function differingFields(x: unknown, y: unknown, path: string): Array<{ path: string; left: string; right: string }> {
  const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isRecord(x) && isRecord(y)) {
    return [...new Set([...Object.keys(x), ...Object.keys(y)])]
      .sort()
      .flatMap((key) => differingFields(x[key], y[key], path ? `${path}.${key}` : key));
  }
  const left = x === undefined ? 'missing' : canonicalJson(x);
  const right = y === undefined ? 'missing' : canonicalJson(y);
  return left === right ? [] : [{ path: path || '(document)', left, right }];
}
