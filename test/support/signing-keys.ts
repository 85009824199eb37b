import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { SigningJwk } from '@kundportal/kernel';

/** A new EC P-256 signing key as TOKEN_SIGNING_KEYS holds it. */
export function newSigningKey(): SigningJwk {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Omit<SigningJwk, 'kid'>;
  return { ...jwk, kid: randomUUID() };
}

/** The value of TOKEN_SIGNING_KEYS for these keys (the first signs). */
export function signingKeysEnv(...keys: SigningJwk[]): string {
  return JSON.stringify({ keys });
}
