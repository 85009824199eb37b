import { compare, resolve } from 'mingo/util';
import type { Doc, SortSpec } from '../read-store.port';

/** Names whose plain property read differs from mingo's `resolve` (prototype members). */
const INHERITED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

interface Row {
  doc: Doc;
  values: unknown[];
  /** Order of arrival, which breaks ties (the sort is stable). */
  seq: number;
}

/**
 * The first `keep` documents in a sort order, offered one at a time: mingo's value order (its
 * `compare` and path `resolve`, the same its $sort uses), each key resolved once per document,
 * and stable, so ties keep the order they were offered in.
 *
 * Only the `keep` best rows are held (a heap with the worst of them on top), so a page of 20 out
 * of 100,000 candidates costs a comparison with the worst kept row for most candidates, and
 * nothing is allocated for those, instead of a sort of all of them. Strings and numbers (what
 * read models sort by) are compared inline; other values go to mingo. (mingo compares arrays
 * with other values element by element, which is not a total order: documents sorted by an
 * array-valued field come in an order no sort algorithm defines, here as before.)
 */
export class SortedPage {
  private readonly keys: string[];
  private readonly directions: number[];
  private readonly readers: Array<(doc: Doc) => unknown>;
  /** With a limit: a binary heap, worst row first. Without: every row, in arrival order. */
  private readonly rows: Row[] = [];
  private readonly scratch: unknown[];
  private offered = 0;

  constructor(
    spec: SortSpec,
    private readonly keep = Infinity,
  ) {
    this.keys = Object.keys(spec);
    this.directions = this.keys.map((key) => (spec[key] === -1 ? -1 : 1));
    this.readers = this.keys.map(sortKeyReader);
    this.scratch = new Array<unknown>(this.keys.length);
  }

  offer(doc: Doc): void {
    const seq = this.offered++;
    if (this.keep <= 0) return;
    const rows = this.rows;
    if (this.keep === Infinity) {
      rows.push({ doc, values: this.readers.map((read) => read(doc)), seq });
      return;
    }
    const scratch = this.scratch;
    for (let i = 0; i < scratch.length; i++) scratch[i] = this.readers[i](doc);
    if (rows.length < this.keep) {
      rows.push({ doc, values: scratch.slice(), seq });
      this.siftUp(rows.length - 1);
      return;
    }
    // Kept only if it sorts strictly before the worst kept row (on a tie, the earlier one stays).
    if (this.order(scratch, rows[0].values) >= 0) return;
    rows[0] = { doc, values: scratch.slice(), seq };
    this.siftDown(0);
  }

  /** The documents kept, in order. */
  documents(): Doc[] {
    return [...this.rows].sort((a, b) => this.compareRows(a, b)).map((row) => row.doc);
  }

  private order(a: unknown[], b: unknown[]): number {
    for (let i = 0; i < a.length; i++) {
      const order = compareValues(a[i], b[i]);
      if (order !== 0) return this.directions[i] * order;
    }
    return 0;
  }

  private compareRows(a: Row, b: Row): number {
    return this.order(a.values, b.values) || a.seq - b.seq;
  }

  private siftUp(i: number): void {
    const rows = this.rows;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compareRows(rows[i], rows[parent]) <= 0) return;
      [rows[i], rows[parent]] = [rows[parent], rows[i]];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const rows = this.rows;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < rows.length && this.compareRows(rows[left], rows[worst]) > 0) worst = left;
      if (right < rows.length && this.compareRows(rows[right], rows[worst]) > 0) worst = right;
      if (worst === i) return;
      [rows[i], rows[worst]] = [rows[worst], rows[i]];
      i = worst;
    }
  }
}

/** What mingo's `resolve` gives for a sort key, without its path machinery for a top-level field. */
export function sortKeyReader(key: string): (doc: Doc) => unknown {
  return key.includes('.') || INHERITED.has(key) ? (doc) => resolve(doc, key) : (doc) => doc[key];
}

/** mingo's `compare`, with the cases read models sort by (two strings, two numbers) inline. */
export function compareValues(a: unknown, b: unknown): number {
  const t = typeof a;
  if ((t === 'string' || t === 'number') && typeof b === t) return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  return compare(a, b);
}

