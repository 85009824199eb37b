/**
 * The signed-in person's access token, kept for this browser tab only. Sign-in flows (the dev
 * sign-in, password, and later OpenID Connect with PKCE) all end in `session.start(token)`.
 */
const KEY = 'kundportal.accessToken';
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

export const session = {
  token(): string | null {
    return sessionStorage.getItem(KEY);
  },
  start(token: string): void {
    sessionStorage.setItem(KEY, token);
    notify();
  },
  end(): void {
    sessionStorage.removeItem(KEY);
    notify();
  },
  /** The API said 401: the token has run out or is not accepted any more. */
  expired(): void {
    if (sessionStorage.getItem(KEY)) session.end();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
