import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { BlobTooLarge, InvalidBlobId, isBlobId, type BlobPutMeta } from './blob-store.port';

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
