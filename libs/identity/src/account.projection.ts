import { RecordedEvent } from '@kundportal/eventstore';
import { Projection, ProjectionContext } from '@kundportal/readstore';
import { AccountEvent, ACCOUNT_EVENT_TYPES } from './account.events';

export const ACCOUNTS = 'accounts';

export interface AccountDoc {
  _id: string;
  name: string;
  email: string;
  phone: string | null;
  organisationId: string;
  personalNumberDigest: string | null;
  method: string;
  createdAt: string;
  /** The old portal's username, for imported accounts. */
  username?: string;
  verified?: boolean;
  /** The service relies on the e-mail (open-form tickets, password resets) only once this is true. */
  emailVerified?: boolean;
  /** An old-portal account merged into this e-ID account. */
  mergedInto?: string;
  [key: string]: unknown;
}

export const accountsProjection: Projection = {
  name: 'accounts',
  version: 2,
  collections: { [ACCOUNTS]: [{ keys: { personalNumberDigest: 1 } }, { keys: { email: 1 } }] },
  eventTypes: ACCOUNT_EVENT_TYPES,
  apply(recorded: RecordedEvent, ctx: ProjectionContext) {
    const event = recorded as unknown as AccountEvent;
    const accounts = ctx.collection<AccountDoc>(ACCOUNTS);
    switch (event.type) {
      case 'AccountCreated': {
        const { accountId, ...rest } = event.data;
        // A password account's e-mail was checked by staff approving its registration.
        accounts.replaceOne({ _id: accountId }, { _id: accountId, ...rest, verified: true, emailVerified: rest.method === 'password' }, { upsert: true });
        break;
      }
      case 'AccountImported': {
        const d = event.data;
        accounts.updateOne(
          { _id: d.accountId },
          {
            $setOnInsert: {
              name: d.name,
              email: d.email,
              phone: null,
              organisationId: d.organisationId,
              personalNumberDigest: null,
              method: 'legacy',
              createdAt: d.importedAt,
              username: d.username,
              verified: false,
              emailVerified: false,
            },
          },
          { upsert: true },
        );
        break;
      }
      case 'AccountVerified':
        accounts.updateOne(
          { _id: event.data.accountId },
          // The verification link went to the imported e-mail: using it proves the address too.
          { $set: { personalNumberDigest: event.data.personalNumberDigest, method: event.data.method, verified: true, emailVerified: true } },
        );
        break;
      case 'LegacyAccountMerged':
        accounts.updateOne({ _id: event.data.accountId }, { $set: { mergedInto: event.data.into } });
        break;
      case 'EmailVerified':
        accounts.updateOne({ _id: event.data.accountId, email: event.data.email }, { $set: { emailVerified: true } });
        break;
      case 'EmailChanged':
        accounts.updateOne({ _id: event.data.accountId }, { $set: { email: event.data.email, emailVerified: false } });
        break;
    }
  },
};
