import { assertNever, Decider, DomainError, NotFound } from '@kundportal/kernel';
import { RegistrationEvent, RegistrationSubmitted } from './registration.events';

export type RegistrationCommand =
  | ({ type: 'SubmitRegistration'; now: Date } & Omit<RegistrationSubmitted['data'], 'submittedAt'>)
  | { type: 'ApproveRegistration'; accountId: string; now: Date }
  | { type: 'RejectRegistration'; reason: string; now: Date };

export type RegistrationState =
  | { status: 'none' }
  | { status: 'pending' | 'approved' | 'rejected'; registration: RegistrationSubmitted['data']; accountId: string | null };

export const registrationDecider: Decider<RegistrationCommand, RegistrationEvent, RegistrationState> = {
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    switch (command.type) {
      case 'SubmitRegistration': {
        if (state.status !== 'none') throw DomainError.conflict('REGISTRATION_EXISTS', 'The registration exists already.');
        const { type: _t, now, ...data } = command;
        return [{ type: 'RegistrationSubmitted', data: { ...data, submittedAt: now.toISOString() } }];
      }
      case 'ApproveRegistration': {
        if (state.status === 'none') throw new NotFound('registration');
        // The same approval retried after a crash: already done.
        if (state.status === 'approved' && state.accountId === command.accountId) return [];
        if (state.status !== 'pending') throw DomainError.conflict('REGISTRATION_NOT_PENDING', `The registration is ${state.status} already.`).withParams({ status: state.status });
        const r = state.registration;
        return [
          {
            type: 'RegistrationApproved',
            data: { registrationId: r.registrationId, accountId: command.accountId, name: r.name, email: r.email, approvedAt: command.now.toISOString() },
          },
        ];
      }
      case 'RejectRegistration': {
        if (state.status === 'none') throw new NotFound('registration');
        if (state.status !== 'pending') throw DomainError.conflict('REGISTRATION_NOT_PENDING', `The registration is ${state.status} already.`).withParams({ status: state.status });
        const r = state.registration;
        return [
          {
            type: 'RegistrationRejected',
            data: { registrationId: r.registrationId, name: r.name, email: r.email, reason: command.reason, rejectedAt: command.now.toISOString() },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'RegistrationSubmitted':
        return { status: 'pending', registration: event.data, accountId: null };
      case 'RegistrationApproved':
        return state.status === 'none' ? state : { ...state, status: 'approved', accountId: event.data.accountId };
      case 'RegistrationRejected':
        return state.status === 'none' ? state : { ...state, status: 'rejected' };
      default:
        return assertNever(event);
    }
  },
};
