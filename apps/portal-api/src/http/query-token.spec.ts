import type { IncomingMessage } from 'node:http';
import { bearerExpiresAt, tokenFromQuery } from './query-token';

const request = (url: string, headers: Record<string, string> = {}) => ({ url, headers: { ...headers } }) as unknown as IncomingMessage & { originalUrl?: string };

describe('tokenFromQuery (the access token of an EventSource)', () => {
  it('moves ?access_token= of the stream route into the Authorization header and out of the URL', () => {
    const req = request('/me/notifications/stream?access_token=abc.def.ghi');
    expect(tokenFromQuery(req)).toBe('/me/notifications/stream');
    expect(req.headers.authorization).toBe('Bearer abc.def.ghi');
    expect(req.originalUrl).toBe('/me/notifications/stream');
  });

  it('keeps the other parameters, and a header sent as well wins', () => {
    const req = request('/me/notifications/stream?x=1&access_token=abc&y=2', { authorization: 'Bearer header' });
    expect(tokenFromQuery(req)).toBe('/me/notifications/stream?x=1&y=2');
    expect(req.headers.authorization).toBe('Bearer header');
  });

  it('leaves every other route as it is: the parameter authenticates nothing there', () => {
    for (const url of ['/me?access_token=abc', '/me/notifications?access_token=abc', '/me/notifications/stream/x?access_token=abc']) {
      const req = request(url);
      expect(tokenFromQuery(req)).toBe(url);
      expect(req.headers.authorization).toBeUndefined();
    }
  });

  it('an empty token is dropped without a header, so the guard answers 401', () => {
    const req = request('/me/notifications/stream?access_token=');
    expect(tokenFromQuery(req)).toBe('/me/notifications/stream');
    expect(req.headers.authorization).toBeUndefined();
  });
});

describe('bearerExpiresAt', () => {
  const token = (claims: unknown) => `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

  it('reads the exp claim as milliseconds', () => {
    expect(bearerExpiresAt(`Bearer ${token({ sub: 'x', exp: 1_800_000_000 })}`)).toBe(1_800_000_000_000);
  });

  it('null without a bearer token, an exp, or a readable payload', () => {
    expect(bearerExpiresAt(undefined)).toBeNull();
    expect(bearerExpiresAt(`Basic ${token({ exp: 1 })}`)).toBeNull();
    expect(bearerExpiresAt(`Bearer ${token({ sub: 'x' })}`)).toBeNull();
    expect(bearerExpiresAt(`Bearer ${token({ exp: '1800000000' })}`)).toBeNull();
    expect(bearerExpiresAt('Bearer a.!!!.c')).toBeNull();
    expect(bearerExpiresAt('Bearer not-a-jwt')).toBeNull();
  });
});
