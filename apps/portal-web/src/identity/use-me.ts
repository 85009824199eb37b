import { useEffect, useSyncExternalStore } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { session } from './session';
import { chooseLanguage, type Language } from '../shared/i18n/i18n';
import type { CommandAnswer } from '../api/responses';

export function useSignedIn(): boolean {
  return useSyncExternalStore(session.subscribe, () => session.token() !== null);
}

/** The signed-in person (GET /me), or null when no one is. */
export function useMe() {
  const signedIn = useSignedIn();
  return useQuery({
    queryKey: ['me'],
    queryFn: () => call(api.GET('/me')),
    enabled: signedIn,
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return () => {
    session.end();
    client.clear();
  };
}

/** Starts a session from a sign-in answer and forgets what the last person's session had read. */
export function useStartSession() {
  const client = useQueryClient();
  return (token: string) => {
    client.clear();
    session.start(token);
  };
}

/**
 * Changes the portal's language; for someone signed in it is also saved as their preference, so
 * the service's messages and e-mails follow it too.
 */
export function useChooseLanguage() {
  const client = useQueryClient();
  const signedIn = useSignedIn();
  return async (language: Language) => {
    chooseLanguage(language);
    if (!signedIn) return;
    await call<CommandAnswer>(api.PUT('/me/preferences', { body: { language } }));
    await client.invalidateQueries({ queryKey: ['me'] });
  };
}

/** A language the person chose earlier (on any device) is the portal's language once they sign in. */
export function useSavedLanguage(current: string) {
  const me = useMe();
  const saved = me.data?.languageChosen ? me.data.language : null;
  useEffect(() => {
    if (saved && saved !== current) chooseLanguage(saved);
    // Only a newly read preference changes the language; a choice made here is saved first.
  }, [saved]);
}
