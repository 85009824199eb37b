/**
 * The behaviour every BlobStore adapter must show, as one jest suite each adapter's int-spec runs:
 *
 *   describeBlobStoreContract('embedded', async () => ({ store, cleanup }));
 *
 * Each test uses fresh random ids, so the suite can run against a shared real server. An adapter
 * (or an emulator standing in for a server) that lacks a feature skips just that case, with the
 * reason in the test name; a skipped case is reported, never passed.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BlobExists, BlobTooLarge, InvalidBlobId, type BlobStore } from '../blob-store.port';

export interface BlobStoreUnderTest {
  store: BlobStore;
  cleanup: () => Promise<void>;
}

export const BLOB_STORE_CONTRACT_CASES = {
  'health.up': 'health reports up',
  'put-get.binary': 'put then get gives back the same bytes (all 256 byte values), size, sha256, content type and file name',
  'put-get.empty': 'an empty blob round-trips',
  'put-get.5mb-chunks': 'a 5 MB random buffer streamed in odd-sized chunks round-trips with the right size and sha256',
  'get.unknown': 'get of an unknown id answers null',
  'ids.strict': 'ids that are not lower-case UUIDs: put refuses them (InvalidBlobId), get answers null, delete false',
  'limit.exact': 'content of exactly maxBytes is stored',
  'limit.first-chunk': 'a first chunk over maxBytes rejects with BlobTooLarge and stores nothing',
  'limit.mid-chunk': 'a limit crossed in the middle of a later chunk rejects with BlobTooLarge and stores nothing, not even part',
  'limit.after-much-written': 'BlobTooLarge after hundreds of KB already went to the store leaves nothing (the id is free again)',
  'duplicate.sequential': 'a second put of an id is refused with BlobExists and the first blob stays as it was',
  'duplicate.concurrent': 'of two concurrent puts of one id exactly one wins; the other gets BlobExists',
  delete: 'delete removes a blob (true), then answers false; other blobs stay',
  'concurrent.puts': 'concurrent puts of different blobs all round-trip',
  'content-error': 'content that errors mid-way rejects with its error and leaves nothing stored (the id is free again)',
  'memory.50mb': 'a 50 MB blob is written and read back streamed: retained memory stays far below its size',
} as const;

export type BlobStoreContractCase = keyof typeof BLOB_STORE_CONTRACT_CASES;

export interface BlobStoreContractOptions {
  /** Cases this adapter cannot pass, each with the reason shown in the skipped test's name. */
  skip?: Partial<Record<BlobStoreContractCase, string>>;
}

const MiB = 1024 * 1024;
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const meta = (maxBytes = 10 * MiB) => ({ contentType: 'application/octet-stream', fileName: 'file.bin', maxBytes });

