import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { CONFIG_VARIABLES } from '@kundportal/kernel';
import { freePort } from './free-port';

export { freePort };

/** The repository root: the child runs the TypeScript sources from here. */
export const REPO_ROOT = resolve(__dirname, '..', '..');
const ENTRIES = { api: 'apps/portal-api/src/main.ts', projector: 'apps/projector/src/main.ts' } as const;

const OUTPUT_LIMIT = 64 * 1024;
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});


export function freshDataDir(prefix = 'kp-durability-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Copies a data directory, leaving out the files whose names `skip` accepts. */
export function copyDataDir(from: string, skip: (fileName: string) => boolean = () => false): string {
  const to = freshDataDir('kp-durability-copy-');
  cpSync(from, to, { recursive: true, filter: (source) => source === from || !skip(basename(source)) });
  return to;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HttpAnswer<T = any> {
  status: number;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  minPosition?: string | bigint | null;
  timeoutMs?: number;
}

/**
 * The real server as its own OS process: `node -r @swc-node/register apps/portal-api/src/main.ts`
 * (TypeScript compiled in memory on load, tsconfig `paths` resolved), on 127.0.0.1 with the given
 * DATA_DIR and a free port, logging nothing. Output is kept (the last 64 KiB) for failure messages.
 */
export class ServerProcess {
  private output = '';
  private exitInfo: ProcessExit | null = null;
  private readonly exitedPromise: Promise<void>;

  private constructor(private readonly child: ChildProcess, readonly port: number, readonly dataDir: string) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exitedPromise = new Promise((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        live.delete(child);
        resolveExit();
      });
    });
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exited(): boolean {
    return this.exitInfo !== null;
  }

  /** What the process wrote to stdout and stderr (the tail). */
  get log(): string {
    return this.output;
  }

  /** Starts the server and waits until `GET /health` answers 200. */
  static async start(options: {
    dataDir: string;
    env?: Record<string, string>;
    readyTimeoutMs?: number;
    /** The API (default) or the projector, which answers `/health` and `/metrics` only. */
    app?: keyof typeof ENTRIES;
  }): Promise<ServerProcess> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Inherited settings are dropped so the child runs on its embedded defaults whatever the shell exported.
    for (const name of CONFIG_VARIABLES) delete env[name];
    Object.assign(env, {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'silent',
      PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000',
      SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.json'),
      ...(options.env ?? {}),
    });
    const child = spawn(process.execPath, ['-r', '@swc-node/register', ENTRIES[options.app ?? 'api']], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    const server = new ServerProcess(child, port, options.dataDir);
    try {
      await server.waitForHealth(options.readyTimeoutMs ?? 30_000);
    } catch (error) {
      await server.kill();
      throw error;
    }
    return server;
  }

  /** Polls `GET /health` until 200; fails early when the process exits. */
  async waitForHealth(timeoutMs: number): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (this.exitInfo) {
        throw new Error(`server exited (${JSON.stringify(this.exitInfo)}) before it was healthy:\n${this.output}`);
      }
      try {
        const answer = await this.request('GET', '/health', { timeoutMs: 2_000 });
        if (answer.status === 200) return answer.body;
        last = `${answer.status} ${JSON.stringify(answer.body)}`;
      } catch (error) {
        last = String((error as Error).message);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server on ${this.baseUrl} not healthy after ${timeoutMs} ms (${last}):\n${this.output}`);
  }

  /** Sends SIGKILL now (synchronously); the promise settles when the process is gone. */
  kill(): Promise<void> {
    if (!this.exitInfo) this.child.kill('SIGKILL');
    return this.exitedPromise;
  }

  /** SIGTERM (a graceful shutdown), then SIGKILL after `timeoutMs`; resolves to how the process ended. */
  async stop(timeoutMs = 5_000): Promise<ProcessExit> {
    if (!this.exitInfo) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      await this.exitedPromise;
      clearTimeout(timer);
    }
    return this.exitInfo as ProcessExit;
  }

  /** One HTTP request; rejects only when no answer came (connection refused or reset, timeout). */
  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.minPosition !== undefined && options.minPosition !== null) headers['x-min-position'] = String(options.minPosition);
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    const body = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    return { status: response.status, body: body as T };
  }

  /** A dev-issuer token (`POST /auth/dev/sign-in`). */
  async signIn(personalNumber: string, options: { name?: string; staff?: boolean; method?: 'bankid' | 'freja' } = {}): Promise<string> {
    const answer = await this.request('POST', '/auth/dev/sign-in', {
      body: { personalNumber, method: options.method ?? 'bankid', ...(options.name ? { name: options.name } : {}), ...(options.staff ? { staff: true } : {}) },
    });
    if (answer.status !== 200) throw new Error(`sign-in failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.accessToken as string;
  }
}
