import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandExecutor, EmbeddedEventStore } from '@kundportal/eventstore';
import { AppError, CommandContext, FixedClock, SYSTEM } from '@kundportal/kernel';
import { PublishOfferingHandler, PublishServiceHandler, RetireOfferingHandler } from './catalogue.handlers';
import { CatalogueSeeder, SEED_OFFERING } from './catalogue.seeder';
import { CatalogueWriteSide } from './catalogue.write-side';
import { PublishOffering, PublishService, RetireOffering } from './commands';
import type { OrderField } from './order-fields';

const clock = new FixedClock(new Date('2026-03-01T08:00:00.000Z'));
const context = (): CommandContext => ({ actor: SYSTEM, now: clock.now(), correlationId: 'c', commandId: 'c' });
const fee = { amount: 1200, currency: 'SEK' as const };
const fields: OrderField[] = [{ name: 'users', label: 'Users', type: 'integer', required: true, min: 1 }];

/** The catalogue's write side on the embedded log: the seed, the handlers, and what ordering reads. */
describe('catalogue write side (embedded event log)', () => {
  let dir: string;
  let store: EmbeddedEventStore;
  let catalogue: CatalogueWriteSide;
  let publishService: PublishServiceHandler;
  let publishOffering: PublishOfferingHandler;
  let retireOffering: RetireOfferingHandler;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kp-catalogue-'));
    store = EmbeddedEventStore.open({ dataDir: dir });
    const executor = new CommandExecutor(store);
    catalogue = new CatalogueWriteSide(executor);
    publishService = new PublishServiceHandler(executor);
    publishOffering = new PublishOfferingHandler(executor, catalogue);
    retireOffering = new RetireOfferingHandler(executor, catalogue);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const service = (serviceId: string) => publishService.execute(new PublishService({ serviceId, name: serviceId }, context()));
  const offering = (serviceId: string, offeringId: string, name = offeringId) =>
    publishOffering.execute(new PublishOffering(serviceId, { offeringId, name, startupFee: fee, fields }, context()));
  const codeOf = (promise: Promise<unknown>) => promise.then(() => 'no error', (e: AppError) => `${e.statusCode} ${e.code}`);

  it('seeds Webcert once, however many processes start at the same time', async () => {
    const seeders = Array.from({ length: 4 }, () => new CatalogueSeeder(store, clock));
    const outcomes = await Promise.all(seeders.map((s) => s.seed()));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await new CatalogueSeeder(store, clock).seed()).toBe(false);
    const events = await store.readStream('service-webcert');
    expect(events.map((e) => e.type)).toEqual(['ServicePublished', 'OfferingPublished']);
    expect(events[0].metadata.actor).toEqual(SYSTEM);
    expect(await catalogue.currentOffering('webcert-fristaende')).toEqual({
      serviceId: 'webcert',
      serviceName: 'Webcert',
      offeringId: 'webcert-fristaende',
      name: 'Webcert Fristående',
      version: 1,
      startupFee: SEED_OFFERING.startupFee,
      fields: SEED_OFFERING.fields,
    });
  });

  it('does not seed again what staff retired', async () => {
    await new CatalogueSeeder(store, clock).seed();
    await retireOffering.execute(new RetireOffering('webcert-fristaende', context()));
    expect(await new CatalogueSeeder(store, clock).seed()).toBe(false);
    expect(await catalogue.currentOffering('webcert-fristaende')).toBeNull();
  });

  it('answers the latest version; null when unknown, retired, or not an offering id', async () => {
    await service('e-tjanst');
    const first = await offering('e-tjanst', 'e-tjanst-bas', 'Bas');
    expect(first).toEqual({ id: 'e-tjanst-bas', position: expect.stringMatching(/^\d+$/), serviceId: 'e-tjanst', version: 1 });
    const second = await offering('e-tjanst', 'e-tjanst-bas', 'Bas 2');
    expect(second.version).toBe(2);
    expect(await catalogue.currentOffering('e-tjanst-bas')).toMatchObject({ serviceId: 'e-tjanst', serviceName: 'e-tjanst', name: 'Bas 2', version: 2 });

    expect(await catalogue.currentOffering('e-tjanst-other')).toBeNull();
    expect(await catalogue.currentOffering('nothing-here')).toBeNull();
    expect(await catalogue.currentOffering('e')).toBeNull();
    expect(await catalogue.currentOffering('../etc')).toBeNull();

    await retireOffering.execute(new RetireOffering('e-tjanst-bas', context()));
    expect(await catalogue.currentOffering('e-tjanst-bas')).toBeNull();
  });

  it('answers an unchanged publication with the same version and no new event', async () => {
    await service('e-tjanst');
    await offering('e-tjanst', 'e-tjanst-bas');
    const again = await offering('e-tjanst', 'e-tjanst-bas');
    expect(again.version).toBe(1);
    expect((await store.readStream('service-e-tjanst')).length).toBe(2);
  });

  it('finds the service of an offering whose service id has hyphens, and keeps offering ids unique across services', async () => {
    await service('a');
    await service('a-b');
    await offering('a', 'a-b-c', 'of a');
    expect(await catalogue.currentOffering('a-b-c')).toMatchObject({ serviceId: 'a', name: 'of a' });
    expect(await codeOf(offering('a-b', 'a-b-c'))).toBe('409 OFFERING_ID_TAKEN');

    await offering('a-b', 'a-b-d', 'of a-b');
    expect(await catalogue.currentOffering('a-b-d')).toMatchObject({ serviceId: 'a-b', name: 'of a-b' });
    expect(await codeOf(offering('a', 'a-b-d'))).toBe('409 OFFERING_ID_TAKEN');
  });

  it('refuses as the contract says', async () => {
    expect(await codeOf(offering('nope', 'nope-x'))).toBe('404 NOT_FOUND');
    await service('e-tjanst');
    expect(await codeOf(offering('e-tjanst', 'webcert-x'))).toBe('422 INVALID_OFFERING_ID');
    expect(await codeOf(retireOffering.execute(new RetireOffering('e-tjanst-unknown', context())))).toBe('409 OFFERING_NOT_ACTIVE');
    expect(await codeOf(retireOffering.execute(new RetireOffering('nope-x', context())))).toBe('409 OFFERING_NOT_ACTIVE');
    await offering('e-tjanst', 'e-tjanst-bas');
    await retireOffering.execute(new RetireOffering('e-tjanst-bas', context()));
    expect(await codeOf(retireOffering.execute(new RetireOffering('e-tjanst-bas', context())))).toBe('409 OFFERING_NOT_ACTIVE');
    expect(await codeOf(service('E-tjanst'))).toBe('422 INVALID_SERVICE_ID');
    expect(await codeOf(publishService.execute(new PublishService({ serviceId: 'e-tjanst', name: 'Other' }, context())))).toBe(
      '409 SERVICE_ALREADY_EXISTS',
    );
  });
});
