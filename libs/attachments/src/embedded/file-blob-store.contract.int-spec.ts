import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describeBlobStoreContract } from '../testing/blob-store.contract';
import { ATTACHMENTS_DIR, FileBlobStore } from './file-blob-store';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'kundportal-attachments-'));
const meta = { contentType: 'text/plain', fileName: 'a.txt', maxBytes: 1024 };

describeBlobStoreContract('embedded (files in DATA_DIR)', async () => {
  const dataDir = tempDir();
  const store = await FileBlobStore.open({ dataDir });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('FileBlobStore on disk', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDir();
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a blob in attachments/<2 chars>/<id>/ as data + meta.json, and gives it back after reopening', async () => {
    const id = randomUUID();
    const first = await FileBlobStore.open({ dataDir });
    await first.put(id, Readable.from([Buffer.from('hello')]), meta);
    await first.close();
    const dir = join(dataDir, ATTACHMENTS_DIR, id.slice(0, 2), id);
    expect(readdirSync(dir).sort()).toEqual(['data', 'meta.json']);
    expect(readFileSync(join(dir, 'data'), 'utf8')).toBe('hello');
    expect(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'))).toMatchObject({ id, size: 5, contentType: 'text/plain', fileName: 'a.txt' });
    const second = await FileBlobStore.open({ dataDir });
    const blob = await second.get(id);
    const parts: Buffer[] = [];
    for await (const part of blob!.stream) parts.push(part as Buffer);
    expect(Buffer.concat(parts).toString()).toBe('hello');
    await second.close();
  });

  it('leaves nothing in the work folder after puts that failed', async () => {
    const store = await FileBlobStore.open({ dataDir });
    await expect(store.put(randomUUID(), Readable.from([randomBytes(2000)]), meta)).rejects.toThrow(/larger than 1024/);
    const failing = new Readable({ read() { this.destroy(new Error('boom')); } });
    await expect(store.put(randomUUID(), failing, meta)).rejects.toThrow('boom');
    await store.close();
    expect(readdirSync(join(dataDir, ATTACHMENTS_DIR, '.tmp'))).toEqual([]);
    expect(readdirSync(join(dataDir, ATTACHMENTS_DIR)).sort()).toEqual(['.tmp']);
  });

  it('removes, when opened, what a crash left half-written; keeps complete blobs', async () => {
    const id = randomUUID();
    const store = await FileBlobStore.open({ dataDir });
    await store.put(id, Readable.from([Buffer.from('kept')]), meta);
    await store.close();
    // A put and a delete interrupted by a crash: a process id that cannot be running (above pid_max).
    const temp = join(dataDir, ATTACHMENTS_DIR, '.tmp');
    const halfPut = join(temp, `99999999-${randomUUID()}`);
    mkdirSync(halfPut);
    writeFileSync(join(halfPut, 'data'), 'partial');
    const strayFile = join(temp, 'not-ours');
    writeFileSync(strayFile, '');
    // One of another live process (ours stands in for it, via its parent's pid) is kept.
    const otherLive = join(temp, `${process.ppid}-${randomUUID()}`);
    mkdirSync(otherLive);

    const reopened = await FileBlobStore.open({ dataDir });
    expect(existsSync(halfPut)).toBe(false);
    expect(existsSync(strayFile)).toBe(false);
    expect(existsSync(otherLive)).toBe(true);
    const blob = await reopened.get(id);
    blob?.stream.destroy();
    expect(blob?.size).toBe(4);
    await reopened.close();
  });

  it('shows nothing of a put whose process was killed (kill -9) mid-way, and clears its leftovers at the next open', async () => {
    const id = randomUUID();
    // A child process streams endless bytes into a put and says when a megabyte is on its way to disk.
    const script = `
      const { Readable } = require('node:stream');
      const { FileBlobStore } = require(${JSON.stringify(join(__dirname, 'file-blob-store.ts'))});
      (async () => {
        const store = await FileBlobStore.open({ dataDir: ${JSON.stringify(dataDir)} });
        let sent = 0;
        const endless = new Readable({ read() {
          sent += 65536;
          if (sent === 1048576) process.stdout.write('WRITING');
          this.push(Buffer.alloc(65536, 7));
        } });
        await store.put(${JSON.stringify(id)}, endless, { contentType: 'x/y', fileName: 'f', maxBytes: 1e12 });
      })();
    `;
    const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (data: Buffer) => data.toString().includes('WRITING') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const temp = join(dataDir, ATTACHMENTS_DIR, '.tmp');
    expect(readdirSync(temp)).toHaveLength(1); // the killed put's work folder

    const store = await FileBlobStore.open({ dataDir });
    expect(await store.get(id)).toBeNull();
    expect(readdirSync(temp)).toEqual([]);
    await store.put(id, Readable.from([Buffer.from('fresh')]), meta);
    const blob = await store.get(id);
    blob?.stream.destroy();
    expect(blob?.size).toBe(5);
    await store.close();
  }, 20_000);

  it('refuses a put whose id folder exists already, even when it appeared after the put started', async () => {
    const id = randomUUID();
    const store = await FileBlobStore.open({ dataDir });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = new Readable({
      read() {
        gate.then(() => {
          this.push(Buffer.from('late'));
          this.push(null);
        }, () => undefined);
      },
    });
    const racing = store.put(id, slow, meta);
    // Another process commits the same id meanwhile (simulated by a second store on the same folder).
    const other = await FileBlobStore.open({ dataDir });
    await other.put(id, Readable.from([Buffer.from('first')]), meta);
    release();
    await expect(racing).rejects.toThrow(/already exists/);
    const blob = await store.get(id);
    const parts: Buffer[] = [];
    for await (const part of blob!.stream) parts.push(part as Buffer);
    expect(Buffer.concat(parts).toString()).toBe('first');
    await other.close();
    await store.close();
  });

  it('reports down and refuses calls once closed; close waits for puts under way', async () => {
    const store = await FileBlobStore.open({ dataDir });
    const id = randomUUID();
    const put = store.put(id, Readable.from([Buffer.from('x')]), meta);
    await store.close();
    await expect(put).resolves.toMatchObject({ size: 1 });
    expect((await store.health()).status).toBe('down');
    await expect(store.get(id)).rejects.toThrow(/closed/);
    await expect(store.put(randomUUID(), Readable.from([]), meta)).rejects.toThrow(/closed/);
  });
});
