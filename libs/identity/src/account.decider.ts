import { assertNever, Decider, DomainError } from '@kundportal/kernel';
import { AccountCreated, AccountEvent, AccountImported } from './account.events';

export type AccountCommand =
  | ({ type: 'CreateAccount'; now: Date; emailVerificationId: string } & Omit<AccountCreated['data'], 'createdAt'>)
  | { type: 'CreatePasswordAccount'; account: Omit<AccountCreated['data'], 'createdAt' | 'method' | 'personalNumberDigest' | 'phone'>; passwordHash: string; now: Date }
  | { type: 'RequestPasswordReset'; resetId: string; expiresAt: Date; now: Date }
  | { type: 'ResetPassword'; resetId: string; passwordHash: string; now: Date }
  | { type: 'ImportAccount'; account: Omit<AccountImported['data'], 'importedAt'>; now: Date }
  | { type: 'VerifyAccount'; verificationId: string; personalNumberDigest: string; method: string; now: Date }
  | { type: 'MergeLegacyAccount'; verificationId: string; into: string; personalNumberDigest: string; method: string; now: Date }
  | { type: 'VerifyEmail'; verificationId: string; now: Date }
  | { type: 'ChangeEmail'; email: string; verificationId: string; now: Date };

export type AccountState =
  | { exists: false }
  | {
      exists: true;
      account: AccountCreated['data'];
      hasPassword: boolean;
      reset: { resetId: string; expiresAt: string } | null;
      /** Imported from the old portal and not yet verified: the id its verification link names. */
      awaitingVerification: string | null;
      /** An old-portal account merged into the e-ID account of the person who verified it. */
      mergedInto?: string;
      /** The service relies on the e-mail only once verified. */
      emailVerified: boolean;
      /** The id the latest e-mail verification link names, until it is used. */
      emailVerification: string | null;
    };

/** e-ID methods that may create or verify an account; SITHS may not (not possible at the moment). */
export const ACCOUNT_EID_METHODS = ['bankid', 'freja'];

