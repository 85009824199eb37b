import fc from 'fast-check';
import { DomainError, fold, NotFound, ValidationFailed } from '@kundportal/kernel';
import { ACCEPTED, asStored, DecidedStep, decideInTurn, Outcome, outcomeOf, refusal, UNCHANGED } from '@kundportal/kernel/testing';
import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { CATALOGUE_SERVICES, CatalogueServiceDoc, catalogueProjection } from '../catalogue.projection';
import { isOfferingIdOf, isServiceId } from '../catalogue-ids';
import { cleanField, fieldDefinitionProblems, OrderField } from '../order-fields';
import { serviceStream } from '../streams';
import { ServiceCommand, serviceDecider, ServiceState } from './service.decider';
import { CatalogueEvent } from './service.events';

const serviceId = 'webcert';
const start = new Date('2026-03-02T09:00:00.000Z');
const at = (index: number) => new Date(start.getTime() + index * 60_000);

const careUnits: OrderField = { name: 'careUnits', label: 'Vårdenheter', type: 'integer', required: true, min: 1 };
/** Order forms: two that can be published (one whose label needs trimming) and two that cannot. */
const FORMS: Record<string, OrderField[]> = {
  careUnits: [careUnits],
  withContact: [careUnits, { name: 'contact', label: '  Kontaktperson  ', type: 'string', required: false, maxLength: 100 }],
  repeatedName: [careUnits, { ...careUnits, label: 'Igen' }],
  minAboveMax: [{ ...careUnits, min: 10, max: 2 }],
};
type Form = keyof typeof FORMS;

/**
 * Staff publish the service, its offerings (new versions of them) and retire them. The commands
 * carry no caller: who may send them is settled at the edge, so the sequences vary what is sent,
 * well-formed or not, and in which order.
 */
type Intent =
  | { kind: 'publish-service'; serviceId: string; name: string; description: string | undefined }
  | { kind: 'publish-offering'; offeringId: string; name: string; fee: number; form: Form }
  | { kind: 'retire-offering'; offeringId: string };

/** Offerings of this service, one of another service, and ids that are no offering id at all. */
const offeringId = fc.constantFrom('webcert-fristaende', 'webcert-integrerad', 'webcert-fristaende', 'intyg-fristaende', 'webcert', 'Webcert-X');
const intent: fc.Arbitrary<Intent> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('publish-service' as const),
      serviceId: fc.constantFrom(serviceId, serviceId, 'Webcert', 'web--cert'),
      name: fc.constantFrom('Webcert', 'Webcert Ny'),
      description: fc.constantFrom(undefined, 'Intyg', '  '),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('publish-offering' as const),
      offeringId,
      name: fc.constantFrom('Webcert Fristående', 'Webcert Fristående 2'),
      fee: fc.constantFrom(0, 5000),
      form: fc.constantFrom(...(Object.keys(FORMS) as Form[])),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retire-offering' as const), offeringId }) },
);
const opening = fc.option(fc.constant<Intent>({ kind: 'publish-service', serviceId, name: 'Webcert', description: 'Intyg' }), { freq: 8 });
const intents = fc.tuple(opening, fc.array(intent, { maxLength: 30, size: 'max' })).map(([first, rest]) => (first ? [first, ...rest] : rest));

const commandFor = (i: Intent, _state: ServiceState, index: number): ServiceCommand => {
  const now = at(index + 1);
  switch (i.kind) {
    case 'publish-service':
      return { type: 'PublishService', serviceId: i.serviceId, name: i.name, description: i.description, now };
    case 'publish-offering':
      return { type: 'PublishOffering', offeringId: i.offeringId, name: i.name, startupFee: { amount: i.fee, currency: 'SEK' }, fields: FORMS[i.form], now };
    case 'retire-offering':
      return { type: 'RetireOffering', offeringId: i.offeringId, now };
  }
};

/** What the domain says should come of a command on this service. */
const expectedOutcome = (command: ServiceCommand, state: ServiceState): Outcome => {
  switch (command.type) {
    case 'PublishService': {
      if (!isServiceId(command.serviceId)) return refusal(DomainError, 'INVALID_SERVICE_ID');
      if (!state.exists) return ACCEPTED;
      const description = command.description?.trim() || undefined;
      return state.service.name === command.name && state.service.description === description ? UNCHANGED : refusal(DomainError, 'SERVICE_ALREADY_EXISTS');
    }
    case 'PublishOffering': {
      if (!state.exists) return refusal(NotFound, 'NOT_FOUND');
      if (!isOfferingIdOf(serviceId, command.offeringId)) return refusal(DomainError, 'INVALID_OFFERING_ID');
      if (fieldDefinitionProblems(command.fields).length > 0) return refusal(ValidationFailed, 'VALIDATION_FAILED');
      // Publishing an active offering unchanged makes no new version.
      const earlier = state.offerings.get(command.offeringId);
      const unchanged =
        earlier?.active &&
        earlier.published.name === command.name &&
        earlier.published.startupFee.amount === command.startupFee.amount &&
        JSON.stringify(earlier.published.fields) === JSON.stringify(command.fields.map(cleanField));
      return unchanged ? UNCHANGED : ACCEPTED;
    }
    case 'RetireOffering':
      if (!state.exists) return refusal(NotFound, 'NOT_FOUND');
      return state.offerings.get(command.offeringId)?.active ? ACCEPTED : refusal(DomainError, 'OFFERING_NOT_ACTIVE');
  }
};

