import { Inject, Injectable } from '@nestjs/common';
import { Language, PERSONAL_NUMBER_DIGEST, PersonalNumberDigest } from '@kundportal/kernel';
import { READ_STORE, ReadStore } from '@kundportal/readstore';
import { accountPreferencesOwner, preferencesOwners, PreferencesHolder } from './preferences.events';
import { PREFERENCES, PreferencesDoc } from './preferences.projection';

@Injectable()
export class PreferenceQueries {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(PERSONAL_NUMBER_DIGEST) private readonly digest: PersonalNumberDigest,
  ) {}

  /** The language the holder chose (with their account, or before they had one), or null. */
  languageOfHolder(holder: PreferencesHolder): Promise<Language | null> {
    return this.languageOf(preferencesOwners(holder, this.digest));
  }

  /** The language chosen by the first of the owners that chose one (an account before the subject signed in), or null. */
  async languageOf(owners: string[]): Promise<Language | null> {
    if (owners.length === 0) return null;
    const docs = await this.store.collection<PreferencesDoc>(PREFERENCES).find({ _id: { $in: owners } });
    for (const owner of owners) {
      const doc = docs.find((d) => d._id === owner);
      if (doc) return doc.language;
    }
    return null;
  }

  /** Each account's chosen language, for the accounts that chose one. */
  async languagesOfAccounts(accountIds: string[]): Promise<Map<string, Language>> {
    if (accountIds.length === 0) return new Map();
    const docs = await this.store.collection<PreferencesDoc>(PREFERENCES).find({ _id: { $in: accountIds.map(accountPreferencesOwner) } });
    const byOwner = new Map(docs.map((d) => [d._id, d.language]));
    return new Map(accountIds.flatMap((id) => (byOwner.has(accountPreferencesOwner(id)) ? [[id, byOwner.get(accountPreferencesOwner(id)) as Language]] : [])));
  }
}
