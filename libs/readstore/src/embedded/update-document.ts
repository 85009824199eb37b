import type { Filter, Update } from '../read-store.port';
import { cloneValue, getPath, isOperatorObject, isPlainObject, setPath } from './document-values';
import { applyOperator, type UpdateOperatorName } from './mingo-engine';

/** The update operators the port promises; anything else is refused rather than half-supported. */
const OPERATORS: readonly UpdateOperatorName[] = ['$set', '$unset', '$inc', '$push', '$pull', '$addToSet', '$max', '$min'];
const SUPPORTED = new Set<string>([...OPERATORS, '$setOnInsert']);

/**
 * Applies a MongoDB update document to `doc` in place. `doc` may be a shallow copy of a stored
 * document: only its own top-level fields are replaced, and a field changed inside (a dotted path,
 * an array pushed to) is copied before it is changed, so the stored document and whatever it shares
 * stay as they were, also when the update fails. `$setOnInsert` only counts when `inserting`.
 * Refuses what MongoDB refuses: unknown operators, two operators on overlapping paths,
 * changing `_id`, and $inc/$push/$addToSet/$pull on a field of the wrong type (mingo would skip
 * those silently, hiding a projection bug).
 */
export function applyUpdate(doc: Record<string, unknown>, update: Update, inserting: boolean): void {
  const operators = Object.keys(update);
  if (operators.length === 0) throw new Error('An update needs at least one update operator');
  for (const op of operators) {
    if (!op.startsWith('$')) throw new Error(`Update must use update operators, found field '${op}'`);
    if (!SUPPORTED.has(op)) throw new Error(`Unsupported update operator: ${op}`);
    if (!isPlainObject(update[op])) throw new Error(`${op} needs an object of field paths`);
  }
  // A copy, so the stored document never shares objects with the caller's update.
  const modifier = cloneValue(update) as Record<string, Record<string, unknown>>;
  const { $setOnInsert } = modifier;
  delete modifier.$setOnInsert;
  if (inserting && $setOnInsert) {
    // An upsert may choose the new document's _id; mingo refuses any update of _id.
    for (const source of [modifier.$set, $setOnInsert]) {
      if (source && '_id' in source) {
        if (doc._id === undefined) doc._id = source._id;
        delete source._id;
      }
    }
    modifier.$set = { ...(modifier.$set ?? {}), ...$setOnInsert };
  }
  checkConflicts(modifier);
  checkTargets(doc, modifier);
  // Top-level fields that mingo changes inside are copied first (see above).
  const copied = new Set<string>();
  const own = (path: string): void => {
    const top = path.split('.')[0];
    if (copied.has(top)) return;
    copied.add(top);
    if (top in doc) doc[top] = cloneValue(doc[top]);
  };
  // $addToSet on a missing field starts from an empty set, so `$each` with repeats adds each
  // value once, as MongoDB does (mingo would copy the list as given).
  for (const path of Object.keys(modifier.$addToSet ?? {})) {
    if (!path.includes('$') && getPath(doc, path) === undefined) {
      own(path);
      setPath(doc, path, []);
    }
  }
  const id = doc._id;
  for (const op of OPERATORS) {
    const expr = modifier[op];
    if (!expr) continue;
    // The shapes projections write (top-level fields, scalar operands) are applied here; the rest by mingo.
    let rest: Record<string, unknown> | undefined;
    for (const path in expr) {
      if (applyNative(doc, op, path, expr[path])) continue;
      own(path);
      (rest ??= {})[path] = expr[path];
    }
    if (rest) applyOperator(doc, op, rest);
  }
  if (id !== undefined && doc._id !== id) throw new Error("The update would modify the immutable field '_id'");
}

/**
 * One operator on one top-level field, done in plain code when the result is certain to be what
 * MongoDB gives: false (nothing changed) for dotted paths, operands that are documents or
 * modifiers ($each, a $pull condition), and comparisons across types, which mingo then applies.
 * The operand is already a copy (applyUpdate clones the update). Arrays are replaced, never
 * changed in place.
 */
