import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANONYMOUS, CommandContext, EventMetadata } from '@kundportal/kernel';
import { CommandExecutor } from './command-executor';
import { EmbeddedEventStore } from './embedded/embedded-event-store';
import { ReservationHeld, Reservations } from './reservations';
import { currentVersion, upcast, Upcaster } from './upcasting';

const OCCURRED = '2025-03-01T09:30:00.000Z';
const metadata = (schemaVersion: number): EventMetadata => ({ actor: ANONYMOUS, correlationId: 'c', causationId: 'c', occurredAt: OCCURRED, schemaVersion });

describe('upcast (pure)', () => {
  const event = (schemaVersion: number, data: Record<string, unknown>) => ({
    id: 'e1',
    streamId: 's',
    revision: 0n,
    position: 1n,
    type: 'Renamed',
    data,
    metadata: metadata(schemaVersion),
  });
  const steps: Upcaster[] = [
    { type: 'Renamed', fromVersion: 2, upcast: (d) => ({ ...d, fullName: `${d.first} ${d.last}` }) },
    { type: 'Renamed', fromVersion: 1, upcast: (d) => ({ first: d.name, last: '' }) },
  ];

  it('runs each step from the stored version on, in order, and says the version reached', () => {
    expect(currentVersion('Renamed', steps)).toBe(3);
    expect(upcast(event(1, { name: 'Kim' }), steps)).toMatchObject({ data: { first: 'Kim', last: '', fullName: 'Kim ' }, metadata: { schemaVersion: 3 } });
    expect(upcast(event(2, { first: 'Kim', last: 'Berg' }), steps).data).toEqual({ first: 'Kim', last: 'Berg', fullName: 'Kim Berg' });
  });

  it('leaves an event at the current version, and other types, as they are (the same object)', () => {
    const current = event(3, { fullName: 'Kim Berg' });
    expect(upcast(current, steps)).toBe(current);
    const other = { ...event(1, {}), type: 'Other' };
    expect(upcast(other, steps)).toBe(other);
  });
});

describe('ReservationClaimed version 1 (no claimedAt) read from the log', () => {
  let dir: string;
  let store: EmbeddedEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kp-upcast-'));
    store = EmbeddedEventStore.open({ dataDir: dir });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const key = Reservations.streamId('email', 'kim@region.se');
  const context: CommandContext = { actor: ANONYMOUS, now: new Date('2026-06-01T10:00:00.000Z'), correlationId: 'c2', commandId: 'k2' };

  it('is read as version 2 with claimedAt taken from when it happened, by streams, the log and the decider', async () => {
    // As the first releases wrote it, untouched in the log.
    await store.appendToStream(key, [{ id: 'old-claim', type: 'ReservationClaimed', data: { key, owner: 'acc-1' }, metadata: metadata(1) }], { expectedRevision: 'no_stream' });

    const [fromStream] = await store.readStream(key);
    expect(fromStream).toMatchObject({ data: { key, owner: 'acc-1', claimedAt: OCCURRED }, metadata: { schemaVersion: 2 } });
    const [fromLog] = await store.readAll();
    expect(fromLog.data).toEqual(fromStream.data);

    // The decider sees one shape: who holds the key, and since when.
    const reservations = new Reservations(new CommandExecutor(store));
    const refused = await reservations.claim('email', 'kim@region.se', 'acc-2', context).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ReservationHeld);
    expect(refused).toMatchObject({ owner: 'acc-1', claimedAt: OCCURRED });
  });

  it('new claims are written at version 2, with claimedAt', async () => {
    await new Reservations(new CommandExecutor(store)).claim('email', 'kim@region.se', 'acc-3', context);
    const [written] = await store.readStream(key);
    expect(written).toMatchObject({ data: { owner: 'acc-3', claimedAt: context.now.toISOString() }, metadata: { schemaVersion: 2 } });
  });
});
