import type { Projection } from '../projections/projection';

/** A small projection for runner specs: one document per `Counted` event, by its `n`. */
export interface CountedProjection extends Projection {
  /** The `n` of each event applied, in order (not those it failed on). */
  readonly seen: number[];
  /** Fails on the events it picks, after writing (the runner must take that write back); set or cleared at any time. */
  failOn?: (n: number) => boolean;
}

export function countedProjection(
  name: string,
  options: { version?: number; reactor?: boolean; failOn?: (n: number) => boolean; onApplied?: () => void } = {},
): CountedProjection {
  const seen: number[] = [];
  const projection: CountedProjection = {
    name,
    version: options.version ?? 1,
    reactor: options.reactor,
    collections: { [`${name}_docs`]: [{ keys: { n: 1 } }] },
    eventTypes: ['Counted'],
    seen,
    failOn: options.failOn,
    apply(event, ctx) {
      const n = (event.data as { n: number }).n;
      ctx.collection(`${name}_docs`).replaceOne({ _id: String(n) }, { _id: String(n), n }, { upsert: true });
      if (projection.failOn?.(n)) throw new Error(`cannot count ${n}`);
      seen.push(n);
      options.onApplied?.();
    },
  };
  return projection;
}
