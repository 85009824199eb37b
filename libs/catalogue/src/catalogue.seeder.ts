import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '@kundportal/eventstore';
import { Clock, CLOCK, EventMetadata, newId, SYSTEM } from '@kundportal/kernel';
import type { OrderField } from './order-fields';
import { serviceDecider } from './service/service.decider';
import { CatalogueEvent, StartupFee } from './service/service.events';
import { serviceStream } from './streams';

/** What the catalogue holds from the first start: Webcert and its offering Webcert Fristående. */
export const SEED_SERVICE = {
  serviceId: 'webcert',
  name: 'Webcert',
  description: 'Write, sign and send medical certificates (intyg) electronically.',
};

export const SEED_OFFERING: { offeringId: string; name: string; startupFee: StartupFee; fields: OrderField[] } = {
  offeringId: 'webcert-fristaende',
  name: 'Webcert Fristående',
  startupFee: { amount: 5000, currency: 'SEK' },
  fields: [
    { name: 'careUnits', label: 'Number of care units (vårdenheter)', type: 'integer', required: true, min: 1 },
    // The first order should name every care unit to connect: each later order costs another start-up fee.
    { name: 'careUnitList', label: 'The care units to connect, each with its HSA-id', type: 'care-unit-list', required: false, countField: 'careUnits' },
  ],
};

/** The seed as the decider publishes it: the service, then its offering. */
export function seedEvents(now: Date): CatalogueEvent[] {
  const initial = serviceDecider.initialState();
  const published = serviceDecider.decide({ type: 'PublishService', ...SEED_SERVICE, now }, initial);
  const state = published.reduce(serviceDecider.evolve, initial);
  return [...published, ...serviceDecider.decide({ type: 'PublishOffering', ...SEED_OFFERING, now }, state)];
}

/**
 * Seeds the catalogue at start. Both events go in one append that expects no stream, so the seed
 * is all or nothing, and a second process starting at the same time (or any later start) finds
 * the stream there and is done; whatever staff changed since is left alone.
 */
@Injectable()
export class CatalogueSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(CatalogueSeeder.name);

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(CLOCK) private readonly clock: Clock) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.seed()) this.logger.log(`Seeded the catalogue with ${SEED_SERVICE.name} and ${SEED_OFFERING.name}`);
  }

  /** True when this call seeded; false when the seed (or a later state of it) is there already. */
  async seed(): Promise<boolean> {
    const now = this.clock.now();
    const correlationId = newId();
    const metadata: EventMetadata = { actor: SYSTEM, correlationId, causationId: correlationId, occurredAt: now.toISOString(), schemaVersion: 1 };
    const events = seedEvents(now).map((e) => ({ id: newId(), type: e.type, data: e.data, metadata }));
    try {
      await this.store.appendToStream(serviceStream(SEED_SERVICE.serviceId), events, { expectedRevision: 'no_stream' });
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return false;
      throw error;
    }
  }
}
