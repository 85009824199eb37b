import { useSyncExternalStore } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { session } from './session';

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
