/**
 * A small seeded HTTP fuzzer driven by the OpenAPI document: operations, values built from each
 * operation's request schema, hostile mutations of them, and the checks every answer must pass.
 * Everything random comes from one seeded generator, so a seed names the same requests again.
 */

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: small, fast, good enough to pick test cases; the same seed gives the same stream. */
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Up to `max` distinct items, at least one. */
  some<T>(items: readonly T[], max = items.length): T[] {
    const copy = [...items];
    const count = this.int(1, Math.min(max, copy.length));
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(copy.splice(this.int(0, copy.length - 1), 1)[0]);
    return out;
  }

  hex(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += '0123456789abcdef'[this.int(0, 15)];
    return s;
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** A valid personnummer (YYYYMMDDNNNC) from the seeded stream. */
export function personalNumber(rng: Rng): string {
  const year = rng.int(1940, 1999);
  const month = String(rng.int(1, 12)).padStart(2, '0');
  const day = String(rng.int(1, 28)).padStart(2, '0');
  const birth = String(rng.int(0, 999)).padStart(3, '0');
  const nine = `${String(year).slice(2)}${month}${day}${birth}`;
  return `${year}${month}${day}${birth}${luhnDigit(nine)}`;
}

/** A valid organisationsnummer (NNNNNN-NNNN, third digit 2) from the seeded stream. */
export function organisationNumber(rng: Rng): string {
  const body = `212${String(rng.int(0, 999_999)).padStart(6, '0')}`;
  return `${body.slice(0, 6)}-${body.slice(6)}${luhnDigit(body)}`;
}

// ---------------------------------------------------------------------------------------------
// The OpenAPI document
// ---------------------------------------------------------------------------------------------

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  nullable?: boolean;
  maximum?: number;
  minimum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  description?: string;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As written in the document, e.g. `/tickets/{id}/messages`. */
  path: string;
  pathParams: string[];
  query: Array<{ name: string; required: boolean; schema: Schema }>;
  /** The JSON request schema, resolved; undefined when the operation takes no JSON body. */
  body?: Schema;
  /** The request content type the document names (`application/json`, `multipart/form-data`). */
  contentType?: string;
}

/** Every operation of the document, with `$ref`s resolved. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const schemas = doc.components?.schemas ?? {};
  const resolve = (schema: Schema | undefined, depth = 0): Schema | undefined => {
    if (!schema || depth > 20) return schema;
    if (schema.$ref) return resolve(schemas[schema.$ref.replace('#/components/schemas/', '')], depth + 1);
    const out: Schema = { ...schema };
    if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, depth + 1) ?? {}]));
    if (schema.items) out.items = resolve(schema.items, depth + 1);
    return out;
  };
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const parameters = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0];
      operations.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: p.required === true, schema: p.schema ?? {} })),
        body: contentType === 'application/json' ? resolve(content[contentType].schema) : undefined,
        contentType,
      });
    }
  }
  return operations;
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/** Real things in the world the fuzzer is let loose on, to fill ids with. */
export interface World {
  organisationIds: string[];
  organisationNumber: string;
  accountIds: string[];
  orderId: string;
  ticketId: string;
  attachmentId: string;
  applicationId: string;
  registrationId: string;
  serviceId: string;
  offeringId: string;
}

/** The prefix of every unknown field name the fuzzer sends: none of it may ever be stored. */
export const MARKER = 'xFuzzUnknown';

/** A body to send as JSON, or raw bytes/text to send as they are. */
export type Payload = { json: unknown } | { raw: string | Uint8Array };

export const HUGE = 100_000;

