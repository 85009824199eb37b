/**
 * The load generator, run by `bench/run.ts` as its own process so it does not share an event loop
 * with the runner: autocannon with the options given as one JSON argument, an optional warm-up
 * first, and one JSON line with the result on stdout.
 */
// autocannon ships no type declarations.
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<any>;

export interface LoadRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  request: LoadRequest;
  /** Field of 2xx JSON answers to collect (e.g. `messageId`), with the highest `position` seen. */
  collect?: string;
}

export interface LoadResult {
  durationSeconds: number;
  requests: number;
  rps: number;
  ok2xx: number;
  ok2xxPerSecond: number;
  non2xx: number;
  status5xx: number;
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  collected?: string[];
  maxPosition?: string | null;
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const base = {
    url: spec.url,
    connections: spec.connections,
    pipelining: 1,
    timeout: 20,
  };
  const request = {
    method: spec.request.method,
    path: spec.request.path,
    headers: { ...(spec.request.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(spec.request.headers ?? {}) },
    ...(spec.request.body !== undefined ? { body: spec.request.body } : {}),
  };
  if (spec.warmupSeconds > 0) await autocannon({ ...base, duration: spec.warmupSeconds, requests: [request] });

  const collected: string[] = [];
  let maxPosition: bigint | null = null;
  const onResponse = spec.collect
    ? (status: number, body: string) => {
        if (status < 200 || status >= 300) return;
        try {
          const parsed = JSON.parse(body) as Record<string, unknown>;
          const value = parsed[spec.collect as string];
          if (typeof value === 'string') collected.push(value);
          if (typeof parsed.position === 'string') {
            const position = BigInt(parsed.position);
            if (maxPosition === null || position > maxPosition) maxPosition = position;
          }
        } catch {
          // not JSON: counted as collected nothing
        }
      }
    : undefined;
  const result = await autocannon({ ...base, duration: spec.durationSeconds, requests: [{ ...request, ...(onResponse ? { onResponse } : {}) }] });

  const statusCounts: Record<string, number> = {};
  for (const [code, entry] of Object.entries((result.statusCodeStats ?? {}) as Record<string, { count: number | string }>)) {
    statusCounts[code] = Number(entry.count);
  }
  const ok2xx = Number(result['2xx'] ?? 0);
  const durationSeconds = Number(result.duration);
  return {
    durationSeconds,
    requests: Number(result.requests.total),
    rps: Number(result.requests.total) / durationSeconds,
    ok2xx,
    ok2xxPerSecond: ok2xx / durationSeconds,
    non2xx: Number(result.non2xx ?? 0),
    status5xx: Number(result['5xx'] ?? 0),
    statusCounts,
    errors: Number(result.errors ?? 0),
    timeouts: Number(result.timeouts ?? 0),
    latencyMs: {
      p50: Number(result.latency.p50),
      p90: Number(result.latency.p90),
      p99: Number(result.latency.p99),
      max: Number(result.latency.max),
      mean: Number(result.latency.mean),
    },
    ...(spec.collect ? { collected, maxPosition: maxPosition === null ? null : String(maxPosition) } : {}),
  };
}

run(JSON.parse(process.argv[2]) as LoadSpec)
  .then((result) => {
    // Exit once the line is written: with thousands of collected ids it is larger than a pipe's
    // buffer, and exiting at once would cut it off.
    process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
