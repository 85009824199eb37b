/**
 * GridFS-specific checks, beyond the port's contract: the documents as other GridFS tools see
 * them, and clean-up seen in the collections themselves. Run by the emulator and real-server specs.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { MongoClient, type Db } from 'mongodb';
import { BlobExists, BlobTooLarge } from '../blob-store.port';
import { GRIDFS_BUCKET, GridFsBlobStore } from '../mongo/gridfs-blob-store';

export interface GridFsServer {
  uri: string;
  database: string;
  cleanup: () => Promise<void>;
}

export function describeGridFsLayout(serverName: string, server: () => Promise<GridFsServer>): void {
  describe(`GridFsBlobStore documents: ${serverName}`, () => {
    let client: MongoClient;
    let db: Db;
    let store: GridFsBlobStore;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const found = await server();
      cleanup = found.cleanup;
      client = new MongoClient(found.uri, { serverSelectionTimeoutMS: 10_000 });
      await client.connect();
      db = client.db(found.database);
      store = GridFsBlobStore.fromClient(client, found.database);
    });

    afterAll(async () => {
      await store?.close();
      await client?.close();
      await cleanup?.();
    });

    it(`writes bucket "${GRIDFS_BUCKET}" with _id = our id and metadata { contentType, fileName, sha256 }`, async () => {
      const id = randomUUID();
      const data = randomBytes(600 * 1024);
      await store.put(id, Readable.from([data]), { contentType: 'application/pdf', fileName: 'avtal.pdf', maxBytes: 1024 * 1024 });
      const file = await db.collection(`${GRIDFS_BUCKET}.files`).findOne({ _id: id as never });
      expect(file).toMatchObject({
        _id: id,
        length: data.length,
        filename: 'avtal.pdf',
        metadata: { contentType: 'application/pdf', fileName: 'avtal.pdf', sha256: createHash('sha256').update(data).digest('hex') },
      });
      expect(await db.collection(`${GRIDFS_BUCKET}.chunks`).countDocuments({ files_id: id })).toBe(3);
    });

    it('removes every chunk it wrote when the limit is crossed after several chunks', async () => {
      const id = randomUUID();
      const chunks = [randomBytes(300 * 1024), randomBytes(300 * 1024), randomBytes(300 * 1024)];
      await expect(store.put(id, Readable.from(chunks), { contentType: 'x/y', fileName: 'f', maxBytes: 800 * 1024 })).rejects.toBeInstanceOf(BlobTooLarge);
      expect(await db.collection(`${GRIDFS_BUCKET}.chunks`).countDocuments({ files_id: id })).toBe(0);
      expect(await db.collection(`${GRIDFS_BUCKET}.files`).countDocuments({ _id: id as never })).toBe(0);
    });

    it('of two stores writing one id at once (two processes, say), exactly one wins and its bytes stay whole', async () => {
      const id = randomUUID();
      const other = GridFsBlobStore.fromClient(client, db.databaseName);
      const a = randomBytes(900 * 1024);
      const b = randomBytes(800 * 1024);
      const chunked = (data: Buffer): Readable => Readable.from(Array.from({ length: Math.ceil(data.length / 65536) }, (_, i) => data.subarray(i * 65536, (i + 1) * 65536)));
      const results = await Promise.allSettled([
        store.put(id, chunked(a), { contentType: 'x/y', fileName: 'a', maxBytes: 1024 * 1024 }),
        other.put(id, chunked(b), { contentType: 'x/y', fileName: 'b', maxBytes: 1024 * 1024 }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(BlobExists);
      const winner = results[0].status === 'fulfilled' ? a : b;
      const blob = await store.get(id);
      const parts: Buffer[] = [];
      for await (const part of blob!.stream) parts.push(part as Buffer);
      expect(Buffer.concat(parts).equals(winner)).toBe(true);
      await other.close();
    });

    it('leaves a client it was given open on close()', async () => {
      const own = GridFsBlobStore.fromClient(client, db.databaseName);
      await own.close();
      expect((await own.health()).status).toBe('down');
      await expect(db.command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    });
  });
}
