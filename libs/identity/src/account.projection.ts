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
  [key: string]: unknown;
}

export const accountsProjection: Projection = {
  name: 'accounts',
  version: 1,
  collections: { [ACCOUNTS]: [{ keys: { personalNumberDigest: 1 } }, { keys: { email: 1 } }] },
  eventTypes: ACCOUNT_EVENT_TYPES,
  apply(recorded: RecordedEvent, ctx: ProjectionContext) {
    const event = recorded as unknown as AccountEvent;
    const accounts = ctx.collection<AccountDoc>(ACCOUNTS);
    switch (event.type) {
      case 'AccountCreated': {
        const { accountId, ...rest } = event.data;
        accounts.replaceOne({ _id: accountId }, { _id: accountId, ...rest, verified: true }, { upsert: true });
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
            },
          },
          { upsert: true },
        );
        break;
      }
      case 'AccountVerified':
        accounts.updateOne(
          { _id: event.data.accountId },
          { $set: { personalNumberDigest: event.data.personalNumberDigest, method: event.data.method, verified: true } },
        );
        break;
    }
  },
};
