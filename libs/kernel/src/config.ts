import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';

/** Embedded read store: documents of each collection kept in memory unless READ_MODEL_CACHE_DOCUMENTS says otherwise. */
export const DEFAULT_CACHED_DOCUMENTS = 30_000;

/**
 * The one place that reads the environment. Every variable is listed in the README; a bad value
 * stops the process at start with a message naming the variable.
 */
export interface AppConfig {
  /**
   * A production deployment: `NODE_ENV=production`, or a shared store (EventStoreDB or MongoDB).
   * It must name its AUTH_MODE, and dev sign-in there needs ALLOW_DEV_AUTH_WITH_PRODUCTION_STORES.
   */
  production: boolean;
  port: number;
  host: string;
  dataDir: string;
  /** Where `POST /admin/backups` writes (embedded deployment). */
  backupDir: string;
  eventStore: { kind: 'embedded' } | { kind: 'esdb'; connectionString: string };
  /** Embedded: `cachedDocuments` of each collection are kept in memory (those used last), the others read from its file. */
  readStore: { kind: 'embedded'; cachedDocuments: number } | { kind: 'mongo'; uri: string; database: string };
  auth: {
    mode: 'dev' | 'oidc';
    oidcIssuer?: string;
    oidcAudience: string;
    oidcJwksUri?: string;
    tokenTtlSeconds: number;
    /** The oldest token accepted (seconds since `iat`), and the longest life (`exp - iat`) a token may claim. */
    maxTokenAgeSeconds: number;
    /** The broker's claim that lists a person's groups (a string or an array of strings). */
    rolesClaim: string;
    /** Values of `rolesClaim` that make a broker-signed person staff, or auditor. */
    staffGroups: string[];
    auditorGroups: string[];
  };
  /** Run projections and reactors in this process (the API's default; false when a projector runs them). */
  runProjections: boolean;
  /**
   * With a shared read store (MongoDB), each projection and the mail dispatcher run in one process
   * at a time, under a lease of this many seconds; another process takes over when it expires.
   */
  projectionLeaseSeconds: number;
  mail: { smtpUrl?: string; from: string };
  publicBaseUrl: string;
  logLevel: string;
  bodyLimitBytes: number;
  /** Largest ticket attachment in bytes; one byte more is refused (413). */
  attachmentMaxBytes: number;
  /**
   * The keys this service signs its tokens with (EC P-256 private JWKs with a `kid`), shared by
   * every replica: the first signs, all are accepted (rotation). Unset: one key made in DATA_DIR.
   */
  signingKeys?: SigningJwk[];
  /** Secret for the keyed digest that stands in for personnummer in events and stream names. */
  personalNumberKey?: string;
  /** E-mail domains refused for password registration (private mail services). */
  privateEmailDomains: string[];
  /**
   * Which proxies' X-Forwarded-For is believed for the client address: none (false), the nearest
   * `n` hops, or proxies whose address is in one of the ranges. Never every sender: that lets any
   * client choose its address and so escape the per-address limits.
   */
  trustProxy: false | number | string[];
  /** Serve `/metrics` on this port only (not on the public one). Unset: on the public port, except in production, where it is not served. */
  metricsPort?: number;
  /** Requests per minute per client address to sign-in and the public forms. */
  publicRateLimitPerMinute: number;
  /** The built portal web UI (index.html and assets/), served at `/` to browsers; absent: the API alone. */
  webDir: string;
}

/** A private EC P-256 key as a JWK, named by its `kid`. */
export interface SigningJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  d: string;
  kid: string;
}

export const APP_CONFIG = Symbol('AppConfig');

