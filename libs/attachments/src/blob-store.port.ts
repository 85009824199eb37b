import type { Readable } from 'node:stream';

/**
 * Binary content (ticket attachments) kept outside the event log: events name a blob by its id,
 * size and sha256; the bytes live here. Adapters: `embedded` (files in DATA_DIR) and `mongo`
 * (GridFS). Content is streamed both ways and never held whole in memory.
 *
 * Ids are UUIDs chosen by the caller, in canonical lower-case form (what `randomUUID()` gives);
 * a blob is written once and never changed.
 */
export interface BlobPutMeta {
  contentType: string;
  fileName: string;
  /** Largest accepted size in bytes; one byte more rejects the put with BlobTooLarge. */
  maxBytes: number;
}

export interface StoredBlob {
  size: number;
  /** Lower-case hex SHA-256 of the content. */
  sha256: string;
}

export interface BlobContent {
  /** The bytes, streamed; consume or destroy it (the embedded adapter holds a file open until then). */
  stream: Readable;
  size: number;
  contentType: string;
  fileName: string;
  sha256: string;
}

export interface BlobStoreHealth {
  status: 'up' | 'down';
  adapter: string;
  detail?: string;
}

export interface BlobStore {
  /**
   * Streams `content` into the store, counting and hashing on the way, and resolves once the blob
   * is durable and visible. A blob is either fully stored or absent: on any failure (BlobTooLarge,
   * BlobExists, an error from `content`, a store error) nothing is left behind and `content` is
   * destroyed.
   */
  put(id: string, content: Readable, meta: BlobPutMeta): Promise<StoredBlob>;
  /** The blob, or null when there is none with this id (also for an id that is not a UUID). */
  get(id: string): Promise<BlobContent | null>;
  /** Removes the blob; false when there was none. */
  delete(id: string): Promise<boolean>;
  health(): Promise<BlobStoreHealth>;
  /** Waits for puts under way, then releases files or connections; later calls fail. */
  close(): Promise<void>;
}

/** Nest injection token for the BlobStore port. */
export const BLOB_STORE = Symbol('BlobStore');

/** More than `maxBytes` arrived; nothing was stored. */
export class BlobTooLarge extends Error {
  constructor(
    readonly id: string,
    readonly maxBytes: number,
  ) {
    super(`Blob ${id} is larger than ${maxBytes} bytes`);
    this.name = 'BlobTooLarge';
  }
}

/** A blob with this id is already stored (or being stored); blobs are written once. */
export class BlobExists extends Error {
  constructor(readonly id: string) {
    super(`Blob ${id} already exists`);
    this.name = 'BlobExists';
  }
}

/** The id is not a canonical lower-case UUID, so it cannot name a blob (and never a path). */
export class InvalidBlobId extends Error {
  constructor(readonly id: string) {
    super(`Not a blob id (a lower-case UUID): ${JSON.stringify(id.slice(0, 80))}`);
    this.name = 'InvalidBlobId';
  }
}

const BLOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isBlobId(id: unknown): id is string {
  return typeof id === 'string' && BLOB_ID.test(id);
}
