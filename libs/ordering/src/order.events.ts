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

export type Step = 'agent-approval' | 'agent-attestation' | 'attestation';
export type AttestationMethod = 'bankid' | 'sms-otp';
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

/** Each step names the organisation that acted (`organisationId`) and the customer the order is for. */
export type OrderApprovedByAgent = {
  type: 'OrderApprovedByAgent';
  data: { orderId: string; customerOrganisationId: string; step: 'agent-approval'; organisationId: string; by: PersonRef; at: string };
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
    at: string;
  };
};

export type OrderRejected = {
  type: 'OrderRejected';
  data: { orderId: string; customerOrganisationId: string; step: Step; organisationId: string; reason: string; by: PersonRef; at: string };
};

export type OrderFulfilled = {
  type: 'OrderFulfilled';
  data: { orderId: string; instructions: string; by: PersonRef; at: string };
};

export type OrderEvent = OrderSubmitted | OrderApprovedByAgent | OrderAttested | OrderRejected | OrderFulfilled;

export const ORDER_EVENT_TYPES = ['OrderSubmitted', 'OrderApprovedByAgent', 'OrderAttested', 'OrderRejected', 'OrderFulfilled'] as const;

export const orderStream = (id: string) => `order-${id}`;
