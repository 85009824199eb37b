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
  [key: string]: unknown;
}

export const accountsProjection: Projection = {
  name: 'accounts',
  version: 1,
  collections: { [ACCOUNTS]: [{ keys: { personalNumberDigest: 1 } }, { keys: { email: 1 } }] },
  eventTypes: ACCOUNT_EVENT_TYPES,
  apply(recorded: RecordedEvent, ctx: ProjectionContext) {
    const event = recorded as unknown as AccountEvent;
    switch (event.type) {
      case 'AccountCreated': {
        const { accountId, ...rest } = event.data;
        ctx.collection<AccountDoc>(ACCOUNTS).replaceOne({ _id: accountId }, { _id: accountId, ...rest }, { upsert: true });
        break;
      }
    }
  },
};
