/**
 * Child processes for the benchmark: the service, the no-op baseline app and the load generator
 * each run as their own OS process on 127.0.0.1. Every child is tracked so the runner can kill
 * them all on the way out, also when it fails or is interrupted.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../../test/support/free-port';

export { freePort };

const OUTPUT_LIMIT = 64 * 1024;
const live = new Set<Child>();

process.once('exit', () => {
  for (const child of live) child.killNow();
});

export class Child {
  private output = '';
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Called with each complete stdout line (for children that report by printing JSON). */
  onLine?: (line: string) => void;
  private partial = '';

  constructor(readonly name: string, private readonly process: ChildProcess) {
    live.add(this);
    process.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.keep(text);
      this.partial += text;
      let newline: number;
      while ((newline = this.partial.indexOf('\n')) >= 0) {
        const line = this.partial.slice(0, newline);
        this.partial = this.partial.slice(newline + 1);
        this.onLine?.(line);
      }
    });
    process.stderr?.on('data', (chunk: Buffer) => this.keep(chunk.toString('utf8')));
    this.exited = new Promise((resolve) => {
      process.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        live.delete(this);
      });
      // 'close' comes after 'exit' once stdout and stderr are drained: a child's last line (the
      // load generator's result can be hundreds of kilobytes) may still be in the pipe at 'exit'.
      process.once('close', (code, signal) => {
        this.exitInfo ??= { code, signal };
        live.delete(this);
        resolve(this.exitInfo);
      });
    });
  }

  private keep(text: string): void {
    this.output = (this.output + text).slice(-OUTPUT_LIMIT);
  }

  get pid(): number {
    return this.process.pid as number;
  }

  get hasExited(): boolean {
    return this.exitInfo !== null;
  }

  get exitDescription(): string {
    return JSON.stringify(this.exitInfo);
  }

  /** The tail of what the child wrote to stdout and stderr. */
  get log(): string {
    return this.output;
  }

  killNow(): void {
    if (!this.exitInfo) this.process.kill('SIGKILL');
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.exitInfo) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.killNow(), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Starts `node [...nodeArgs] script [...args]` with the given environment. */
export function spawnNode(name: string, nodeArgs: string[], env: NodeJS.ProcessEnv, cwd: string): Child {
  const child = spawn(process.execPath, nodeArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Child(name, child);
}

/** Kills every child still running (used in the runner's `finally`). */
export async function killAll(): Promise<void> {
  const children = [...live];
  for (const child of children) child.killNow();
  await Promise.all(children.map((c) => c.exited));
}


/** Resident and peak resident memory of a process in MiB, from /proc (Linux). */
export function memoryOf(pid: number): { rssMiB: number; hwmMiB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
