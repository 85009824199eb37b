/**
 * Starts jongodb: a MongoDB wire-protocol EMULATOR (an in-memory reimplementation shipped as a
 * native binary in `@jongodb/memory-server-bin-linux-x64-gnu`), NOT a real MongoDB server.
 * It lets the Mongo adapter's contract suite run without a server; where it differs from MongoDB
 * (missing update operators, no change streams, ...) the suite says so by skipping that case.
 * A real MongoDB is tested separately when MONGODB_URI is set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { freePort } from '../../support/free-port';
import { dirname, join } from 'node:path';

export interface MongoWireEmulator {
  /** Always 'jongodb-emulator': results against it are emulator results, not MongoDB results. */
  readonly kind: 'jongodb-emulator';
  /** Connection string with directConnection=true; choose the database in the client. */
  readonly uri: string;
  stop(): Promise<void>;
}

const PACKAGE = '@jongodb/memory-server-bin-linux-x64-gnu';

/** The emulator binary inside the npm package, as its package.json names it. */
export function jongodbBinaryPath(): string {
  const manifestPath = require.resolve(`${PACKAGE}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { jongodb?: { binary?: string } };
  const binary = join(dirname(manifestPath), manifest.jongodb?.binary ?? 'bin/jongodb');
  if (!existsSync(binary)) throw new Error(`jongodb emulator binary not found at ${binary}`);
  return binary;
}

/**
 * The emulator runs under a small shell that kills it when our end of its stdin closes: on stop(),
 * and also when this process dies without cleaning up (a jest worker killed on timeout), so no
 * emulator outlives its test run.
 */
const WATCHDOG = [
  // A background job's stdin is /dev/null in sh, so the watcher reads the pipe through fd 3.
  'exec 3<&0',
  '"$0" "$@" 3<&- & pid=$!',
  'echo "JONGODB_PID=$pid" >&2',
  '(cat <&3 >/dev/null; kill $pid 2>/dev/null) &',
  'exec 3<&-',
  'wait $pid',
].join('\n');

export async function startJongodbEmulator(options: { startTimeoutMs?: number } = {}): Promise<MongoWireEmulator> {
  const binary = jongodbBinaryPath();
  const timeoutMs = options.startTimeoutMs ?? 15_000;
  let lastError: unknown;
  // The free port is found by binding and releasing it, so another process can take it in between:
  // retry on a new port.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn('/bin/sh', ['-c', WATCHDOG, binary, '--host=127.0.0.1', `--port=${port}`], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    try {
      await waitUntilReady(child, port, timeoutMs);
      return {
        kind: 'jongodb-emulator',
        uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
        stop: () => stopProcess(child),
      };
    } catch (error) {
      lastError = error;
      await stopProcess(child);
    }
  }
  throw new Error(`The jongodb emulator did not start: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}


/** Ready when it prints its URI (JONGODB_URI=...) and a TCP connection to the port succeeds. */
function waitUntilReady(child: ChildProcess, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    let settled = false;
    let probing = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout?.removeListener('data', onData);
      child.stderr?.removeListener('data', onData);
      child.removeListener('exit', onExit);
      // Keep draining output so a chatty emulator never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      if (error) reject(error);
      else resolve();
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const pid = /JONGODB_PID=(\d+)/.exec(output);
      if (pid) (child as ChildProcess & { emulatorPid?: number }).emulatorPid = Number(pid[1]);
      if (output.includes('JONGODB_URI=') && !probing) {
        probing = true;
        probe(port).then(
          () => finish(),
          (error: Error) => finish(error),
        );
      }
    };
    const onExit = (code: number | null): void => finish(new Error(`exited with ${code}: ${output.trim().slice(-500)}`));
    const timer = setTimeout(() => finish(new Error(`not ready after ${timeoutMs} ms: ${output.trim().slice(-500)}`)), timeoutMs);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

function probe(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** Closes the watchdog's stdin (it then stops the emulator); kills both if that takes too long. */
function stopProcess(child: ChildProcess & { emulatorPid?: number }): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      if (child.emulatorPid) killQuietly(child.emulatorPid);
      child.kill('SIGKILL');
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.stdin?.end();
  });
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
