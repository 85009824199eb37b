import { describeEventStoreContract } from '../testing/event-store.contract';
import { EsdbEventStore } from './esdb-event-store';

/*
 * The contract against a real EventStoreDB, e.g.
 *   docker run -p 2113:2113 eventstore/eventstore:23.10.1-bookworm-slim --insecure --run-projections=All
 *   EVENTSTORE_CONNECTION_STRING='esdb://127.0.0.1:2113?tls=false' \
 *     npx jest libs/eventstore/src/esdb/esdb-event-store.real.int-spec.ts
 * Streams get random names, so a shared server is fine.
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract('EventStoreDB (real server)', async () => {
    const store = EsdbEventStore.connect(connectionString);
    return { store, cleanup: () => store.close() };
  });
} else {
  console.warn('EventStore contract against a real EventStoreDB skipped: EVENTSTORE_CONNECTION_STRING not set');
  describe('EventStore contract: EventStoreDB (real server)', () => {
    it.skip('skipped: EVENTSTORE_CONNECTION_STRING not set', () => undefined);
  });
}
