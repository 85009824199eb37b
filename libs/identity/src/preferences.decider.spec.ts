import { PersonalNumberDigest, ValidationFailed } from '@kundportal/kernel';
import { DeciderSpecification } from '@kundportal/kernel/testing';
import { PreferencesCommand, preferencesDecider } from './preferences.decider';
import { LanguageChosen, preferencesOwners } from './preferences.events';

const spec = DeciderSpecification.for(preferencesDecider);
const now = new Date('2026-12-05T08:00:00.000Z');
const owner = 'account-0190f0e0-0000-7000-8000-000000000001';
const choose = (language: string): PreferencesCommand => ({ type: 'ChooseLanguage', owner, language: language as 'sv', now });
const chosen = (language: 'sv' | 'en'): LanguageChosen => ({ type: 'LanguageChosen', data: { owner, language, chosenAt: now.toISOString() } });

describe('preferences decider', () => {
  it('records the language chosen', () => {
    spec.given([]).when(choose('en')).then([chosen('en')]);
    spec.given([chosen('en')]).when(choose('sv')).then([chosen('sv')]);
  });

  it('records the same choice again: every accepted command appends an event', () => {
    spec.given([chosen('en')]).when(choose('en')).then([chosen('en')]);
  });

  it('refuses a language the service does not speak, naming the field', () => {
    const error = spec.given([]).when(choose('de')).thenThrows(ValidationFailed);
    expect(error.details).toEqual([{ field: 'language', message: 'must be one of sv, en' }]);
  });

  it('keeps the latest choice', () => {
    expect(preferencesDecider.evolve(preferencesDecider.evolve(preferencesDecider.initialState(), chosen('en')), chosen('sv'))).toEqual({ language: 'sv' });
  });
});

describe('preferencesOwners', () => {
  const digest = new PersonalNumberDigest('a test key');
  it('writes to the account when there is one, and reads the subject’s choice after it', () => {
    const [account, subject] = preferencesOwners({ accountId: 'acc-1', subject: 'person:abc' }, digest);
    expect(account).toBe('account-acc-1');
    expect(subject).toMatch(/^subject-[0-9a-f]{40}$/);
    expect(preferencesOwners({ accountId: null, subject: 'person:abc' }, digest)).toEqual([subject]);
  });

  it('never puts the subject itself in a stream name', () => {
    const [owner] = preferencesOwners({ accountId: null, subject: '199001012380' }, digest);
    expect(owner).not.toContain('199001012380');
  });
});
