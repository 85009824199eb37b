import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppConfig, CONFIG_VARIABLES, ConfigError, DEFAULT_PRIVATE_EMAIL_DOMAINS, loadConfig, OTHER_VARIABLES, unknownVariableWarnings } from './config';

type Env = Record<string, string | undefined>;

/** Runs loadConfig and returns the ConfigError it throws, failing when it throws nothing or something else. */
function configError(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

const ESDB = 'esdb://localhost:2113?tls=false';
const KEY = { ...(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as object), kid: 'key-1' };
const KEYS = JSON.stringify({ keys: [KEY] });
/** A production deployment names its sign-in. */
const OIDC: Env = { AUTH_MODE: 'oidc', OIDC_ISSUER: 'https://idp.example.se' };

describe('loadConfig', () => {
  describe('defaults (empty environment)', () => {
    const config = loadConfig({});

    it('embedded stores, dev sign-in, projections in process', () => {
      const expected: AppConfig = {
        production: false,
        port: 3000,
        host: '0.0.0.0',
        dataDir: resolve('./data'),
        backupDir: resolve('./data/backups'),
        eventStore: { kind: 'embedded' },
        readStore: { kind: 'embedded', cachedDocuments: 30_000 },
        auth: { mode: 'dev', oidcIssuer: undefined, oidcAudience: 'kundportal', oidcJwksUri: undefined, tokenTtlSeconds: 3600,
          maxTokenAgeSeconds: 43_200, rolesClaim: 'groups', staffGroups: [], auditorGroups: [],
        },
        runProjections: true,
        projectionLeaseSeconds: 5,
        mail: { smtpUrl: undefined, from: 'Kundportal <no-reply@kundportal.local>' },
        publicBaseUrl: 'http://localhost:3000',
        logLevel: 'info',
        bodyLimitBytes: 1_048_576,
        attachmentMaxBytes: 20_971_520,
        personalNumberKey: undefined,
        privateEmailDomains: DEFAULT_PRIVATE_EMAIL_DOMAINS,
        trustProxy: false,
        publicRateLimitPerMinute: 60,
        webDir: resolve('./dist/portal-web'),
      };
      expect(config).toEqual(expected);
    });

    it('treats empty strings as unset', () => {
      const blank: Env = {};
      for (const name of [
        'PORT', 'HOST', 'DATA_DIR', 'EVENTSTORE_CONNECTION_STRING', 'MONGODB_URI', 'MONGODB_DATABASE', 'AUTH_MODE',
        'OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_JWKS_URI', 'TOKEN_TTL_SECONDS', 'RUN_PROJECTIONS', 'SMTP_URL', 'MAIL_FROM',
        'PUBLIC_BASE_URL', 'LOG_LEVEL', 'BODY_LIMIT_BYTES', 'ATTACHMENT_MAX_BYTES', 'PERSONAL_NUMBER_KEY',
      ]) {
        blank[name] = '';
      }
      expect(loadConfig(blank)).toEqual(config);
    });

    it('reads process.env when no environment is passed', () => {
      const restore = jest.replaceProperty(process, 'env', { PORT: '4321' });
      try {
        expect(loadConfig().port).toBe(4321);
      } finally {
        restore.restore();
      }
    });
  });

  describe('each variable', () => {
    it('PORT', () => {
      expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
      expect(loadConfig({ PORT: '0' }).port).toBe(0);
    });

    it('HOST', () => {
      expect(loadConfig({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    });

    it('DATA_DIR, made absolute', () => {
      expect(loadConfig({ DATA_DIR: '/var/lib/kundportal' }).dataDir).toBe('/var/lib/kundportal');
      expect(loadConfig({ DATA_DIR: 'tmp/data' }).dataDir).toBe(resolve('tmp/data'));
    });

    it('EVENTSTORE_CONNECTION_STRING selects EventStoreDB (with PERSONAL_NUMBER_KEY)', () => {
      const config = loadConfig({ ...OIDC, EVENTSTORE_CONNECTION_STRING: ESDB, PERSONAL_NUMBER_KEY: 'k'.repeat(64), TOKEN_SIGNING_KEYS: KEYS });
      expect(config.eventStore).toEqual({ kind: 'esdb', connectionString: ESDB });
      expect(config.personalNumberKey).toBe('k'.repeat(64));
    });

    it('PERSONAL_NUMBER_KEY is kept on its own too', () => {
      expect(loadConfig({ PERSONAL_NUMBER_KEY: 'secret' }).personalNumberKey).toBe('secret');
    });

    it.each([
      ['esdb://es1:2113,es2:2113,es3:2113?tls=true', true],
      ['esdb+discover://cluster.example.se:2113', true],
      ['es1:2113', false],
      ['http://es1:2113', false],
      ['esdb:es1', false],
    ])('EVENTSTORE_CONNECTION_STRING=%p is checked at start (accepted: %p)', (value, accepted) => {
      const env = { ...OIDC, EVENTSTORE_CONNECTION_STRING: value, PERSONAL_NUMBER_KEY: 'k', TOKEN_SIGNING_KEYS: KEYS };
      if (accepted) expect(loadConfig(env).eventStore).toEqual({ kind: 'esdb', connectionString: value });
      else expect(configError(env).message).toContain('EVENTSTORE_CONNECTION_STRING must be');
    });

    it('MONGODB_URI may list the members of a replica set (not a WHATWG URL)', () => {
      const uri = 'mongodb://mongo1:27017,mongo2:27017,mongo3:27017/?replicaSet=rs0';
      expect(loadConfig({ ...OIDC, MONGODB_URI: uri }).readStore).toMatchObject({ kind: 'mongo', uri });
    });

    it('MONGODB_URI selects MongoDB, MONGODB_DATABASE names the database', () => {
      expect(loadConfig({ ...OIDC, MONGODB_URI: 'mongodb://db:27017' }).readStore).toEqual({
        kind: 'mongo',
        uri: 'mongodb://db:27017',
        database: 'kundportal',
      });
      expect(loadConfig({ ...OIDC, MONGODB_URI: 'mongodb+srv://cluster.example.net', MONGODB_DATABASE: 'portal' }).readStore).toEqual({
        kind: 'mongo',
        uri: 'mongodb+srv://cluster.example.net',
        database: 'portal',
      });
    });

    it('MONGODB_DATABASE alone keeps the embedded read store', () => {
      expect(loadConfig({ MONGODB_DATABASE: 'portal' }).readStore).toEqual({ kind: 'embedded', cachedDocuments: 30_000 });
      expect(loadConfig({ READ_MODEL_CACHE_DOCUMENTS: '2000' }).readStore).toEqual({ kind: 'embedded', cachedDocuments: 2000 });
      expect(() => loadConfig({ READ_MODEL_CACHE_DOCUMENTS: '10' })).toThrow(/READ_MODEL_CACHE_DOCUMENTS must be an integer from 100/);
    });

    it('OIDC_ISSUER, OIDC_AUDIENCE, OIDC_JWKS_URI', () => {
      const config = loadConfig({
        OIDC_ISSUER: 'https://idp.example.se/realms/kund',
        OIDC_AUDIENCE: 'portal-api',
        OIDC_JWKS_URI: 'https://idp.example.se/realms/kund/certs',
      });
      expect(config.auth).toEqual({
        mode: 'oidc',
        oidcIssuer: 'https://idp.example.se/realms/kund',
        oidcAudience: 'portal-api',
        oidcJwksUri: 'https://idp.example.se/realms/kund/certs',
        tokenTtlSeconds: 3600,
        maxTokenAgeSeconds: 43_200,
        rolesClaim: 'groups',
        staffGroups: [],
        auditorGroups: [],
      });
    });

    it('TOKEN_TTL_SECONDS, at least 60', () => {
      expect(loadConfig({ TOKEN_TTL_SECONDS: '60' }).auth.tokenTtlSeconds).toBe(60);
      expect(loadConfig({ TOKEN_TTL_SECONDS: '900' }).auth.tokenTtlSeconds).toBe(900);
    });

    it.each([
      ['true', true],
      ['1', true],
      ['false', false],
      ['0', false],
    ])('RUN_PROJECTIONS=%p', (raw, expected) => {
      expect(loadConfig({ RUN_PROJECTIONS: raw }).runProjections).toBe(expected);
    });

    it('SMTP_URL and MAIL_FROM', () => {
      expect(loadConfig({ SMTP_URL: 'smtp://mail:1025', MAIL_FROM: 'Portal <portal@example.se>' }).mail).toEqual({
        smtpUrl: 'smtp://mail:1025',
        from: 'Portal <portal@example.se>',
      });
    });

    it('PUBLIC_BASE_URL, without a trailing slash', () => {
      expect(loadConfig({ PUBLIC_BASE_URL: 'https://kundportal.example.se' }).publicBaseUrl).toBe('https://kundportal.example.se');
      expect(loadConfig({ PUBLIC_BASE_URL: 'https://kundportal.example.se/' }).publicBaseUrl).toBe('https://kundportal.example.se');
      expect(loadConfig({ PUBLIC_BASE_URL: 'https://example.se/portal/' }).publicBaseUrl).toBe('https://example.se/portal');
    });

    it('PUBLIC_BASE_URL defaults to localhost on PORT', () => {
      expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
    });

    it.each(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])('LOG_LEVEL=%p', (level) => {
      expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
    });

    it('BODY_LIMIT_BYTES, at least 1024', () => {
      expect(loadConfig({ BODY_LIMIT_BYTES: '1024' }).bodyLimitBytes).toBe(1024);
      expect(loadConfig({ BODY_LIMIT_BYTES: '5242880' }).bodyLimitBytes).toBe(5_242_880);
    });

    it('ATTACHMENT_MAX_BYTES, at least 1', () => {
      expect(loadConfig({ ATTACHMENT_MAX_BYTES: '1' }).attachmentMaxBytes).toBe(1);
      expect(loadConfig({ ATTACHMENT_MAX_BYTES: '104857600' }).attachmentMaxBytes).toBe(104_857_600);
    });
  });

  describe('bad values throw ConfigError naming the variable', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '-1'],
      ['PORT', '80.5'],
      ['PORT', ' 80'],
      ['PORT', '1e3'],
      ['TOKEN_TTL_SECONDS', '59'],
      ['TOKEN_TTL_SECONDS', '1h'],
      ['BODY_LIMIT_BYTES', '1023'],
      ['BODY_LIMIT_BYTES', '1mb'],
      ['ATTACHMENT_MAX_BYTES', '0'],
      ['ATTACHMENT_MAX_BYTES', '20MiB'],
      ['RUN_PROJECTIONS', 'yes'],
      ['RUN_PROJECTIONS', 'TRUE'],
      ['LOG_LEVEL', 'verbose'],
      ['LOG_LEVEL', 'INFO'],
      ['AUTH_MODE', 'saml'],
      ['OIDC_ISSUER', 'not a url'],
      ['OIDC_JWKS_URI', 'certs.json'],
      ['MONGODB_URI', 'not a url'],
      ['SMTP_URL', 'mail server'],
      ['PUBLIC_BASE_URL', '/portal'],
    ])('%s=%p', (name, value) => {
      expect(configError({ [name]: value }).message).toContain(name);
    });

    it('PORT above 65535', () => {
      expect(configError({ PORT: '65536' }).message).toContain('PORT');
    });

    // `host:port` parses as a URL whose scheme is the host name, so a check that only asks
    // `new URL()` lets it through; the mistake then shows up later, far from the variable.
    it.each([
      ['MONGODB_URI', 'localhost:27017'],
      ['PUBLIC_BASE_URL', 'localhost:3000'],
      ['OIDC_ISSUER', 'idp.example.se:443'],
    ])('%s=%p (host:port without a scheme)', (name, value) => {
      expect(configError({ [name]: value }).message).toContain(name);
    });
  });

  describe('AUTH_MODE', () => {
    it('defaults to dev without OIDC_ISSUER', () => {
      expect(loadConfig({}).auth.mode).toBe('dev');
    });

    it('defaults to oidc with OIDC_ISSUER', () => {
      expect(loadConfig({ OIDC_ISSUER: 'https://idp.example.se' }).auth.mode).toBe('oidc');
    });

    it('dev may be chosen explicitly though an issuer is set', () => {
      expect(loadConfig({ AUTH_MODE: 'dev', OIDC_ISSUER: 'https://idp.example.se' }).auth.mode).toBe('dev');
    });

    it('oidc without OIDC_ISSUER is refused, naming both variables', () => {
      const { message } = configError({ AUTH_MODE: 'oidc' });
      expect(message).toContain('AUTH_MODE');
      expect(message).toContain('OIDC_ISSUER');
    });
  });

  describe('TRUST_PROXY', () => {
    it('is off by default, or with false or 0', () => {
      for (const TRUST_PROXY of [undefined, '', 'false', '0']) expect(loadConfig({ TRUST_PROXY }).trustProxy).toBe(false);
    });

    it('takes a hop count, or the proxies\' addresses and CIDR ranges', () => {
      expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
      expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.4,fd00::/8' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.4', 'fd00::/8']);
    });

    it.each(['true', 'yes', '10.0.0.0/33', 'ingress.local', '10.0.0.0/8/1', '10.0.0.0/x'])('refuses %p, naming the variable', (value) => {
      expect(configError({ TRUST_PROXY: value }).message).toContain('TRUST_PROXY');
    });

    it('says why true is refused', () => {
      expect(configError({ TRUST_PROXY: 'true' }).message).toContain('any client choose its address');
    });
  });

  describe('token checks', () => {
    it('TOKEN_MAX_AGE_SECONDS is at least TOKEN_TTL_SECONDS', () => {
      expect(loadConfig({ TOKEN_MAX_AGE_SECONDS: '7200' }).auth.maxTokenAgeSeconds).toBe(7200);
      expect(configError({ TOKEN_TTL_SECONDS: '7200', TOKEN_MAX_AGE_SECONDS: '3600' }).message).toContain('TOKEN_MAX_AGE_SECONDS');
    });

    it('the broker groups that make staff and auditors, as lists', () => {
      const { auth } = loadConfig({ ...OIDC, OIDC_ROLES_CLAIM: 'roles', OIDC_STAFF_GROUPS: ' kundtjanst , drift ', OIDC_AUDITOR_GROUPS: 'revision' });
      expect(auth).toMatchObject({ rolesClaim: 'roles', staffGroups: ['kundtjanst', 'drift'], auditorGroups: ['revision'] });
    });

    it('OIDC_ROLES_CLAIM may not name one of our own claims', () => {
      expect(configError({ ...OIDC, OIDC_ROLES_CLAIM: 'kp_staff' }).message).toContain('OIDC_ROLES_CLAIM');
    });
  });

  describe('production (NODE_ENV=production or a shared store)', () => {
    const MONGO = 'mongodb://db:27017';

    it.each([
      ['NODE_ENV=production', { NODE_ENV: 'production' }],
      ['EventStoreDB', { EVENTSTORE_CONNECTION_STRING: ESDB, PERSONAL_NUMBER_KEY: 'k' }],
      ['MongoDB', { MONGODB_URI: MONGO }],
      ['NODE_ENV=production with an issuer', { NODE_ENV: 'production', OIDC_ISSUER: 'https://idp.example.se' }],
    ])('%s without AUTH_MODE is refused, naming AUTH_MODE', (_name, env: Env) => {
      expect(configError(env).message).toContain('AUTH_MODE must be set');
    });

    it('NODE_ENV=production with AUTH_MODE set starts, and says it is production', () => {
      expect(loadConfig({ NODE_ENV: 'production', ...OIDC })).toMatchObject({ production: true, auth: { mode: 'oidc' } });
      expect(loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'dev' })).toMatchObject({ production: true, auth: { mode: 'dev' } });
      expect(loadConfig({ NODE_ENV: 'test' }).production).toBe(false);
    });

    it.each([
      ['EventStoreDB', { EVENTSTORE_CONNECTION_STRING: ESDB, PERSONAL_NUMBER_KEY: 'k', TOKEN_SIGNING_KEYS: KEYS }],
      ['MongoDB', { MONGODB_URI: MONGO }],
    ])('dev sign-in with %s is refused unless ALLOW_DEV_AUTH_WITH_PRODUCTION_STORES=true', (_name, env: Env) => {
      expect(configError({ ...env, AUTH_MODE: 'dev' }).message).toContain('ALLOW_DEV_AUTH_WITH_PRODUCTION_STORES');
      expect(configError({ ...env, AUTH_MODE: 'dev', ALLOW_DEV_AUTH_WITH_PRODUCTION_STORES: 'false' }).message).toContain('ALLOW_DEV_AUTH');
      const allowed = loadConfig({ ...env, AUTH_MODE: 'dev', ALLOW_DEV_AUTH_WITH_PRODUCTION_STORES: 'true' });
      expect(allowed).toMatchObject({ production: true, auth: { mode: 'dev' } });
    });
  });

  describe('TOKEN_SIGNING_KEYS', () => {
    it('is read from the variable or from a mounted file, the first key signing', () => {
      const second = { ...KEY, kid: 'key-0' };
      expect(loadConfig({ TOKEN_SIGNING_KEYS: JSON.stringify({ keys: [KEY, second] }) }).signingKeys?.map((k) => k.kid)).toEqual(['key-1', 'key-0']);
      const dir = mkdtempSync(join(tmpdir(), 'kp-keys-'));
      try {
        writeFileSync(join(dir, 'keys.json'), KEYS);
        expect(loadConfig({ TOKEN_SIGNING_KEYS_FILE: join(dir, 'keys.json') }).signingKeys).toEqual([KEY]);
        expect(configError({ TOKEN_SIGNING_KEYS_FILE: join(dir, 'missing.json') }).message).toContain('TOKEN_SIGNING_KEYS_FILE cannot be read (ENOENT)');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it.each([
      ['not JSON', 'k1'],
      ['no keys', '{"keys":[]}'],
      ['a public key only', JSON.stringify({ keys: [{ ...KEY, d: undefined }] })],
      ['no kid', JSON.stringify({ keys: [{ ...KEY, kid: undefined }] })],
      ['an RSA key', JSON.stringify({ keys: [{ ...KEY, kty: 'RSA' }] })],
      ['two keys with one kid', JSON.stringify({ keys: [KEY, KEY] })],
    ])('refuses %s, naming the variable', (_what, value) => {
      expect(configError({ TOKEN_SIGNING_KEYS: value }).message).toContain('TOKEN_SIGNING_KEYS');
    });

    it('is required with EventStoreDB, so every replica accepts the others\' tokens', () => {
      expect(configError({ ...OIDC, EVENTSTORE_CONNECTION_STRING: ESDB, PERSONAL_NUMBER_KEY: 'k' }).message).toContain('TOKEN_SIGNING_KEYS');
    });
  });

  describe('PERSONAL_NUMBER_KEY with EVENTSTORE_CONNECTION_STRING', () => {
    it('is required, so every process derives the same digests', () => {
      expect(configError({ ...OIDC, EVENTSTORE_CONNECTION_STRING: ESDB }).message).toContain('PERSONAL_NUMBER_KEY');
      expect(configError({ ...OIDC, EVENTSTORE_CONNECTION_STRING: ESDB, PERSONAL_NUMBER_KEY: '' }).message).toContain('PERSONAL_NUMBER_KEY');
    });

    it('is optional with the embedded event store (kept in DATA_DIR instead)', () => {
      expect(loadConfig({}).personalNumberKey).toBeUndefined();
    });
  });
});

describe('unknownVariableWarnings', () => {
  it('names a misspelt variable with one of our prefixes, and the one it most likely meant', () => {
    expect(unknownVariableWarnings({ MONGO_URI: 'mongodb://db', OIDC_ISSUR: 'x', EVENTSTORE_URL: 'esdb://x', PATH: '/bin', MONGODB_URI: 'mongodb://db' })).toEqual([
      'EVENTSTORE_URL is not a setting of this service and is ignored',
      'MONGO_URI is not a setting of this service and is ignored; did you mean MONGODB_URI?',
      'OIDC_ISSUR is not a setting of this service and is ignored',
    ]);
  });

  it('says nothing about the variables we read, nor about others', () => {
    const env = Object.fromEntries([...CONFIG_VARIABLES, ...OTHER_VARIABLES, 'PATH', 'HOME', 'NODE_OPTIONS'].map((name) => [name, 'x']));
    expect(unknownVariableWarnings(env)).toEqual([]);
  });
});

describe('CONFIG_VARIABLES', () => {
  const source = readFileSync(join(__dirname, 'config.ts'), 'utf8');
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

  it('names every variable loadConfig reads, and the README documents each', () => {
    const body = source.slice(source.indexOf('export function loadConfig'));
    const read = new Set([...body.matchAll(/env\.([A-Z_]+)|env, '([A-Z_]+)'/g)].map((m) => m[1] ?? m[2]));
    expect([...read].sort()).toEqual([...CONFIG_VARIABLES].sort());
    for (const name of [...CONFIG_VARIABLES, ...OTHER_VARIABLES]) expect({ name, documented: readme.includes(`\`${name}\``) }).toEqual({ name, documented: true });
  });
});

describe('PRIVATE_EMAIL_DOMAINS', () => {
  it('replaces the built-in list, lower-cased and trimmed', () => {
    expect(loadConfig({ PRIVATE_EMAIL_DOMAINS: ' Gmail.com, example.org ,' }).privateEmailDomains).toEqual(['gmail.com', 'example.org']);
    expect(loadConfig({}).privateEmailDomains).toContain('hotmail.com');
  });
});
