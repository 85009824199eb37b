/** A contact person named in a customer application. The personnummer is kept only as a keyed digest. */
export interface NamedPerson {
  name: string;
  email: string;
  personalNumberDigest: string;
}

export interface Contact {
  name: string;
  email: string;
}

export type CustomerApplicationSubmitted = {
  type: 'CustomerApplicationSubmitted';
  data: {
    applicationId: string;
    organisationNumber: string;
    organisationName: string;
    administrator: NamedPerson;
    signatory: NamedPerson;
    agreementContact: Contact;
    /** The request's Idempotency-Key, so a retry after a lost answer is recognised. */
    idempotencyKey: string | null;
    submittedAt: string;
  };
};

export type CustomerApplicationApproved = {
  type: 'CustomerApplicationApproved';
  data: { applicationId: string; organisationId: string; approvedAt: string };
};

/**
 * The application's organisation and contacts are named so the contacts can be told why; events
 * recorded before they were named lack them.
 */
export type CustomerApplicationRejected = {
  type: 'CustomerApplicationRejected';
  data: {
    applicationId: string;
    reason: string;
    rejectedAt: string;
    organisationNumber?: string;
    organisationName?: string;
    contacts?: Contact[];
  };
};

export type ApplicationEvent = CustomerApplicationSubmitted | CustomerApplicationApproved | CustomerApplicationRejected;

export const APPLICATION_EVENT_TYPES = [
  'CustomerApplicationSubmitted',
  'CustomerApplicationApproved',
  'CustomerApplicationRejected',
] as const;
