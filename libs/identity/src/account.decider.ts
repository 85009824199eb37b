import { assertNever, Decider, DomainError } from '@kundportal/kernel';
import { AccountCreated, AccountEvent } from './account.events';

export type AccountCommand = { type: 'CreateAccount'; now: Date } & Omit<AccountCreated['data'], 'createdAt'>;

export type AccountState = { exists: false } | { exists: true; account: AccountCreated['data'] };

/** e-ID methods that may create or verify an account; SITHS may not (not possible at the moment). */
export const ACCOUNT_EID_METHODS = ['bankid', 'freja'];

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: () => ({ exists: false }),
  decide(command, state) {
    switch (command.type) {
      case 'CreateAccount': {
        if (state.exists) throw DomainError.conflict('ACCOUNT_EXISTS', 'The account exists already.');
        if (!ACCOUNT_EID_METHODS.includes(command.method)) {
          throw DomainError.rule('EID_METHOD_NOT_ALLOWED', 'An account cannot be created with this e-ID; use BankID or Freja eID.');
        }
        const { type: _t, now, ...data } = command;
        return [{ type: 'AccountCreated', data: { ...data, createdAt: now.toISOString() } }];
      }
      default:
        return assertNever(command.type);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'AccountCreated':
        return { exists: true, account: event.data };
      default:
        return assertNever(event.type);
    }
  },
};
