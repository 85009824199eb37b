/** A small JSON client over fetch for the runner's own (sequential) requests. */
export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
  /** From sending the request to the answer's last byte, before the client parses it. */
  elapsedMs: number;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  minPosition?: string | null;
  timeoutMs?: number;
}

export async function request<T = any>(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.minPosition) headers['x-min-position'] = options.minPosition;
  const start = performance.now();
  const response = await fetch(baseUrl + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  const elapsedMs = performance.now() - start;
  const body = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  return { status: response.status, body: body as T, headers: response.headers, elapsedMs };
}

/** The answer's body if its status is the expected one; otherwise an error naming the step. */
export function expectStatus<T>(answer: Answer<T>, status: number, what: string): T {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Percentile of already sorted numbers (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
