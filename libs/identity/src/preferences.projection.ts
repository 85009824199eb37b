import { RecordedEvent } from '@kundportal/eventstore';
import { Language } from '@kundportal/kernel';
import { Projection, ProjectionContext } from '@kundportal/readstore';
import { PREFERENCES_EVENT_TYPES, PreferencesEvent } from './preferences.events';

export const PREFERENCES = 'preferences';

/** One per owner (`account-<id>` or `subject-<digest>`): the language last chosen. */
export interface PreferencesDoc {
  _id: string;
  language: Language;
  chosenAt: string;
  [key: string]: unknown;
}

export const preferencesProjection: Projection = {
  name: 'preferences',
  version: 1,
  collections: { [PREFERENCES]: [] },
  eventTypes: PREFERENCES_EVENT_TYPES,
  apply(recorded: RecordedEvent, ctx: ProjectionContext) {
    const event = recorded as unknown as PreferencesEvent;
    switch (event.type) {
      case 'LanguageChosen':
        // A batch is written with the checkpoint, so a replay starts after it: the same event twice sets the same thing.
        ctx
          .collection<PreferencesDoc>(PREFERENCES)
          .replaceOne({ _id: event.data.owner }, { _id: event.data.owner, language: event.data.language, chosenAt: event.data.chosenAt }, { upsert: true });
        break;
    }
  },
};
