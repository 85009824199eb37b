import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadModelFile } from './sqlite-read-model-file';

const body = (value: unknown) => JSON.stringify(value);

describe('SqliteReadModelFile: durable and relaxed writes', () => {
  let dir: string;
  let file: SqliteReadModelFile;
  /** What a restart would load: the documents committed to the file, per collection. */
  const onDisk = (collection: string) => {
    const found: Record<string, unknown> = {};
    file.loadDocuments((c, id, doc) => {
      if (c === collection) found[id] = doc;
    });
    return found;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kp-readmodel-file-'));
    file = SqliteReadModelFile.open(dir);
  });
  afterEach(() => {
    file.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a durable change at once', () => {
    file.commit({ collection: 'c', upserts: [['a', body({ v: 1 })]], deletes: [] });
    expect(onDisk('c')).toEqual({ a: { v: 1 } });
  });

  it('keeps relaxed changes back, then writes them before the next durable one, in one go', () => {
    const docs = memory({ a: { v: 1 } });
    const checkpoints = memory({ p: { position: '7' } });
    file.changed('docs', ['a'], docs.bodyOf);
    file.changed('checkpoints', ['p'], checkpoints.bodyOf);
    expect(onDisk('docs')).toEqual({});
    expect(onDisk('checkpoints')).toEqual({});
    file.commit({ collection: 'keys', upserts: [['k', body({ answer: 201 })]], deletes: [] });
    expect([onDisk('docs'), onDisk('checkpoints'), onDisk('keys')]).toEqual([{ a: { v: 1 } }, { p: { position: '7' } }, { k: { answer: 201 } }]);
  });

  it('writes a document changed many times while it waited once, as it is when written; a deleted one not at all', () => {
    const docs = memory({});
    let encoded = 0;
    const counting = (id: string) => (encoded++, docs.bodyOf(id));
    for (let v = 1; v <= 1000; v++) {
      docs.set('hot', { v });
      file.changed('docs', ['hot'], counting);
    }
    docs.set('gone', { v: 1 });
    file.changed('docs', ['gone'], counting);
    docs.delete('gone');
    file.changed('docs', ['gone'], counting);
    file.flush();
    expect(onDisk('docs')).toEqual({ hot: { v: 1000 } });
    expect(encoded).toBe(2);
  });

  it('writes relaxed changes by itself shortly after, and on close', async () => {
    const docs = memory({ a: { v: 1 } });
    file.changed('docs', ['a'], docs.bodyOf);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(onDisk('docs')).toEqual({ a: { v: 1 } });

    docs.set('b', { v: 2 });
    file.changed('docs', ['b'], docs.bodyOf);
    file.close();
    file = SqliteReadModelFile.open(dir);
    expect(onDisk('docs')).toEqual({ a: { v: 1 }, b: { v: 2 } });
  });

  it('writes what waited before dropping a collection, so the drop is not undone', () => {
    const docs = memory({ a: { v: 1 } });
    file.changed('docs', ['a'], docs.bodyOf);
    docs.delete('a');
    file.commit({ collection: 'docs', cleared: true, upserts: [['b', body({ v: 2 })]], deletes: [] });
    expect(onDisk('docs')).toEqual({ b: { v: 2 } });
  });
});

/** Documents in memory, as the store holds them, and how the file reads their bodies. */
function memory(initial: Record<string, unknown>) {
  const docs = new Map(Object.entries(initial));
  return {
    set: (id: string, doc: unknown) => docs.set(id, doc),
    delete: (id: string) => docs.delete(id),
    bodyOf: (id: string): string | null => (docs.has(id) ? body(docs.get(id)) : null),
  };
}
