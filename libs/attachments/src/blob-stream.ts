import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { BlobExists, BlobTooLarge, InvalidBlobId, isBlobId, type BlobPutMeta, type StoredBlob } from './blob-store.port';

/**
 * Passes bytes through while counting and hashing them; fails with BlobTooLarge on the chunk that
 * takes the total past `maxBytes`, before any of that chunk goes on, so a store never receives
 * more than `maxBytes`.
 */
export class CountingHasher extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private digest?: string;

  constructor(
    private readonly id: string,
    private readonly maxBytes: number,
  ) {
    super();
  }

  get size(): number {
    return this.bytes;
  }

  /** Known once the content has ended. */
  get sha256(): string {
    if (this.digest === undefined) throw new Error('The content has not ended yet');
    return this.digest;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new BlobTooLarge(this.id, this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    callback();
  }
}

/** Checks a put's arguments; on a bad one destroys `content` (every failed put consumes it) and throws. */
export function checkPut(id: string, content: Readable, meta: BlobPutMeta): void {
  let error: Error | undefined;
  if (!isBlobId(id)) error = new InvalidBlobId(String(id));
  else if (!Number.isSafeInteger(meta?.maxBytes) || meta.maxBytes < 0) error = new TypeError(`maxBytes must be a non-negative integer, got ${meta?.maxBytes}`);
  else if (typeof meta.contentType !== 'string' || typeof meta.fileName !== 'string') error = new TypeError('contentType and fileName must be strings');
  if (error) {
    content.destroy();
    throw error;
  }
}

/**
 * What both adapters do around a write: refuse after close, refuse a second writer of the same id
 * in this process, and keep the writes under way so close() can wait for them.
 */
export class PutTracker {
  private readonly writing = new Set<string>();
  private readonly running = new Set<Promise<unknown>>();
  closed = false;

  constructor(private readonly adapter: string) {}

  run(id: string, content: Readable, meta: BlobPutMeta, write: () => Promise<StoredBlob>): Promise<StoredBlob> {
    if (this.closed) {
      content.destroy();
      return Promise.reject(new Error(`${this.adapter} is closed`));
    }
    try {
      checkPut(id, content, meta);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.writing.has(id)) {
      content.destroy();
      return Promise.reject(new BlobExists(id));
    }
    this.writing.add(id);
    const work = write().finally(() => this.writing.delete(id));
    this.running.add(work);
    void work.catch(() => undefined).finally(() => this.running.delete(work));
    return work;
  }

  /** Marks the store closed and waits for the writes under way. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.running]);
  }
}
