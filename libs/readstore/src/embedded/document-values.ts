/**
 * Value helpers shared by the embedded adapter's indexes, updates and persistence.
 * Documents are JSON-like trees (plus Date), the same shapes the MongoDB driver round-trips.
 */

/** Also true for objects made in another realm (a vm context, structuredClone under jest). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

export function isDate(value: unknown): value is Date {
  return value instanceof Date || Object.prototype.toString.call(value) === '[object Date]';
}

/** True when an object is an operator expression such as `{ $gt: 1 }` rather than an embedded document. */
export function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  for (const key in value) return key.startsWith('$');
  return false;
}

/**
 * Deep copy of a document. Hand-written because structuredClone is several times slower for the
 * small JSON-like documents read models hold, and every read returns copies. The copy is made of
 * this realm's arrays and objects, which mingo's equality needs (it compares constructors).
 */
export function cloneValue<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneValue(value[i]);
    return out as T;
  }
  // Plain objects of this realm first: nearly every value that gets here is one.
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) {
    if (isDate(value)) return new Date(value.getTime()) as T;
    if (!isPlainObject(value)) return structuredClone(value);
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in source) out[key] = cloneValue(source[key]);
  return out as T;
}

/** Reads a dotted path through embedded documents (no array traversal: used for update checks). */
export function getPath(doc: Record<string, unknown>, path: string): unknown {
  let current: unknown = doc;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else if (isPlainObject(current)) current = current[segment];
    else return undefined;
  }
  return current;
}

/** Sets a dotted path, creating embedded documents on the way (used to seed upserts). */
export function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.');
  let current: Record<string, unknown> = doc;
  for (let i = 0; i < segments.length - 1; i++) {
    const next = current[segments[i]];
    if (isPlainObject(next)) current = next;
    else {
      const created: Record<string, unknown> = {};
      current[segments[i]] = created;
      current = created;
    }
  }
  current[segments[segments.length - 1]] = value;
}

/**
 * Index key of one scalar, tagged by type so that `'1'` and `1` differ while `1` and `1.0` agree,
 * as in MongoDB's equality. Missing and null share a key, as MongoDB indexes a missing field as null.
 */
export function keyOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 's' + value;
    case 'number':
      return 'n' + (Object.is(value, -0) ? 0 : value);
    case 'boolean':
      return value ? 'bt' : 'bf';
    case 'undefined':
      return 'z';
    case 'bigint':
      return 'n' + value.toString();
    default:
      if (value === null) return 'z';
      if (isDate(value)) return 'd' + value.getTime();
      // Embedded documents and arrays: only unique indexes care, so an order-sensitive encoding
      // (MongoDB compares embedded documents field by field, in order) is enough.
      return 'o' + JSON.stringify(value);
  }
}

/** Values a filter can be looked up by in a hash index: scalars that compare by identity. */
export function isIndexableScalar(value: unknown): boolean {
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' || isDate(value);
}

/** JSON text of a document, with Dates tagged so they come back as Dates (MongoDB extended JSON style). */
export function encodeDocument(doc: unknown): string {
  // A replacer slows JSON.stringify severalfold; most read-model documents hold no Date.
  return containsDate(doc) ? JSON.stringify(doc, dateReplacer) : JSON.stringify(doc);
}

function containsDate(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (isDate(value)) return true;
  if (Array.isArray(value)) {
    for (const element of value) if (containsDate(element)) return true;
    return false;
  }
  for (const key in value) if (containsDate((value as Record<string, unknown>)[key])) return true;
  return false;
}

export function decodeDocument(text: string): Record<string, unknown> {
  // The reviver costs more than the parse; only documents that held a Date pay for it.
  return text.includes('{"$date":')
    ? (JSON.parse(text, dateReviver) as Record<string, unknown>)
    : (JSON.parse(text) as Record<string, unknown>);
}

function dateReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return isDate(raw) ? { $date: raw.toISOString() } : value;
}

function dateReviver(_key: string, value: unknown): unknown {
  if (isPlainObject(value) && typeof value.$date === 'string') {
    const keys = Object.keys(value);
    if (keys.length === 1) return new Date(value.$date);
  }
  return value;
}
