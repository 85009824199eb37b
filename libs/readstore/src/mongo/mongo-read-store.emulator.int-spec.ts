import { startJongodbEmulator, type MongoWireEmulator } from '../../../../test/emulators/mongo/jongodb-emulator';
import { describeReadStoreContract } from '../testing/read-store.contract';
import { MongoReadStore } from './mongo-read-store';

/**
 * The Mongo adapter against jongodb, a MongoDB wire-protocol EMULATOR: it checks the adapter's
 * mapping (driver calls, errors, ids) without a server. Passing here is not passing on MongoDB;
 * mongo-read-store.real.int-spec.ts runs the same contract against a real server, where nothing
 * is skipped.
 */
jest.setTimeout(30_000);

/** What jongodb 0.1.6 does not do like MongoDB (each seen failing against it, not guessed). */
const EMULATOR_GAPS = {
  'update.$push': 'jongodb answers "unsupported update operator: $push"',
  'update.$pull': 'jongodb answers "unsupported update operator: $pull"',
  'update.$max': 'jongodb answers "unsupported update operator: $max"',
  'update.$min': 'jongodb answers "unsupported update operator: $min"',
  'index.unique-multikey': 'jongodb does not enforce unique indexes per array element',
  'updateOne.upsert-$eq': 'jongodb does not seed upserts from $eq conditions',
  'bulkWrite.stops-at-failure': 'jongodb applies none of an insert batch that fails part-way (MongoDB keeps the inserts before the failure)',
  'find.projection': 'jongodb ignores the projection of a find and returns whole documents',
  'index.sync': 'jongodb has no dropIndexes command',
} as const;

describeReadStoreContract(
  'MongoReadStore on MongoDB wire emulator (jongodb)',
  async () => {
    const emulator: MongoWireEmulator = await startJongodbEmulator();
    try {
      const store = await MongoReadStore.connect(emulator.uri, 'kundportal_contract', { serverSelectionTimeoutMS: 5_000 });
      return {
        store,
        cleanup: async () => {
          await store.close();
          await emulator.stop();
        },
      };
    } catch (error) {
      await emulator.stop();
      throw error;
    }
  },
  { skip: EMULATOR_GAPS },
);
