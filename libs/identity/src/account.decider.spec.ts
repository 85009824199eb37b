import { DomainError } from '@kundportal/kernel';
import { DeciderSpecification } from '@kundportal/kernel/testing';
import { AccountCommand, accountDecider } from './account.decider';
import { AccountCreated, AccountEvent, EmailChanged, EmailVerificationRequested, EmailVerified, PasswordResetRequested, PasswordSet } from './account.events';

const spec = DeciderSpecification.for(accountDecider);

const createdAt = new Date('2026-03-04T08:00:00.000Z');
const requestedAt = new Date('2026-03-05T10:00:00.000Z');
const expiresAt = new Date('2026-03-05T11:00:00.000Z');
const accountId = 'account-1';
const HASH = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$b2xk';
const NEW_HASH = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$bmV3';
const RESET_ID = `${accountId}~0123456789abcdef0123456789abcdef`;
const OTHER_RESET_ID = `${accountId}~fedcba9876543210fedcba9876543210`;

const person = { accountId, name: 'Kim Svensson', email: 'kim.svensson@skola.se', organisationId: 'organisation-1' };

const eidAccount = (method: string): AccountCreated['data'] => ({
  ...person,
  phone: '070-123 45 67',
  personalNumberDigest: 'digest-kim',
  method,
  createdAt: createdAt.toISOString(),
});
const createAccount = (method: string): AccountCommand => {
  const { createdAt: _createdAt, ...fields } = eidAccount(method);
  return { type: 'CreateAccount', ...fields, emailVerificationId: EMAIL_VERIFICATION_ID, now: createdAt };
};
const eidCreated = (method = 'bankid'): AccountCreated => ({ type: 'AccountCreated', data: eidAccount(method) });
const EMAIL_VERIFICATION_ID = `${accountId}~email-1`;
const emailVerificationRequested = (email = person.email, verificationId = EMAIL_VERIFICATION_ID, at = createdAt): EmailVerificationRequested => ({
  type: 'EmailVerificationRequested',
  data: { accountId, name: person.name, email, verificationId, at: at.toISOString() },
});

const createPasswordAccount: AccountCommand = { type: 'CreatePasswordAccount', account: person, passwordHash: HASH, now: createdAt };
const passwordCreated: AccountCreated = {
  type: 'AccountCreated',
  data: { ...person, phone: null, personalNumberDigest: null, method: 'password', createdAt: createdAt.toISOString() },
};
const passwordSet: PasswordSet = {
  type: 'PasswordSet',
  data: { accountId, email: person.email, passwordHash: HASH, reason: 'registration', at: createdAt.toISOString() },
};
const passwordAccount: AccountEvent[] = [passwordCreated, passwordSet];

const requestReset = (resetId = RESET_ID, at = requestedAt, expires = expiresAt): AccountCommand => ({
  type: 'RequestPasswordReset',
  resetId,
  expiresAt: expires,
  now: at,
});
const resetRequested = (resetId = RESET_ID, at = requestedAt, expires = expiresAt): PasswordResetRequested => ({
  type: 'PasswordResetRequested',
  data: { accountId, email: person.email, name: person.name, resetId, expiresAt: expires.toISOString(), at: at.toISOString() },
});

const resetPassword = (resetId: string, at: Date): AccountCommand => ({ type: 'ResetPassword', resetId, passwordHash: NEW_HASH, now: at });
const passwordReset = (resetId: string, at: Date): PasswordSet => ({
  type: 'PasswordSet',
  data: { accountId, email: person.email, passwordHash: NEW_HASH, reason: 'reset', resetId, at: at.toISOString() },
});

const isCode = (statusCode: number, code: string) => (e: DomainError) => e.statusCode === statusCode && e.code === code;
const invalidToken = isCode(422, 'INVALID_TOKEN');
const inMinutes = (minutes: number) => new Date(requestedAt.getTime() + minutes * 60_000);

