import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CryptoKey, exportJWK, generateKeyPair, JWK, JWTPayload, SignJWT } from 'jose';

export interface MintOptions {
  /** Claims to send; `undefined` values are left out (to build tokens that lack a claim). */
  claims?: Record<string, unknown>;
  subject?: string;
  issuer?: string;
  audience?: string | string[];
  /** Seconds from now; negative for a token that has already expired; null leaves `exp` out. */
  expiresIn?: number | null;
  /** Seconds from now for `iat` (default -5); null leaves it out. */
  issuedAt?: number | null;
  /** Seconds from now for `nbf`; left out when undefined. */
  notBefore?: number;
  /** Sign with this key instead of the issuer's (it is not in the JWKS). */
  key?: CryptoKey;
  kid?: string;
}

/**
 * A tiny OpenID Connect issuer for tests, on 127.0.0.1 and a random port: discovery at
 * `/.well-known/openid-configuration` and an RS256 key set at `/jwks`. It only publishes keys;
 * tokens are minted in-process with {@link OidcIssuer.mint}.
 */
export class OidcIssuer {
  private constructor(
    private readonly server: Server,
    /** Requests served, by path (to see that discovery and the JWKS were used). */
    readonly requests: readonly string[],
    readonly issuer: string,
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK,
    readonly kid: string,
  ) {}

  static async start(): Promise<OidcIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = 'test-issuer-key-1';
    const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    let issuer = '';
    const requests: string[] = [];
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '/').split('?')[0];
      requests.push(path);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
        return json(200, {
          issuer,
          jwks_uri: `${issuer}/jwks`,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        });
      }
      if (req.method === 'GET' && path === '/jwks') return json(200, { keys: [publicJwk] });
      return json(404, { error: 'not_found' });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return new OidcIssuer(server, requests, issuer, privateKey, publicJwk, kid);
  }

  get jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** A signed RS256 token; by default valid for an hour, for audience `kundportal`, from this issuer. */
  async mint(options: MintOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: JWTPayload = {};
    for (const [name, value] of Object.entries(options.claims ?? {})) if (value !== undefined) claims[name] = value;
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? this.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? 'kundportal');
    if (options.issuedAt !== null) jwt.setIssuedAt(now + (options.issuedAt ?? -5));
    if (options.expiresIn !== null) jwt.setExpirationTime(now + (options.expiresIn ?? 3600));
    if (options.subject !== undefined) jwt.setSubject(options.subject);
    if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
    return jwt.sign(options.key ?? this.privateKey);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** `header.payload.` with `alg: none`: what an attacker sends hoping the verifier skips signatures. */
export function unsignedToken(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}

/** The same token with one character in the middle of its payload segment replaced. */
export function oneCharChanged(token: string): string {
  const [header, payload, signature] = token.split('.');
  const i = Math.floor(payload.length / 2);
  const replacement = payload[i] === 'A' ? 'B' : 'A';
  return `${header}.${payload.slice(0, i)}${replacement}${payload.slice(i + 1)}.${signature}`;
}

/** The same token with a claim changed (kp_staff: true) in well-formed JSON: the signature no longer matches. */
export function tamperedPayload(token: string): string {
  const [header, payload, signature] = token.split('.');
  const json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  // Flip a claim that matters, then re-encode: a well-formed payload under the old signature.
  json.kp_staff = true;
  const changed = Buffer.from(JSON.stringify(json)).toString('base64url');
  return `${header}.${changed}.${signature}`;
}

/** The payload of a token, decoded without checking anything. */
export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}
