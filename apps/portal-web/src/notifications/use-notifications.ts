import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import type { Notifications } from '../api/responses';
import { session } from '../identity/session';
import { useSignedIn } from '../identity/use-me';

const KEY = ['notifications'];

/**
 * What waits for the person (GET /me/notifications). Read when a page opens, when the window gets
 * focus again and after each command; never polled on a timer. Where the service offers the live
 * stream, each badge it sends updates the badge at once and has the notices read again.
 */
export function useNotifications() {
  const signedIn = useSignedIn();
  return useQuery({
    queryKey: KEY,
    queryFn: () => call(api.GET('/me/notifications')),
    enabled: signedIn,
  });
}

/** Listens to GET /me/notifications/stream while someone is signed in (mounted once, in the layout). */
export function useNotificationStream(): void {
  const signedIn = useSignedIn();
  const client = useQueryClient();
  useEffect(() => {
    const token = session.token();
    if (!__NOTIFICATION_STREAM__ || !signedIn || !token || typeof EventSource === 'undefined') return;
    // EventSource cannot send headers: the contract takes the token as a query parameter here.
    const source = new EventSource(`/me/notifications/stream?access_token=${encodeURIComponent(token)}`);
    source.onmessage = (event: MessageEvent<string>) => {
      try {
        const sent = JSON.parse(event.data) as Notifications['badge'] | { badge: Notifications['badge'] };
        const badge = 'badge' in sent ? sent.badge : sent;
        client.setQueryData<Notifications>(KEY, (old) => (old ? { ...old, badge } : old));
      } finally {
        void client.invalidateQueries({ queryKey: KEY });
      }
    };
    return () => source.close();
  }, [signedIn, client]);
}
