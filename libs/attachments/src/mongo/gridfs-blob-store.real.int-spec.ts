import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describeBlobStoreContract } from '../testing/blob-store.contract';
import { describeGridFsLayout } from '../testing/gridfs-layout.checks';
import { GridFsBlobStore } from './gridfs-blob-store';

/**
 * The GridFS adapter against a real MongoDB, when MONGODB_URI points at one (e.g. the replica set
 * in deploy/docker-compose). Each run uses a database of its own and drops it afterwards.
 */
const uri = process.env.MONGODB_URI;

async function dropDatabase(dbName: string): Promise<void> {
  const admin = new MongoClient(uri!, { serverSelectionTimeoutMS: 10_000 });
  try {
    await admin.connect();
    await admin.db(dbName).dropDatabase();
  } finally {
    await admin.close();
  }
}

if (!uri) {
  describe('GridFsBlobStore on a real MongoDB', () => {
    it.skip('needs MONGODB_URI (e.g. mongodb://localhost:27017/?replicaSet=rs0); not set, so not run', () => undefined);
  });
} else {
  jest.setTimeout(30_000);
  describeBlobStoreContract('GridFsBlobStore on a real MongoDB (MONGODB_URI)', async () => {
    const dbName = `kundportal_blob_contract_${randomUUID().slice(0, 8)}`;
    const store = await GridFsBlobStore.connect(uri, dbName, { serverSelectionTimeoutMS: 10_000 });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dropDatabase(dbName);
      },
    };
  });

  describeGridFsLayout('real MongoDB (MONGODB_URI)', async () => {
    const dbName = `kundportal_blob_layout_${randomUUID().slice(0, 8)}`;
    return { uri, database: dbName, cleanup: () => dropDatabase(dbName) };
  });
}
