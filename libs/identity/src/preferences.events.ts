import type { Language, PersonalNumberDigest } from '@kundportal/kernel';

/** A person chose the language the service speaks to them in (error messages, e-mails). */
export type LanguageChosen = {
  type: 'LanguageChosen';
  data: { owner: string; language: Language; chosenAt: string };
};

export type PreferencesEvent = LanguageChosen;
export const PREFERENCES_EVENT_TYPES = ['LanguageChosen'] as const;

/**
 * Whose preferences: an account's (`account-<id>`), so they follow the person whichever way they
 * sign in and reach the e-mails sent to the account; or, for callers without an account (staff,
 * auditors, an e-ID user before creating one), the token's subject, as a keyed digest so no
 * personnummer or broker id is in a stream name.
 */
export const accountPreferencesOwner = (accountId: string) => `account-${accountId}`;
export const subjectPreferencesOwner = (subjectDigest: string) => `subject-${subjectDigest}`;
export const preferencesStream = (owner: string) => `preferences-${owner}`;

/** Who chooses: the account when the caller has one, and the token's subject. */
export interface PreferencesHolder {
  accountId: string | null;
  subject: string;
}

/** Where a holder's preferences are, the one they write first: their account's, then their subject's (chosen before the account existed, or without one). */
export function preferencesOwners(holder: PreferencesHolder, digest: PersonalNumberDigest): string[] {
  const subject = subjectPreferencesOwner(digest.of(`subject:${holder.subject}`));
  return holder.accountId ? [accountPreferencesOwner(holder.accountId), subject] : [subject];
}
