import { SEED_OFFERING, SEED_SERVICE } from '@kundportal/catalogue';
import type { Acting, OrganisationForOrder } from '../order.decider';
import type { OrderedOffering } from '../order.events';

/** One order of one customer with one agent, as the ordering specs use them. */
export const orderId = 'order-1';
export const CUSTOMER = 'org-customer';
export const AGENT = 'org-agent';
export const submittedAt = new Date('2026-03-02T09:00:00.000Z');
export const at = (minutes: number) => new Date(submittedAt.getTime() + minutes * 60_000);

/** The catalogue's seed offering, as an order copies it at its first version. */
export const offering: OrderedOffering = { serviceId: SEED_SERVICE.serviceId, serviceName: SEED_SERVICE.name, ...SEED_OFFERING, version: 1 };

export const organisation: OrganisationForOrder = {
  id: CUSTOMER,
  name: 'Region Exempel',
  agreementSigned: true,
  hasAttestant: true,
  agentOrganisationIds: [AGENT],
};

/** `null` for a side: not a member of that organisation; an array: a member holding these roles. */
export const acting = (name: string, sides: { customer?: string[] | null; agent?: string[] | null; staff?: boolean; auditor?: boolean }): Acting => ({
  person: { accountId: sides.staff || sides.auditor ? null : `acc-${name}`, name },
  signInMethod: sides.staff || sides.auditor ? 'siths' : 'bankid',
  staff: sides.staff ?? false,
  auditor: sides.auditor ?? false,
  customer: { member: sides.customer != null, roles: sides.customer ?? [] },
  agent: { member: sides.agent != null, roles: sides.agent ?? [] },
});
