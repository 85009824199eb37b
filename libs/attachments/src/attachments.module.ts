import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@kundportal/kernel';
import { BLOB_STORE, BlobStore } from './blob-store.port';
import { FileBlobStore } from './embedded/file-blob-store';
import { GridFsBlobStore } from './mongo/gridfs-blob-store';

/** The blob store chosen by configuration: GridFS beside the read models on MongoDB, else files in DATA_DIR. */
export function openBlobStore(config: AppConfig): Promise<BlobStore> {
  return config.readStore.kind === 'mongo'
    ? GridFsBlobStore.connect(config.readStore.uri, config.readStore.database)
    : FileBlobStore.open({ dataDir: config.dataDir });
}

@Global()
@Module({
  providers: [{ provide: BLOB_STORE, inject: [APP_CONFIG], useFactory: openBlobStore }],
  exports: [BLOB_STORE],
})
export class AttachmentsModule implements OnApplicationShutdown {
  constructor(@Inject(BLOB_STORE) private readonly store: BlobStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
