import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import type { Notifications } from '../api/responses';
import { useSignedIn } from '../identity/use-me';

/**
 * What waits for the person (GET /me/notifications). Read when a page opens, when the window gets
 * focus again and after each command; never polled on a timer. The live stream
 * (GET /me/notifications/stream) replaces this read when the service offers it.
 */
export function useNotifications() {
  const signedIn = useSignedIn();
  return useQuery({
    queryKey: ['notifications'],
    queryFn: () => call<Notifications>(api.GET('/me/notifications')),
    enabled: signedIn,
  });
}
