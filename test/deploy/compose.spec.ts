/**
 * Structural checks of the deployment files, without Docker or a cluster:
 * deploy/docker-compose.yml, deploy/Dockerfile (+ .dockerignore) and deploy/k8s/*.yaml.
 *
 * When a Compose CLI is installed (`docker compose` v2, or Debian's `docker-compose` v1),
 * its offline `config` validation runs as well; otherwise that one test is skipped with a message.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { loadConfig } from '@kundportal/kernel';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = resolve(__dirname, '..', '..');
const DEPLOY = join(ROOT, 'deploy');
const COMPOSE_FILE = join(DEPLOY, 'docker-compose.yml');
const K8S_DIR = join(DEPLOY, 'k8s');

/** What a production deployment must set (see libs/kernel/src/config.ts); the API and the projector must both get each one. */
const APP_ENV = [
  'PORT',
  'HOST',
  'DATA_DIR',
  'EVENTSTORE_CONNECTION_STRING',
  'MONGODB_URI',
  'MONGODB_DATABASE',
  'AUTH_MODE',
  'OIDC_ISSUER',
  'OIDC_AUDIENCE',
  'RUN_PROJECTIONS',
  'SMTP_URL',
  'MAIL_FROM',
  'PUBLIC_BASE_URL',
  'LOG_LEVEL',
  'PERSONAL_NUMBER_KEY',
] as const;

const MONGO_MEMBERS = ['mongo1', 'mongo2', 'mongo3'] as const;

// ---------------------------------------------------------------------------------------------
// small helpers
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown, what: string): Obj {
  if (!isObj(value)) throw new Error(`${what} should be a mapping, got ${JSON.stringify(value)}`);
  return value;
}

