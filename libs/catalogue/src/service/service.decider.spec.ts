import { DomainError, fold, NotFound, ValidationFailed } from '@kundportal/kernel';
import { DeciderSpecification } from '@kundportal/kernel/testing';
import type { OrderField } from '../order-fields';
import { seedEvents, SEED_OFFERING, SEED_SERVICE } from '../catalogue.seeder';
import { ServiceCommand, serviceDecider } from './service.decider';
import { CatalogueEvent, OfferingPublished, OfferingRetired, ServicePublished } from './service.events';

const spec = DeciderSpecification.for(serviceDecider);

const now = new Date('2026-03-02T09:00:00.000Z');
const later = new Date('2026-04-01T10:00:00.000Z');
const careUnits: OrderField = { name: 'careUnits', label: 'Number of care units (vårdenheter)', type: 'integer', required: true, min: 1 };
const fee = { amount: 5000, currency: 'SEK' as const };

const publishService = (overrides: Partial<Extract<ServiceCommand, { type: 'PublishService' }>> = {}): ServiceCommand => ({
  type: 'PublishService',
  serviceId: 'webcert',
  name: 'Webcert',
  description: 'Certificates',
  now,
  ...overrides,
});

const servicePublished: ServicePublished = {
  type: 'ServicePublished',
  data: { serviceId: 'webcert', name: 'Webcert', description: 'Certificates', publishedAt: now.toISOString() },
};

const publishOffering = (overrides: Partial<Extract<ServiceCommand, { type: 'PublishOffering' }>> = {}): ServiceCommand => ({
  type: 'PublishOffering',
  offeringId: 'webcert-fristaende',
  name: 'Webcert Fristående',
  startupFee: fee,
  fields: [careUnits],
  now,
  ...overrides,
});

const offeringPublished = (version = 1, overrides: Partial<OfferingPublished['data']> = {}): OfferingPublished => ({
  type: 'OfferingPublished',
  data: {
    serviceId: 'webcert',
    offeringId: 'webcert-fristaende',
    version,
    name: 'Webcert Fristående',
    startupFee: fee,
    fields: [careUnits],
    publishedAt: now.toISOString(),
    ...overrides,
  },
});

const retire = (offeringId = 'webcert-fristaende'): ServiceCommand => ({ type: 'RetireOffering', offeringId, now: later });
const retired = (version = 1, offeringId = 'webcert-fristaende'): OfferingRetired => ({
  type: 'OfferingRetired',
  data: { serviceId: 'webcert', offeringId, version, retiredAt: later.toISOString() },
});

const isCode = (code: string, statusCode: number) => (e: DomainError) => e.code === code && e.statusCode === statusCode;
const names = (fields: string[]) => (e: ValidationFailed) => JSON.stringify(e.details?.map((d) => d.field)) === JSON.stringify(fields);