function applyNative(doc: Record<string, unknown>, op: UpdateOperatorName, path: string, operand: unknown): boolean {
  if (path.includes('.') || path.startsWith('$') || path === '_id') return false;
  switch (op) {
    case '$set':
      doc[path] = operand;
      return true;
    case '$unset':
      delete doc[path];
      return true;
    case '$inc': {
      const current = doc[path];
      if (current !== undefined && typeof current !== 'number') return false;
      doc[path] = ((current as number | undefined) ?? 0) + (operand as number);
      return true;
    }
    case '$max':
    case '$min': {
      const current = doc[path];
      if (current === undefined) {
        doc[path] = operand;
        return true;
      }
      const comparable = (typeof current === 'number' && typeof operand === 'number') || (typeof current === 'string' && typeof operand === 'string');
      if (!comparable) return false;
      if (op === '$max' ? (operand as number) > (current as number) : (operand as number) < (current as number)) doc[path] = operand;
      return true;
    }
    case '$push':
    case '$addToSet':
    case '$pull': {
      if (!isNativeScalar(operand)) return false;
      const current = doc[path];
      if (current === undefined) {
        if (op !== '$pull') doc[path] = [operand];
        return true;
      }
      if (!Array.isArray(current)) return false;
      if (op === '$push') doc[path] = [...current, operand];
      else if (op === '$addToSet') {
        if (!current.includes(operand)) doc[path] = [...current, operand];
      } else if (current.includes(operand)) doc[path] = current.filter((element) => element !== operand);
      return true;
    }
    default:
      return false;
  }
}

/** Values whose equality is `===` in MongoDB too (NaN aside, which read models never hold). */
function isNativeScalar(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value));
}

function checkConflicts(modifier: Record<string, Record<string, unknown>>): void {
  const paths: string[] = [];
  for (const op of Object.keys(modifier)) paths.push(...Object.keys(modifier[op]));
  if (paths.length < 2) return;
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const [a, b] = paths[i].length <= paths[j].length ? [paths[i], paths[j]] : [paths[j], paths[i]];
      if (a === b || b.startsWith(a + '.')) throw new Error(`Updating the path '${b}' would create a conflict at '${a}'`);
    }
  }
}

function checkTargets(doc: Record<string, unknown>, modifier: Record<string, Record<string, unknown>>): void {
  const check = (op: string, ok: (current: unknown) => boolean, what: string): void => {
    for (const path of Object.keys(modifier[op] ?? {})) {
      if (path.includes('$')) continue;
      const current = getPath(doc, path);
      if (current !== undefined && !ok(current)) throw new Error(`Cannot apply ${op} to '${path}': it is not ${what}`);
    }
  };
  for (const path of Object.keys(modifier.$inc ?? {})) {
    if (typeof modifier.$inc[path] !== 'number') throw new Error(`$inc needs a number for '${path}'`);
  }
  check('$inc', (v) => typeof v === 'number', 'a number');
  check('$push', Array.isArray, 'an array');
  check('$addToSet', Array.isArray, 'an array');
  check('$pull', Array.isArray, 'an array');
}

/**
 * The document an upsert starts from: the filter's equality conditions (top level, $eq, and
 * inside $and), as MongoDB does, so `updateOne({ tenantId, day }, { $inc }, { upsert })` creates a
 * document that carries `tenantId` and `day`.
 */
export function seedFromFilter(filter: Filter): Record<string, unknown> {
  const seed: Record<string, unknown> = {};
  collectEqualities(filter, seed);
  return seed;
}

function collectEqualities(filter: Filter, seed: Record<string, unknown>): void {
  for (const field of Object.keys(filter)) {
    const condition = filter[field];
    if (field === '$and' && Array.isArray(condition)) {
      for (const clause of condition) if (isPlainObject(clause)) collectEqualities(clause, seed);
    } else if (field.startsWith('$')) {
      continue;
    } else if (isOperatorObject(condition)) {
      if ('$eq' in condition) setPath(seed, field, cloneValue(condition.$eq));
    } else if (!(condition instanceof RegExp)) {
      setPath(seed, field, cloneValue(condition));
    }
  }
}
