import { startJongodbEmulator, type MongoWireEmulator } from '../../../../test/emulators/mongo/jongodb-emulator';
import { describeBlobStoreContract, type BlobStoreContractOptions } from '../testing/blob-store.contract';
import { describeGridFsLayout } from '../testing/gridfs-layout.checks';
import { GridFsBlobStore } from './gridfs-blob-store';

/**
 * The GridFS adapter against jongodb, a MongoDB wire-protocol EMULATOR: it checks the adapter's
 * use of the driver (GridFS documents, clean-up, errors) without a server. Passing here is not
 * passing on MongoDB; gridfs-blob-store.real.int-spec.ts runs the same contract against a real
 * server.
 */
jest.setTimeout(30_000);

/**
 * What jongodb 0.1.6 does not do like MongoDB, each seen failing against it, not guessed: none of
 * the contract's cases so far (the download reads in windows because jongodb ignores batch limits).
 */
const EMULATOR_GAPS: BlobStoreContractOptions['skip'] = {};

let emulator: MongoWireEmulator | undefined;
const connect = async (database: string): Promise<GridFsBlobStore> => {
  emulator ??= await startJongodbEmulator();
  return GridFsBlobStore.connect(emulator.uri, database, { serverSelectionTimeoutMS: 5_000 });
};
afterAll(async () => {
  await emulator?.stop();
});

describeBlobStoreContract(
  'GridFsBlobStore on MongoDB wire emulator (jongodb)',
  async () => {
    const store = await connect('kundportal_blob_contract');
    return { store, cleanup: () => store.close() };
  },
  { skip: EMULATOR_GAPS },
);

describeGridFsLayout('jongodb emulator', async () => {
  emulator ??= await startJongodbEmulator();
  return { uri: emulator.uri, database: 'kundportal_blob_layout', cleanup: async () => undefined };
});
