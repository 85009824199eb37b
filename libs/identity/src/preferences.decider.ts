import { assertNever, Decider, isLanguage, Language, ValidationFailed } from '@kundportal/kernel';
import { PreferencesEvent } from './preferences.events';

export type PreferencesCommand = { type: 'ChooseLanguage'; owner: string; language: Language; now: Date };

export interface PreferencesState {
  language: Language | null;
}

/** A person's preferences: one stream each, so choosing one never waits on anything else about them. */
export const preferencesDecider: Decider<PreferencesCommand, PreferencesEvent, PreferencesState> = {
  initialState: () => ({ language: null }),
  decide(command) {
    switch (command.type) {
      case 'ChooseLanguage':
        if (!isLanguage(command.language)) throw ValidationFailed.field('language', 'must be one of sv, en');
        // Choosing the same language again is still an accepted command, and is recorded as one.
        return [{ type: 'LanguageChosen', data: { owner: command.owner, language: command.language, chosenAt: command.now.toISOString() } }];
      default:
        return assertNever(command.type);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'LanguageChosen':
        return { ...state, language: event.data.language };
      default:
        return assertNever(event.type);
    }
  },
};
