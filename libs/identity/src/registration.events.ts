export type RegistrationSubmitted = {
  type: 'RegistrationSubmitted';
  data: {
    registrationId: string;
    name: string;
    email: string;
    organisationId: string;
    organisationNumber: string;
    /** argon2id hash; the password itself is never stored. */
    passwordHash: string;
    submittedAt: string;
  };
};

export type RegistrationApproved = {
  type: 'RegistrationApproved';
  data: { registrationId: string; accountId: string; name: string; email: string; approvedAt: string };
};

export type RegistrationRejected = {
  type: 'RegistrationRejected';
  data: { registrationId: string; name: string; email: string; reason: string; rejectedAt: string };
};

export type RegistrationEvent = RegistrationSubmitted | RegistrationApproved | RegistrationRejected;
export const REGISTRATION_EVENT_TYPES = ['RegistrationSubmitted', 'RegistrationApproved', 'RegistrationRejected'] as const;
export const registrationStream = (id: string) => `registration-${id}`;
