import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { APP_CONFIG, AppConfig, loadConfig } from '@kundportal/kernel';
import { startJongodbEmulator } from '../../../test/emulators/mongo/jongodb-emulator';
import { AttachmentsModule } from './attachments.module';
import { BLOB_STORE, type BlobStore } from './blob-store.port';
import { FileBlobStore } from './embedded/file-blob-store';
import { GridFsBlobStore } from './mongo/gridfs-blob-store';

jest.setTimeout(30_000);

/** The module in a Nest application context, with the configuration as loadConfig makes it. */
async function withModule(env: Record<string, string>, body: (store: BlobStore) => Promise<void>): Promise<void> {
  const config = loadConfig(env);
  @Global()
  @Module({ providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] })
  class ConfigModule {}
  @Module({ imports: [ConfigModule, AttachmentsModule] })
  class Root {}
  const app = await NestFactory.createApplicationContext(Root, { logger: false });
  const store = app.get<BlobStore>(BLOB_STORE);
  try {
    await body(store);
  } finally {
    await app.close();
  }
  // Closed on shutdown.
  expect((await store.health()).status).toBe('down');
}

describe('AttachmentsModule', () => {
  it('provides files in DATA_DIR without MONGODB_URI', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kundportal-attachments-module-'));
    try {
      await withModule({ DATA_DIR: dataDir }, async (store) => {
        expect(store).toBeInstanceOf(FileBlobStore);
        expect((store as FileBlobStore).root).toBe(join(dataDir, 'attachments'));
        const id = randomUUID();
        await store.put(id, Readable.from([Buffer.from('x')]), { contentType: 'text/plain', fileName: 'x', maxBytes: 1 });
        expect(await store.delete(id)).toBe(true);
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('provides GridFS on MONGODB_URI / MONGODB_DATABASE (jongodb emulator)', async () => {
    const emulator = await startJongodbEmulator();
    try {
      await withModule({ MONGODB_URI: emulator.uri, MONGODB_DATABASE: 'kundportal_module', AUTH_MODE: 'dev', ALLOW_DEV_AUTH_WITH_PRODUCTION_STORES: 'true' }, async (store) => {
        expect(store).toBeInstanceOf(GridFsBlobStore);
        expect(await store.health()).toMatchObject({ status: 'up', adapter: 'gridfs', detail: 'kundportal_module/attachments' });
      });
    } finally {
      await emulator.stop();
    }
  });

  it('the configured limit defaults to 20 MiB', () => {
    const config: AppConfig = loadConfig({});
    expect(config.attachmentMaxBytes).toBe(20 * 1024 * 1024);
  });
});
