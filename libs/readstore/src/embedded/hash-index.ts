import { sameIndexKeys, type Doc, type Filter, type IndexSpec } from '../read-store.port';
import { isDate, isIndexableScalar, isOperatorObject, isPlainObject, keyOf } from './document-values';
import { OrderedRow, OrderedRows } from './ordered-rows';
import { compareValues, sortKeyReader } from './sort-documents';

/** The keys one document holds in one index: by leading field (lookups) and by all fields (uniqueness). */
export interface IndexEntry {
  readonly leading: readonly string[];
  readonly full: readonly string[];
  /** A compound index's other fields (after the leading one), which order the ids under a leading key. */
  readonly order?: readonly unknown[];
}

/**
 * Whether two entries of one index hold the same keys and order values, so that moving a document
 * from one to the other would change nothing. Order values are compared as they are (===): a Date
 * or an array there counts as changed.
 */
export function sameEntry(a: IndexEntry, b: IndexEntry): boolean {
  return sameValues(a.leading, b.leading) && sameValues(a.full, b.full) && sameValues(a.order ?? [], b.order ?? []);
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A hash index over one or more field paths. Like MongoDB's multikey indexes, an array value is
 * indexed under each of its elements, and a path through an array of embedded documents under
 * each element's value. Hash, not ordered: it answers equality and $in, which is what read-model
 * queries select by; ranges run over the candidate set. A compound index also keeps, for each
 * leading value a sorted find has read, its ids in the order of its other fields, so that a page
 * sorted that way is read off in order instead of sorting every candidate (see `orderedRows`).
 */
export class HashIndex {
  readonly name: string;
  readonly fields: readonly string[];
  readonly unique: boolean;
  readonly spec: Readonly<IndexSpec> & { name: string };
  private readonly paths: readonly string[][];
  private readonly leading: KeyMap = new Map();
  /**
   * Keyed by every field, for uniqueness and exact lookups: the same map as `leading` for a
   * single-field index, none for a non-unique compound one (its leading field narrows enough,
   * and a second map of every document would double its memory).
   */
  private readonly full: KeyMap | null;
  /**
   * A compound index's order within one leading value: per leading key read in that order, its
   * rows sorted by the other fields (then `_id`), or null when a value there cannot be ordered.
   * Built when a read first asks for a key, then kept in order as documents under the key are
   * added, changed and removed (a binary search and an insert or removal each).
   */
  private readonly ordered: Map<string, OrderedRows | null> | null;
  private readonly trailing: ReadonlyArray<{ read: (doc: Doc) => unknown; direction: 1 | -1 }>;

  constructor(spec: IndexSpec) {
    const fields = Object.keys(spec.keys);
    if (fields.length === 0) throw new Error('An index needs at least one field');
    this.fields = fields;
    this.paths = fields.map((f) => f.split('.'));
    this.unique = spec.unique === true;
    this.name = spec.name ?? HashIndex.defaultName(spec.keys);
    this.spec = { keys: { ...spec.keys }, unique: this.unique, name: this.name };
    this.full = fields.length === 1 ? this.leading : this.unique ? new Map() : null;
    this.ordered = fields.length > 1 ? new Map() : null;
    this.trailing = fields.slice(1).map((field) => ({ read: sortKeyReader(field), direction: spec.keys[field] === -1 ? -1 : 1 }));
  }

  /** MongoDB's default index name, e.g. `status_1_createdAt_-1`. */
  static defaultName(keys: IndexSpec['keys']): string {
    return Object.entries(keys)
      .map(([field, dir]) => `${field}_${dir}`)
      .join('_');
  }

  /** Same fields, directions and uniqueness. */
  sameDefinition(spec: IndexSpec): boolean {
    return (spec.unique === true) === this.unique && this.sameKeys(spec);
  }

  /** Same fields in the same order and directions. */
  sameKeys(spec: IndexSpec): boolean {
    return sameIndexKeys(this.spec.keys, spec.keys);
  }

  /** The index's keys and their documents, by position in `ordinals`, for a read-model image. */
  exportKeys(ordinals: ReadonlyMap<string, number>): IndexKeysImage {
    return {
      leading: exportKeyMap(this.leading, ordinals),
      full: this.full && this.full !== this.leading ? exportKeyMap(this.full, ordinals) : null,
      ordered: this.ordered ? exportOrdered(this.ordered, ordinals) : undefined,
    };
  }

  /**
   * Takes back what `exportKeys` gave, `ids` being the documents by position; the index must be
   * empty. The ordered rows come back too, so the first sorted read of a large key after a
   * restart (the outbox's waiting mail) need not read every document under it from disk; rows
   * that are not in this index's order (an image from other code) are left to be built when read.
   */
  importKeys(image: IndexKeysImage, ids: readonly string[]): void {
    importKeyMap(this.leading, image.leading, ids);
    if (this.full && this.full !== this.leading) {
      if (!image.full) throw new Error(`The image of index ${this.name} lacks its full keys`);
      importKeyMap(this.full, image.full, ids);
    }
    if (!this.ordered || !image.ordered) return;
    for (const { key, positions, values } of image.ordered) {
      const rows: OrderedRow[] = Array.from(positions, (position, i) => ({ id: ids[position], values: values[i] }));
      if (rows.every((row, i) => i === 0 || this.compareRows(rows[i - 1], row) < 0)) this.ordered.set(key, new OrderedRows(rows, this.compareRows));
    }
  }

  /** Throws, like MongoDB, when a compound index would need the product of two arrays. */
  entryFor(doc: Record<string, unknown>): IndexEntry {
    const perField = this.paths.map((path) => {
      const out: unknown[] = [];
      collectValues(doc, path, 0, out);
      return [...new Set(out.map(keyOf))];
    });
    if (perField.length === 1) return { leading: perField[0], full: perField[0] };
    if (perField.filter((keys) => keys.length > 1).length > 1) {
      throw new Error(`cannot index parallel arrays in index ${this.name}`);
    }
    return {
      leading: perField[0],
      full: this.full ? cartesian(perField).map(compoundKey) : [],
      order: this.trailing.map((t) => t.read(doc as Doc)),
    };
  }

  /** For a unique index: the key `entry` shares with a document other than `id`, if any. */
  conflict(id: string, entry: IndexEntry): string | undefined {
    if (!this.unique || !this.full) return undefined;
    for (const key of entry.full) {
      const holders = this.full.get(key);
      if (holders === undefined) continue;
      if (typeof holders === 'string') {
        if (holders !== id) return key;
      } else {
        for (const holder of holders) if (holder !== id) return key;
      }
    }
    return undefined;
  }

  add(id: string, entry: IndexEntry): void {
    addKeys(this.leading, entry.leading, id);
    if (this.full && this.full !== this.leading) addKeys(this.full, entry.full, id);
    if (this.ordered && this.ordered.size > 0) this.insertOrdered(id, entry);
  }

  remove(id: string, entry: IndexEntry): void {
    removeKeys(this.leading, entry.leading, id);
    if (this.full && this.full !== this.leading) removeKeys(this.full, entry.full, id);
    if (this.ordered && this.ordered.size > 0) this.removeOrdered(id, entry);
  }

  clear(): void {
    this.leading.clear();
    this.full?.clear();
    this.ordered?.clear();
  }

  /** How many documents hold this value of the leading field (an exact count: see `exactCount`). */
  countLeading(value: unknown): number {
    const holders = this.leading.get(keyOf(value));
    return holders === undefined ? 0 : typeof holders === 'string' ? 1 : holders.size;
  }

  /**
   * A compound index's rows under one leading value, in the index's order: by each further field
   * in its direction (mingo's value order), then by `_id` ascending. Null when the index has one
   * field, or when a value there is an array, an embedded document or NaN (mingo's order among
   * those is not a total order). `get` reads the current document of an id.
   */
  orderedRows(value: unknown, get: (id: string) => Doc | undefined): OrderedRows | null {
    if (!this.ordered) return null;
    const key = keyOf(value);
    const known = this.ordered.get(key);
    if (known !== undefined) return known;
    const holders = this.leading.get(key);
    const ids = holders === undefined ? [] : typeof holders === 'string' ? [holders] : [...holders];
    let rows: OrderedRow[] | null = [];
    for (const id of ids) {
      const doc = get(id);
      if (!doc) continue;
      const values = this.trailing.map((t) => t.read(doc));
      if (!orderable(values)) {
        rows = null;
        break;
      }
      rows.push({ id, values });
    }
    const ordered = rows && new OrderedRows(rows.sort(this.compareRows), this.compareRows);
    // Rows are kept for the keys read lately; a store with very many readers starts afresh.
    if (this.ordered.size >= MAX_ORDERED_KEYS) this.ordered.clear();
    this.ordered.set(key, ordered);
    return ordered;
  }

  /** The directions of the fields after the leading one. */
  get trailingDirections(): ReadonlyArray<1 | -1> {
    return this.trailing.map((t) => t.direction);
  }

  /** The index's order: by each further field in its direction, then by `_id` ascending. */
  private readonly compareRows = (a: OrderedRow, b: OrderedRow): number => {
    for (let i = 0; i < this.trailing.length; i++) {
      const order = compareValues(a.values[i], b.values[i]);
      if (order !== 0) return this.trailing[i].direction * order;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };

  private insertOrdered(id: string, entry: IndexEntry): void {
    const ordered = this.ordered as Map<string, OrderedRows | null>;
    const values = entry.order ?? [];
    for (const key of entry.leading) {
      const rows = ordered.get(key);
      if (!rows) continue; // not kept, or not orderable: stays so
      if (!orderable(values)) {
        ordered.set(key, null);
        continue;
      }
      rows.insert({ id, values });
    }
  }

  private removeOrdered(id: string, entry: IndexEntry): void {
    const ordered = this.ordered as Map<string, OrderedRows | null>;
    const values = entry.order ?? [];
    for (const key of entry.leading) {
      const rows = ordered.get(key);
      if (rows === undefined) continue;
      // Not where its values put it (or not orderable): the key's rows are built again when read.
      if (!(rows && orderable(values) && rows.remove({ id, values }))) ordered.delete(key);
    }
  }

  /** Whether `lookupFull` is available (single-field and unique indexes). */
  get exact(): boolean {
    return this.full !== null;
  }

  /** Ids under any of the leading-field values. May return the live set: do not mutate it. */
  lookupLeading(values: readonly unknown[]): ReadonlySet<string> {
    return lookup(
      this.leading,
      values.map((v) => keyOf(v)),
    );
  }

  /** Ids under any combination of the given per-field values (one list per index field). */
  lookupFull(valuesPerField: readonly (readonly unknown[])[]): ReadonlySet<string> {
    if (!this.full) throw new Error(`Index ${this.name} has no exact lookup`);
    const keys = cartesian(valuesPerField.map((values) => values.map((v) => keyOf(v)))).map(compoundKey);
    return lookup(this.full, keys);
  }
}

/** The candidates a filter can be answered from, and which index gave them. */
export interface IndexPlan {
  readonly index: string;
  readonly ids: ReadonlySet<string>;
}

/** How many key combinations a compound lookup may try before the leading field is used instead. */
const MAX_COMPOUND_KEYS = 256;
/** How many leading values of one index keep their ordered ids at a time. */
const MAX_ORDERED_KEYS = 10_000;

/**
 * Picks the smallest candidate set a filter can be narrowed to by the primary key or a hash index,
 * or null when the filter needs a full scan. The result is a superset of the matches: the caller
 * still tests every candidate against the whole filter.
 *
 * Usable: top-level equality or $eq/$in on scalars (string, number, boolean, Date), on `_id`, on an
 * index's leading field, or on every field of a unique compound index; each clause of $and; $or
 * when every branch is usable (the union).
 */
export function planCandidates(
  filter: Filter,
  indexes: readonly HashIndex[],
  hasId: (id: string) => boolean,
): IndexPlan | null {
  let best: IndexPlan | null = null;
  const consider = (plan: IndexPlan | null): void => {
    if (plan && (best === null || plan.ids.size < best.ids.size)) best = plan;
  };
  const equalities = new Map<string, unknown[]>();
  for (const field of Object.keys(filter)) {
    const condition = filter[field];
    if (field === '$and' && Array.isArray(condition)) {
      for (const clause of condition) if (isPlainObject(clause)) consider(planCandidates(clause, indexes, hasId));
    } else if (field === '$or' && Array.isArray(condition) && condition.length > 0) {
      consider(planUnion(condition, indexes, hasId));
    } else if (!field.startsWith('$')) {
      const values = equalityValues(condition, !field.includes('.'));
      if (values) equalities.set(field, values);
    }
  }
  for (const [field, values] of equalities) {
    if (field === '_id') {
      const ids = new Set<string>();
      for (const v of values) if (typeof v === 'string' && hasId(v)) ids.add(v);
      consider({ index: '_id_', ids });
      continue;
    }
    for (const index of indexes) {
      if (index.fields[0] === field) consider({ index: index.name, ids: index.lookupLeading(values) });
    }
  }
  for (const index of indexes) {
    if (index.fields.length < 2 || !index.exact || !index.fields.every((f) => equalities.has(f))) continue;
    const perField = index.fields.map((f) => equalities.get(f) as unknown[]);
    if (perField.reduce((n, values) => n * values.length, 1) > MAX_COMPOUND_KEYS) continue;
    consider({ index: index.name, ids: index.lookupFull(perField) });
  }
  return best;
}

function planUnion(
  branches: unknown[],
  indexes: readonly HashIndex[],
  hasId: (id: string) => boolean,
): IndexPlan | null {
  const ids = new Set<string>();
  const used = new Set<string>();
  for (const branch of branches) {
    const plan = isPlainObject(branch) ? planCandidates(branch, indexes, hasId) : null;
    if (!plan) return null;
    used.add(plan.index);
    for (const id of plan.ids) ids.add(id);
  }
  return { index: `$or(${[...used].join(',')})`, ids };
}

/**
 * The scalars an equality-like condition pins a field to, or null when it does not. With
 * `orNull` (a top-level field), null counts too: it matches a missing or null field, or an array
 * holding null, all of which the index keeps under null's key. (On a dotted path mingo also
 * looks into nested arrays for null, which the index does not.)
 */
export function equalityValues(condition: unknown, orNull = false): unknown[] | null {
  const usable = (value: unknown) => isIndexableScalar(value) || (orNull && value === null);
  if (usable(condition)) return [condition];
  if (!isOperatorObject(condition)) return null;
  const byEq = '$eq' in condition && usable(condition.$eq) ? [condition.$eq] : null;
  const inList = condition.$in;
  const byIn = Array.isArray(inList) && inList.every(usable) ? inList : null;
  if (byEq && byIn) {
    const allowed = new Set(byIn.map((v) => keyOf(v)));
    return byEq.filter((v) => allowed.has(keyOf(v)));
  }
  return byEq ?? byIn;
}

/** Every value a path reaches, descending into arrays the way MongoDB's multikey indexes do. */
function collectValues(value: unknown, path: readonly string[], i: number, out: unknown[]): void {
  if (i === path.length) {
    if (Array.isArray(value) && value.length > 0) for (const element of value) out.push(element);
    else out.push(value);
    return;
  }
  if (Array.isArray(value)) {
    const before = out.length;
    const segment = path[i];
    if (/^\d+$/.test(segment) && Number(segment) < value.length) collectValues(value[Number(segment)], path, i + 1, out);
    for (const element of value) if (isPlainObject(element)) collectValues(element, path, i, out);
    if (out.length === before) out.push(undefined);
    return;
  }
  if (isPlainObject(value)) collectValues(value[path[i]], path, i + 1, out);
  else out.push(undefined);
}

function cartesian(lists: readonly (readonly string[])[]): string[][] {
  let combos: string[][] = [[]];
  for (const list of lists) {
    const next: string[][] = [];
    for (const combo of combos) for (const item of list) next.push([...combo, item]);
    combos = next;
  }
  return combos;
}

function compoundKey(parts: readonly string[]): string {
  return JSON.stringify(parts);
}

/**
 * Key → the ids holding it. A lone id is kept as the string itself: most keys of a unique or
 * selective index have one holder, and 100,000 one-element Sets cost memory and GC time.
 */
type KeyMap = Map<string, string | Set<string>>;

/** A KeyMap without its id strings: per key, how many documents, then their positions in turn. */
export interface KeyMapImage {
  keys: string[];
  counts: Uint32Array;
  positions: Uint32Array;
}

/** One leading key's rows in the index's order: each document by position, with its order values. */
export interface OrderedRowsImage {
  key: string;
  positions: Uint32Array;
  values: unknown[][];
}

export interface IndexKeysImage {
  leading: KeyMapImage;
  full: KeyMapImage | null;
  /** A compound index's ordered rows built by reads before the stop (absent in older images). */
  ordered?: OrderedRowsImage[];
}

function exportKeyMap(map: KeyMap, ordinals: ReadonlyMap<string, number>): KeyMapImage {
  const keys: string[] = [];
  const counts = new Uint32Array(map.size);
  let total = 0;
  for (const holders of map.values()) total += typeof holders === 'string' ? 1 : holders.size;
  const positions = new Uint32Array(total);
  let k = 0;
  let p = 0;
  for (const [key, holders] of map) {
    keys.push(key);
    if (typeof holders === 'string') {
      counts[k++] = 1;
      positions[p++] = ordinalOf(ordinals, holders);
    } else {
      counts[k++] = holders.size;
      for (const id of holders) positions[p++] = ordinalOf(ordinals, id);
    }
  }
  return { keys, counts, positions };
}

function exportOrdered(ordered: ReadonlyMap<string, OrderedRows | null>, ordinals: ReadonlyMap<string, number>): OrderedRowsImage[] {
  const out: OrderedRowsImage[] = [];
  for (const [key, rows] of ordered) {
    if (!rows) continue;
    const positions = new Uint32Array(rows.length);
    const values: unknown[][] = [];
    let i = 0;
    for (const row of rows.forward()) {
      positions[i++] = ordinalOf(ordinals, row.id);
      values.push(row.values as unknown[]);
    }
    out.push({ key, positions, values });
  }
  return out;
}

function ordinalOf(ordinals: ReadonlyMap<string, number>, id: string): number {
  const ordinal = ordinals.get(id);
  if (ordinal === undefined) throw new Error(`Index holds ${id}, which is not a document`);
  return ordinal;
}

function importKeyMap(map: KeyMap, image: KeyMapImage, ids: readonly string[]): void {
  const { keys, counts, positions } = image;
  let p = 0;
  for (let k = 0; k < keys.length; k++) {
    const n = counts[k];
    if (n === 1) map.set(keys[k], ids[positions[p++]]);
    else {
      const holders = new Set<string>();
      for (const end = p + n; p < end; p++) holders.add(ids[positions[p]]);
      map.set(keys[k], holders);
    }
  }
}

function addKeys(map: KeyMap, keys: readonly string[], id: string): void {
  for (const key of keys) {
    const holders = map.get(key);
    if (holders === undefined) map.set(key, id);
    else if (typeof holders === 'string') {
      if (holders !== id) map.set(key, new Set([holders, id]));
    } else holders.add(id);
  }
}

function removeKeys(map: KeyMap, keys: readonly string[], id: string): void {
  for (const key of keys) {
    const holders = map.get(key);
    if (holders === undefined) continue;
    if (typeof holders === 'string') {
      if (holders === id) map.delete(key);
    } else {
      holders.delete(id);
      if (holders.size === 1) map.set(key, holders.values().next().value as string);
      else if (holders.size === 0) map.delete(key);
    }
  }
}

const EMPTY: ReadonlySet<string> = new Set();

/** Values mingo's order puts in a total order: no arrays, embedded documents or NaN. */
function orderable(values: readonly unknown[]): boolean {
  for (const v of values) {
    if (typeof v === 'number' ? Number.isNaN(v) : v !== null && typeof v === 'object' && !isDate(v)) return false;
  }
  return true;
}

/** May return a live set of the index: callers only read it. */
function lookup(map: KeyMap, keys: readonly string[]): ReadonlySet<string> {
  if (keys.length === 1) {
    const holders = map.get(keys[0]);
    if (holders === undefined) return EMPTY;
    return typeof holders === 'string' ? new Set([holders]) : holders;
  }
  const out = new Set<string>();
  for (const key of keys) {
    const holders = map.get(key);
    if (holders === undefined) continue;
    if (typeof holders === 'string') out.add(holders);
    else for (const id of holders) out.add(id);
  }
  return out;
}
