/** One id in a compound index's order under a leading key, with the values it is ordered by. */
export interface OrderedRow {
  readonly id: string;
  readonly values: readonly unknown[];
}

/** A total order of rows: by their values, then their ids (0 only for the same row). */
export type RowOrder = (a: OrderedRow, b: OrderedRow) => number;

/** Rows per chunk, about: a chunk is split when it holds twice as many. */
const CHUNK = 512;

/**
 * A compound index's rows under one leading key, in order, kept in chunks of a few hundred. An
 * insert or a removal moves the rows of one chunk, not of all of them: the outbox, read oldest
 * first, removes every mail it sends from the front of 100,000 waiting ones, which in one array
 * meant moving them all each time.
 */
export class OrderedRows {
  private readonly chunks: OrderedRow[][] = [];

  /** `sorted` must already be in `order`. */
  constructor(
    sorted: readonly OrderedRow[],
    private readonly order: RowOrder,
    private readonly chunkSize = CHUNK,
  ) {
    for (let i = 0; i < sorted.length; i += chunkSize) this.chunks.push(sorted.slice(i, i + chunkSize));
  }

  get length(): number {
    let n = 0;
    for (const chunk of this.chunks) n += chunk.length;
    return n;
  }

  insert(row: OrderedRow): void {
    if (this.chunks.length === 0) {
      this.chunks.push([row]);
      return;
    }
    // The first chunk that ends at or after the row, or else the last one (the row goes at the end).
    const c = Math.min(this.chunkFor(row), this.chunks.length - 1);
    const chunk = this.chunks[c];
    chunk.splice(this.positionIn(chunk, row), 0, row);
    if (chunk.length >= 2 * this.chunkSize) this.chunks.splice(c, 1, chunk.slice(0, this.chunkSize), chunk.slice(this.chunkSize));
  }

  /** Removes the row with these values and id; false when it is not there. */
  remove(row: OrderedRow): boolean {
    const c = this.chunkFor(row);
    const chunk = this.chunks[c];
    if (chunk === undefined) return false;
    const at = this.positionIn(chunk, row);
    if (at >= chunk.length || this.order(chunk[at], row) !== 0) return false;
    chunk.splice(at, 1);
    if (chunk.length === 0) this.chunks.splice(c, 1);
    return true;
  }

  *forward(): Generator<OrderedRow> {
    for (const chunk of this.chunks) yield* chunk;
  }

  *backward(): Generator<OrderedRow> {
    for (let c = this.chunks.length - 1; c >= 0; c--) {
      const chunk = this.chunks[c];
      for (let i = chunk.length - 1; i >= 0; i--) yield chunk[i];
    }
  }

  /** The index of the first chunk whose last row does not sort before `row` (chunks.length if none). */
  private chunkFor(row: OrderedRow): number {
    return firstNotBefore(this.chunks.length, (i) => this.order(this.chunks[i][this.chunks[i].length - 1], row) < 0);
  }

  /** The first position in `chunk` whose row does not sort before `row`. */
  private positionIn(chunk: readonly OrderedRow[], row: OrderedRow): number {
    return firstNotBefore(chunk.length, (i) => this.order(chunk[i], row) < 0);
  }
}

/** Binary search over 0..n-1, where `before` holds for a prefix: the first index it does not hold for (n if none). */
function firstNotBefore(n: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
