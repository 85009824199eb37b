import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  ResolvedEvent,
  START,
  UnavailableError,
  WrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import { EsdbEmulator } from './esdb-emulator';

/*
 * The EventStoreDB wire EMULATOR driven by the official client directly, for the parts of the
 * protocol our adapter does not use through the contract (stream subscriptions, backwards
 * reads, stream-name filters, error shapes), so the emulator stays faithful to the client.
 */
describe('EventStoreDB wire emulator with the official client', () => {
  let emulator: EsdbEmulator;
  let client: EventStoreDBClient;

  beforeEach(async () => {
    emulator = await EsdbEmulator.start();
    client = EventStoreDBClient.connectionString(emulator.connectionString);
  });

  afterEach(async () => {
    await client.dispose();
    await emulator.close();
  });

  const named = (label: string) => `emulator_${label}-${randomUUID()}`;
  const events = (n: number) => Array.from({ length: n }, (_, i) => jsonEvent({ type: 'Tested', data: { i } }));

  async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const item of read) out.push(item);
    return out;
  }

  it('reads a stream forwards and backwards from a revision, and reports a missing stream', async () => {
    const stream = named('read');
    await client.appendToStream(stream, events(4));

    const forwards = await collect<ResolvedEvent>(client.readStream(stream, { fromRevision: 1n, maxCount: 2 }));
    expect(forwards.map((e) => e.event?.revision)).toEqual([1n, 2n]);
    const backwards = await collect<ResolvedEvent>(
      client.readStream(stream, { direction: BACKWARDS, fromRevision: END }),
    );
    expect(backwards.map((e) => e.event?.revision)).toEqual([3n, 2n, 1n, 0n]);
    await expect(collect(client.readStream(named('missing')))).rejects.toMatchObject({ type: 'stream-not-found' });
  });

  it('reads $all forwards from a position inclusive and backwards exclusive', async () => {
    await client.appendToStream(named('all'), events(3));
    const all = await collect<ResolvedEvent>(client.readAll({ fromPosition: START }));
    const ours = all.filter((e) => !e.event?.type.startsWith('$'));
    const middle = ours[1].event as NonNullable<ResolvedEvent['event']> & {
      position: { commit: bigint; prepare: bigint };
    };

    const forwards = await collect<ResolvedEvent>(client.readAll({ fromPosition: middle.position, maxCount: 1 }));
    expect(forwards[0].event?.id).toBe(middle.id);
    const backwards = await collect<ResolvedEvent>(
      client.readAll({ fromPosition: middle.position, direction: BACKWARDS, maxCount: 1 }),
    );
    expect(backwards[0].event?.id).toBe(ours[0].event?.id);
  });

  it('serves a stream subscription: catch-up, caughtUp, then live', async () => {
    const stream = named('sub');
    await client.appendToStream(stream, events(2));
    const subscription = client.subscribeToStream(stream, { fromRevision: START });
    const caughtUp = new Promise<void>((resolve) => subscription.once('caughtUp', resolve));
    const received: bigint[] = [];
    const done = (async () => {
      for await (const e of subscription) {
        received.push(e.event?.revision ?? -1n);
        if (received.length === 3) break;
      }
    })();
    await caughtUp;
    await client.appendToStream(stream, events(1));
    await done;
    await subscription.unsubscribe();
    expect(received).toEqual([0n, 1n, 2n]);
  });

  it('filters $all subscriptions by stream-name prefix', async () => {
    const wanted = named('wanted');
    await client.appendToStream(named('other'), events(1));
    await client.appendToStream(wanted, events(2));
    const subscription = client.subscribeToAll({ filter: streamNameFilter({ prefixes: ['emulator_wanted-'] }) });
    const streams: string[] = [];
    for await (const e of subscription) {
      streams.push(e.event?.streamId ?? '');
      if (streams.length === 2) break;
    }
    await subscription.unsubscribe();
    expect(streams).toEqual([wanted, wanted]);
  });

  it.each([true, false])(
    'answers a wrong expected version as the server does (BatchAppend: %s)',
    async (batchAppend) => {
      const own = await EsdbEmulator.start({ batchAppend });
      const ownClient = EventStoreDBClient.connectionString(own.connectionString);
      try {
        const stream = named('wev');
        await ownClient.appendToStream(stream, events(1));
        const error = await ownClient
          .appendToStream(stream, events(1), { expectedRevision: 5n })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamName: stream, expectedVersion: 5n, actualVersion: 0n });
        expect(batchAppend ? own.calls.batchAppends : own.calls.appends).toBe(2);
      } finally {
        await ownClient.dispose();
        await own.close();
      }
    },
  );

  it('drops subscriptions with UNAVAILABLE on request', async () => {
    const subscription = client.subscribeToAll({ fromPosition: END });
    const failed = new Promise<unknown>((resolve) => subscription.on('error', resolve));
    await new Promise<void>((resolve) => subscription.once('confirmation', resolve));
    expect(emulator.activeSubscriptions).toBe(1);

    emulator.dropSubscriptions();
    expect(await failed).toBeInstanceOf(UnavailableError);
    expect(emulator.activeSubscriptions).toBe(0);
  });
});