describe('serviceDecider', () => {
  describe('PublishService', () => {
    it('publishes a new service, stamped with the command time', () => {
      spec.given([]).when(publishService()).then([servicePublished]);
    });

    it('leaves the description out when there is none (or it is blank)', () => {
      const bare: ServicePublished = { type: 'ServicePublished', data: { serviceId: 'webcert', name: 'Webcert', publishedAt: now.toISOString() } };
      spec.given([]).when(publishService({ description: undefined })).then([bare]);
      spec.given([]).when(publishService({ description: '   ' })).then([bare]);
    });

    it('is a retry when the same service is published again: no events', () => {
      spec.given([servicePublished]).when(publishService()).thenNothing();
      spec.given([servicePublished, offeringPublished()]).when(publishService({ now: later })).thenNothing();
    });

    it('refuses a different service under an existing id: SERVICE_ALREADY_EXISTS (409)', () => {
      spec.given([servicePublished]).when(publishService({ name: 'Other' })).thenThrows(DomainError, isCode('SERVICE_ALREADY_EXISTS', 409));
      spec.given([servicePublished]).when(publishService({ description: 'Other' })).thenThrows(DomainError, isCode('SERVICE_ALREADY_EXISTS', 409));
    });

    it('refuses an id that is not a lower-case slug: INVALID_SERVICE_ID (422)', () => {
      for (const serviceId of ['Webcert', 'web cert', 'web_cert', '-webcert', 'webcert-', 'web--cert', '', 'x'.repeat(41)]) {
        spec.given([]).when(publishService({ serviceId })).thenThrows(DomainError, isCode('INVALID_SERVICE_ID', 422));
      }
    });
  });

  describe('PublishOffering', () => {
    it('is NotFound when the service does not exist', () => {
      spec.given([]).when(publishOffering()).thenThrows(NotFound);
    });

    it('publishes version 1 of a new offering, stamped with the command time', () => {
      spec.given([servicePublished]).when(publishOffering()).then([offeringPublished(1)]);
    });

    it('publishes a changed offering as the next version', () => {
      const changed = { name: 'Webcert Fristående 2', startupFee: { amount: 6000, currency: 'SEK' as const } };
      spec
        .given([servicePublished, offeringPublished(1)])
        .when(publishOffering({ ...changed, now: later }))
        .then([offeringPublished(2, { ...changed, publishedAt: later.toISOString() })]);
      const withNote: OrderField = { name: 'note', label: 'Note', type: 'string', required: false, maxLength: 500 };
      spec
        .given([servicePublished, offeringPublished(1), offeringPublished(2)])
        .when(publishOffering({ fields: [careUnits, withNote] }))
        .then([offeringPublished(3, { fields: [careUnits, withNote] })]);
    });

    it('is a retry when the active offering is published again unchanged: no events', () => {
      spec.given([servicePublished, offeringPublished(1)]).when(publishOffering({ now: later })).thenNothing();
    });

    it('publishes a retired offering again as the next version, even unchanged', () => {
      spec.given([servicePublished, offeringPublished(1), retired(1)]).when(publishOffering()).then([offeringPublished(2)]);
    });

    it('keeps each offering’s versions apart', () => {
      const other = offeringPublished(1, { offeringId: 'webcert-integrerad', name: 'Webcert Integrerad' });
      spec
        .given([servicePublished, offeringPublished(1), offeringPublished(2)])
        .when(publishOffering({ offeringId: 'webcert-integrerad', name: 'Webcert Integrerad' }))
        .then([other]);
    });

    it('stores the fields with only their defined properties', () => {
      const loose = { ...careUnits, max: undefined, maxLength: undefined } as OrderField;
      spec.given([servicePublished]).when(publishOffering({ fields: [loose] })).then([offeringPublished(1)]);
    });

    it('refuses an offering id not starting with "<serviceId>-": INVALID_OFFERING_ID (422)', () => {
      for (const offeringId of ['fristaende', 'webcert', 'webcert-', 'webcertfristaende', 'other-fristaende', 'webcert-Fristaende', 'webcert--x']) {
        const error = spec.given([servicePublished]).when(publishOffering({ offeringId })).thenThrows(DomainError, isCode('INVALID_OFFERING_ID', 422));
        expect(error.details).toEqual([expect.objectContaining({ field: 'id' })]);
      }
    });

    it('refuses bad field definitions with VALIDATION_FAILED naming each', () => {
      spec
        .given([servicePublished])
        .when(publishOffering({ fields: [careUnits, { ...careUnits, label: 'Again' }] }))
        .thenThrows(ValidationFailed, names(['fields.1.name']));
      spec
        .given([servicePublished])
        .when(publishOffering({ fields: [{ ...careUnits, min: 5, max: 1 }] }))
        .thenThrows(ValidationFailed, names(['fields.0.max']));
    });

    it('checks the offering id before the fields', () => {
      spec
        .given([servicePublished])
        .when(publishOffering({ offeringId: 'other-x', fields: [careUnits, careUnits] }))
        .thenThrows(DomainError, isCode('INVALID_OFFERING_ID', 422));
    });
  });

  describe('RetireOffering', () => {
    it('is NotFound when the service does not exist', () => {
      spec.given([]).when(retire()).thenThrows(NotFound);
    });

    it('retires the active offering, naming its version', () => {
      spec.given([servicePublished, offeringPublished(1)]).when(retire()).then([retired(1)]);
      spec.given([servicePublished, offeringPublished(1), offeringPublished(2)]).when(retire()).then([retired(2)]);
    });

    it('refuses an unknown offering: OFFERING_NOT_ACTIVE (409)', () => {
      spec.given([servicePublished]).when(retire()).thenThrows(DomainError, isCode('OFFERING_NOT_ACTIVE', 409));
      spec.given([servicePublished, offeringPublished(1)]).when(retire('webcert-other')).thenThrows(DomainError, isCode('OFFERING_NOT_ACTIVE', 409));
    });

    it('refuses an offering retired already: OFFERING_NOT_ACTIVE (409)', () => {
      spec.given([servicePublished, offeringPublished(1), retired(1)]).when(retire()).thenThrows(DomainError, isCode('OFFERING_NOT_ACTIVE', 409));
    });

    it('retires a re-published offering again', () => {
      spec.given([servicePublished, offeringPublished(1), retired(1), offeringPublished(2)]).when(retire()).then([retired(2)]);
    });
  });

  describe('evolve', () => {
    const state = (events: CatalogueEvent[]) => fold(serviceDecider, events);

    it('starts with no service', () => {
      expect(state([])).toEqual({ exists: false });
    });

    it('ServicePublished: exists, no offerings', () => {
      expect(state([servicePublished])).toEqual({ exists: true, service: servicePublished.data, offerings: new Map() });
    });

    it('OfferingPublished: the offering is active with its latest version', () => {
      const s = state([servicePublished, offeringPublished(1), offeringPublished(2)]);
      expect(s.exists && s.offerings).toEqual(new Map([['webcert-fristaende', { active: true, published: offeringPublished(2).data }]]));
    });

    it('OfferingRetired: the offering is kept, inactive', () => {
      const s = state([servicePublished, offeringPublished(1), retired(1)]);
      expect(s.exists && s.offerings.get('webcert-fristaende')).toEqual({ active: false, published: offeringPublished(1).data });
    });

    it('ignores a retirement of an unknown offering and events before the service', () => {
      expect(state([servicePublished, retired(1, 'webcert-x')])).toEqual(state([servicePublished]));
      expect(state([offeringPublished(1), retired(1)])).toEqual({ exists: false });
    });

    it('does not change an earlier state when folding further', () => {
      const before = state([servicePublished, offeringPublished(1)]);
      const copy = structuredClone(before);
      [offeringPublished(2), retired(2)].reduce(serviceDecider.evolve, before);
      expect(before).toEqual(copy);
    });
  });

  describe('the seed', () => {
    it('is Webcert with Webcert Fristående: a required integer careUnits of at least 1, and the optional list of those care units', () => {
      const events = seedEvents(now);
      expect(events).toEqual([
        { type: 'ServicePublished', data: { serviceId: 'webcert', name: 'Webcert', description: SEED_SERVICE.description, publishedAt: now.toISOString() } },
        {
          type: 'OfferingPublished',
          data: {
            serviceId: 'webcert',
            offeringId: 'webcert-fristaende',
            version: 1,
            name: 'Webcert Fristående',
            startupFee: SEED_OFFERING.startupFee,
            fields: [
              { name: 'careUnits', label: 'Number of care units (vårdenheter)', type: 'integer', required: true, min: 1 },
              { name: 'careUnitList', label: 'The care units to connect, each with its HSA-id', type: 'care-unit-list', required: false, countField: 'careUnits' },
            ],
            publishedAt: now.toISOString(),
          },
        },
      ]);
    });
  });
});