/** Every variable `loadConfig` reads (the README lists them with their meaning). */
export const CONFIG_VARIABLES = [
  'NODE_ENV',
  'ALLOW_DEV_AUTH_WITH_PRODUCTION_STORES',
  'PORT',
  'HOST',
  'DATA_DIR',
  'BACKUP_DIR',
  'EVENTSTORE_CONNECTION_STRING',
  'MONGODB_URI',
  'MONGODB_DATABASE',
  'AUTH_MODE',
  'OIDC_ISSUER',
  'OIDC_AUDIENCE',
  'OIDC_JWKS_URI',
  'TOKEN_TTL_SECONDS',
  'TOKEN_MAX_AGE_SECONDS',
  'OIDC_ROLES_CLAIM',
  'OIDC_STAFF_GROUPS',
  'OIDC_AUDITOR_GROUPS',
  'RUN_PROJECTIONS',
  'PROJECTION_LEASE_SECONDS',
  'READ_MODEL_CACHE_DOCUMENTS',
  'SMTP_URL',
  'MAIL_FROM',
  'PUBLIC_BASE_URL',
  'LOG_LEVEL',
  'BODY_LIMIT_BYTES',
  'ATTACHMENT_MAX_BYTES',
  'PERSONAL_NUMBER_KEY',
  'TOKEN_SIGNING_KEYS',
  'TOKEN_SIGNING_KEYS_FILE',
  'PRIVATE_EMAIL_DOMAINS',
  'TRUST_PROXY',
  'PUBLIC_RATE_LIMIT_PER_MINUTE',
  'WEB_DIR',
  'METRICS_PORT',
] as const;

export class ConfigError extends Error {}

/** Variables read elsewhere: by `deploy/healthcheck.js`, the import CLI and the Compose file. */
export const OTHER_VARIABLES = ['HEALTHCHECK_URL', 'HEALTHCHECK_TIMEOUT_MS', 'KUNDPORTAL_API', 'KUNDPORTAL_TOKEN', 'KUNDPORTAL_TAG'] as const;
/** Prefixes of ours: a variable starting with one that we do not read is most likely misspelt. */
const OUR_PREFIXES = ['MONGO', 'EVENTSTORE', 'ESDB', 'OIDC_', 'TOKEN_', 'AUTH_', 'SMTP_', 'MAIL_', 'TRUST_', 'METRICS_', 'PERSONAL_NUMBER', 'PROJECTION', 'READ_MODEL', 'ATTACHMENT', 'KUNDPORTAL_', 'HEALTHCHECK_'];

/**
 * Warnings about the environment, for the log at start: a variable with one of our prefixes that
 * nothing reads (`MONGO_URI` for `MONGODB_URI` would otherwise fall back to the embedded store
 * without a word), with the variable it most likely meant.
 */
export function unknownVariableWarnings(env: Env = process.env): string[] {
  const known: readonly string[] = [...CONFIG_VARIABLES, ...OTHER_VARIABLES];
  return Object.keys(env)
    .filter((name) => OUR_PREFIXES.some((prefix) => name.startsWith(prefix)) && !known.includes(name))
    .sort()
    .map((name) => {
      const tail = name.slice(name.indexOf('_'));
      const meant = known.find((k) => k !== name && k.endsWith(tail) && k.slice(0, 3) === name.slice(0, 3));
      return `${name} is not a setting of this service and is ignored${meant ? `; did you mean ${meant}?` : ''}`;
    });
}

/** Private mail services: registration with a password needs an employer's address. */
export const DEFAULT_PRIVATE_EMAIL_DOMAINS = [
  'gmail.com', 'googlemail.com', 'hotmail.com', 'hotmail.se', 'outlook.com', 'outlook.se', 'live.com', 'live.se', 'msn.com',
  'yahoo.com', 'yahoo.se', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'protonmail.com', 'proton.me', 'gmx.com', 'gmx.net',
  'mail.com', 'yandex.com', 'zoho.com', 'telia.com', 'spray.se', 'passagen.se', 'bredband.net', 'bredband2.com', 'comhem.se', 'tele2.se',
];

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, schemes: readonly string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  // The scheme is read by hand: a MongoDB URI lists several hosts (`mongodb://m1,m2,m3/…`), which
  // WHATWG URL parsing refuses. `host:port` has no `://`, so it is not taken for a URL with scheme `host`.
  const protocol = /^([a-z][a-z0-9+.-]*):\/\/\S+$/i.exec(raw)?.[1]?.toLowerCase();
  if (protocol === undefined) throw new ConfigError(`${name} must be a URL`);
  if (!schemes.includes(protocol)) throw new ConfigError(`${name} must be a ${schemes.join(' or ')} URL`);
  if (!protocol.startsWith('mongodb') && !protocol.startsWith('esdb') && !URL.canParse(raw)) throw new ConfigError(`${name} must be a URL`);
  return raw;
}

