import { EsdbEmulator } from '../../../../test/emulators/esdb/esdb-emulator';
import { Collector, describeEventStoreContract, event, streamName } from '../testing/event-store.contract';
import { EsdbEventStore } from './esdb-event-store';

/*
 * The adapter over the official client against the EventStoreDB wire EMULATOR
 * (test/emulators/esdb): proves wire compatibility and the adapter's own logic, not
 * EventStoreDB's behaviour — esdb-event-store.real.int-spec.ts runs the same contract
 * against a real server.
 */

/** Fast retries: the emulator is local, and the suite has to stay quick. */
const FAST = { baseBackoffMs: 20, maxBackoffMs: 200 };

// Servers since 21.10 take BatchAppend; older ones only Append. The client picks by ServerFeatures.
for (const batchAppend of [true, false]) {
  describeEventStoreContract(`EventStoreDB wire emulator (${batchAppend ? 'BatchAppend' : 'Append'})`, async () => {
    const emulator = await EsdbEmulator.start({ batchAppend });
    const store = EsdbEventStore.connect(emulator.connectionString, FAST);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await emulator.close();
        // The wire path under test is the one that ran.
        if (emulator.calls.appends + emulator.calls.batchAppends > 0) {
          expect(batchAppend ? emulator.calls.appends : emulator.calls.batchAppends).toBe(0);
        }
      },
    };
  });
}

describe('EsdbEventStore on the EventStoreDB wire emulator: faults and system events', () => {
  let emulator: EsdbEmulator;
  let store: EsdbEventStore;

  beforeEach(async () => {
    emulator = await EsdbEmulator.start();
    store = EsdbEventStore.connect(emulator.connectionString, FAST);
  });

  afterEach(async () => {
    await store.close();
    await emulator.close();
  });

  async function appendOne(stream: string, expected: bigint | 'no_stream'): Promise<string> {
    const e = event();
    await store.appendToStream(stream, [e], { expectedRevision: expected });
    return e.id;
  }

  it('resubscribes after the server drops subscriptions: every event once, in order', async () => {
    const stream = streamName('drop');
    const ids: string[] = [];
    ids.push(await appendOne(stream, 'no_stream'), await appendOne(stream, 0n));
    const collector = new Collector(store.subscribeToAll(), (e) => e.streamId === stream);
    await collector.waitFor(2);

    ids.push(await appendOne(stream, 1n));
    await collector.waitFor(3);
    emulator.dropSubscriptions();
    ids.push(await appendOne(stream, 2n), await appendOne(stream, 3n));
    await collector.waitFor(5);
    emulator.dropSubscriptions();
    emulator.dropSubscriptions();
    ids.push(await appendOne(stream, 4n));
    await collector.waitFor(6);
    await collector.stop();

    expect(collector.events.map((e) => e.id)).toEqual(ids);
    expect(emulator.calls.subscriptions).toBeGreaterThanOrEqual(3); // the drops really cut it
    expect(collector.error).toBeUndefined();
  });

  it('resubscribes after the server restarts on the same port: every event once, in order', async () => {
    const stream = streamName('restart');
    const ids = [await appendOne(stream, 'no_stream')];
    const collector = new Collector(store.subscribeToAll(), (e) => e.streamId === stream);
    await collector.waitFor(1);

    await emulator.restart(300);
    ids.push(await appendOne(stream, 0n));
    await collector.waitFor(2);
    await emulator.dropConnections();
    ids.push(await appendOne(stream, 1n));
    await collector.waitFor(3);
    await collector.stop();

    expect(collector.events.map((e) => e.id)).toEqual(ids);
    expect(collector.error).toBeUndefined();
    expect(emulator.calls.subscriptions).toBeGreaterThanOrEqual(3);
  });

  it('appends and reads retry through a dropped connection', async () => {
    const stream = streamName('retry-through-drop');
    await appendOne(stream, 'no_stream');
    await emulator.dropConnections();

    await appendOne(stream, 0n);
    expect(await store.readStream(stream)).toHaveLength(2);
    expect((await store.health()).status).toBe('up');
  });

  it.each([true, false])(
    'answers an idempotent retry with its stored position when the server sends none (BatchAppend: %s)',
    async (batchAppend) => {
      const older = await EsdbEmulator.start({ batchAppend, retriesWithoutPosition: true });
      const olderStore = EsdbEventStore.connect(older.connectionString, FAST);
      try {
        const stream = streamName('retry-no-position');
        const events = [event(), event()];
        const first = await olderStore.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        await olderStore.appendToStream(stream, [event()], { expectedRevision: 1n });

        expect(await olderStore.appendToStream(stream, events, { expectedRevision: 'no_stream' })).toEqual(first);
      } finally {
        await olderStore.close();
        await older.close();
      }
    },
  );

  it('health is down while the server is unreachable', async () => {
    await emulator.stop();
    const health = await store.health();
    expect(health).toMatchObject({ status: 'down', adapter: 'esdb' });
    await emulator.resume();
    expect((await store.health()).status).toBe('up');
  });

  it('leaves system events out of readAll, subscribeToAll and headPosition', async () => {
    const stream = streamName('system');
    emulator.appendSystemEvent();
    await appendOne(stream, 'no_stream');
    emulator.appendSystemEvent('$scavenges', '$scavengeStarted');
    await appendOne(stream, 0n);
    emulator.appendSystemEvent();

    const all = await store.readAll();
    expect(all.map((e) => e.streamId)).toEqual([stream, stream]);
    expect(await store.headPosition()).toBe(all[1].position);
    const collector = new Collector(store.subscribeToAll(), () => true);
    await collector.waitFor(2);
    emulator.appendSystemEvent();
    await appendOne(stream, 1n);
    await collector.waitFor(3);
    await collector.stop();
    expect(collector.events.every((e) => e.streamId === stream)).toBe(true);
    expect(collector.events).toHaveLength(3);
  });
});
