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
  private count = 0;

  /** `sorted` must already be in `order`. */
  constructor(
    sorted: readonly OrderedRow[],
    private readonly order: RowOrder,
    private readonly chunkSize = CHUNK,
  ) {
    for (let i = 0; i < sorted.length; i += chunkSize) this.chunks.push(sorted.slice(i, i + chunkSize));
    this.count = sorted.length;
  }

  get length(): number {
    return this.count;
  }

  insert(row: OrderedRow): void {
    if (this.chunks.length === 0) {
      this.chunks.push([row]);
      this.count = 1;
      return;
    }
    // The first chunk that ends at or after the row, or else the last one (the row goes at the end).
    const c = Math.min(this.chunkFor(row), this.chunks.length - 1);
    const chunk = this.chunks[c];
    chunk.splice(this.positionIn(chunk, row), 0, row);
    this.count++;
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
    this.count--;
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
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid];
      if (this.order(chunk[chunk.length - 1], row) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first position in `chunk` whose row does not sort before `row`. */
  private positionIn(chunk: readonly OrderedRow[], row: OrderedRow): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order(chunk[mid], row) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
