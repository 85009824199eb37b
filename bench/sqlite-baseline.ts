/**
 * The limit for the log: a bare `better-sqlite3` insert loop with the embedded log's durability
 * settings (WAL, `synchronous=FULL`) and its table, one transaction (one durable commit) per insert.
 * Run by `bench/run.ts` in its own process, or alone: node -r @swc-node/register bench/sqlite-baseline.ts
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SqliteBaseline {
  commits: number;
  seconds: number;
  commitsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

export function sqliteCommitBaseline(options: { seconds: number; maxCommits: number }): SqliteBaseline {
  const dir = mkdtempSync(join(tmpdir(), 'kp-bench-sqlite-'));
  try {
    const db = new Database(join(dir, 'events.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`
      CREATE TABLE events (
        position  INTEGER PRIMARY KEY AUTOINCREMENT,
        stream_id TEXT    NOT NULL,
        revision  INTEGER NOT NULL,
        event_id  TEXT    NOT NULL UNIQUE,
        type      TEXT    NOT NULL,
        data      TEXT    NOT NULL,
        metadata  TEXT    NOT NULL,
        UNIQUE (stream_id, revision)
      );
    `);
    const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
    const data = JSON.stringify({ ticketId: randomUUID(), subject: 'Signing fails', description: 'Since this morning signing fails with error 1234.' });
    const metadata = JSON.stringify({ actor: { id: randomUUID(), name: 'Anna' }, correlationId: randomUUID(), causationId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1 });
    const times: number[] = [];
    const started = process.hrtime.bigint();
    const deadline = started + BigInt(Math.round(options.seconds * 1e9));
    // Autocommit: each run() is its own transaction, so each insert is one durable commit.
    for (let i = 0; i < options.maxCommits; i++) {
      const t0 = process.hrtime.bigint();
      insert.run(`ticket-${i}`, 0, randomUUID(), 'TicketCreated', data, metadata);
      const t1 = process.hrtime.bigint();
      times.push(Number(t1 - t0) / 1e6);
      if (t1 > deadline) break;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    db.close();
    const sorted = [...times].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
    return {
      commits: times.length,
      seconds,
      commitsPerSecond: times.length / seconds,
      p50Ms: at(50),
      p99Ms: at(99),
      meanMs: times.reduce((a, b) => a + b, 0) / times.length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const seconds = Number(process.argv[2] ?? 3);
  process.stdout.write(`${JSON.stringify(sqliteCommitBaseline({ seconds, maxCommits: 100_000 }))}\n`);
}
