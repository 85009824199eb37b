export * from './blob-store.port';
export * from './attachments.module';
export { FileBlobStore } from './embedded/file-blob-store';
export { GridFsBlobStore, GRIDFS_BUCKET } from './mongo/gridfs-blob-store';
