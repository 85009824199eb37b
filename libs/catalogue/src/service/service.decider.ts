import { assertNever, Decider, DomainError, NotFound, ValidationFailed } from '@kundportal/kernel';
import { isOfferingIdOf, isServiceId } from '../catalogue-ids';
import { cleanField, fieldDefinitionProblems, OrderField } from '../order-fields';
import { CatalogueEvent, OfferingPublished, ServicePublished, StartupFee } from './service.events';

export type ServiceCommand =
  | { type: 'PublishService'; serviceId: string; name: string; description?: string; now: Date }
  | { type: 'PublishOffering'; offeringId: string; name: string; startupFee: StartupFee; fields: OrderField[]; now: Date }
  | { type: 'RetireOffering'; offeringId: string; now: Date };

export interface OfferingState {
  active: boolean;
  /** The latest version published. */
  published: OfferingPublished['data'];
}

export type ServiceState =
  | { exists: false }
  | { exists: true; service: ServicePublished['data']; offerings: Map<string, OfferingState> };

export type ExistingService = Extract<ServiceState, { exists: true }>;

export const offeringNotActive = (offeringId: string) =>
  DomainError.conflict('OFFERING_NOT_ACTIVE', `The offering ${offeringId} is not in the catalogue (unknown or retired).`).withParams({ offeringId });

function existing(state: ServiceState): ExistingService {
  if (!state.exists) throw new NotFound('service');
  return state;
}

/** Name, fee and form as they are compared and stored: a publication without change is no new version. */
const content = (o: { name: string; startupFee: StartupFee; fields: OrderField[] }) =>
  JSON.stringify([o.name, o.startupFee.amount, o.startupFee.currency, o.fields.map(cleanField)]);

export const serviceDecider: Decider<ServiceCommand, CatalogueEvent, ServiceState> = {
  initialState: () => ({ exists: false }),

  decide(command, state) {
    switch (command.type) {
      case 'PublishService': {
        if (!isServiceId(command.serviceId)) {
          throw DomainError.rule('INVALID_SERVICE_ID', 'A service id is lower-case letters and digits joined by single hyphens.', [
            { field: 'id', message: 'must be lower-case letters and digits joined by single hyphens' },
          ]);
        }
        const description = command.description?.trim() || undefined;
        if (state.exists) {
          // The same publication retried: already done.
          if (state.service.name === command.name && state.service.description === description) return [];
          throw DomainError.conflict('SERVICE_ALREADY_EXISTS', `The service ${command.serviceId} exists already.`).withParams({ serviceId: command.serviceId });
        }
        return [
          {
            type: 'ServicePublished',
            data: {
              serviceId: command.serviceId,
              name: command.name,
              ...(description ? { description } : {}),
              publishedAt: command.now.toISOString(),
            },
          },
        ];
      }

      case 'PublishOffering': {
        const service = existing(state);
        const serviceId = service.service.serviceId;
        if (!isOfferingIdOf(serviceId, command.offeringId)) {
          throw DomainError.rule('INVALID_OFFERING_ID', `An offering id of this service starts with "${serviceId}-".`, [
            { field: 'id', message: `must be "${serviceId}-" followed by lower-case letters and digits joined by single hyphens` },
          ]).withParams({ serviceId });
        }
        const problems = fieldDefinitionProblems(command.fields);
        if (problems.length > 0) throw new ValidationFailed(problems);
        const earlier = service.offerings.get(command.offeringId);
        if (earlier?.active && content(earlier.published) === content(command)) return [];
        return [
          {
            type: 'OfferingPublished',
            data: {
              serviceId,
              offeringId: command.offeringId,
              version: (earlier?.published.version ?? 0) + 1,
              name: command.name,
              startupFee: { amount: command.startupFee.amount, currency: command.startupFee.currency },
              fields: command.fields.map(cleanField),
              publishedAt: command.now.toISOString(),
            },
          },
        ];
      }

      case 'RetireOffering': {
        const service = existing(state);
        const offering = service.offerings.get(command.offeringId);
        if (!offering?.active) throw offeringNotActive(command.offeringId);
        return [
          {
            type: 'OfferingRetired',
            data: {
              serviceId: service.service.serviceId,
              offeringId: command.offeringId,
              version: offering.published.version,
              retiredAt: command.now.toISOString(),
            },
          },
        ];
      }

      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ServicePublished':
        return { exists: true, service: event.data, offerings: new Map() };
      case 'OfferingPublished': {
        if (!state.exists) return state;
        const offerings = new Map(state.offerings);
        offerings.set(event.data.offeringId, { active: true, published: event.data });
        return { ...state, offerings };
      }
      case 'OfferingRetired': {
        if (!state.exists) return state;
        const offering = state.offerings.get(event.data.offeringId);
        if (!offering) return state;
        const offerings = new Map(state.offerings);
        offerings.set(event.data.offeringId, { ...offering, active: false });
        return { ...state, offerings };
      }
      default:
        return assertNever(event);
    }
  },
};
