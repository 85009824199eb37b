import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { EmbeddedEventStore } from './embedded-event-store';

describeEventStoreContract('embedded (SQLite file)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'kundportal-eventstore-contract-'));
  const store = EmbeddedEventStore.open({ dataDir });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});