function str(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} should be a string, got ${JSON.stringify(value)}`);
  return value;
}

function list(value: unknown, what: string): Json[] {
  if (!Array.isArray(value)) throw new Error(`${what} should be a list, got ${JSON.stringify(value)}`);
  return value as Json[];
}

/** A command in exec form (list) or shell form (string), as one string for searching. */
function commandText(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.map(String).join(' ') : String(value);
}

// ---------------------------------------------------------------------------------------------
// Compose interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}, $VAR, $$
// ---------------------------------------------------------------------------------------------

interface VariableUse {
  name: string;
  hasDefault: boolean;
}

function interpolateString(text: string, env: Record<string, string>, uses: VariableUse[]): string {
  const pattern = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;
  return text.replace(
    pattern,
    (match, dollar: string | undefined, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
      if (dollar) return '$';
      const name = braced ?? bare;
      if (!name) throw new Error(`bad interpolation ${match}`);
      const value = env[name];
      const unsetOrEmpty = value === undefined || (op?.startsWith(':') === true && value === '');
      uses.push({ name, hasDefault: op === ':-' || op === '-' });
      if (op === ':-' || op === '-') return unsetOrEmpty ? interpolateString(arg ?? '', env, uses) : (value ?? '');
      if (op === ':?' || op === '?') {
        if (unsetOrEmpty) throw new Error(`required variable ${name} is not set: ${arg}`);
        return value ?? '';
      }
      return value ?? '';
    },
  );
}

function interpolate(value: Json, env: Record<string, string>, uses: VariableUse[]): Json {
  if (typeof value === 'string') return interpolateString(value, env, uses);
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env, uses));
  if (isObj(value)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolate(v, env, uses);
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Compose model
// ---------------------------------------------------------------------------------------------

const composeText = readFileSync(COMPOSE_FILE, 'utf8');
// `merge: true` resolves YAML merge keys (`<<: *anchor`), as Compose does.
const rawCompose = obj(parse(composeText, { merge: true }), 'compose file');
const variableUses: VariableUse[] = [];
const compose = obj(interpolate(rawCompose, {}, variableUses), 'compose file');
const services = obj(compose.services, 'services');
const serviceNames = Object.keys(services);

function service(name: string): Obj {
  return obj(services[name], `services.${name}`);
}

/** Environment of a service in either the mapping or the `KEY=value` list form. */
function environmentOf(name: string): Record<string, string> {
  const env = service(name).environment;
  const out: Record<string, string> = {};
  if (env === undefined || env === null) return out;
  if (Array.isArray(env)) {
    for (const entry of env) {
      const [key, ...rest] = str(entry, `${name}.environment entry`).split('=');
      out[key] = rest.join('=');
    }
    return out;
  }
  for (const [key, value] of Object.entries(obj(env, `${name}.environment`))) {
    out[key] = value === null ? '' : String(value);
  }
  return out;
}

interface DependsOn {
  target: string;
  condition: string;
}

function dependsOn(name: string): DependsOn[] {
  const deps = service(name).depends_on;
  if (deps === undefined || deps === null) return [];
  if (Array.isArray(deps)) return deps.map((d) => ({ target: str(d, `${name}.depends_on`), condition: 'service_started' }));
  return Object.entries(obj(deps, `${name}.depends_on`)).map(([target, spec]) => ({
    target,
    condition: spec === null ? 'service_started' : str(obj(spec, `${name}.depends_on.${target}`).condition ?? 'service_started', 'condition'),
  }));
}

function replicasOf(name: string): number {
  const deploy = service(name).deploy;
  if (!isObj(deploy) || deploy.replicas === undefined) return 1;
  return Number(deploy.replicas);
}

function imageOf(name: string): string | undefined {
  const image = service(name).image;
  return typeof image === 'string' ? image : undefined;
}

interface PortMapping {
  hostIp?: string;
  published?: [number, number];
  target: [number, number];
  protocol: string;
}

function parsePortRange(text: string, what: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new Error(`${what}: "${text}" is not a port or port range`);
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  for (const p of [from, to]) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`${what}: port ${p} is out of range`);
  }
  if (to < from) throw new Error(`${what}: range ${text} is reversed`);
  return [from, to];
}

/** Short syntax `[[ip:]published:]target[/protocol]`, ports as single numbers or ranges. */
function parseShortPort(spec: string, what: string): PortMapping {
  const [address, protocol = 'tcp'] = spec.split('/');
  if (!['tcp', 'udp', 'sctp'].includes(protocol)) throw new Error(`${what}: unknown protocol ${protocol}`);
  let hostIp: string | undefined;
  let rest = address;
  const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(address);
  if (ipv6) {
    hostIp = ipv6[1];
    rest = ipv6[2];
  }
  const parts = rest.split(':');
  if (!ipv6 && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2) throw new Error(`${what}: cannot parse "${spec}"`);
  if (hostIp !== undefined && !/^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+)$/.test(hostIp)) {
    throw new Error(`${what}: "${hostIp}" is not an IP address`);
  }
  const target = parsePortRange(parts[parts.length - 1], what);
  const published = parts.length === 2 && parts[0] !== '' ? parsePortRange(parts[0], what) : undefined;
  if (published && published[0] !== published[1] && target[0] !== target[1]) {
    if (published[1] - published[0] !== target[1] - target[0]) throw new Error(`${what}: range sizes differ in "${spec}"`);
  }
  return { hostIp, published, target, protocol };
}

function portsOf(name: string): PortMapping[] {
  const ports = service(name).ports;
  if (ports === undefined || ports === null) return [];
  return list(ports, `${name}.ports`).map((p, i) => {
    const what = `services.${name}.ports[${i}]`;
    if (typeof p === 'string') return parseShortPort(p, what);
    if (isObj(p)) {
      const target = parsePortRange(String(p.target), what);
      const published = p.published === undefined ? undefined : parsePortRange(String(p.published), what);
      return { hostIp: p.host_ip === undefined ? undefined : String(p.host_ip), published, target, protocol: String(p.protocol ?? 'tcp') };
    }
    throw new Error(`${what}: a port must be a quoted string (YAML reads 3000:3000 as a base-60 number in some parsers), got ${JSON.stringify(p)}`);
  });
}

function healthcheckOf(name: string): Obj | undefined {
  const hc = service(name).healthcheck;
  return isObj(hc) ? hc : undefined;
}

// ---------------------------------------------------------------------------------------------
// .dockerignore (enough of the matching rules for this repository's patterns)
// ---------------------------------------------------------------------------------------------

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function dockerIgnored(path: string, patterns: string[]): boolean {
  let ignored = false;
  const prefixes = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = posix.normalize((negate ? raw.slice(1) : raw).replace(/^\/+/, ''));
    const re = globToRegExp(pattern);
    if (prefixes.some((p) => re.test(p))) ignored = !negate;
  }
  return ignored;
}

const dockerignorePatterns = existsSync(join(ROOT, '.dockerignore'))
  ? readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
  : [];

// =============================================================================================
// docker-compose.yml
// =============================================================================================

describe('deploy/docker-compose.yml', () => {
  it('has only known top-level keys and the expected services', () => {
    // No `name`: docker-compose 1.x (Debian's 1.29) refuses the top-level key.
    const allowed = new Set(['services', 'volumes', 'networks', 'configs', 'secrets']);
    for (const key of Object.keys(rawCompose)) {
      expect({ key, allowed: allowed.has(key) || key.startsWith('x-') }).toEqual({ key, allowed: true });
    }
    expect(rawCompose.version).toBeUndefined(); // obsolete in the Compose Specification
    expect(serviceNames).toEqual(
      expect.arrayContaining(['eventstore', ...MONGO_MEMBERS, 'mongo-init', 'mailpit', 'api', 'projector']),
    );
  });

  it('gives every ${VAR} a default, so it runs without an .env file', () => {
    const withoutDefault = variableUses.filter((u) => !u.hasDefault).map((u) => u.name);
    expect(withoutDefault).toEqual([]);
    expect(variableUses.length).toBeGreaterThan(0);
  });

  it('resolves merge keys (<<: *anchor) before checking', () => {
    expect(service('api').environment).not.toHaveProperty('<<');
    expect(service('mongo2').image).toBe('mongo:7.0');
  });

  it.each(serviceNames)('service %s has an image or a build, with a pinned tag', (name) => {
    const svc = service(name);
    expect(svc.image !== undefined || svc.build !== undefined).toBe(true);
    const image = imageOf(name);
    if (image !== undefined) {
      const tag = /^(?:[^/]+\/)*[^:/]+:([^:/@]+)$/.exec(image)?.[1];
      expect({ image, tag }).toEqual({ image, tag: expect.any(String) });
      expect(tag).not.toBe('latest');
    }
  });

  it('builds the app image from the repository root with deploy/Dockerfile', () => {
    for (const name of ['api', 'projector']) {
      const build = service(name).build;
      const spec = typeof build === 'string' ? { context: build } : obj(build, `${name}.build`);
      const context = resolve(DEPLOY, str(spec.context ?? '.', 'context'));
      const dockerfile = resolve(context, str(spec.dockerfile ?? 'Dockerfile', 'dockerfile'));
      expect(context).toBe(ROOT);
      expect(existsSync(dockerfile)).toBe(true);
      expect(dockerfile).toBe(join(DEPLOY, 'Dockerfile'));
    }
    expect(imageOf('api')).toBe(imageOf('projector'));
  });

  it('pins EventStoreDB 24.x (insecure single node) and MongoDB 7', () => {
    expect(imageOf('eventstore')).toMatch(/^(docker\.eventstore\.com\/)?eventstore\/eventstore:24\.\d+/);
    const es = environmentOf('eventstore');
    expect(es.EVENTSTORE_INSECURE).toBe('true');
    expect(es.EVENTSTORE_CLUSTER_SIZE).toBe('1');
    for (const m of [...MONGO_MEMBERS, 'mongo-init']) expect(imageOf(m)).toMatch(/^mongo:7(\.\d+)*$/);
  });

  it.each(['eventstore', ...MONGO_MEMBERS, 'mailpit', 'api', 'projector'])('service %s has a healthcheck', (name) => {
    const hc = healthcheckOf(name);
    expect(hc).toBeDefined();
    expect(hc?.disable).not.toBe(true);
    const test = hc?.test;
    const form = Array.isArray(test) ? String(test[0]) : typeof test;
    expect(['CMD', 'CMD-SHELL', 'string']).toContain(form);
    expect(commandText(test).length).toBeGreaterThan(10);
  });

  it('checks the app with deploy/healthcheck.js against /health on its PORT', () => {
    const script = readFileSync(join(DEPLOY, 'healthcheck.js'), 'utf8');
    expect(script).toMatch(/\/health/);
    expect(script).toMatch(/process\.env\.PORT/);
    for (const name of ['api', 'projector']) {
      expect(commandText(healthcheckOf(name)?.test)).toContain('deploy/healthcheck.js');
    }
  });

  it('only depends on services that exist, with valid conditions, and without cycles', () => {
    const conditions = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);
    for (const name of serviceNames) {
      for (const dep of dependsOn(name)) {
        expect({ from: name, to: dep.target, exists: serviceNames.includes(dep.target) }).toEqual({
          from: name,
          to: dep.target,
          exists: true,
        });
        expect(conditions.has(dep.condition)).toBe(true);
        if (dep.condition === 'service_healthy') expect({ target: dep.target, hc: healthcheckOf(dep.target) !== undefined }).toEqual({ target: dep.target, hc: true });
        if (dep.condition === 'service_completed_successfully') expect(String(service(dep.target).restart ?? 'no')).toBe('no');
      }
    }
    // Depth-first search for a cycle.
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, path: string[]): void => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') throw new Error(`depends_on cycle: ${[...path, name].join(' -> ')}`);
      state.set(name, 'visiting');
      for (const dep of dependsOn(name)) visit(dep.target, [...path, name]);
      state.set(name, 'done');
    };
    for (const name of serviceNames) visit(name, []);
  });

  it('starts api and projector only when the stores are healthy and the replica set is initiated', () => {
    for (const name of ['api', 'projector']) {
      const deps = Object.fromEntries(dependsOn(name).map((d) => [d.target, d.condition]));
      expect(deps).toMatchObject({
        eventstore: 'service_healthy',
        mongo1: 'service_healthy',
        mongo2: 'service_healthy',
        mongo3: 'service_healthy',
        'mongo-init': 'service_completed_successfully',
      });
    }
    expect(Object.fromEntries(dependsOn('projector').map((d) => [d.target, d.condition]))).toMatchObject({
      mailpit: 'service_healthy',
    });
  });

  it.each(['api', 'projector'])('sets every variable the app reads for %s', (name) => {
    const env = environmentOf(name);
    // Dev sign-in as shipped: the issuer is left for whoever turns OIDC on.
    const needed = APP_ENV.filter((key) => !(key === 'OIDC_ISSUER' && env.AUTH_MODE === 'dev'));
    for (const key of needed) expect({ key, set: env[key] !== undefined && env[key] !== '' }).toEqual({ key, set: true });
    expect(env.NODE_ENV).toBe('production');
    expect(env.HOST).toBe('0.0.0.0');
  });

  it('works as shipped: each app process accepts its environment (dev sign-in, named as such), with keys from the keygen volume', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kp-compose-'));
    try {
      for (const name of ['api', 'projector']) {
        const env = environmentOf(name);
        expect(env).toMatchObject({ NODE_ENV: 'production', AUTH_MODE: 'dev', ALLOW_DEV_AUTH_WITH_PRODUCTION_STORES: 'true' });
        // The keys file is made by keygen in the volume mounted at its directory.
        const keysDir = posix.dirname(env.TOKEN_SIGNING_KEYS_FILE);
        expect(list(service(name).volumes, `${name}.volumes`)).toContain(`token-keys:${keysDir}:ro`);
        const keys = join(dir, 'token-signing-keys.json');
        const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
        writeFileSync(keys, JSON.stringify({ keys: [{ ...key, kid: 'k1' }] }));
        expect(() => loadConfig({ ...env, TOKEN_SIGNING_KEYS_FILE: keys })).not.toThrow();
        // Turning OIDC on without an issuer is refused at start with a message naming it, not a crash loop.
        expect(() => loadConfig({ ...env, TOKEN_SIGNING_KEYS_FILE: keys, AUTH_MODE: 'oidc' })).toThrow(/OIDC_ISSUER/);
      }
      expect(list(service('keygen').volumes, 'keygen.volumes')).toContain('token-keys:/keys');
      expect(commandText(service('keygen').command)).toContain("'/keys/token-signing-keys.json'");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the projections in the projector only', () => {
    const api = environmentOf('api');
    const projector = environmentOf('projector');
    expect(api.RUN_PROJECTIONS).toBe('false');
    expect(projector.RUN_PROJECTIONS).toBe('true');
    expect(commandText(service('api').command)).toContain('dist/apps/portal-api/src/main.js');
    expect(commandText(service('projector').command)).toContain('dist/apps/projector/src/main.js');
    expect(api.PORT).toBe('3000');
    expect(projector.PORT).toBe('3001');
  });

  it('points the app at the compose services (EventStoreDB, replica set, SMTP catcher)', () => {
    for (const name of ['api', 'projector']) {
      const env = environmentOf(name);

      const es = new URL(env.EVENTSTORE_CONNECTION_STRING);
      expect(es.protocol).toBe('esdb:');
      expect(serviceNames).toContain(es.hostname);
      expect(es.port).toBe('2113');
      expect(es.searchParams.get('tls')).toBe('false');
      expect(Number(es.searchParams.get('keepAliveInterval'))).toBeGreaterThan(0);

      const mongo = /^mongodb:\/\/([^/]+)\/[^?]*\?(.*)$/.exec(env.MONGODB_URI);
      expect(mongo).not.toBeNull();
      const hosts = (mongo?.[1] ?? '').split(',');
      expect(hosts).toEqual(MONGO_MEMBERS.map((m) => `${m}:27017`));
      expect(new URLSearchParams(mongo?.[2]).get('replicaSet')).toBe('rs0');

      const smtp = new URL(env.SMTP_URL);
      expect(['smtp:', 'smtps:']).toContain(smtp.protocol);
      expect(serviceNames).toContain(smtp.hostname);
      expect(env.MAIL_FROM).toMatch(/@/);
    }
  });

  it('runs every MongoDB member in replica set rs0, and initiates it with all three members', () => {
    for (const m of MONGO_MEMBERS) {
      const cmd = commandText(service(m).command);
      expect(cmd).toMatch(/--replSet[ =]rs0\b/);
      expect(cmd).toContain('--bind_ip_all');
    }
    const init = serviceNames.filter((n) =>
      /rs\.initiate\(/.test(commandText(service(n).command) + ' ' + commandText(service(n).entrypoint)),
    );
    expect(init).toEqual(['mongo-init']);
    const script = commandText(service('mongo-init').entrypoint) + ' ' + commandText(service('mongo-init').command);
    expect(script).toMatch(/_id:\s*'rs0'/);
    for (const m of MONGO_MEMBERS) expect(script).toContain(`host: '${m}:27017'`);
    expect(script).toContain('NotYetInitialized'); // idempotent on restart
    expect(script).toMatch(/PRIMARY/); // waits for an elected primary
    const deps = Object.fromEntries(dependsOn('mongo-init').map((d) => [d.target, d.condition]));
    for (const m of MONGO_MEMBERS) expect(deps[m]).toBe('service_healthy');
    expect(String(service('mongo-init').restart)).toBe('no');
  });

  it('declares ports as valid strings, without host-port clashes, with room for every api replica', () => {
    const bound = new Map<string, string>();
    for (const name of serviceNames) {
      const raw = service(name).ports;
      if (Array.isArray(raw)) for (const p of raw) expect(typeof p === 'string' || isObj(p)).toBe(true);
      for (const port of portsOf(name)) {
        if (!port.published) continue;
        const size = port.published[1] - port.published[0] + 1;
        expect({ service: name, room: size >= replicasOf(name) }).toEqual({ service: name, room: true });
        for (let p = port.published[0]; p <= port.published[1]; p++) {
          const key = `${port.hostIp ?? '0.0.0.0'}:${p}/${port.protocol}`;
          expect({ key, other: bound.get(key) }).toEqual({ key, other: undefined });
          bound.set(key, name);
        }
      }
    }
    expect(replicasOf('api')).toBeGreaterThanOrEqual(2);
    expect(portsOf('api').map((p) => p.target[0])).toContain(Number(environmentOf('api').PORT));
    const exposed = list(service('projector').expose ?? [], 'expose').map(String);
    expect(exposed).toContain(environmentOf('projector').PORT);
  });

  it('rejects port specs that are not valid (self-check of the parser)', () => {
    expect(() => parseShortPort('70000:80', 'x')).toThrow(/out of range/);
    expect(() => parseShortPort('3001-3000:3000', 'x')).toThrow(/reversed/);
    expect(() => parseShortPort('a:b', 'x')).toThrow(/not a port/);
    expect(parseShortPort('127.0.0.1:8025:8025', 'x')).toEqual({ hostIp: '127.0.0.1', published: [8025, 8025], target: [8025, 8025], protocol: 'tcp' });
    expect(parseShortPort('3000-3001:3000', 'x').published).toEqual([3000, 3001]);
  });

  it('uses no host networking or other host namespaces, and runs no privileged container', () => {
    for (const name of serviceNames) {
      const svc = service(name);
      expect({ name, network_mode: svc.network_mode ?? null }).not.toEqual({ name, network_mode: 'host' });
      expect(svc.privileged ?? false).toBe(false);
      expect(svc.pid ?? null).not.toBe('host');
      expect(svc.ipc ?? null).not.toBe('host');
    }
    for (const [name, net] of Object.entries(isObj(compose.networks) ? compose.networks : {})) {
      expect({ name, driver: isObj(net) ? net.driver ?? null : null }).not.toEqual({ name, driver: 'host' });
    }
  });

  it('declares every named volume it mounts', () => {
    const declared = new Set(Object.keys(isObj(compose.volumes) ? compose.volumes : {}));
    for (const name of serviceNames) {
      for (const v of list(service(name).volumes ?? [], `${name}.volumes`)) {
        const source = typeof v === 'string' ? v.split(':')[0] : String(obj(v, 'volume').source ?? '');
        if (!source || source.startsWith('.') || source.startsWith('/') || source.startsWith('~')) continue;
        expect({ volume: source, declared: declared.has(source) }).toEqual({ volume: source, declared: true });
      }
    }
  });
});

// =============================================================================================
// Dockerfile and .dockerignore
// =============================================================================================

describe('deploy/Dockerfile', () => {
  const text = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
  // Join continuation lines and drop comments into one instruction per entry.
  const instructions = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const of = (keyword: string) => instructions.filter((i) => i.toUpperCase().startsWith(`${keyword} `));
  const stages = of('FROM');
  const runtimeStart = instructions.indexOf(stages[stages.length - 1]);
  const runtime = instructions.slice(runtimeStart);

  it('builds on node:<LTS>-bookworm and runs on node:<LTS>-bookworm-slim, a supported LTS, both pinned by digest', () => {
    expect(stages).toEqual(['FROM ${NODE_BUILD_IMAGE} AS build', 'FROM ${NODE_RUNTIME_IMAGE} AS runtime']);
    const args = Object.fromEntries(of('ARG').map((a) => a.slice(4).split('=') as [string, string]));
    const build = /^node:(\d+)-bookworm@sha256:[0-9a-f]{64}$/.exec(args.NODE_BUILD_IMAGE ?? '');
    const runtime = /^node:(\d+)-bookworm-slim@sha256:[0-9a-f]{64}$/.exec(args.NODE_RUNTIME_IMAGE ?? '');
    expect({ build: args.NODE_BUILD_IMAGE, pinned: build !== null }).toEqual({ build: args.NODE_BUILD_IMAGE, pinned: true });
    expect({ runtime: args.NODE_RUNTIME_IMAGE, pinned: runtime !== null }).toEqual({ runtime: args.NODE_RUNTIME_IMAGE, pinned: true });
    expect(build?.[1]).toBe(runtime?.[1]);
    // Even majors are the LTS lines; 20 reached its end of life in April 2026.
    expect(['22', '24']).toContain(build?.[1]);
  });

  it('installs, builds and prunes in the build stage, with the tools for better-sqlite3', () => {
    const build = instructions.slice(0, runtimeStart).join('\n');
    expect(build).toMatch(/apt-get install[^\n]*python3[^\n]*make[^\n]*g\+\+/);
    expect(build).toMatch(/RUN [^\n]*npm ci\b/);
    expect(build).toMatch(/RUN [^\n]*npm run build\b/);
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(build.indexOf('npm ci')).toBeLessThan(build.indexOf('npm run build'));
    expect(build.indexOf('npm run build')).toBeLessThan(build.indexOf('npm prune'));
  });

  it('runs as a non-root user in production mode, with a HEALTHCHECK and the API as default command', () => {
    const users = runtime.filter((i) => /^USER /i.test(i)).map((i) => i.slice(5).trim());
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0', '0:0']).not.toContain(users[users.length - 1]);
    expect(runtime.join('\n')).toMatch(/NODE_ENV=production/);
    expect(runtime.join('\n')).toMatch(/HEALTHCHECK [^\n]*CMD \["node", "deploy\/healthcheck\.js"\]/);
    const cmd = runtime.filter((i) => /^CMD /i.test(i));
    expect(cmd).toEqual(['CMD ["node", "dist/apps/portal-api/src/main.js"]']);
    // The runtime stage must not carry compilers.
    expect(runtime.join('\n')).not.toMatch(/\bg\+\+|build-essential/);
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const copies = instructions.filter((i) => /^COPY /i.test(i) && !/--from=/i.test(i));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const args = copy
        .slice(5)
        .trim()
        .split(/\s+/)
        .filter((a) => !a.startsWith('--'));
      for (const source of args.slice(0, -1)) {
        expect({ source, exists: existsSync(join(ROOT, source)) || ['apps', 'libs'].includes(source) }).toEqual({
          source,
          exists: true,
        });
        expect({ source, ignored: dockerIgnored(source, dockerignorePatterns) }).toEqual({ source, ignored: false });
      }
    }
  });

  it('keeps node_modules, dist, .git and local data out of the build context', () => {
    for (const path of ['node_modules', 'libs/kernel/node_modules/x', 'dist/apps/portal-api/src/main.js', '.git/HEAD', 'data/events.db', 'test/deploy/compose.spec.ts']) {
      expect({ path, ignored: dockerIgnored(path, dockerignorePatterns) }).toEqual({ path, ignored: true });
    }
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.build.json', 'libs/kernel/src/index.ts', 'apps/portal-api/src/main.ts', 'deploy/Dockerfile', 'deploy/healthcheck.js']) {
      expect({ path, ignored: dockerIgnored(path, dockerignorePatterns) }).toEqual({ path, ignored: false });
    }
  });
});

// =============================================================================================
// Kubernetes manifests
// =============================================================================================

interface Manifest {
  file: string;
  doc: Obj;
}

const KNOWN_KINDS: Record<string, string> = {
  Namespace: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  Kustomization: 'kustomize.config.k8s.io/v1beta1',
};

const manifestFiles = readdirSync(K8S_DIR).filter((f) => /\.ya?ml$/.test(f) && statSync(join(K8S_DIR, f)).isFile());
const manifests: Manifest[] = manifestFiles.flatMap((file) =>
  parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = document.toJS();
    return value === null || value === undefined ? [] : [{ file, doc: obj(value, file) }];
  }),
);
const resources = manifests.filter((m) => m.doc.kind !== 'Kustomization');
const byKind = (kind: string) => resources.filter((m) => m.doc.kind === kind);
const named = (kind: string, name: string) =>
  byKind(kind).find((m) => obj(m.doc.metadata, 'metadata').name === name)?.doc;

function containersOf(deployment: Obj): Obj[] {
  const spec = obj(obj(obj(deployment.spec, 'spec').template, 'template').spec, 'pod spec');
  return list(spec.containers, 'containers').map((c) => obj(c, 'container'));
}

function containerEnv(container: Obj): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of list(container.env ?? [], 'env')) {
    const entry = obj(e, 'env entry');
    out[str(entry.name, 'env name')] = String(entry.value ?? '');
  }
  return out;
}

describe('deploy/k8s manifests', () => {
  it('parse, and every document has a known kind with its apiVersion and a name', () => {
    expect(manifestFiles.length).toBeGreaterThan(0);
    for (const { file, doc } of manifests) {
      const kind = str(doc.kind, `${file} kind`);
      expect({ file, kind, apiVersion: doc.apiVersion }).toEqual({ file, kind, apiVersion: KNOWN_KINDS[kind] });
      if (kind !== 'Kustomization') expect(str(obj(doc.metadata, `${file} metadata`).name, `${file} name`)).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
    const names = resources.map((m) => `${String(m.doc.kind)}/${String(obj(m.doc.metadata, 'metadata').name)}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has Deployments for api and projector and a Service for the api', () => {
    expect(named('Deployment', 'kundportal-api')).toBeDefined();
    expect(named('Deployment', 'kundportal-projector')).toBeDefined();
    expect(named('Service', 'kundportal-api')).toBeDefined();
    expect(named('ConfigMap', 'kundportal-config')).toBeDefined();
    expect(named('Secret', 'kundportal-secrets')).toBeDefined();
  });

  it.each(['kundportal-api', 'kundportal-projector'])('%s: selector matches the pod labels', (name) => {
    const d = obj(named('Deployment', name), name);
    const spec = obj(d.spec, 'spec');
    const match = obj(obj(spec.selector, 'selector').matchLabels, 'matchLabels');
    const labels = obj(obj(obj(spec.template, 'template').metadata, 'template metadata').labels, 'labels');
    expect(labels).toMatchObject(match);
  });

  it.each(['kundportal-api', 'kundportal-projector'])('%s: liveness on /health/live (the process), readiness on /health/ready (the stores), at a declared port', (name) => {
    for (const c of containersOf(obj(named('Deployment', name), name))) {
      expect(typeof c.image).toBe('string');
      const ports = list(c.ports ?? [], 'ports').map((p) => obj(p, 'port'));
      const portNames = ports.map((p) => p.name);
      const portNumbers = ports.map((p) => p.containerPort);
      // A store outage must take pods out of the Service, not restart every one of them.
      for (const [probe, path] of [['readinessProbe', '/health/ready'], ['livenessProbe', '/health/live'], ['startupProbe', '/health/live']]) {
        const httpGet = obj(obj(c[probe], `${name} ${probe}`).httpGet, `${name} ${probe}.httpGet`);
        expect({ probe, path: httpGet.path }).toEqual({ probe, path });
        const port = httpGet.port;
        expect(typeof port === 'string' ? portNames.includes(port) : portNumbers.includes(port)).toBe(true);
      }
      const env = containerEnv(c);
      const containerPort = ports.find((p) => p.name === 'http')?.containerPort;
      expect(String(containerPort)).toBe(env.PORT);
    }
  });

  it.each([
    ['kundportal-api', 'false', 'dist/apps/portal-api/src/main.js'],
    ['kundportal-projector', 'true', 'dist/apps/projector/src/main.js'],
  ])('%s: gets every app variable (RUN_PROJECTIONS=%s) and runs %s as non-root', (name, runProjections, entry) => {
    const d = obj(named('Deployment', name), name);
    const podSpec = obj(obj(obj(d.spec, 'spec').template, 'template').spec, 'pod spec');
    expect(obj(podSpec.securityContext, 'securityContext').runAsNonRoot).toBe(true);
    for (const c of containersOf(d)) {
      const keys = new Set(Object.keys(containerEnv(c)));
      for (const from of list(c.envFrom ?? [], 'envFrom').map((e) => obj(e, 'envFrom'))) {
        const ref = isObj(from.configMapRef) ? { kind: 'ConfigMap', ref: from.configMapRef } : { kind: 'Secret', ref: obj(from.secretRef, 'secretRef') };
        const target = named(ref.kind, str(ref.ref.name, 'ref name'));
        expect({ ref: ref.ref.name, exists: target !== undefined }).toEqual({ ref: ref.ref.name, exists: true });
        const data = { ...(isObj(target?.data) ? target.data : {}), ...(isObj(target?.stringData) ? target.stringData : {}) };
        for (const key of Object.keys(data)) keys.add(key);
      }
      for (const key of APP_ENV) expect({ key, set: keys.has(key) }).toEqual({ key, set: true });
      expect(containerEnv(c).RUN_PROJECTIONS).toBe(runProjections);
      expect(commandText(c.command)).toContain(entry);
    }
  });

  it('runs two projector pods (leases keep each projection in one) and replaces them one at a time', () => {
    const spec = obj(obj(named('Deployment', 'kundportal-projector'), 'projector').spec, 'spec');
    expect(spec.replicas).toBe(2);
    const strategy = obj(spec.strategy, 'strategy');
    expect(strategy.type).toBe('RollingUpdate');
    expect(obj(strategy.rollingUpdate, 'rollingUpdate')).toMatchObject({ maxUnavailable: 0, maxSurge: 1 });
  });

  it('routes the api Service to the api pods and a named container port', () => {
    const svc = obj(obj(named('Service', 'kundportal-api'), 'service').spec, 'service spec');
    const selector = obj(svc.selector, 'selector');
    const api = obj(named('Deployment', 'kundportal-api'), 'api');
    const labels = obj(obj(obj(obj(api.spec, 'spec').template, 'template').metadata, 'metadata').labels, 'labels');
    expect(labels).toMatchObject(selector);
    const containerPorts = containersOf(api).flatMap((c) => list(c.ports ?? [], 'ports').map((p) => obj(p, 'port')));
    for (const p of list(svc.ports, 'service ports').map((x) => obj(x, 'service port'))) {
      const target = p.targetPort ?? p.port;
      expect(containerPorts.some((cp) => cp.name === target || cp.containerPort === target)).toBe(true);
    }
  });

  it('lists every manifest in kustomization.yaml except the *.example.yaml ones', () => {
    const kustomization = manifests.find((m) => m.doc.kind === 'Kustomization');
    expect(kustomization).toBeDefined();
    const listed = list(kustomization?.doc.resources, 'resources').map(String).sort();
    const files = manifestFiles.filter((f) => f !== kustomization?.file && !f.endsWith('.example.yaml')).sort();
    expect(listed).toEqual(files);
  });

  it('keeps credentials out of the ConfigMap and the placeholder Secret out of `kubectl apply -k`', () => {
    const configKeys = Object.keys(obj(obj(named('ConfigMap', 'kundportal-config'), 'config').data, 'data'));
    for (const key of ['EVENTSTORE_CONNECTION_STRING', 'MONGODB_URI', 'SMTP_URL']) expect(configKeys).not.toContain(key);
    const secretFiles = manifests.filter((m) => m.doc.kind === 'Secret').map((m) => m.file);
    for (const file of secretFiles) expect(file).toMatch(/\.example\.yaml$/);
  });
});

