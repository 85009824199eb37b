import { RecordedEvent } from '@kundportal/eventstore';
import { IndexSpec, Projection, ProjectionContext } from '@kundportal/readstore';
import { AccountEvent } from './account.events';
import { RegistrationEvent, REGISTRATION_EVENT_TYPES } from './registration.events';

export const REGISTRATIONS = 'registrations';
export const CREDENTIALS = 'password_credentials';

export interface RegistrationDoc {
  _id: string;
  name: string;
  email: string;
  organisationId: string;
  organisationNumber: string;
  status: 'pending' | 'approved' | 'rejected';
  submittedAt: string;
  decidedAt: string | null;
  accountId: string | null;
  [key: string]: unknown;
}

/** What password sign-in checks, by e-mail: the hash, and whether the account may sign in yet. */
export interface CredentialDoc {
  _id: string;
  status: 'pending' | 'active' | 'rejected';
  registrationId: string | null;
  accountId: string | null;
  passwordHash: string;
  [key: string]: unknown;
}

export const registrationsProjection: Projection = {
  name: 'registrations',
  version: 1,
  collections: {
    [REGISTRATIONS]: [{ keys: { status: 1, submittedAt: 1 } }, { keys: { organisationId: 1, status: 1 } }],
    [CREDENTIALS]: [],
  } as Record<string, IndexSpec[]>,
  eventTypes: [...REGISTRATION_EVENT_TYPES, 'PasswordSet'],
  apply(recorded: RecordedEvent, ctx: ProjectionContext) {
    const registrations = ctx.collection<RegistrationDoc>(REGISTRATIONS);
    const credentials = ctx.collection<CredentialDoc>(CREDENTIALS);
    const event = recorded as unknown as RegistrationEvent | AccountEvent;
    switch (event.type) {
      case 'RegistrationSubmitted': {
        const d = event.data;
        registrations.updateOne(
          { _id: d.registrationId },
          {
            $setOnInsert: {
              name: d.name,
              email: d.email,
              organisationId: d.organisationId,
              organisationNumber: d.organisationNumber,
              status: 'pending',
              submittedAt: d.submittedAt,
              decidedAt: null,
              accountId: null,
            },
          },
          { upsert: true },
        );
        credentials.replaceOne(
          { _id: d.email },
          { _id: d.email, status: 'pending', registrationId: d.registrationId, accountId: null, passwordHash: d.passwordHash },
          { upsert: true },
        );
        return;
      }
      case 'RegistrationApproved':
        registrations.updateOne(
          { _id: event.data.registrationId },
          { $set: { status: 'approved', decidedAt: event.data.approvedAt, accountId: event.data.accountId } },
        );
        return;
      case 'RegistrationRejected':
        registrations.updateOne({ _id: event.data.registrationId }, { $set: { status: 'rejected', decidedAt: event.data.rejectedAt } });
        credentials.updateOne({ _id: event.data.email, registrationId: event.data.registrationId }, { $set: { status: 'rejected' } });
        return;
      case 'PasswordSet':
        credentials.updateOne(
          { _id: event.data.email },
          { $set: { status: 'active', accountId: event.data.accountId, passwordHash: event.data.passwordHash } },
          { upsert: true },
        );
        return;
    }
  },
};
