import { assertNever, Decider, DomainError, NotFound } from '@kundportal/kernel';
import { ApplicationEvent, Contact, CustomerApplicationSubmitted, NamedPerson } from './application.events';

export type ApplicationCommand =
  | {
      type: 'SubmitApplication';
      applicationId: string;
      organisationNumber: string;
      organisationName: string;
      administrator: NamedPerson;
      signatory: NamedPerson;
      agreementContact: Contact;
      idempotencyKey: string | null;
      now: Date;
    }
  | { type: 'ApproveApplication'; organisationId: string; now: Date }
  | { type: 'RejectApplication'; reason: string; now: Date };

export type ApplicationState =
  | { status: 'none' }
  | { status: 'submitted' | 'approved' | 'rejected'; application: CustomerApplicationSubmitted['data']; organisationId?: string };

export const applicationDecider: Decider<ApplicationCommand, ApplicationEvent, ApplicationState> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'SubmitApplication': {
        if (state.status !== 'none') throw DomainError.conflict('APPLICATION_EXISTS', 'The application exists already.');
        const { type: _type, now, ...data } = command;
        return [{ type: 'CustomerApplicationSubmitted', data: { ...data, submittedAt: now.toISOString() } }];
      }
      case 'ApproveApplication':
        if (state.status === 'none') throw new NotFound('customerApplication');
        if (state.status === 'approved' && state.organisationId === command.organisationId) return [];
        if (state.status !== 'submitted') {
          throw DomainError.conflict('APPLICATION_NOT_PENDING', `The application is ${state.status} already.`).withParams({ status: state.status });
        }
        return [
          {
            type: 'CustomerApplicationApproved',
            data: {
              applicationId: state.application.applicationId,
              organisationId: command.organisationId,
              approvedAt: command.now.toISOString(),
            },
          },
        ];
      case 'RejectApplication':
        if (state.status === 'none') throw new NotFound('customerApplication');
        if (state.status !== 'submitted') {
          throw DomainError.conflict('APPLICATION_NOT_PENDING', `The application is ${state.status} already.`).withParams({ status: state.status });
        }
        return [
          {
            type: 'CustomerApplicationRejected',
            data: {
              applicationId: state.application.applicationId,
              reason: command.reason,
              rejectedAt: command.now.toISOString(),
              organisationNumber: state.application.organisationNumber,
              organisationName: state.application.organisationName,
              contacts: contactsOf(state.application),
            },
          },
        ];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'CustomerApplicationSubmitted':
        return { status: 'submitted', application: event.data };
      case 'CustomerApplicationApproved':
        return state.status === 'none' ? state : { ...state, status: 'approved', organisationId: event.data.organisationId };
      case 'CustomerApplicationRejected':
        return state.status === 'none' ? state : { ...state, status: 'rejected' };
      default:
        return assertNever(event);
    }
  },
};

/** The application's three contacts, each once (one person may be named for several parts). */
export function contactsOf(application: CustomerApplicationSubmitted['data']): Contact[] {
  const contacts = new Map<string, Contact>();
  for (const { name, email } of [application.administrator, application.signatory, application.agreementContact]) {
    if (!contacts.has(email.toLowerCase())) contacts.set(email.toLowerCase(), { name, email });
  }
  return [...contacts.values()];
}