// =============================================================================================
// Optional: the Compose CLI's own validation, when one is installed (it needs no daemon)
// =============================================================================================

interface ComposeCli {
  command: string;
  args: string[];
  label: string;
  v1: boolean;
}

function findComposeCli(): ComposeCli | undefined {
  const v2 = spawnSync('docker', ['compose', 'version', '--short'], { encoding: 'utf8', timeout: 15_000 });
  if (v2.status === 0) return { command: 'docker', args: ['compose'], label: `docker compose ${v2.stdout.trim()}`, v1: false };
  const standalone = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8', timeout: 15_000 });
  if (standalone.status === 0) {
    const version = standalone.stdout.trim();
    return { command: 'docker-compose', args: [], label: `docker-compose ${version}`, v1: version.startsWith('1.') };
  }
  return undefined;
}

const composeCli = findComposeCli();
if (!composeCli) {
  // eslint-disable-next-line no-console
  console.info(
    'compose.spec: neither `docker compose` nor `docker-compose` is installed; skipping the CLI validation ' +
      '(the structural checks above still ran). Install one (e.g. `apt-get install docker-compose`) to run it.',
  );
}

describe('deploy/docker-compose.yml with the Compose CLI', () => {
  (composeCli ? it : it.skip)(`is accepted by \`${composeCli?.label ?? 'compose'} config\``, () => {
    const cli = composeCli as ComposeCli;
    // The file as shipped, for docker-compose 1.x and Compose v2 alike.
    const text = composeText;
    const result = spawnSync(
      cli.command,
      [...cli.args, '--project-name', 'kundportal', '--project-directory', DEPLOY, '-f', '-', 'config', '--quiet'],
      { input: text, encoding: 'utf8', timeout: 60_000, cwd: DEPLOY },
    );
    expect({ status: result.status, stderr: result.stderr.trim() }).toEqual({ status: 0, stderr: expect.any(String) });
  });
});
