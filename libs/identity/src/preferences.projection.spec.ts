import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { preferencesProjection } from './preferences.projection';

describe('preferences projection', () => {
  const english = recorded('LanguageChosen', { owner: 'account-acc-1', language: 'en', chosenAt: '2026-12-05T08:00:00.000Z' });
  const swedish = recorded('LanguageChosen', { owner: 'account-acc-1', language: 'sv', chosenAt: '2026-12-05T09:00:00.000Z' });
  const staff = recorded('LanguageChosen', { owner: 'subject-abc', language: 'en', chosenAt: '2026-12-05T10:00:00.000Z' });

  it('keeps the latest choice per owner, and replays change nothing', async () => {
    const store = await project(preferencesProjection, [english, staff, swedish]);
    const once = await snapshot(preferencesProjection, store);
    expect(once.preferences).toEqual([
      { _id: 'account-acc-1', language: 'sv', chosenAt: '2026-12-05T09:00:00.000Z' },
      { _id: 'subject-abc', language: 'en', chosenAt: '2026-12-05T10:00:00.000Z' },
    ]);
    await project(preferencesProjection, [english, staff, swedish], store);
    expect(await snapshot(preferencesProjection, store)).toEqual(once);
  });
});
