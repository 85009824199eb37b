import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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

/** Folder under DATA_DIR. */
export const ATTACHMENTS_DIR = 'attachments';
/** Work folder inside it for puts and deletes under way; never a blob id (those are hex). */
const TEMP_DIR = '.tmp';
const DATA_FILE = 'data';
const META_FILE = 'meta.json';

/** What `meta.json` holds. */
interface BlobRecord {
  id: string;
  size: number;
  sha256: string;
  contentType: string;
  fileName: string;
}

/** Temp folders that puts and deletes of this process are using (the open-time sweep keeps them). */
const TEMP_IN_USE = new Set<string>();

/**
 * Blobs as files in DATA_DIR: `attachments/<first 2 chars of id>/<id>/` holds `data` (the bytes)
 * and `meta.json` (size, sha256, content type, file name).
 *
 * Crash safety: a put writes both files into a fresh folder under `attachments/.tmp`, fsyncs them
 * and that folder, then renames the folder into place and fsyncs the parent. The rename is the
 * single commit point, so a blob is visible only with both files complete and durable, and
 * renaming onto an existing blob folder fails (ENOTEMPTY), which refuses a second write of an id
 * even from another process. A delete renames the folder back into `.tmp` before removing it.
 * What a crash leaves in `.tmp` is removed at the next open.
 *
 * Ids are checked to be UUIDs before they become path segments, so no id reaches outside.
 */
export class FileBlobStore implements BlobStore {
  private readonly puts = new PutTracker('FileBlobStore');

  private constructor(
    /** `<DATA_DIR>/attachments` */
    readonly root: string,
  ) {}

  static async open(options: { dataDir: string }): Promise<FileBlobStore> {
    const root = join(options.dataDir, ATTACHMENTS_DIR);
    const temp = join(root, TEMP_DIR);
    const created = await mkdir(temp, { recursive: true });
    if (created) {
      // Make the new folders' names durable, up to the first one that existed.
      for (let dir = temp; ; dir = dirname(dir)) {
        await fsyncDir(dirname(dir));
        if (dir === created) break;
      }
    }
    await sweepTemp(temp);
    return new FileBlobStore(root);
  }

  put(id: string, content: Readable, meta: BlobPutMeta): Promise<StoredBlob> {
    return this.puts.run(id, content, meta, () => this.write(id, content, meta));
  }

  async get(id: string): Promise<BlobContent | null> {
    this.assertOpen();
    if (!isBlobId(id)) return null;
    const dir = this.blobDir(id);
    let record: BlobRecord;
    try {
      record = JSON.parse(await readFile(join(dir, META_FILE), 'utf8')) as BlobRecord;
    } catch (error) {
      if (isCode(error, 'ENOENT')) return null;
      throw error;
    }
    let handle: FileHandle;
    try {
      handle = await open(join(dir, DATA_FILE), 'r');
    } catch (error) {
      if (isCode(error, 'ENOENT')) return null; // deleted since the metadata was read
      throw error;
    }
    const { size } = await handle.stat();
    if (size !== record.size) {
      await handle.close();
      throw new Error(`Blob ${id} is damaged: ${size} bytes on disk, ${record.size} recorded`);
    }
    return {
      stream: handle.createReadStream(),
      size: record.size,
      contentType: record.contentType,
      fileName: record.fileName,
      sha256: record.sha256,
    };
  }

  async delete(id: string): Promise<boolean> {
    this.assertOpen();
    if (!isBlobId(id)) return false;
    const grave = this.tempPath();
    TEMP_IN_USE.add(grave);
    try {
      try {
        await rename(this.blobDir(id), grave);
      } catch (error) {
        if (isCode(error, 'ENOENT')) return false;
        throw error;
      }
      await fsyncDir(this.shardDir(id));
      await rm(grave, { recursive: true, force: true });
      return true;
    } finally {
      TEMP_IN_USE.delete(grave);
    }
  }

  async health(): Promise<BlobStoreHealth> {
    if (this.puts.closed) return { status: 'down', adapter: 'embedded', detail: 'closed' };
    try {
      await access(this.root, constants.W_OK);
      return { status: 'up', adapter: 'embedded', detail: this.root };
    } catch (error) {
      return { status: 'down', adapter: 'embedded', detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    await this.puts.close();
  }

  private async write(id: string, content: Readable, meta: BlobPutMeta): Promise<StoredBlob> {
    const temp = this.tempPath();
    TEMP_IN_USE.add(temp);
    try {
      if (await exists(join(this.blobDir(id), META_FILE))) throw new BlobExists(id);
      await mkdir(temp);
      const counter = new CountingHasher(id, meta.maxBytes);
      const handle = await open(join(temp, DATA_FILE), 'wx');
      try {
        await pipeline(content, counter, fileSink(handle));
      } finally {
        await handle.close();
      }
      const record: BlobRecord = { id, size: counter.size, sha256: counter.sha256, contentType: meta.contentType, fileName: meta.fileName };
      await writeDurably(join(temp, META_FILE), JSON.stringify(record));
      await fsyncDir(temp);
      const shard = this.shardDir(id);
      if (await mkdir(shard, { recursive: true })) await fsyncDir(this.root);
      try {
        await rename(temp, this.blobDir(id));
      } catch (error) {
        if (isCode(error, 'ENOTEMPTY') || isCode(error, 'EEXIST')) throw new BlobExists(id);
        throw error;
      }
      await fsyncDir(shard);
      return { size: record.size, sha256: record.sha256 };
    } catch (error) {
      content.destroy();
      await rm(temp, { recursive: true, force: true });
      throw error;
    } finally {
      TEMP_IN_USE.delete(temp);
    }
  }

  private assertOpen(): void {
    if (this.puts.closed) throw new Error('FileBlobStore is closed');
  }

  private shardDir(id: string): string {
    return join(this.root, id.slice(0, 2));
  }

  private blobDir(id: string): string {
    return join(this.shardDir(id), id);
  }

  /** Named after this process, so a sweep can tell an abandoned entry from one in use. */
  private tempPath(): string {
    return join(this.root, TEMP_DIR, `${process.pid}-${randomUUID()}`);
  }
}

/** Writes to the file as the stream goes and fsyncs it before finishing. */
function fileSink(handle: FileHandle): Writable {
  return new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      writeAll(handle, chunk).then(() => callback(), callback);
    },
    final(callback) {
      handle.sync().then(() => callback(), callback);
    },
  });
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}

async function writeDurably(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await writeAll(handle, Buffer.from(text, 'utf8'));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a folder's entries (a created, renamed or removed name) durable. */
async function fsyncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return false;
    throw error;
  }
}

/**
 * Removes what puts and deletes interrupted by a crash left in `.tmp`: entries of processes that no
 * longer run, and of this process when it is not using them (a restarted container reuses its pid).
 */
async function sweepTemp(temp: string): Promise<void> {
  for (const name of await readdir(temp)) {
    const path = join(temp, name);
    const pid = /^(\d+)-/.exec(name)?.[1];
    const abandoned = !pid || (Number(pid) === process.pid ? !TEMP_IN_USE.has(path) : !processRuns(Number(pid)));
    if (abandoned) await rm(path, { recursive: true, force: true });
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM');
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