describe('accountDecider', () => {
  describe('CreateAccount (e-ID)', () => {
    it.each(['bankid', 'freja'])('creates the account with %s', (method) => {
      spec.given([]).when(createAccount(method)).then([eidCreated(method), emailVerificationRequested()]);
    });

    it('refuses SITHS: 422 EID_METHOD_NOT_ALLOWED', () => {
      spec.given([]).when(createAccount('siths')).thenThrows(DomainError, isCode(422, 'EID_METHOD_NOT_ALLOWED'));
    });

    it('refuses a second account on the same stream: 409 ACCOUNT_EXISTS', () => {
      spec.given([eidCreated()]).when(createAccount('bankid')).thenThrows(DomainError, isCode(409, 'ACCOUNT_EXISTS'));
      spec.given(passwordAccount).when(createAccount('freja')).thenThrows(DomainError, isCode(409, 'ACCOUNT_EXISTS'));
    });
  });

  describe('CreatePasswordAccount', () => {
    it('creates a password account (no phone, no personnummer) and sets its password hash', () => {
      spec.given([]).when(createPasswordAccount).then([passwordCreated, passwordSet]);
    });

    it('changes nothing when retried (an approval repeated after a crash)', () => {
      spec.given(passwordAccount).when(createPasswordAccount).thenNothing();
    });
  });

  describe('RequestPasswordReset', () => {
    it('records the reset for a password account (the id only, never a token)', () => {
      spec.given(passwordAccount).when(requestReset()).then([resetRequested()]);
    });

    it('records a newer request while an older one is open', () => {
      spec.given([...passwordAccount, resetRequested()]).when(requestReset(OTHER_RESET_ID, inMinutes(5))).then([
        resetRequested(OTHER_RESET_ID, inMinutes(5)),
      ]);
    });

    it('refuses an e-ID account: 422 NO_PASSWORD', () => {
      spec.given([eidCreated()]).when(requestReset()).thenThrows(DomainError, isCode(422, 'NO_PASSWORD'));
    });

    it('refuses an account that does not exist: 422 NO_PASSWORD', () => {
      spec.given([]).when(requestReset()).thenThrows(DomainError, isCode(422, 'NO_PASSWORD'));
    });
  });

  describe('ResetPassword', () => {
    const requested: AccountEvent[] = [...passwordAccount, resetRequested()];

    it('sets the new password with the right id within the expiry', () => {
      spec.given(requested).when(resetPassword(RESET_ID, inMinutes(59))).then([passwordReset(RESET_ID, inMinutes(59))]);
    });

    it('refuses a wrong id: 422 INVALID_TOKEN', () => {
      spec.given(requested).when(resetPassword(OTHER_RESET_ID, inMinutes(1))).thenThrows(DomainError, invalidToken);
    });

    it('refuses an expired id: 422 INVALID_TOKEN (at the expiry and after it)', () => {
      spec.given(requested).when(resetPassword(RESET_ID, expiresAt)).thenThrows(DomainError, invalidToken);
      spec.given(requested).when(resetPassword(RESET_ID, inMinutes(61))).thenThrows(DomainError, invalidToken);
    });

    it('refuses an id used once already: 422 INVALID_TOKEN', () => {
      spec
        .given([...requested, passwordReset(RESET_ID, inMinutes(2))])
        .when(resetPassword(RESET_ID, inMinutes(3)))
        .thenThrows(DomainError, invalidToken);
    });

    it('refuses an id replaced by a newer request: 422 INVALID_TOKEN; the newer one works', () => {
      const replaced: AccountEvent[] = [...requested, resetRequested(OTHER_RESET_ID, inMinutes(5), inMinutes(65))];
      spec.given(replaced).when(resetPassword(RESET_ID, inMinutes(6))).thenThrows(DomainError, invalidToken);
      spec.given(replaced).when(resetPassword(OTHER_RESET_ID, inMinutes(6))).then([passwordReset(OTHER_RESET_ID, inMinutes(6))]);
    });

    it('refuses when no reset was requested or the account does not exist: 422 INVALID_TOKEN', () => {
      spec.given(passwordAccount).when(resetPassword(RESET_ID, inMinutes(1))).thenThrows(DomainError, invalidToken);
      spec.given([]).when(resetPassword(RESET_ID, inMinutes(1))).thenThrows(DomainError, invalidToken);
    });
  });

  describe('e-mail verification', () => {
    const eidAccountEvents: AccountEvent[] = [eidCreated(), emailVerificationRequested()];
    const verified = (email = person.email, verificationId = EMAIL_VERIFICATION_ID): EmailVerified => ({
      type: 'EmailVerified',
      data: { accountId, email, verificationId, at: requestedAt.toISOString() },
    });
    const changed = (email: string, previous = person.email): EmailChanged => ({
      type: 'EmailChanged',
      data: { accountId, email, previous, at: requestedAt.toISOString() },
    });
    const verify = (verificationId = EMAIL_VERIFICATION_ID): AccountCommand => ({ type: 'VerifyEmail', verificationId, now: requestedAt });
    const change = (email: string, verificationId = `${accountId}~email-2`): AccountCommand => ({ type: 'ChangeEmail', email, verificationId, now: requestedAt });

    it('verifies the e-mail with the latest link, once', () => {
      spec.given(eidAccountEvents).when(verify()).then([verified()]);
      spec.given([...eidAccountEvents, verified()]).when(verify()).thenThrows(DomainError, isCode(422, 'INVALID_TOKEN'));
      spec.given(eidAccountEvents).when(verify(`${accountId}~forged`)).thenThrows(DomainError, isCode(422, 'INVALID_TOKEN'));
      spec.given([]).when(verify()).thenThrows(DomainError, isCode(422, 'INVALID_TOKEN'));
    });

    it('changing the e-mail makes it unverified and sends a new link; the older link stops working', () => {
      const next = emailVerificationRequested('kim.ny@region.se', `${accountId}~email-2`, requestedAt);
      spec.given([...eidAccountEvents, verified()]).when(change('kim.ny@region.se')).then([changed('kim.ny@region.se'), next]);
      spec.given([...eidAccountEvents, changed('kim.ny@region.se'), next]).when(verify()).thenThrows(DomainError, isCode(422, 'INVALID_TOKEN'));
      spec.given([...eidAccountEvents, changed('kim.ny@region.se'), next]).when(verify(`${accountId}~email-2`)).then([verified('kim.ny@region.se', `${accountId}~email-2`)]);
    });

    it('the same address again: a new link while unverified, nothing once verified', () => {
      spec.given(eidAccountEvents).when(change(person.email)).then([emailVerificationRequested(person.email, `${accountId}~email-2`, requestedAt)]);
      spec.given([...eidAccountEvents, verified()]).when(change(person.email)).thenNothing();
    });

    it('a password account keeps the e-mail it signs in with: EMAIL_IS_SIGN_IN (422)', () => {
      spec.given(passwordAccount).when(change('kim.ny@region.se')).thenThrows(DomainError, isCode(422, 'EMAIL_IS_SIGN_IN'));
    });

    it('a password account’s e-mail counts as verified (staff approved the registration); an e-ID account’s once verified; a legacy one when verified', () => {
      const state = (events: AccountEvent[]) => events.reduce(accountDecider.evolve, accountDecider.initialState());
      expect(state(passwordAccount)).toMatchObject({ emailVerified: true });
      expect(state(eidAccountEvents)).toMatchObject({ emailVerified: false, emailVerification: EMAIL_VERIFICATION_ID });
      expect(state([...eidAccountEvents, verified()])).toMatchObject({ emailVerified: true, emailVerification: null });
    });
  });

  describe('merging an old-portal account into the verifier’s e-ID account', () => {
    const VERIFICATION_ID = 'legacy-1~abc';
    const imported: AccountEvent = {
      type: 'AccountImported',
      data: { accountId, username: 'kimsve', name: person.name, email: person.email, organisationId: 'org-1', roles: ['orderer'], verificationId: VERIFICATION_ID, importedAt: createdAt.toISOString() },
    };
    const merge = (method = 'bankid', verificationId = VERIFICATION_ID): AccountCommand => ({
      type: 'MergeLegacyAccount',
      verificationId,
      into: 'account-eid',
      personalNumberDigest: 'digest-kim',
      method,
      now: requestedAt,
    });
    const merged: AccountEvent = {
      type: 'LegacyAccountMerged',
      data: { accountId, into: 'account-eid', personalNumberDigest: 'digest-kim', method: 'bankid', verificationId: VERIFICATION_ID, at: requestedAt.toISOString() },
    };

    it('closes the old account with its link, once; a retry changes nothing', () => {
      spec.given([imported]).when(merge()).then([merged]);
      spec.given([imported, merged]).when(merge()).thenNothing();
    });

    it('refuses a wrong link and SITHS, as verifying does', () => {
      spec.given([imported]).when(merge('bankid', 'legacy-1~other')).thenThrows(DomainError, isCode(422, 'INVALID_TOKEN'));
      spec.given([imported]).when(merge('siths')).thenThrows(DomainError, isCode(422, 'EID_METHOD_NOT_ALLOWED'));
      spec.given([]).when(merge()).thenThrows(DomainError, isCode(422, 'INVALID_TOKEN'));
    });
  });
});
