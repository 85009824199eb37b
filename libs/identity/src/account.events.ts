export type AccountCreated = {
  type: 'AccountCreated';
  data: {
    accountId: string;
    name: string;
    email: string;
    phone: string | null;
    organisationId: string;
    /** The personnummer as a keyed digest; the person's e-ID carries it in clear at sign-in. */
    personalNumberDigest: string | null;
    method: string;
    createdAt: string;
  };
};

export type AccountEvent = AccountCreated;
export const ACCOUNT_EVENT_TYPES = ['AccountCreated'] as const;
export const accountStream = (id: string) => `account-${id}`;
