import { Inject, Injectable } from '@nestjs/common';
import { RecordedEvent } from '@kundportal/eventstore';
import { allWordsFilter, Page, PageRequest, searchWords } from '@kundportal/kernel';
import { Filter, findPage, Projection, ProjectionContext, READ_STORE, ReadStore } from '@kundportal/readstore';
import { AccountEvent } from './account.events';

export const ACCOUNT_DIRECTORY = 'account_directory';

/** A person with an account, as staff find them: by words of their name or e-mail, or the whole e-mail. */
export interface AccountDirectoryDoc {
  _id: string;
  name: string;
  email: string;
  /** The organisation the account was created or imported in. */
  organisationId: string;
  method: string;
  verified: boolean;
  createdAt: string;
  words: string[];
  [key: string]: unknown;
}

const EVENT_TYPES = ['AccountCreated', 'AccountImported', 'AccountVerified'] as const;

const wordsOf = (name: string, email: string) => searchWords(`${name} ${email}`);

/**
 * Staff's search of people. A read model of its own, beside the accounts one (which sign-in reads
 * on every request), so the search's words and index cost sign-in nothing.
 */
export const accountDirectoryProjection: Projection = {
  name: 'account-directory',
  version: 1,
  collections: {
    [ACCOUNT_DIRECTORY]: [{ keys: { words: 1 } }, { keys: { email: 1 } }],
  },
  eventTypes: EVENT_TYPES,
  apply(recorded: RecordedEvent, ctx: ProjectionContext) {
    const event = recorded as unknown as AccountEvent;
    const directory = ctx.collection<AccountDirectoryDoc>(ACCOUNT_DIRECTORY);
    switch (event.type) {
      case 'AccountCreated': {
        const d = event.data;
        const email = d.email.toLowerCase();
        directory.replaceOne(
          { _id: d.accountId },
          { _id: d.accountId, name: d.name, email, organisationId: d.organisationId, method: d.method, verified: true, createdAt: d.createdAt, words: wordsOf(d.name, email) },
          { upsert: true },
        );
        return;
      }
      case 'AccountImported': {
        const d = event.data;
        const email = d.email.toLowerCase();
        directory.updateOne(
          { _id: d.accountId },
          {
            $setOnInsert: { name: d.name, email, organisationId: d.organisationId, method: 'legacy', verified: false, createdAt: d.importedAt, words: wordsOf(d.name, email) },
          },
          { upsert: true },
        );
        return;
      }
      case 'AccountVerified':
        directory.updateOne({ _id: event.data.accountId }, { $set: { method: event.data.method, verified: true } });
        return;
    }
  },
};

@Injectable()
export class AccountDirectory {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  /** People by name: the one with e-mail `q`, or those with every word of `q` in their name or e-mail; everyone without `q`. */
  search(q: string | undefined, page: PageRequest): Promise<Page<AccountDirectoryDoc>> {
    const filter = accountSearch(q);
    if (filter === null) return Promise.resolve({ items: [], total: 0 });
    return findPage(this.store.collection<AccountDirectoryDoc>(ACCOUNT_DIRECTORY), filter, { sort: { name: 1, _id: 1 } }, page);
  }
}

/** The read-store filter of a search; null when it can match nothing. */
export function accountSearch(q: string | undefined): Filter | null {
  if (q === undefined) return {};
  // A whole e-mail address is looked up as one (its words would find others at the same domain too).
  if (q.includes('@')) return { email: q.trim().toLowerCase() };
  return allWordsFilter('words', q);
}
