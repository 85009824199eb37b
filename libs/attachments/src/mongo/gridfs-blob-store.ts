import { Readable, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import {
  GridFSBucket,
  MongoClient,
  MongoServerError,
  type Collection,
  type Db,
  type GridFSBucketWriteStream,
  type MongoClientOptions,
  type ObjectId,
} from 'mongodb';
import {
  BlobExists,
  isBlobId,
  type BlobContent,
  type BlobPutMeta,
  type BlobStore,
  type BlobStoreHealth,
  type StoredBlob,
} from '../blob-store.port';
import { CountingHasher, PutTracker } from '../blob-stream';

export const GRIDFS_BUCKET = 'attachments';
/** Chunks per read (16 × 255 KiB ≈ 4 MB). */
const READ_WINDOW_CHUNKS = 16;

interface BlobMetadata {
  contentType: string;
  fileName: string;
  sha256?: string;
}

/** A GridFS files document as this adapter writes it (`_id` is our UUID string). */
interface FilesDoc {
  _id: string;
  length: number;
  chunkSize: number;
  filename: string;
  uploadDate: Date;
  metadata?: BlobMetadata;
}

interface ChunkDoc {
  files_id: string;
  n: number;
}

/**
 * GridFS accepts any `_id`; the driver's types only name ObjectId. Our ids are UUID strings, so a
 * blob can be found by the id the events carry.
 */
const gridId = (id: string): ObjectId => id as unknown as ObjectId;

/**
 * Blobs in MongoDB GridFS (bucket `attachments`): `_id` is our id, `metadata` holds
 * { contentType, fileName, sha256 }.
 *
 * GridFS writes the chunks first and the files document last, and readers start from the files
 * document, so a blob is visible only once complete. A put that fails (too large, its content
 * errors, the server errors) waits for the chunk write in flight to settle and then deletes what
 * it wrote. A second put of an id is refused when its files document exists or another put of it
 * runs in this process.
 */
export class GridFsBlobStore implements BlobStore {
  private readonly bucket: GridFSBucket;
  private readonly files: Collection<FilesDoc>;
  private readonly chunks: Collection<ChunkDoc>;
  private readonly puts = new PutTracker('GridFsBlobStore');
  private indexes?: Promise<void>;

  /** Over a database of a client someone else owns (close() then leaves the client open). */
  constructor(
    private readonly db: Db,
    private readonly options: { ownedClient?: MongoClient; chunkSizeBytes?: number } = {},
  ) {
    this.bucket = new GridFSBucket(db, { bucketName: GRIDFS_BUCKET, ...(options.chunkSizeBytes ? { chunkSizeBytes: options.chunkSizeBytes } : {}) });
    this.files = db.collection<FilesDoc>(`${GRIDFS_BUCKET}.files`);
    this.chunks = db.collection<ChunkDoc>(`${GRIDFS_BUCKET}.chunks`);
  }

  /** Connects a client of its own, closed by close(). */
  static async connect(uri: string, database: string, options?: MongoClientOptions): Promise<GridFsBlobStore> {
    const client = new MongoClient(uri, options);
    await client.connect();
    return new GridFsBlobStore(client.db(database), { ownedClient: client });
  }

  /** Over an existing client (not closed by close()). */
  static fromClient(client: MongoClient, database: string): GridFsBlobStore {
    return new GridFsBlobStore(client.db(database));
  }

  put(id: string, content: Readable, meta: BlobPutMeta): Promise<StoredBlob> {
    return this.puts.run(id, content, meta, () => this.write(id, content, meta));
  }

  async get(id: string): Promise<BlobContent | null> {
    this.assertOpen();
    if (!isBlobId(id)) return null;
    const file = await this.files.findOne({ _id: id });
    if (!file) return null;
    return {
      stream: this.download(file),
      size: file.length,
      contentType: file.metadata?.contentType ?? 'application/octet-stream',
      fileName: file.metadata?.fileName ?? file.filename,
      sha256: file.metadata?.sha256 ?? '',
    };
  }

  async delete(id: string): Promise<boolean> {
    this.assertOpen();
    if (!isBlobId(id)) return false;
    // The files document first, as GridFSBucket.delete does: the blob disappears at once, and
    // chunks left by a failure here are invisible.
    const { deletedCount } = await this.files.deleteOne({ _id: id });
    await this.chunks.deleteMany({ files_id: id });
    return deletedCount > 0;
  }

  async health(): Promise<BlobStoreHealth> {
    if (this.puts.closed) return { status: 'down', adapter: 'gridfs', detail: 'closed' };
    try {
      await this.db.command({ ping: 1 });
      return { status: 'up', adapter: 'gridfs', detail: `${this.db.databaseName}/${GRIDFS_BUCKET}` };
    } catch (error) {
      return { status: 'down', adapter: 'gridfs', detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    if (this.puts.closed) return;
    await this.puts.close();
    await this.options.ownedClient?.close();
  }

  /**
   * The driver's download reads the chunks through one cursor without a batch size, so a server
   * may send a whole file in one reply (jongodb does; MongoDB sends up to 16 MB). Reading in
   * windows of READ_WINDOW_CHUNKS chunks bounds what is held at once. Each window checks that it
   * reads the same files document, so a blob deleted and written again meanwhile fails the read
   * instead of mixing two contents.
   */
  private download(file: FilesDoc): Readable {
    const bucket = this.bucket;
    const window = file.chunkSize * READ_WINDOW_CHUNKS;
    async function* windows(): AsyncGenerator<Buffer> {
      for (let start = 0; start < file.length; start += window) {
        const part = bucket.openDownloadStream(gridId(file._id), { start, end: Math.min(file.length, start + window) });
        part.once('file', (seen: FilesDoc) => {
          if (seen.length !== file.length || seen.uploadDate.getTime() !== file.uploadDate.getTime()) {
            part.destroy(new Error(`Blob ${file._id} changed while it was read`));
          }
        });
        for await (const chunk of part) yield chunk as Buffer;
      }
    }
    return Readable.from(windows(), { objectMode: false });
  }

  private async write(id: string, content: Readable, meta: BlobPutMeta): Promise<StoredBlob> {
    const metadata: BlobMetadata = { contentType: meta.contentType, fileName: meta.fileName };
    this.indexes ??= this.ensureIndexes();
    let upload: GridFSBucketWriteStream | undefined;
    let sink: UploadSink | undefined;
    try {
      await this.indexes;
      if (await this.files.findOne({ _id: id }, { projection: { _id: 1 } })) throw new BlobExists(id);
      upload = this.bucket.openUploadStreamWithId(gridId(id), meta.fileName, { metadata });
      const counter = new CountingHasher(id, meta.maxBytes);
      // The driver writes `metadata` into the files document when the upload ends, after the
      // content has ended: the digest is known by then and goes into the same document.
      sink = new UploadSink(upload, () => {
        metadata.sha256 = counter.sha256;
      });
      await pipeline(content, counter, sink);
      const stored = { size: counter.size, sha256: counter.sha256 };
      if (upload.gridFSFile?.metadata?.sha256 !== stored.sha256) {
        // Only if a driver version copied `metadata` when the upload opened.
        await this.files.updateOne({ _id: id }, { $set: { 'metadata.sha256': stored.sha256 } });
      }
      return stored;
    } catch (error) {
      content.destroy();
      if (isDuplicateKey(error)) throw new BlobExists(id); // another writer owns this id: leave its data alone
      if (upload) {
        await sink?.settled();
        upload.destroy();
        await this.removePartial(id);
      }
      throw error;
    }
  }

  /**
   * The unique chunk index GridFS specifies. The driver creates it only when it finds the files
   * collection empty; here it is what makes two writers of one id collide on their first chunk,
   * so the loser stops before mixing its chunks into the winner's.
   */
  private async ensureIndexes(): Promise<void> {
    try {
      await this.chunks.createIndex({ files_id: 1, n: 1 }, { unique: true });
      await this.files.createIndex({ filename: 1, uploadDate: 1 });
    } catch (error) {
      this.indexes = undefined; // try again on the next put
      throw error;
    }
  }

  private async removePartial(id: string): Promise<void> {
    await this.files.deleteOne({ _id: id });
    await this.chunks.deleteMany({ files_id: id });
  }

  private assertOpen(): void {
    if (this.puts.closed) throw new Error('GridFsBlobStore is closed');
  }
}

/**
 * Feeds the GridFS upload stream one write at a time and finishes only when the upload has written
 * its files document. Unlike piping into the upload directly, a failure never leaves a chunk
 * insert running unseen: `settled()` waits for it, so clean-up deletes everything.
 */
class UploadSink extends Writable {
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly upload: GridFSBucketWriteStream,
    private readonly beforeEnd: () => void,
  ) {
    super({ highWaterMark: 64 * 1024 });
    // Its failures reach us through write callbacks and finished(); without a listener the
    // 'error' event it also emits would be an uncaught exception.
    upload.on('error', () => undefined);
  }

  settled(): Promise<void> {
    return this.inFlight;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.inFlight = new Promise((resolve) => {
      this.upload.write(chunk, (error) => {
        resolve();
        callback(error ?? null);
      });
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    try {
      this.beforeEnd();
    } catch (error) {
      callback(error as Error);
      return;
    }
    this.upload.end();
    this.inFlight = finished(this.upload).then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}