const HTTP = ['http', 'https'] as const;

function names(env: Env, name: string): string[] {
  return (env[name] ?? '').split(',').map((value) => value.trim()).filter(Boolean);
}

export function loadConfig(env: Env = process.env): AppConfig {
  const esdb = url(env, 'EVENTSTORE_CONNECTION_STRING', ['esdb', 'esdb+discover']);
  const mongo = url(env, 'MONGODB_URI', ['mongodb', 'mongodb+srv']);
  const oidcIssuer = url(env, 'OIDC_ISSUER', HTTP);
  const productionStores = Boolean(esdb || mongo);
  const production = env.NODE_ENV === 'production' || productionStores;
  // Dev sign-in lets anyone mint a staff token: a production deployment never falls into it by default.
  if (production && !env.AUTH_MODE) {
    throw new ConfigError(
      'AUTH_MODE must be set (oidc, or dev for a trial) when NODE_ENV=production or EventStoreDB/MongoDB is configured',
    );
  }
  const mode = oneOf(env, 'AUTH_MODE', ['dev', 'oidc'] as const, oidcIssuer ? 'oidc' : 'dev');
  if (mode === 'oidc' && !oidcIssuer) throw new ConfigError('AUTH_MODE=oidc needs OIDC_ISSUER');
  if (mode === 'dev' && productionStores && !bool(env, 'ALLOW_DEV_AUTH_WITH_PRODUCTION_STORES', false)) {
    throw new ConfigError(
      'AUTH_MODE=dev lets anyone sign in as staff: with EventStoreDB/MongoDB it needs ALLOW_DEV_AUTH_WITH_PRODUCTION_STORES=true',
    );
  }
  const port = int(env, 'PORT', 3000, 0, 65535);
  const tokenTtlSeconds = int(env, 'TOKEN_TTL_SECONDS', 3600, 60);
  const maxTokenAgeSeconds = int(env, 'TOKEN_MAX_AGE_SECONDS', 43_200, 60);
  if (maxTokenAgeSeconds < tokenTtlSeconds) {
    throw new ConfigError(`TOKEN_MAX_AGE_SECONDS (${maxTokenAgeSeconds}) must be at least TOKEN_TTL_SECONDS (${tokenTtlSeconds})`);
  }
  const rolesClaim = env.OIDC_ROLES_CLAIM || 'groups';
  // Our own claims (kp_staff, kp_auditor, …) mean something only in tokens we sign: a broker that passes one through grants nothing.
  if (rolesClaim.startsWith('kp_')) throw new ConfigError(`OIDC_ROLES_CLAIM must name a claim of the broker, not one of ours (kp_*), got "${rolesClaim}"`);
  if (esdb && !env.PERSONAL_NUMBER_KEY) {
    // Every process must derive the same digests; a key made per process would split identities.
    throw new ConfigError('PERSONAL_NUMBER_KEY must be set when EVENTSTORE_CONNECTION_STRING is set');
  }
  const signingKeys = tokenSigningKeys(env);
  if (esdb && !signingKeys) {
    // A key per process would make each replica refuse the others' tokens.
    throw new ConfigError('TOKEN_SIGNING_KEYS or TOKEN_SIGNING_KEYS_FILE must be set when EVENTSTORE_CONNECTION_STRING is set');
  }
  return {
    production,
    port,
    host: env.HOST || '0.0.0.0',
    dataDir: resolve(env.DATA_DIR || './data'),
    backupDir: resolve(env.BACKUP_DIR || join(env.DATA_DIR || './data', 'backups')),
    eventStore: esdb ? { kind: 'esdb', connectionString: esdb } : { kind: 'embedded' },
    readStore: mongo
      ? { kind: 'mongo', uri: mongo, database: env.MONGODB_DATABASE || 'kundportal' }
      : { kind: 'embedded', cachedDocuments: int(env, 'READ_MODEL_CACHE_DOCUMENTS', DEFAULT_CACHED_DOCUMENTS, 100) },
    auth: {
      mode,
      oidcIssuer,
      oidcAudience: env.OIDC_AUDIENCE || 'kundportal',
      oidcJwksUri: url(env, 'OIDC_JWKS_URI', HTTP),
      tokenTtlSeconds,
      maxTokenAgeSeconds,
      rolesClaim,
      staffGroups: names(env, 'OIDC_STAFF_GROUPS'),
      auditorGroups: names(env, 'OIDC_AUDITOR_GROUPS'),
    },
    runProjections: bool(env, 'RUN_PROJECTIONS', true),
    projectionLeaseSeconds: int(env, 'PROJECTION_LEASE_SECONDS', 5, 2, 300),
    mail: { smtpUrl: url(env, 'SMTP_URL', ['smtp', 'smtps']), from: env.MAIL_FROM || 'Kundportal <no-reply@kundportal.local>' },
    publicBaseUrl: (url(env, 'PUBLIC_BASE_URL', HTTP) ?? `http://localhost:${port}`).replace(/\/$/, ''),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024),
    attachmentMaxBytes: int(env, 'ATTACHMENT_MAX_BYTES', 20_971_520, 1),
    personalNumberKey: env.PERSONAL_NUMBER_KEY || undefined,
    signingKeys,
    trustProxy: trustedProxies(env),
    metricsPort: env.METRICS_PORT ? int(env, 'METRICS_PORT', 0, 1, 65535) : undefined,
    publicRateLimitPerMinute: int(env, 'PUBLIC_RATE_LIMIT_PER_MINUTE', 60, 1),
    webDir: resolve(env.WEB_DIR || './dist/portal-web'),
    privateEmailDomains: env.PRIVATE_EMAIL_DOMAINS
      ? env.PRIVATE_EMAIL_DOMAINS.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean)
      : DEFAULT_PRIVATE_EMAIL_DOMAINS,
  };
}

