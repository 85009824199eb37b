import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  importJWK,
  JWK,
  jwtVerify,
  JWTVerifyGetKey,
  SignJWT,
  CryptoKey,
} from 'jose';
import { APP_CONFIG, AppConfig, loadOrCreateSecret, normalisePersonalNumber, SignInMethod, Unauthenticated } from '@kundportal/kernel';
import { CLAIMS, Principal } from './principal';

const DEV_ISSUER = 'urn:kundportal:dev-issuer';
/** How many verified tokens are remembered, and how long one of the broker's is trusted without a new check. */
const VERIFIED_TOKENS = 10_000;
const BROKER_TOKEN_RECHECK_MS = 60_000;
const DISCOVERY_TIMEOUT_MS = 10_000;
const ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA'];
const METHODS: readonly SignInMethod[] = ['bankid', 'freja', 'siths', 'password'];
/** What the broker may vouch for: an e-ID sign-in, which always carries a personnummer. */
const EID_METHODS: readonly SignInMethod[] = ['bankid', 'freja', 'siths'];

export interface MintRequest {
  subject: string;
  name: string;
  method: SignInMethod;
  personalNumber?: string;
  accountId?: string;
  email?: string;
  staff?: boolean;
  auditor?: boolean;
}

/**
 * One verification path for every token: `jose.jwtVerify` against a key set, with issuer,
 * audience, algorithm and expiry checked. In dev mode the key set is our own signing key (kept in
 * DATA_DIR); in OIDC mode it is the e-ID broker's JWKS. Password sign-in tokens are ours too.
 */
@Injectable()
export class TokenService implements OnModuleInit {
  private signingKey!: CryptoKey;
  private signingKid!: string;
  private localKeys!: JWTVerifyGetKey;
  private remoteKeys?: JWTVerifyGetKey;
  /**
   * Tokens verified lately, by their exact text, with the moment the answer stops holding. A
   * signature check (ECDSA, plus jose's parsing) is most of the cost of a small read, and a client
   * sends the same token with every request until it expires. What can change for a token already
   * verified is only time: expiry is kept to the millisecond jose checks it at (`exp` in seconds,
   * no tolerance), and `nbf` once passed stays passed. Our own signing key does not change while
   * the process runs; the broker's key set does (jose itself refetches it every 10 minutes), so a
   * broker token is checked again at least every minute. Refusals are not remembered.
   */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The public halves of our signing keys, as served at `/.well-known/jwks.json`. */
  private publicKeys!: { keys: JWK[] };

  async onModuleInit(): Promise<void> {
    // Keys from the configuration are shared by every replica; without them, one key kept in DATA_DIR.
    const keys: JWK[] = this.config.signingKeys ?? [loadOrCreateSecret(this.config.dataDir, 'token-signing-key', createSigningJwk)];
    this.signingKey = (await importJWK(keys[0], 'ES256')) as CryptoKey;
    this.signingKid = keys[0].kid as string;
    this.publicKeys = { keys: keys.map(({ kty, crv, x, y, kid }) => ({ kty, crv, x, y, kid, alg: 'ES256', use: 'sig' })) };
    this.localKeys = createLocalJWKSet(this.publicKeys);
    if (this.config.auth.mode === 'oidc') this.remoteKeys = createRemoteJWKSet(await this.jwksUri());
  }

  /** Every key our tokens may be signed with (the current one first), public parts only. */
  jwks(): { keys: JWK[] } {
    return this.publicKeys;
  }

