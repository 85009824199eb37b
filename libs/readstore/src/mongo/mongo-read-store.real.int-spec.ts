import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describeReadStoreContract } from '../testing/read-store.contract';
import { MongoReadStore } from './mongo-read-store';

/**
 * The Mongo adapter against a real MongoDB, when MONGODB_URI points at one (e.g. the replica set
 * in deploy/docker-compose). Each run uses a database of its own and drops it afterwards.
 */
const uri = process.env.MONGODB_URI;

if (!uri) {
  describe('MongoReadStore on a real MongoDB', () => {
    it.skip('needs MONGODB_URI (e.g. mongodb://localhost:27017/?replicaSet=rs0); not set, so not run', () => undefined);
  });
} else {
  jest.setTimeout(30_000);
  describeReadStoreContract('MongoReadStore on a real MongoDB (MONGODB_URI)', async () => {
    const dbName = `kundportal_contract_${randomUUID().slice(0, 8)}`;
    const store = await MongoReadStore.connect(uri, dbName, { serverSelectionTimeoutMS: 10_000 });
    return {
      store,
      cleanup: async () => {
        await store.close();
        const admin = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
        try {
          await admin.connect();
          await admin.db(dbName).dropDatabase();
        } finally {
          await admin.close();
        }
      },
    };
  });
}