/** TRUST_PROXY: false, a hop count, or addresses and CIDR ranges of the proxies. */
function trustedProxies(env: Env): false | number | string[] {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const ranges = raw.split(',').map((range) => range.trim()).filter(Boolean);
  for (const range of ranges) {
    const [address, prefix, ...rest] = range.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    if (family === 0 || rest.length > 0 || (prefix !== undefined && (!/^\d+$/.test(prefix) || Number(prefix) > bits))) {
      throw new ConfigError(
        `TRUST_PROXY must be false, a hop count (e.g. 1) or the proxies' addresses and CIDR ranges (e.g. 10.0.0.0/8), got "${raw}"` +
          (raw === 'true' ? ': true would let any client choose its address with X-Forwarded-For' : ''),
      );
    }
  }
  return ranges;
}

/** TOKEN_SIGNING_KEYS (a JWKS as JSON), or the file TOKEN_SIGNING_KEYS_FILE holds it in (a mounted secret). */
function tokenSigningKeys(env: Env): SigningJwk[] | undefined {
  let name = 'TOKEN_SIGNING_KEYS';
  let text = env.TOKEN_SIGNING_KEYS;
  if (!text && env.TOKEN_SIGNING_KEYS_FILE) {
    name = 'TOKEN_SIGNING_KEYS_FILE';
    try {
      text = readFileSync(env.TOKEN_SIGNING_KEYS_FILE, 'utf8');
    } catch (error) {
      throw new ConfigError(`TOKEN_SIGNING_KEYS_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): ${env.TOKEN_SIGNING_KEYS_FILE}`);
    }
  }
  if (!text) return undefined;
  const shape = `${name} must hold {"keys":[…]} with EC P-256 private keys (kty, crv, x, y, d) each with its own kid`;
  let keys: unknown;
  try {
    keys = (JSON.parse(text) as { keys?: unknown }).keys;
  } catch {
    throw new ConfigError(`${shape}; it is not JSON`);
  }
  if (!Array.isArray(keys) || keys.length === 0) throw new ConfigError(shape);
  const kids = new Set<string>();
  for (const key of keys as Array<Record<string, unknown>>) {
    const fields = ['x', 'y', 'd', 'kid'].every((field) => typeof key?.[field] === 'string' && (key[field] as string).length > 0);
    if (!fields || key.kty !== 'EC' || key.crv !== 'P-256' || kids.has(key.kid as string)) throw new ConfigError(shape);
    kids.add(key.kid as string);
  }
  return (keys as SigningJwk[]).map(({ kty, crv, x, y, d, kid }) => ({ kty, crv, x, y, d, kid }));
}
