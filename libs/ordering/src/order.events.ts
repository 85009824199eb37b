/** The offering as it was when ordered: orders keep it even if the catalogue changes later. */
export interface OrderedOffering {
  serviceId: string;
  serviceName: string;
  offeringId: string;
  name: string;
  version: number;
  startupFee: unknown;
  fields: unknown[];
}

import type { SignInMethod } from '@kundportal/kernel';

export type Step = 'agent-approval' | 'agent-attestation' | 'attestation';
/** How an attestant signed off a step: not how they signed in (see `signInMethod`). */
export type AttestationMethod = 'bankid' | 'sms-otp';
export type { SignInMethod };
export interface PersonRef {
  accountId: string | null;
  name: string;
}

export type OrderSubmitted = {
  type: 'OrderSubmitted';
  data: {
    orderId: string;
    organisationId: string;
    organisationName: string;
    offering: OrderedOffering;
    details: Record<string, unknown>;
    viaAgentOrganisationId: string | null;
    viaAgentOrganisationName: string | null;
    submittedBy: PersonRef;
    termsAccepted: true;
    submittedAt: string;
  };
};

/**
 * Each step names the organisation that acted (`organisationId`) and the customer the order is for.
 * `signInMethod` is how the person acting signed in (BankID, Freja eID, SITHS, password); events
 * recorded before it was named lack it, and readers take it from the event's metadata instead.
 */
export type OrderApprovedByAgent = {
  type: 'OrderApprovedByAgent';
  data: { orderId: string; customerOrganisationId: string; step: 'agent-approval'; organisationId: string; by: PersonRef; signInMethod?: SignInMethod | null; at: string };
};

/** One per attestation, at any step. */
export type OrderAttested = {
  type: 'OrderAttested';
  data: {
    orderId: string;
    customerOrganisationId: string;
    step: 'agent-attestation' | 'attestation';
    organisationId: string;
    method: AttestationMethod;
    by: PersonRef;
    signInMethod?: SignInMethod | null;
    at: string;
  };
};

export type OrderRejected = {
  type: 'OrderRejected';
  data: { orderId: string; customerOrganisationId: string; step: Step; organisationId: string; reason: string; by: PersonRef; signInMethod?: SignInMethod | null; at: string };
};

export type OrderFulfilled = {
  type: 'OrderFulfilled';
  data: { orderId: string; instructions: string; by: PersonRef; signInMethod?: SignInMethod | null; at: string };
};

/** The orderer who submitted the order took it back while it waited at `step` (in `organisationId`'s hands). */
export type OrderWithdrawn = {
  type: 'OrderWithdrawn';
  data: {
    orderId: string;
    customerOrganisationId: string;
    step: Step;
    organisationId: string;
    reason: string | null;
    by: PersonRef;
    signInMethod: SignInMethod | null;
    at: string;
  };
};

/** Support staff stopped the order before fulfilment; `step` is where it waited (null when it was attested, waiting for staff). */
export type OrderCancelled = {
  type: 'OrderCancelled';
  data: {
    orderId: string;
    customerOrganisationId: string;
    step: Step | null;
    organisationId: string | null;
    reason: string;
    by: PersonRef;
    signInMethod: SignInMethod | null;
    at: string;
  };
};

export type OrderEvent =
  | OrderSubmitted
  | OrderApprovedByAgent
  | OrderAttested
  | OrderRejected
  | OrderFulfilled
  | OrderWithdrawn
  | OrderCancelled;

export const ORDER_EVENT_TYPES = [
  'OrderSubmitted',
  'OrderApprovedByAgent',
  'OrderAttested',
  'OrderRejected',
  'OrderFulfilled',
  'OrderWithdrawn',
  'OrderCancelled',
] as const;

export const orderStream = (id: string) => `order-${id}`;

/**
 * An order event as readers fold it. Steps recorded before events named the sign-in method take it
 * from the event's metadata, which has always recorded how the actor signed in.
 */
export function orderEventOf(recorded: { type: string; data: unknown; metadata?: { actor?: { method?: SignInMethod } } }): OrderEvent {
  const event = { type: recorded.type, data: recorded.data } as OrderEvent;
  if (event.type === 'OrderSubmitted' || event.data.signInMethod !== undefined) return event;
  return { ...event, data: { ...event.data, signInMethod: recorded.metadata?.actor?.method ?? null } } as OrderEvent;
}