const reached = { outcomes: new Set<Outcome>(), events: new Set<string>() };

/** Every invariant, checked on each step as it is taken. */
const checkStep = (step: DecidedStep<ServiceCommand, CatalogueEvent, ServiceState>) => {
  const { command, before, after } = step;
  const outcome = outcomeOf(step);
  reached.outcomes.add(outcome);
  expect(outcome).toBe(expectedOutcome(command, before));
  if (!step.accepted) return;
  expect(step.events.length).toBeLessThanOrEqual(1);
  if (!after.exists) throw new Error('no service after an accepted command');
  for (const event of step.events) {
    reached.events.add(event.type);
    expect(event.data.serviceId).toBe(serviceId);
    if (event.type === 'ServicePublished') expect(before.exists).toBe(false);
    if (event.type === 'OfferingPublished') {
      // Each publication is the next version of its offering (1 for a new one), of this service, its form stored clean.
      const earlier = before.exists ? before.offerings.get(event.data.offeringId) : undefined;
      expect(event.data.version).toBe((earlier?.published.version ?? 0) + 1);
      expect(isOfferingIdOf(serviceId, event.data.offeringId)).toBe(true);
      expect(event.data.fields).toEqual(event.data.fields.map(cleanField));
      expect(after.offerings.get(event.data.offeringId)).toEqual({ active: true, published: event.data });
    }
    if (event.type === 'OfferingRetired') {
      // Only an active offering is retired, at its latest version; it then takes no new orders.
      const earlier = before.exists ? before.offerings.get(event.data.offeringId) : undefined;
      expect(earlier?.active).toBe(true);
      expect(event.data.version).toBe(earlier?.published.version);
      expect(after.offerings.get(event.data.offeringId)?.active).toBe(false);
    }
  }
  // The service as published stays: its name and description never change.
  if (before.exists) expect(after.service).toBe(before.service);
};

const RUNS = 300;

/** The invariants after every step, and folding the events (as stored) gives the state reached step by step. */
const keepsItsInvariants = (decider: typeof serviceDecider) =>
  fc.property(intents, (sequence) => {
    const { history, state } = decideInTurn(decider, sequence, commandFor, checkStep);
    expect(history.filter((e) => e.type === 'ServicePublished')).toHaveLength(history.length > 0 ? 1 : 0);
    if (history.length > 0) expect(history[0].type).toBe('ServicePublished');
    expect(fold(decider, history)).toEqual(state);
    expect(fold(decider, asStored(history))).toEqual(state);
  });

describe('serviceDecider under random command sequences', () => {
  it('keeps its invariants after every step: versions one by one, retired only when active, no version without a change', () => {
    fc.assert(keepsItsInvariants(serviceDecider), { numRuns: RUNS });
    for (const type of ['ServicePublished', 'OfferingPublished', 'OfferingRetired']) expect(reached.events).toContain(type);
    for (const outcome of [
      UNCHANGED,
      'NotFound NOT_FOUND',
      'DomainError INVALID_SERVICE_ID',
      'DomainError SERVICE_ALREADY_EXISTS',
      'DomainError INVALID_OFFERING_ID',
      'ValidationFailed VALIDATION_FAILED',
      'DomainError OFFERING_NOT_ACTIVE',
    ]) {
      expect(reached.outcomes).toContain(outcome);
    }
  });

  it('the catalogue shows exactly the active offerings, each at its latest version', async () => {
    await fc.assert(
      fc.asyncProperty(intents, async (sequence) => {
        const { history, state } = decideInTurn(serviceDecider, sequence, commandFor);
        const events = history.map((e, revision) => recorded(e.type, e.data, serviceStream(serviceId), BigInt(revision)));
        const docs = (await snapshot(catalogueProjection, await project(catalogueProjection, events)))[CATALOGUE_SERVICES] as CatalogueServiceDoc[];
        if (!state.exists) {
          expect(docs).toEqual([]);
          return;
        }
        const active = [...state.offerings.values()]
          .filter((o) => o.active)
          .map(({ published: p }) => ({ id: p.offeringId, name: p.name, version: p.version, startupFee: p.startupFee, fields: p.fields, publishedAt: p.publishedAt }));
        const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
        expect(docs).toHaveLength(1);
        expect(docs[0]).toMatchObject({ _id: serviceId, name: state.service.name, description: state.service.description ?? null, revision: history.length - 1 });
        expect([...docs[0].offerings].sort(byId)).toEqual(active.sort(byId));
      }),
      { numRuns: 100 },
    );
  });

  it('would catch a decider that breaks them', () => {
    const retiresTwice: typeof serviceDecider = {
      ...serviceDecider,
      evolve: (state, event) => (event.type === 'OfferingRetired' ? state : serviceDecider.evolve(state, event)),
    };
    const versionWithoutChange: typeof serviceDecider = {
      ...serviceDecider,
      decide: (command, state) =>
        command.type === 'PublishOffering' && state.exists && state.offerings.has(command.offeringId)
          ? serviceDecider.decide({ ...command, name: `${command.name} ` }, state).map((e) => (e.type === 'OfferingPublished' ? { ...e, data: { ...e.data, name: command.name } } : e))
          : serviceDecider.decide(command, state),
    };
    for (const broken of [retiresTwice, versionWithoutChange]) {
      expect(fc.check(keepsItsInvariants(broken), { numRuns: RUNS, endOnFailure: true }).failed).toBe(true);
    }
  });
});