/** `data` as a byte stream (not object mode) in chunks of `chunkSize`, honouring backpressure. */
function chunked(data: Buffer, chunkSize: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= data.length) {
        this.push(null);
        return;
      }
      this.push(data.subarray(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** Emits `before` bytes, then fails with `error`. */
function failingAfter(before: number, error: Error): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= before) {
        this.destroy(error);
        return;
      }
      const n = Math.min(32 * 1024, before - sent);
      sent += n;
      this.push(randomBytes(n));
    },
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** A forced garbage collection, so memory readings count what is still referenced. */
function collector(): () => void {
  const global = globalThis as { gc?: () => void };
  if (global.gc) return global.gc;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export function describeBlobStoreContract(
  adapterName: string,
  factory: () => Promise<BlobStoreUnderTest>,
  options: BlobStoreContractOptions = {},
): void {
  describe(`BlobStore contract: ${adapterName}`, () => {
    let store: BlobStore;
    let cleanup: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      ({ store, cleanup } = await factory());
    });

    afterAll(async () => {
      await cleanup?.();
    });

    const check = (id: BlobStoreContractCase, body: () => Promise<void>, timeoutMs?: number): void => {
      const title = BLOB_STORE_CONTRACT_CASES[id];
      const reason = options.skip?.[id];
      if (reason) it.skip(`${title} [SKIPPED for ${adapterName}: ${reason}]`, body);
      else it(title, body, timeoutMs);
    };

    const expectAbsent = async (id: string): Promise<void> => {
      expect(await store.get(id)).toBeNull();
    };

    /** The id can be written afresh: proves no part of a failed put is left under it. */
    const expectReusable = async (id: string): Promise<void> => {
      const data = randomBytes(1000);
      await expect(store.put(id, chunked(data, 300), meta())).resolves.toEqual({ size: 1000, sha256: sha256(data) });
      const blob = await store.get(id);
      expect(await readAll(blob!.stream)).toEqual(data);
    };

    check('health.up', async () => {
      const health = await store.health();
      expect(health.status).toBe('up');
      expect(typeof health.adapter).toBe('string');
    });

    check('put-get.binary', async () => {
      const id = randomUUID();
      const data = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n\0åäö', 'utf8')]);
      const stored = await store.put(id, chunked(data, 100), { contentType: 'image/png', fileName: 'skärmbild "1".png', maxBytes: 1024 });
      expect(stored).toEqual({ size: data.length, sha256: sha256(data) });
      const blob = await store.get(id);
      expect(blob).not.toBeNull();
      expect({ ...blob!, stream: undefined }).toEqual({
        stream: undefined,
        size: data.length,
        contentType: 'image/png',
        fileName: 'skärmbild "1".png',
        sha256: sha256(data),
      });
      expect(await readAll(blob!.stream)).toEqual(data);
    });

    check('put-get.empty', async () => {
      const id = randomUUID();
      expect(await store.put(id, chunked(Buffer.alloc(0), 10), meta(0))).toEqual({ size: 0, sha256: sha256(Buffer.alloc(0)) });
      const blob = await store.get(id);
      expect(blob?.size).toBe(0);
      expect(await readAll(blob!.stream)).toEqual(Buffer.alloc(0));
    });

    check('put-get.5mb-chunks', async () => {
      const id = randomUUID();
      const data = randomBytes(5 * MiB);
      const stored = await store.put(id, chunked(data, 70_001), meta(5 * MiB));
      expect(stored).toEqual({ size: data.length, sha256: sha256(data) });
      const blob = await store.get(id);
      expect(blob?.size).toBe(data.length);
      expect(blob?.sha256).toBe(sha256(data));
      const back = await readAll(blob!.stream);
      expect(back.length).toBe(data.length);
      expect(back.equals(data)).toBe(true);
    }, 20_000);

    check('get.unknown', async () => {
      await expectAbsent(randomUUID());
    });

    check('ids.strict', async () => {
      const bad = ['../../etc/passwd', '..', '', 'x', randomUUID().toUpperCase(), `${randomUUID()}/..`, `../${randomUUID()}`, `${randomUUID()}\0`];
      for (const id of bad) {
        const content = chunked(Buffer.from('x'), 1);
        await expect(store.put(id, content, meta())).rejects.toBeInstanceOf(InvalidBlobId);
        expect(content.destroyed).toBe(true);
        expect(await store.get(id)).toBeNull();
        expect(await store.delete(id)).toBe(false);
      }
    });

    check('limit.exact', async () => {
      const id = randomUUID();
      const data = randomBytes(1000);
      expect(await store.put(id, chunked(data, 333), meta(1000))).toEqual({ size: 1000, sha256: sha256(data) });
      const blob = await store.get(id);
      blob?.stream.destroy();
      expect(blob?.size).toBe(1000);
    });

    check('limit.first-chunk', async () => {
      const id = randomUUID();
      const content = chunked(randomBytes(2000), 2000);
      const error = await store.put(id, content, meta(1999)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlobTooLarge);
      expect(error).toMatchObject({ id, maxBytes: 1999 });
      expect(content.destroyed).toBe(true);
      await expectAbsent(id);
      await expectReusable(id);
    });

    check('limit.mid-chunk', async () => {
      const id = randomUUID();
      // 300 + 300 + 300 fit; the fourth chunk takes the total from 900 to 1200, past 1000.
      await expect(store.put(id, chunked(randomBytes(1200), 300), meta(1000))).rejects.toBeInstanceOf(BlobTooLarge);
      await expectAbsent(id);
      await expectReusable(id);
    });

    check('limit.after-much-written', async () => {
      const id = randomUUID();
      const max = 700 * 1024 + 17; // past two 255 KiB GridFS chunks, inside the third
      await expect(store.put(id, chunked(randomBytes(2 * MiB), 64 * 1024), meta(max))).rejects.toBeInstanceOf(BlobTooLarge);
      await expectAbsent(id);
      await expectReusable(id);
    });

    check('duplicate.sequential', async () => {
      const id = randomUUID();
      const first = randomBytes(500);
      await store.put(id, chunked(first, 500), meta());
      const second = chunked(randomBytes(300), 300);
      await expect(store.put(id, second, meta())).rejects.toBeInstanceOf(BlobExists);
      expect(second.destroyed).toBe(true);
      const blob = await store.get(id);
      expect(blob?.sha256).toBe(sha256(first));
      expect(await readAll(blob!.stream)).toEqual(first);
    });

    check('duplicate.concurrent', async () => {
      const id = randomUUID();
      const a = randomBytes(400 * 1024);
      const b = randomBytes(300 * 1024);
      const results = await Promise.allSettled([store.put(id, chunked(a, 16 * 1024), meta()), store.put(id, chunked(b, 16 * 1024), meta())]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toBeInstanceOf(BlobExists);
      const winner = results[0].status === 'fulfilled' ? a : b;
      const blob = await store.get(id);
      expect(blob?.sha256).toBe(sha256(winner));
      expect((await readAll(blob!.stream)).equals(winner)).toBe(true);
    });

    check('delete', async () => {
      const [gone, kept] = [randomUUID(), randomUUID()];
      await store.put(gone, chunked(randomBytes(10), 10), meta());
      await store.put(kept, chunked(Buffer.from('keep'), 10), meta());
      expect(await store.delete(gone)).toBe(true);
      await expectAbsent(gone);
      expect(await store.delete(gone)).toBe(false);
      expect(await store.delete(randomUUID())).toBe(false);
      expect(await readAll((await store.get(kept))!.stream)).toEqual(Buffer.from('keep'));
    });

    check('concurrent.puts', async () => {
      const blobs = Array.from({ length: 8 }, (_, i) => ({ id: randomUUID(), data: randomBytes(100 * 1024 + i * 7919) }));
      const stored = await Promise.all(blobs.map(({ id, data }) => store.put(id, chunked(data, 8 * 1024), meta())));
      expect(stored).toEqual(blobs.map(({ data }) => ({ size: data.length, sha256: sha256(data) })));
      const back = await Promise.all(blobs.map(async ({ id }) => readAll((await store.get(id))!.stream)));
      back.forEach((data, i) => expect(data.equals(blobs[i].data)).toBe(true));
    }, 20_000);

    check('content-error', async () => {
      for (const before of [1000, 600 * 1024]) {
        const id = randomUUID();
        const boom = new Error(`connection reset after ${before} bytes`);
        await expect(store.put(id, failingAfter(before, boom), meta())).rejects.toBe(boom);
        await expectAbsent(id);
        await expectReusable(id);
      }
    });

    check('memory.50mb', async () => {
      const gc = collector();
      const size = 50 * MiB;
      const chunk = 64 * 1024;
      // What is still referenced: collect, and let the freed buffers' memory be returned, which
      // V8 finishes between turns of the event loop.
      const retained = async (): Promise<number> => {
        for (let i = 0; i < 3; i++) {
          gc();
          await new Promise((resolve) => setImmediate(resolve));
        }
        return process.memoryUsage().arrayBuffers;
      };
      const baseline = await retained();
      const readings: number[] = [];
      const hash = createHash('sha256');
      let produced = 0;
      // Fresh buffers each time, so a store that kept the chunks would show it.
      const source = new Readable({
        read() {
          if (produced >= size) {
            this.push(null);
            return;
          }
          const part = Buffer.alloc(chunk, produced / chunk);
          part.writeUInt32LE(produced, 0);
          hash.update(part);
          produced += chunk;
          if (produced === size / 2 || produced === size - 4 * chunk) {
            retained().then((bytes) => {
              readings.push(bytes - baseline);
              this.push(part);
            }, (error: Error) => this.destroy(error));
            return;
          }
          this.push(part);
        },
      });
      const id = randomUUID();
      const stored = await store.put(id, source, meta(size));
      expect(stored).toEqual({ size, sha256: hash.digest('hex') });

      const blob = await store.get(id);
      const readBack = createHash('sha256');
      let read = 0;
      for await (const part of blob!.stream) {
        const before = read;
        read += (part as Buffer).length;
        readBack.update(part as Buffer);
        if (before < size / 2 && read >= size / 2) readings.push((await retained()) - baseline);
      }
      expect(read).toBe(size);
      expect(readBack.digest('hex')).toBe(stored.sha256);
      // Loose bound: a store that held the blob would retain >= 25 MB at these points.
      expect(readings).toHaveLength(3);
      for (const growth of readings) expect(growth).toBeLessThan(16 * MiB);
    }, 25_000);
  });
}