const invalidToken = () => DomainError.rule('INVALID_TOKEN', 'The link is not valid (used, expired or replaced by a newer one).');

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: () => ({ exists: false }),
  decide(command, state) {
    switch (command.type) {
      case 'CreateAccount': {
        if (state.exists) throw DomainError.conflict('ACCOUNT_EXISTS', 'The account exists already.');
        if (!ACCOUNT_EID_METHODS.includes(command.method)) {
          throw DomainError.rule('EID_METHOD_NOT_ALLOWED', 'An account cannot be created with this e-ID; use BankID or Freja eID.');
        }
        const { type: _t, now, emailVerificationId, ...data } = command;
        return [
          { type: 'AccountCreated', data: { ...data, createdAt: now.toISOString() } },
          {
            type: 'EmailVerificationRequested',
            data: { accountId: data.accountId, name: data.name, email: data.email, verificationId: emailVerificationId, at: now.toISOString() },
          },
        ];
      }
      case 'CreatePasswordAccount': {
        if (state.exists) return [];
        const at = command.now.toISOString();
        const { account } = command;
        return [
          { type: 'AccountCreated', data: { ...account, phone: null, personalNumberDigest: null, method: 'password', createdAt: at } },
          { type: 'PasswordSet', data: { accountId: account.accountId, email: account.email, passwordHash: command.passwordHash, reason: 'registration', at } },
        ];
      }
      case 'RequestPasswordReset': {
        if (!state.exists || !state.hasPassword) throw DomainError.rule('NO_PASSWORD', 'The account signs in with e-ID.');
        const { account } = state;
        return [
          {
            type: 'PasswordResetRequested',
            data: { accountId: account.accountId, email: account.email, name: account.name, resetId: command.resetId, expiresAt: command.expiresAt.toISOString(), at: command.now.toISOString() },
          },
        ];
      }
      case 'ResetPassword': {
        if (!state.exists || !state.reset || state.reset.resetId !== command.resetId) throw invalidToken();
        if (Date.parse(state.reset.expiresAt) <= command.now.getTime()) throw invalidToken();
        return [
          {
            type: 'PasswordSet',
            data: { accountId: state.account.accountId, email: state.account.email, passwordHash: command.passwordHash, reason: 'reset', resetId: command.resetId, at: command.now.toISOString() },
          },
        ];
      }
      case 'ImportAccount': {
        if (state.exists) {
          // The same import again (a re-run of the file): nothing new.
          if (state.account.email === command.account.email) return [];
          throw DomainError.conflict('ACCOUNT_EXISTS', 'An account with that username was imported already.').withParams({ context: 'username' });
        }
        return [{ type: 'AccountImported', data: { ...command.account, importedAt: command.now.toISOString() } }];
      }
      case 'VerifyAccount': {
        if (!ACCOUNT_EID_METHODS.includes(command.method)) {
          throw DomainError.rule('EID_METHOD_NOT_ALLOWED', 'Verify your account with BankID or Freja eID.').withParams({ context: 'verify' });
        }
        if (!state.exists || state.awaitingVerification === null || state.awaitingVerification !== command.verificationId) throw invalidToken();
        return [
          {
            type: 'AccountVerified',
            data: {
              accountId: state.account.accountId,
              personalNumberDigest: command.personalNumberDigest,
              method: command.method,
              verificationId: command.verificationId,
              verifiedAt: command.now.toISOString(),
            },
          },
        ];
      }
      case 'MergeLegacyAccount': {
        if (!ACCOUNT_EID_METHODS.includes(command.method)) {
          throw DomainError.rule('EID_METHOD_NOT_ALLOWED', 'Verify your account with BankID or Freja eID.').withParams({ context: 'verify' });
        }
        if (state.exists && state.mergedInto === command.into) return [];
        if (!state.exists || state.awaitingVerification === null || state.awaitingVerification !== command.verificationId) throw invalidToken();
        return [
          {
            type: 'LegacyAccountMerged',
            data: {
              accountId: state.account.accountId,
              into: command.into,
              personalNumberDigest: command.personalNumberDigest,
              method: command.method,
              verificationId: command.verificationId,
              at: command.now.toISOString(),
            },
          },
        ];
      }
      case 'VerifyEmail': {
        if (!state.exists || state.emailVerification === null || state.emailVerification !== command.verificationId) throw invalidToken();
        return [
          {
            type: 'EmailVerified',
            data: { accountId: state.account.accountId, email: state.account.email, verificationId: command.verificationId, at: command.now.toISOString() },
          },
        ];
      }
      case 'ChangeEmail': {
        if (!state.exists) throw DomainError.rule('NO_ACCOUNT', 'Create your account first.');
        if (state.hasPassword) {
          throw DomainError.rule('EMAIL_IS_SIGN_IN', 'A password account signs in with its e-mail; ask support to change it.');
        }
        const at = command.now.toISOString();
        const { accountId, name } = state.account;
        const changed: AccountEvent[] =
          command.email === state.account.email ? [] : [{ type: 'EmailChanged', data: { accountId, email: command.email, previous: state.account.email, at } }];
        // The same address, verified already: nothing to do. Otherwise a new link (the older one stops working).
        if (changed.length === 0 && state.emailVerified) return [];
        return [...changed, { type: 'EmailVerificationRequested', data: { accountId, name, email: command.email, verificationId: command.verificationId, at } }];
      }
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'AccountCreated':
        // A password account's e-mail was checked by staff approving its registration.
        return {
          exists: true,
          account: event.data,
          hasPassword: false,
          reset: null,
          awaitingVerification: null,
          emailVerified: event.data.method === 'password',
          emailVerification: null,
        };
      case 'AccountImported': {
        const d = event.data;
        return {
          exists: true,
          account: { accountId: d.accountId, name: d.name, email: d.email, phone: null, organisationId: d.organisationId, personalNumberDigest: null, method: 'legacy', createdAt: d.importedAt },
          hasPassword: false,
          reset: null,
          awaitingVerification: d.verificationId,
          emailVerified: false,
          emailVerification: null,
        };
      }
      case 'AccountVerified':
        // The verification link went to the imported e-mail: using it proves the address too.
        return state.exists
          ? {
              ...state,
              account: { ...state.account, personalNumberDigest: event.data.personalNumberDigest, method: event.data.method },
              awaitingVerification: null,
              emailVerified: true,
            }
          : state;
      case 'LegacyAccountMerged':
        return state.exists ? { ...state, awaitingVerification: null, mergedInto: event.data.into } : state;
      case 'EmailVerificationRequested':
        return state.exists ? { ...state, emailVerification: event.data.verificationId } : state;
      case 'EmailVerified':
        return state.exists && state.account.email === event.data.email ? { ...state, emailVerified: true, emailVerification: null } : state;
      case 'EmailChanged':
        return state.exists ? { ...state, account: { ...state.account, email: event.data.email }, emailVerified: false, emailVerification: null } : state;
      case 'PasswordSet':
        // A reset link works once: setting the password uses it up.
        return state.exists ? { ...state, hasPassword: true, reset: null } : state;
      case 'PasswordResetRequested':
        return state.exists ? { ...state, reset: { resetId: event.data.resetId, expiresAt: event.data.expiresAt } } : state;
      default:
        return assertNever(event);
    }
  },
};