/** A plausible valid value for a schema, ids taken from the world by field name. */
export function validValue(schema: Schema, name: string, rng: Rng, world: World): unknown {
  const lower = name.toLowerCase();
  if (schema.enum && schema.enum.length > 0) return rng.pick(schema.enum);
  if (schema.type === 'array') {
    const items = schema.items ?? { type: 'string' };
    if (lower.includes('roles')) return rng.some(['administrator', 'orderer', 'attestant', 'signatory'], 2);
    return [validValue(items, name.replace(/s$/, ''), rng, world)];
  }
  if (schema.type === 'object' && schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema.properties)) {
      const required = schema.required?.includes(key) ?? false;
      if (required || rng.chance(0.5)) out[key] = validValue(property, key, rng, world);
    }
    return out;
  }
  if (schema.type === 'boolean') return name === 'staff' || name === 'auditor' ? false : true;
  if (schema.type === 'number' || schema.type === 'integer') return typeof schema.example === 'number' ? schema.example : rng.int(1, 10);
  if (lower === 'personalnumber') return personalNumber(rng);
  if (lower === 'organisationnumber') return rng.chance(0.7) ? world.organisationNumber : organisationNumber(rng);
  if (lower === 'email') return `fuzz.${rng.hex(8)}@region.se`;
  if (lower === 'password') return `Fz!${rng.hex(6)}Aa1`;
  if (lower.endsWith('organisationid')) return rng.pick(world.organisationIds);
  if (lower === 'accountid' || lower.endsWith('accountid') || lower === 'collaboratoraccountid') return rng.pick(world.accountIds);
  if (lower === 'attachmentid') return world.attachmentId;
  if (lower === 'offeringid') return world.offeringId;
  if (lower === 'serviceid') return world.serviceId;
  if (lower === 'id') return `fz-${rng.hex(6)}`;
  if (lower === 'token') return rng.hex(32);
  if (schema.type === 'object') return schema.example !== undefined ? schema.example : {};
  if (typeof schema.example === 'string') return schema.example;
  return `fuzz value ${rng.hex(4)}`;
}

const OPERATORS: Array<() => unknown> = [
  () => ({ $ne: null }),
  () => ({ $gt: '' }),
  () => ({ $where: '1' }),
  () => ({ $regex: '.*' }),
  () => ({ $in: [null, '', 'administrator'] }),
  () => ({ $exists: true }),
  () => ({ $expr: { $eq: [1, 1] } }),
  () => ({ $or: [{ a: 1 }, { b: { $ne: null } }] }),
];

export function operator(rng: Rng): unknown {
  return rng.pick(OPERATORS)();
}

/** `{"a":{"a":…}}` or `[[…]]` `depth` levels deep; written out by `jsonText` without recursion. */
export class Deep {
  constructor(readonly depth: number, readonly asArray: boolean) {}

  text(): string {
    return this.asArray ? `${'['.repeat(this.depth)}${']'.repeat(this.depth)}` : `${'{"a":'.repeat(this.depth)}{}${'}'.repeat(this.depth)}`;
  }
}

export function nested(depth: number, asArray: boolean): Deep {
  return new Deep(depth, asArray);
}

/**
 * JSON text of a value, like JSON.stringify (own `__proto__` keys included), with `Deep` values
 * written as text: a structure thousands of levels deep would overflow JSON.stringify's stack here.
 */
