import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { AppConfig, loadConfig } from '@kundportal/kernel';
import { createApp } from '../../apps/portal-api/src/bootstrap';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface SignInOptions {
  method?: 'bankid' | 'freja' | 'siths';
  name?: string;
  staff?: boolean;
  auditor?: boolean;
}

/**
 * Speaks to the API over real HTTP the way clients do: commands answer a position, and
 * `lastPosition` is sent as `X-Min-Position` on the next request so callers read their own writes.
 * With several base URLs each request goes to the next one in turn, like a round-robin load
 * balancer in front of several API processes.
 */
export class ApiClient {
  lastPosition: string | null = null;
  private turn = 0;

  constructor(private readonly baseUrls: readonly string[]) {}

  async request<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string>; minPosition?: string | null } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const min = options.minPosition === undefined ? this.lastPosition : options.minPosition;
    if (min) headers['x-min-position'] = min;
    const baseUrl = this.baseUrls[this.turn++ % this.baseUrls.length];
    const response = await fetch(baseUrl + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });
    const text = await response.text();
    const body = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    if (body && typeof body === 'object' && typeof (body as { position?: unknown }).position === 'string') {
      this.lastPosition = (body as { position: string }).position;
    }
    return { status: response.status, body: body as T, headers: response.headers };
  }

  get<T = any>(path: string, token?: string) {
    return this.request<T>('GET', path, { token });
  }

  post<T = any>(path: string, body: unknown, token?: string, headers?: Record<string, string>) {
    return this.request<T>('POST', path, { token, body, headers });
  }

  put<T = any>(path: string, body: unknown, token?: string) {
    return this.request<T>('PUT', path, { token, body });
  }

  delete<T = any>(path: string, token?: string) {
    return this.request<T>('DELETE', path, { token });
  }

  async signIn(personalNumber: string, options: SignInOptions = {}): Promise<string> {
    const response = await this.post('/auth/dev/sign-in', { personalNumber, method: options.method ?? 'bankid', ...options });
    if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.accessToken;
  }
}

/** The API on its embedded default, in this process, on 127.0.0.1 with a fresh DATA_DIR. */
export class ApiHarness extends ApiClient {
  private constructor(readonly app: NestFastifyApplication, readonly baseUrl: string, readonly dataDir: string, private readonly ownsDir: boolean) {
    super([baseUrl]);
  }

  static async start(env: Record<string, string> = {}, dataDir?: string, logger?: pino.Logger): Promise<ApiHarness> {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'kp-e2e-'));
    // Tests sign in hundreds of times from one address: the public rate limit is lifted unless a test sets it.
    const config: AppConfig = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000', ...env });
    const app = await createApp(config, logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address() as { port: number };
    return new ApiHarness(app, `http://127.0.0.1:${address.port}`, dir, dataDir === undefined);
  }

  async stop(): Promise<void> {
    await this.app.close();
    if (this.ownsDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
