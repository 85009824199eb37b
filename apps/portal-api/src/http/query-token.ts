import type { IncomingMessage } from 'node:http';

/** The one route where a browser's EventSource, which cannot send headers, may give its token in the URL. */
export const QUERY_TOKEN_PATHS: readonly string[] = ['/me/notifications/stream'];
const PARAM = 'access_token';

/**
 * Fastify's `rewriteUrl`, before routing and before the request is logged: on a route of
 * QUERY_TOKEN_PATHS, `?access_token=` becomes the `Authorization` header (unless one was sent) and
 * leaves the URL, so the one way in for tokens stays the AuthGuard and no log line holds it.
 * Elsewhere the URL is left as it is (and the parameter means nothing).
 */
export function tokenFromQuery(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  if (q < 0 || !QUERY_TOKEN_PATHS.includes(url.slice(0, q))) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  if (!params.has(PARAM)) return url;
  const token = params.get(PARAM) ?? '';
  params.delete(PARAM);
  if (req.headers.authorization === undefined && token !== '') req.headers.authorization = `Bearer ${token}`;
  const rest = params.toString();
  const rewritten = url.slice(0, q) + (rest ? `?${rest}` : '');
  // Fastify keeps the URL as received here; it must not hold the token either.
  (req as IncomingMessage & { originalUrl?: string }).originalUrl = rewritten;
  return rewritten;
}

/**
 * When the bearer token of a request expires (ms since the epoch), read from its `exp` claim
 * without checking it again (the AuthGuard has); null when it has none. A long-lived answer (a
 * stream) ends then, so it never outlives the sign-in it was opened with.
 */
export function bearerExpiresAt(authorization: string | undefined): number | null {
  const match = typeof authorization === 'string' ? /^Bearer\s+[^.\s]+\.([^.\s]+)\.[^.\s]*$/i.exec(authorization) : null;
  if (!match) return null;
  try {
    const exp = (JSON.parse(Buffer.from(match[1], 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}
