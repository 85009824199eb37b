import type { Filter } from '../read-store.port';
import { isPlainObject } from './document-values';

/**
 * What a native filter says about one document: it matches, it does not, or the document has a
 * shape whose answer only mingo knows (then mingo is asked, so answers never differ from it).
 */
export type Verdict = boolean | undefined;
export type NativeFilter = (doc: Record<string, unknown>) => Verdict;

type Scalar = string | number | boolean;
const TRUE: NativeFilter = () => true;
/** Names a path segment must not have for a plain property read to equal mingo's (prototype members). */
const INHERITED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * The filters read models use, compiled to plain JavaScript instead of a mingo `Query`: mingo
 * builds its predicates anew for every filter (most of an indexed read) and then reaches every
 * helper through getters. Same answers as mingo, operator by operator (its `$eq`, `$in`,
 * comparison and `$exists`), for:
 *
 * - field equality with a string, number, boolean or null, `$eq`, `$ne`, `$in`, `$nin` with
 *   such values, `$gt` `$gte` `$lt` `$lte` with a string, number or boolean, `$exists` on a
 *   top-level field; several operators on one field;
 * - dotted paths through embedded documents;
 * - `$and` and `$or` of such filters.
 *
 * Anything else (other operators, embedded-document or Date values, regular expressions) gives
 * null and the caller uses mingo for the whole filter. A document whose value sits in an array
 * part-way down a path, or holds nested arrays, gets `undefined` and is judged by mingo.
 */
export function compileNative(filter: Filter): NativeFilter | null {
  if (!isPlainObject(filter)) return null;
  const parts: NativeFilter[] = [];
  for (const field of Object.keys(filter)) {
    const condition = filter[field];
    let part: NativeFilter | null;
    if (field === '$and' || field === '$or') part = logical(field, condition);
    else if (field.startsWith('$')) return null;
    else part = fieldFilter(field, condition);
    if (!part) return null;
    parts.push(part);
  }
  return all(parts);
}

function logical(operator: '$and' | '$or', clauses: unknown): NativeFilter | null {
  if (!Array.isArray(clauses) || clauses.length === 0) return null;
  const parts: NativeFilter[] = [];
  for (const clause of clauses) {
    const part = compileNative(clause as Filter);
    if (!part) return null;
    parts.push(part);
  }
  return operator === '$and' ? all(parts) : any(parts);
}

/** Every part matches (false wins over undecided). */
function all(parts: NativeFilter[]): NativeFilter {
  if (parts.length === 0) return TRUE;
  if (parts.length === 1) return parts[0];
  return (doc) => {
    let verdict: Verdict = true;
    for (const part of parts) {
      const v = part(doc);
      if (v === false) return false;
      if (v === undefined) verdict = undefined;
    }
    return verdict;
  };
}

/** Some part matches (true wins over undecided). */
function any(parts: NativeFilter[]): NativeFilter {
  if (parts.length === 1) return parts[0];
  return (doc) => {
    let verdict: Verdict = false;
    for (const part of parts) {
      const v = part(doc);
      if (v === true) return true;
      if (v === undefined) verdict = undefined;
    }
    return verdict;
  };
}

/** Reads a field's value; NESTED_ARRAY when mingo's array traversal would be needed. */
type Reader = (doc: Record<string, unknown>) => unknown;
const TRAVERSES_ARRAY = Symbol('traverses an array');

function reader(path: string): Reader | null {
  const segments = path.split('.');
  if (segments.some((s) => s === '' || INHERITED.has(s))) return null;
  if (segments.length === 1) return (doc) => doc[path];
  return (doc) => {
    let value: unknown = doc;
    for (const segment of segments) {
      if (value === null || value === undefined || typeof value !== 'object') return undefined;
      if (Array.isArray(value) || !isPlainObject(value)) return TRAVERSES_ARRAY;
      value = value[segment];
    }
    return value;
  };
}