  /** The broker's key set, from OIDC_JWKS_URI or discovery; a failure names the issuer, the address asked and what went wrong. */
  private async jwksUri(): Promise<URL> {
    if (this.config.auth.oidcJwksUri) return new URL(this.config.auth.oidcJwksUri);
    const issuer = (this.config.auth.oidcIssuer as string).replace(/\/$/, '');
    const address = `${issuer}/.well-known/openid-configuration`;
    const failed = (what: string) => new Error(`OIDC_ISSUER ${issuer}: discovery at ${address} ${what}`);
    let response: Response;
    try {
      response = await fetch(address, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw failed(`could not be reached (${cause?.code ?? cause?.message ?? (error as Error).message})`);
    }
    if (!response.ok) throw failed(`answered ${response.status}`);
    const discovery = (await response.json().catch(() => null)) as { issuer?: string; jwks_uri?: string } | null;
    if (!discovery) throw failed('answered something that is not JSON');
    if (!discovery.jwks_uri) throw failed('names no jwks_uri');
    if (discovery.issuer !== undefined && discovery.issuer.replace(/\/$/, '') !== issuer) {
      throw failed(`names another issuer (${discovery.issuer}): tokens would be refused`);
    }
    return new URL(discovery.jwks_uri);
  }

  /** Our own tokens: dev sign-in and password sign-in. */
  async mint(request: MintRequest): Promise<{ accessToken: string; expiresIn: number }> {
    const expiresIn = this.config.auth.tokenTtlSeconds;
    const claims: Record<string, unknown> = {
      [CLAIMS.name]: request.name,
      [CLAIMS.method]: request.method,
      [CLAIMS.staff]: request.staff === true,
      [CLAIMS.auditor]: request.auditor === true,
    };
    if (request.personalNumber) claims[CLAIMS.personalNumber] = request.personalNumber;
    if (request.accountId) claims[CLAIMS.accountId] = request.accountId;
    if (request.email) claims[CLAIMS.email] = request.email;
    const accessToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: this.signingKid, typ: 'JWT' })
      .setSubject(request.subject)
      .setIssuer(this.ownIssuer)
      .setAudience(this.config.auth.oidcAudience)
      .setIssuedAt()
      .setExpirationTime(`${expiresIn}s`)
      .sign(this.signingKey);
    return { accessToken, expiresIn };
  }

  private get ownIssuer(): string {
    return this.config.auth.mode === 'dev' ? DEV_ISSUER : `${this.config.publicBaseUrl}/auth`;
  }

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.until) return known.principal;
      this.verified.delete(token);
    }
    const checkedAt = Date.now();
    const { payload, own } = await this.verifyPayload(token);
    const principal = Object.freeze(own ? this.principalOf(payload) : this.brokerPrincipalOf(payload));
    const expires = typeof payload.exp === 'number' ? payload.exp * 1000 : Infinity;
    const until = Math.min(expires, own ? Infinity : checkedAt + BROKER_TOKEN_RECHECK_MS);
    if (until !== Infinity) {
      if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(token, { principal, until });
    }
    return principal;
  }

  private principalOf(payload: Record<string, unknown>): Principal {
    const method = payload[CLAIMS.method];
    if (typeof payload.sub !== 'string' || !METHODS.includes(method as SignInMethod)) {
      throw new Unauthenticated('noSubject');
    }
    const rawPnr = payload[CLAIMS.personalNumber];
    const personalNumber = rawPnr === undefined ? null : normalisePersonalNumber(rawPnr);
    if (rawPnr !== undefined && personalNumber === null) throw new Unauthenticated('invalidPersonalNumber');
    const accountId = typeof payload[CLAIMS.accountId] === 'string' ? (payload[CLAIMS.accountId] as string) : null;
    if (!personalNumber && !accountId) throw new Unauthenticated('noPerson');
    return {
      subject: payload.sub,
      name: typeof payload[CLAIMS.name] === 'string' ? (payload[CLAIMS.name] as string) : '',
      method: method as SignInMethod,
      personalNumber,
      accountId,
      email: typeof payload[CLAIMS.email] === 'string' ? (payload[CLAIMS.email] as string) : null,
      staff: payload[CLAIMS.staff] === true,
      auditor: payload[CLAIMS.auditor] === true,
    };
  }

  /**
   * A broker token names an e-ID sign-in of a person with a personnummer. Rights come from the
   * configured groups in the broker's own claim; our claim names (`kp_*`) are ignored in its
   * tokens, so a broker that passes claims through cannot grant staff rights.
   */
  private brokerPrincipalOf(payload: Record<string, unknown>): Principal {
    if (!EID_METHODS.includes(payload[CLAIMS.method] as SignInMethod)) {
      throw new Unauthenticated('notEid');
    }
    if (payload[CLAIMS.personalNumber] === undefined) throw new Unauthenticated('noPerson');
    const { staff: _staff, auditor: _auditor, accountId: _account, ...person } = this.principalOf({
      ...payload,
      [CLAIMS.accountId]: undefined,
    });
    const raw = payload[this.config.auth.rolesClaim];
    const groups = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : [];
    const { staffGroups, auditorGroups } = this.config.auth;
    return {
      ...person,
      accountId: null,
      staff: groups.some((g) => staffGroups.includes(g)),
      auditor: groups.some((g) => auditorGroups.includes(g)),
    };
  }

  private async verifyPayload(token: string): Promise<{ payload: Record<string, unknown>; own: boolean }> {
    const audience = this.config.auth.oidcAudience;
    const maxTokenAge = this.config.auth.maxTokenAgeSeconds;
    // Every token says who (`sub`), when it was issued and when it ends; none may live longer than the maximum age.
    const limits = { requiredClaims: ['sub', 'exp', 'iat'], maxTokenAge };
    const checked = (payload: Record<string, unknown>) => {
      if ((payload.exp as number) - (payload.iat as number) > maxTokenAge) throw new Unauthenticated('tooLongLived');
      return payload;
    };
    try {
      // Our own tokens first (dev or password sign-in), then the broker's.
      const { payload } = await jwtVerify(token, this.localKeys, { issuer: this.ownIssuer, audience, algorithms: ['ES256'], ...limits });
      return { payload: checked(payload), own: true };
    } catch (ownError) {
      if (!this.remoteKeys) throw new Unauthenticated('invalidToken');
    }
    try {
      const { payload } = await jwtVerify(token, this.remoteKeys, {
        issuer: this.config.auth.oidcIssuer,
        audience,
        algorithms: ALGORITHMS,
        ...limits,
      });
      return { payload: checked(payload), own: false };
    } catch {
      throw new Unauthenticated('invalidToken');
    }
  }
}

function createSigningJwk(): JWK & { d: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...(privateKey.export({ format: 'jwk' }) as JWK & { d: string }), kid: randomUUID() };
}
