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
    /** How the account was created: `bankid` or `freja` (e-ID), or `password` (an approved registration). */
    method: string;
    createdAt: string;
  };
};

/** A password account's password, as a slow salted hash (argon2id); never the password. */
export type PasswordSet = {
  type: 'PasswordSet';
  data: { accountId: string; email: string; passwordHash: string; reason: 'registration' | 'reset'; resetId?: string; at: string };
};

/** A reset link was sent. The link's token is `<resetId>.<mac>`: the log holds only the id. */
export type PasswordResetRequested = {
  type: 'PasswordResetRequested';
  data: { accountId: string; email: string; name: string; resetId: string; expiresAt: string; at: string };
};

/**
 * An account from the old portal, imported by staff with its roles. It is verified once, by its
 * owner signing in with e-ID through the e-mailed link (`<verificationId>.<mac>`; the log holds only the id).
 */
export type AccountImported = {
  type: 'AccountImported';
  data: {
    accountId: string;
    username: string;
    name: string;
    email: string;
    organisationId: string;
    roles: string[];
    verificationId: string;
    importedAt: string;
  };
};

export type AccountVerified = {
  type: 'AccountVerified';
  data: { accountId: string; personalNumberDigest: string; method: string; verificationId: string; verifiedAt: string };
};

/**
 * A link to verify the account's e-mail was sent (`<verificationId>.<mac>`; the log holds only the
 * id). Until verified, the service does not rely on the address.
 */
export type EmailVerificationRequested = {
  type: 'EmailVerificationRequested';
  data: { accountId: string; name: string; email: string; verificationId: string; at: string };
};

export type EmailVerified = {
  type: 'EmailVerified';
  data: { accountId: string; email: string; verificationId: string; at: string };
};

export type EmailChanged = {
  type: 'EmailChanged';
  data: { accountId: string; email: string; previous: string; at: string };
};

/**
 * An old-portal account verified by a person who has an e-ID account already: its memberships and
 * roles moved to that account, and it is closed (its verification link used up).
 */
export type LegacyAccountMerged = {
  type: 'LegacyAccountMerged';
  data: { accountId: string; into: string; personalNumberDigest: string; method: string; verificationId: string; at: string };
};

export type AccountEvent =
  | AccountCreated
  | LegacyAccountMerged
  | PasswordSet
  | PasswordResetRequested
  | AccountImported
  | AccountVerified
  | EmailVerificationRequested
  | EmailVerified
  | EmailChanged;
export const ACCOUNT_EVENT_TYPES = [
  'AccountCreated',
  'PasswordSet',
  'PasswordResetRequested',
  'AccountImported',
  'AccountVerified',
  'EmailVerificationRequested',
  'EmailVerified',
  'EmailChanged',
  'LegacyAccountMerged',
] as const;
export const accountStream = (id: string) => `account-${id}`;