function fieldFilter(path: string, condition: unknown): NativeFilter | null {
  const read = reader(path);
  if (!read) return null;
  const tests: Array<(value: unknown) => Verdict> = [];
  if (isScalarOrNull(condition)) {
    tests.push(equals(condition));
  } else {
    if (!isPlainObject(condition)) return null;
    const operators = Object.keys(condition);
    if (operators.length === 0 || !operators.every((op) => op.startsWith('$'))) return null;
    for (const op of operators) {
      const test = operatorTest(op, condition[op], path.includes('.'));
      if (!test) return null;
      tests.push(test);
    }
  }
  const single = tests.length === 1 ? tests[0] : null;
  return (doc) => {
    const value = read(doc);
    if (value === TRAVERSES_ARRAY) return undefined;
    if (single) return single(value);
    let verdict: Verdict = true;
    for (const test of tests) {
      const v = test(value);
      if (v === false) return false;
      if (v === undefined) verdict = undefined;
    }
    return verdict;
  };
}

function operatorTest(op: string, operand: unknown, dotted: boolean): ((value: unknown) => Verdict) | null {
  switch (op) {
    case '$eq':
      return isScalarOrNull(operand) ? equals(operand) : null;
    case '$ne': {
      if (!isScalarOrNull(operand)) return null;
      const eq = equals(operand);
      return (value) => negate(eq(value));
    }
    case '$in':
      return inList(operand);
    case '$nin': {
      const inTest = inList(operand);
      return inTest && ((value) => negate(inTest(value)));
    }
    case '$gt':
      return comparison(operand, (order) => order > 0);
    case '$gte':
      return comparison(operand, (order) => order >= 0);
    case '$lt':
      return comparison(operand, (order) => order < 0);
    case '$lte':
      return comparison(operand, (order) => order <= 0);
    case '$exists': {
      // mingo resolves a dotted $exists through arrays on its own terms.
      if (dotted) return null;
      const wanted = Boolean(operand);
      return (value) => (value !== undefined) === wanted;
    }
    default:
      return null;
  }
}

const negate = (v: Verdict): Verdict => (v === undefined ? undefined : !v);

function isScalarOrNull(value: unknown): value is Scalar | null {
  const t = typeof value;
  return value === null || t === 'string' || t === 'boolean' || (t === 'number' && !Number.isNaN(value));
}

/**
 * mingo's `$eq`: the value itself, or (an array) any of its elements; null also matches a missing
 * field. mingo flattens nested arrays on some paths, so an array holding arrays is left to it.
 */
function equals(expected: Scalar | null): (value: unknown) => Verdict {
  if (expected === null) {
    return (value) => {
      if (value === null || value === undefined) return true;
      if (!Array.isArray(value)) return false;
      return someElement(value, (e) => e === null);
    };
  }
  return (value) => {
    if (value === expected) return true;
    if (!Array.isArray(value)) return false;
    return someElement(value, (e) => e === expected);
  };
}

function someElement(values: unknown[], match: (e: unknown) => boolean): Verdict {
  let nested = false;
  for (const e of values) {
    if (match(e)) return true;
    if (Array.isArray(e)) nested = true;
  }
  return nested ? undefined : false;
}

/** mingo's `$in`: a missing or null field matches when null is listed; an array when any element is listed. */
function inList(operand: unknown): ((value: unknown) => Verdict) | null {
  if (!Array.isArray(operand) || !operand.every(isScalarOrNull)) return null;
  const listed = new Set<unknown>(operand);
  const hasNull = listed.has(null);
  return (value) => {
    if (value === null || value === undefined) return hasNull;
    if (!Array.isArray(value)) return listed.has(value);
    for (const e of value) if (listed.has(e)) return true;
    return false;
  };
}

/**
 * mingo's `$gt` and friends: the value (or any element of an array) of the operand's own type,
 * compared with `<` and `>` as mingo's `compare` does for strings, numbers and booleans.
 */
function comparison(operand: unknown, holds: (order: number) => boolean): ((value: unknown) => Verdict) | null {
  const type = typeof operand;
  if (!(type === 'string' || type === 'boolean' || (type === 'number' && !Number.isNaN(operand)))) return null;
  const bound = operand as Scalar;
  const test = (v: unknown): boolean => typeof v === type && holds((v as Scalar) < bound ? -1 : (v as Scalar) > bound ? 1 : 0);
  return (value) => {
    if (!Array.isArray(value)) return test(value);
    for (const e of value) if (test(e)) return true;
    return false;
  };
}