export function jsonText(value: unknown): string {
  if (value instanceof Deep) return value.text();
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : jsonText(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    return `{${entries.map((k) => `${JSON.stringify(k)}:${jsonText((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** An object with an own `__proto__` key (JSON.parse makes one; an object literal would not). */
export function protoObject(inner: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(`{"__proto__":${JSON.stringify(inner)}}`) as Record<string, unknown>;
}

const STRINGS: Array<(rng: Rng) => string> = [
  () => '',
  () => ' \t\n ',
  () => 'a'.repeat(HUGE),
  () => 'å'.repeat(HUGE),
  () => '😀'.repeat(HUGE / 2),
  () => '\u0000',
  () => 'nul\u0000inside',
  () => '\u0001\u0002\u0007\u0008\u001b[31m\u001f\u007f',
  () => '\u202eevil\u202c',
  () => '\ud800',
  () => '\ufeffbom',
  () => '\u200b\u200c\u200d',
  () => 'Z̷̡͇̈́a̶̗̓l̴̰̾g̸̣͛o̵̯͘',
  () => "' OR '1'='1' --",
  () => '"; DROP TABLE events; --',
  () => '<script>alert(1)</script>',
  () => '../../../../etc/passwd',
  () => '${jndi:ldap://127.0.0.1/a}',
  () => '{{7*7}}',
  () => '%s%s%s%n',
  () => '3',
  () => '-1',
  () => '1e309',
  () => 'NaN',
  () => 'true',
  () => 'null',
  () => '[object Object]',
  () => '__proto__',
  () => 'constructor',
  () => '2026-13-45T99:99:99Z',
  (rng) => rng.uuid().toUpperCase(),
  (rng) => `${rng.uuid()}\u0000`,
  () => '00000000-0000-0000-0000-000000000000',
  (rng) => 'x'.repeat(rng.int(199, 256)),
  (rng) => `${'a@'.repeat(rng.int(1000, 20000))}region.se`,
  (rng) => `${'a'.repeat(rng.int(60, 80))}@${'b.'.repeat(rng.int(1000, 5000))}se`,
  (rng) => `${'1'.repeat(rng.int(11, 5000))}`,
];

const NUMBERS: number[] = [0, -0, -1, 1.5, -1e308, 1e308, Number.MAX_SAFE_INTEGER + 2, Number.MIN_SAFE_INTEGER - 2, 2 ** 31, -(2 ** 31) - 1, 1e-320, 0.1 + 0.2];

/** A value of the wrong kind for nearly any field. */
export function hostileValue(rng: Rng, valid: unknown): unknown {
  switch (rng.int(0, 13)) {
    case 0:
      return null;
    case 1:
      return rng.pick([true, false]);
    case 2:
      return rng.pick(NUMBERS);
    case 3:
    case 4:
    case 5:
      return rng.pick(STRINGS)(rng);
    case 6:
      return operator(rng);
    case 7:
      return rng.pick([[], [null], [{}], [valid], [valid, valid], [operator(rng)], Array.from({ length: rng.int(100, 10_000) }, () => 'a')]);
    case 8:
      return rng.pick([{}, { value: valid }, { 0: valid }, { length: 1, 0: valid }]);
    case 9:
      return nested(rng.pick([50, 500, 5_000]), rng.chance(0.5));
    case 10:
      // Numbers as strings and strings as numbers.
      return typeof valid === 'number' ? String(valid) : typeof valid === 'string' && /^\d+$/.test(valid) ? Number(valid) : String(valid);
    case 11:
      return protoObject({ polluted: 1, [`${MARKER}Proto`]: 1 });
    case 12:
      return { constructor: { prototype: { polluted: 1 } } };
    default:
      return rng.pick(STRINGS)(rng) + String(valid);
  }
}

/** Unknown fields a mass-assignment attack would try; every key but the well-known ones carries the marker. */
export function extraFields(rng: Rng, n: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const candidates: Array<[string, unknown]> = [
    ['isAdmin', true],
    ['admin', true],
    ['staff', true],
    ['auditor', true],
    ['roles', ['administrator']],
    ['status', rng.pick(['closed', 'approved', 'attested', 'fulfilled', 'solved'])],
    ['priority', 'urgent'],
    ['_id', rng.uuid()],
    ['accountId', rng.uuid()],
    ['position', '0'],
    ['revision', 0],
    ['createdAt', '1970-01-01T00:00:00Z'],
    ['channel', 'staff'],
    ['internalNote', 'x'],
  ];
  for (const [key, value] of rng.some(candidates, 4)) out[key] = value;
  out[`${MARKER}${n}`] = rng.pick([true, 'injected', 1, { nested: `${MARKER}Nested` }]);
  return out;
}

export type Mutation =
  | 'valid'
  | 'valid+extra'
  | 'missing-required'
  | 'field-hostile'
  | 'field-operators'
  | 'extra-fields'
  | 'proto-keys'
  | 'whole-body'
  | 'malformed-json'
  | 'wrong-content-type';

export interface BodyCase {
  mutation: Mutation;
  payload: Payload;
  /** Content type header to send (undefined: none). */
  contentType?: string;
  /** An unknown field name carried by this body, if any. */
  marker?: string;
}

const MALFORMED: Array<(valid: string) => string | Uint8Array> = [
  (v) => v.slice(0, Math.max(1, Math.floor(v.length / 2))),
  (v) => `${v},`,
  (v) => v.replace(/}$/, ',}'),
  (v) => v.replace(/"/g, "'"),
  () => '{',
  () => '}',
  () => '[',
  () => '',
  () => ' ',
  () => 'null',
  () => 'undefined',
  () => 'NaN',
  () => '{"a":NaN}',
  () => '{"a":Infinity}',
  () => '{"a":1e999}',
  () => '{"a":-}',
  () => '{"a":01}',
  () => '{a:1}',
  () => '{"a":"\\u00"}',
  () => '{"a":"\\x41"}',
  () => '{"a":"unterminated}',
  () => '{"a":1}{"b":2}',
  () => '{"a":1} trailing',
  (v) => `\ufeff${v}`,
  (v) => `/* comment */${v}`,
  () => '{"__proto__":{"polluted":1}}',
  () => '{"constructor":{"prototype":{"polluted":1}}}',
  () => '{"a":{"__proto__":{"polluted":1}}}',
  () => '{"a":1,"a":2,"a":{"$ne":null}}',
  () => '"just a string"',
  () => '12345',
  () => 'true',
  () => '[]',
  () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  () => `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
  () => new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
  () => new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
  () => new Uint8Array([0x00, 0x00, 0x00, 0x00]),
];

const WRONG_CONTENT_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=----fuzz',
  'application/xml',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/JSON',
  'application/vnd.api+json',
  'application/json, text/plain',
  '*/*',
  'json',
  ';',
  'application/json;;;',
  'text/html',
];

function topLevelKeys(schema: Schema | undefined): string[] {
  return Object.keys(schema?.properties ?? {});
}

/** Paths to object properties of a value (`a`, `a.b`), for replacing nested fields too. */
function fieldPaths(value: unknown, prefix: string[] = [], depth = 0): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || depth > 3) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [[...prefix, k], ...fieldPaths(v, [...prefix, k], depth + 1)]);
}

function setPath(target: unknown, path: string[], value: unknown): void {
  let node = target as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]] = value;
}

function deletePath(target: unknown, path: string[]): void {
  let node = target as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  delete node[path[path.length - 1]];
}

/** `value` with every string in it (at any depth) replaced by `replace(string)`. */
export function mapStrings(value: unknown, replace: (s: string) => unknown): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, replace));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, replace)]));
  return value;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** One body for an operation: valid, or valid and then broken in one of many ways. */
export function bodyCase(operation: Operation, rng: Rng, world: World, serial: number, mutation?: Mutation): BodyCase {
  const schema = operation.body ?? { type: 'object', properties: {} };
  const valid = validValue({ ...schema, type: 'object' }, 'body', rng, world) as Record<string, unknown>;
  const json = (value: unknown): Payload => ({ json: value });
  const kind: Mutation =
    mutation ??
    rng.pick<Mutation>([
      'valid',
      'valid+extra',
      'missing-required',
      'field-hostile',
      'field-hostile',
      'field-hostile',
      'field-operators',
      'extra-fields',
      'proto-keys',
      'whole-body',
      'whole-body',
      'malformed-json',
      'wrong-content-type',
    ]);
  const JSON_TYPE = 'application/json';
  switch (kind) {
    case 'valid':
      return { mutation: kind, payload: json(valid), contentType: JSON_TYPE };
    case 'valid+extra': {
      const extra = extraFields(rng, serial);
      return { mutation: kind, payload: json({ ...valid, ...extra }), contentType: JSON_TYPE, marker: `${MARKER}${serial}` };
    }
    case 'missing-required': {
      const body = clone(valid);
      const required = schema.required ?? topLevelKeys(schema);
      for (const key of required.length > 0 ? rng.some(required) : []) delete body[key];
      // Sometimes a nested required field goes too.
      const nestedPaths = fieldPaths(body).filter((p) => p.length > 1);
      if (nestedPaths.length > 0 && rng.chance(0.5)) deletePath(body, rng.pick(nestedPaths));
      return { mutation: kind, payload: json(body), contentType: JSON_TYPE };
    }
    case 'field-hostile': {
      const body = clone(valid);
      const paths = fieldPaths(body);
      const known = topLevelKeys(schema).map((k) => [k]);
      const targets = [...paths, ...known];
      if (targets.length === 0) return { mutation: kind, payload: json({ value: hostileValue(rng, 'x') }), contentType: JSON_TYPE };
      for (const path of rng.some(targets, 3)) {
        const current = path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), body);
        try {
          setPath(body, path, hostileValue(rng, current));
        } catch {
          /* the parent was replaced by a primitive already */
        }
      }
      return { mutation: kind, payload: json(body), contentType: JSON_TYPE };
    }
    case 'field-operators': {
      const body = clone(valid);
      const keys = [...new Set([...Object.keys(body), ...topLevelKeys(schema)])];
      const chosen = rng.chance(0.5) ? keys : rng.some(keys.length > 0 ? keys : ['id']);
      for (const key of chosen) body[key] = operator(rng);
      for (const path of fieldPaths(valid).filter((p) => p.length > 1)) if (rng.chance(0.5)) setPath(body, path, operator(rng));
      return { mutation: kind, payload: json(body), contentType: JSON_TYPE };
    }
    case 'extra-fields': {
      const body: Record<string, unknown> = { ...clone(valid), ...extraFields(rng, serial) };
      // Unknown fields inside known nested objects too.
      for (const path of fieldPaths(valid)) {
        const target = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], body);
        if (target && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[`${MARKER}${serial}n`] = 'nested';
      }
      return { mutation: kind, payload: json(body), contentType: JSON_TYPE, marker: `${MARKER}${serial}` };
    }
    case 'proto-keys': {
      const inner = { polluted: 1, isAdmin: true, staff: true, [`${MARKER}${serial}p`]: 1 };
      const variants: Array<() => string> = [
        () => JSON.stringify({ ...valid, ...protoObject(inner) }),
        () => JSON.stringify({ ...valid, constructor: { prototype: inner } }),
        () => JSON.stringify({ ...valid, prototype: inner }),
        () => JSON.stringify(protoObject(inner)),
        () => `{"__proto__":${JSON.stringify(inner)}}`,
        () => {
          const body = clone(valid) as Record<string, unknown>;
          const objects = fieldPaths(body).filter((p) => {
            const v = p.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], body);
            return v && typeof v === 'object' && !Array.isArray(v);
          });
          const where = objects.length > 0 ? rng.pick(objects) : [];
          const target = where.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], body) as Record<string, unknown>;
          Object.assign(target, protoObject(inner));
          return JSON.stringify(body);
        },
        () => JSON.stringify({ ...valid, [rng.pick(Object.keys(valid).concat('a'))]: protoObject(inner) }),
        () => JSON.stringify({ ...valid, a: { constructor: { prototype: inner } } }),
        () => `{"__proto__":{"__proto__":${JSON.stringify(inner)}}}`,
        () => JSON.stringify({ ...valid, '__proto__.polluted': 1, 'constructor.prototype.polluted': 1 }),
      ];
      return { mutation: kind, payload: { raw: rng.pick(variants)() }, contentType: JSON_TYPE, marker: `${MARKER}${serial}p` };
    }
    case 'whole-body': {
      const options: Array<() => unknown> = [
        () => operator(rng),
        () => ({ $where: '1' }),
        () => ({ $ne: null }),
        () => ({ $gt: '' }),
        () => [valid],
        () => [],
        () => [[valid]],
        () => null,
        () => 0,
        () => -1,
        () => 1e308,
        () => true,
        () => 'a string body',
        () => 'a'.repeat(HUGE),
        () => ({}),
        () => nested(rng.pick([100, 1_000, 10_000]), rng.chance(0.5)),
        () => Object.fromEntries(Object.keys(valid).map((k) => [k, operator(rng)])),
        () => Object.fromEntries(Object.keys(valid).map((k) => [k, null])),
        () => Object.fromEntries(Object.keys(valid).map((k) => [k, 'a'.repeat(HUGE / 4)])),
        () => Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i])),
      ];
      return { mutation: kind, payload: json(rng.pick(options)()), contentType: JSON_TYPE };
    }
    case 'malformed-json':
      return { mutation: kind, payload: { raw: rng.pick(MALFORMED)(JSON.stringify(valid)) }, contentType: rng.chance(0.9) ? JSON_TYPE : undefined };
    case 'wrong-content-type': {
      const type = rng.pick(WRONG_CONTENT_TYPES);
      const text = type.includes('urlencoded') ? new URLSearchParams(Object.entries(valid).map(([k, v]): [string, string] => [k, String(v)])).toString() : JSON.stringify(valid);
      return { mutation: kind, payload: { raw: text }, contentType: rng.chance(0.1) ? undefined : type };
    }
  }
}

/** Values for a path parameter: usually the real id, else something that names nothing. */
export function pathValue(real: string, rng: Rng): { value: string; real: boolean } {
  if (rng.chance(0.5)) return { value: real, real: true };
  const hostile: Array<() => string> = [
    () => rng.uuid(),
    () => real.toUpperCase(),
    () => '00000000-0000-0000-0000-000000000000',
    () => 'not-a-uuid',
    () => '%00',
    () => `${real}%00`,
    () => `${real}%20`,
    () => '..%2F..%2F..%2Fetc%2Fpasswd',
    () => '%2e%2e',
    () => encodeURIComponent('{"$ne":null}'),
    () => encodeURIComponent('{"$where":"1"}'),
    () => '$ne',
    () => '%24gt',
    () => '__proto__',
    () => 'constructor',
    () => 'prototype',
    () => 'hasOwnProperty',
    () => 'toString',
    () => 'a'.repeat(rng.int(90, 2000)),
    () => encodeURIComponent('😀'),
    () => encodeURIComponent('\u202e'),
    () => '%E0%A4%A',
    () => '%',
    () => '%ZZ',
    () => '-1',
    () => '1e309',
    () => 'null',
    () => 'undefined',
    () => encodeURIComponent("' OR 1=1 --"),
    () => real.replace(/-/g, ''),
    () => `${real},${real}`,
    () => encodeURIComponent(`${real}\n`),
  ];
  return { value: rng.pick(hostile)(), real: false };
}

/** Percent-encodes text; a lone surrogate (which cannot be encoded) becomes U+FFFD. */
function encodeText(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
}

/** A query string for an operation's documented parameters: valid, wrong, repeated, bracketed. */
export function queryString(operation: Operation, rng: Rng, world: World): string {
  if (operation.query.length === 0) {
    return rng.chance(0.2) ? `?${rng.pick(['a[$ne]=1', '__proto__[polluted]=1', 'constructor[prototype][polluted]=1', `${MARKER}=1`])}` : '';
  }
  const parts: string[] = [];
  for (const q of operation.query) {
    if (!q.required && rng.chance(0.3)) continue;
    const enc = (v: string) => `${encodeURIComponent(q.name)}=${encodeText(v)}`;
    const good = (): string => {
      if (q.schema.enum) return String(rng.pick(q.schema.enum));
      if (q.name === 'organisationId') return rng.pick(world.organisationIds);
      if (q.name === 'at') return new Date(Date.now() - rng.int(0, 1e9)).toISOString();
      if (q.name === 'to') return `fuzz.${rng.hex(4)}@region.se`;
      if (q.schema.type === 'number') return String(rng.int(1, 100));
      return 'x';
    };
    switch (rng.int(0, 9)) {
      case 0:
      case 1:
      case 2:
        parts.push(enc(good()));
        break;
      case 3:
        parts.push(enc(good()), enc(good()));
        break;
      case 4:
        parts.push(`${encodeURIComponent(q.name)}[$ne]=1`, `${encodeURIComponent(q.name)}[$gt]=`);
        break;
      case 5:
        parts.push(enc(rng.pick(STRINGS)(rng).slice(0, 5_000)));
        break;
      case 6:
        parts.push(enc(String(rng.pick(NUMBERS))));
        break;
      case 7:
        parts.push(`${encodeURIComponent(q.name)}=%E0%A4%A`, `${encodeURIComponent(q.name)}`);
        break;
      case 8:
        parts.push(enc(JSON.stringify(operator(rng))));
        break;
      default:
        parts.push(`${encodeURIComponent(q.name)}=`, '__proto__[polluted]=1');
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

// ---------------------------------------------------------------------------------------------
// Sending and checking
// ---------------------------------------------------------------------------------------------

export interface FuzzRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** Which token went with it. */
  as: string;
  token?: string;
  headers: Record<string, string>;
  payload?: Payload;
  mutation: string;
  marker?: string;
  /** The operation as the document names it, e.g. `POST /tickets/{id}/messages`. */
  route?: string;
  /** How long to wait for the answer (default 15 s); no answer in time is a finding. */
  timeoutMs?: number;
}

export interface FuzzResponse {
  status: number;
  contentType: string;
  text: string;
  body: unknown;
}

export async function send(baseUrl: string, request: FuzzRequest): Promise<FuzzResponse> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let body: string | Uint8Array | undefined;
  if (request.payload) body = 'json' in request.payload ? jsonText(request.payload.json) : request.payload.raw;
  const response = await fetch(baseUrl + request.url, { method: request.method, headers, body: body as RequestInit['body'], signal: AbortSignal.timeout(request.timeoutMs ?? 15_000) });
  const contentType = response.headers.get('content-type') ?? '';
  // A stream of server-sent events does not end: its status and first event are the answer.
  if (contentType.startsWith('text/event-stream')) {
    const reader = response.body!.getReader();
    const first = await reader.read();
    await reader.cancel();
    return { status: response.status, contentType, text: new TextDecoder().decode(first.value), body: '' };
  }
  const text = await response.text();
  let parsed: unknown = text;
  if (contentType.includes('json') && text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, contentType, text, body: parsed };
}

/** Signs of internals in an answer: paths, stack frames, runtime and driver error names. */
export const LEAKS: Array<[string, RegExp]> = [
  ['internal path /work/', /\/work\//],
  ['node_modules', /node_modules/],
  ['stack frame "at …("', /\bat (?:async )?[\w$.<>[\]]+ \(/],
  ['stack frame line', /\n\s+at /],
  ['source location', /\.(?:ts|js|mjs|cjs):\d+(?::\d+)?/],
  ['"stack" key', /"stack"\s*:/],
  ['runtime error name', /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|EvalError|InternalError)\b/],
  ['call stack', /Maximum call stack/i],
  ['property access', /Cannot (?:read|set) propert/i],
  ['storage error', /SQLITE_|MongoServerError|MongoError|E11000|BSON/],
];

const ALLOWED_ERROR_KEYS = new Set(['statusCode', 'code', 'message', 'details']);

/** What is wrong with an answer, if anything. */
export function problemsWith(response: FuzzResponse): string[] {
  const problems: string[] = [];
  const { status, body } = response;
  if (status >= 500) {
    const readModelBehind = status === 503 && (body as { code?: unknown })?.code === 'READ_MODEL_BEHIND';
    if (!readModelBehind) problems.push(`${status} for client input`);
  }
  if (status >= 400) {
    if (!response.contentType.includes('application/json')) problems.push(`error content type "${response.contentType}"`);
    const b = body as Record<string, unknown> | null;
    if (!b || typeof b !== 'object' || Array.isArray(b)) {
      problems.push('error body is not a JSON object');
    } else {
      if (b.statusCode !== status) problems.push(`statusCode ${JSON.stringify(b.statusCode)} ≠ HTTP ${status}`);
      if (typeof b.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(b.code)) problems.push(`code ${JSON.stringify(b.code)} is not an UPPER_SNAKE string`);
      if (typeof b.message !== 'string' || b.message.length === 0) problems.push('message missing');
      if (b.details !== undefined) {
        const ok = Array.isArray(b.details) && b.details.every((d) => d && typeof d === 'object' && typeof (d as Record<string, unknown>).field === 'string' && typeof (d as Record<string, unknown>).message === 'string');
        if (!ok) problems.push('details is not [{field, message}]');
      }
      const extra = Object.keys(b).filter((k) => !ALLOWED_ERROR_KEYS.has(k));
      if (extra.length > 0) problems.push(`error body has keys beyond the contract: ${extra.join(', ')}`);
    }
  }
  if (status >= 400) {
    for (const [name, pattern] of LEAKS) if (pattern.test(response.text)) problems.push(`leaks ${name}`);
  }
  return problems;
}

/** The request written out so it can be sent again by hand. */
export function describeRequest(request: FuzzRequest, maxBody = 400): string {
  let body = '';
  if (request.payload) {
    const raw = 'json' in request.payload ? jsonText(request.payload.json) : request.payload.raw;
    const text = typeof raw === 'string' ? raw : `bytes[${Buffer.from(raw).toString('hex')}]`;
    body = text.length > maxBody ? `${text.slice(0, maxBody)}… (${text.length} chars)` : text;
  }
  const headers = Object.entries(request.headers)
    .map(([k, v]) => `${k}: ${v.length > 80 ? `${v.slice(0, 80)}…` : v}`)
    .join('; ');
  const url = request.url.length > 300 ? `${request.url.slice(0, 300)}… (${request.url.length} chars)` : request.url;
  return `${request.method} ${url} as ${request.as} [${request.mutation}]${headers ? ` {${headers}}` : ''}${body ? ` body=${body}` : ''}`;
}

export function describeResponse(response: FuzzResponse, max = 400): string {
  const text = response.text.length > max ? `${response.text.slice(0, max)}…` : response.text;
  return `${response.status} ${response.contentType} ${text}`;
}

/** Runs `tasks` with at most `concurrency` in flight. */
export async function pool<T>(items: T[], concurrency: number, run: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await run(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
