/**
 * Ticket list for one user with 100 tickets among 100,000 in the embedded read store: the query
 * behind `GET /tickets` (filter, sort by last activity, page of 20, total). Prints p50/p99.
 * Run: node -r @swc-node/register bench/ticket-list.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedReadStore } from '@kundportal/readstore';
import { ProjectionBatch } from '../libs/readstore/src/projections/projection-batch';
import { TicketQueries, ticketsProjection } from '@kundportal/ticketing';

const TOTAL = 100_000;
const USERS = 1_000;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kp-bench-tickets-'));
  const store = await EmbeddedReadStore.open({ dataDir: dir });
  for (const [name, indexes] of Object.entries(ticketsProjection.collections)) await store.collection(name).createIndexes(indexes);
  const t0 = Date.now();
  let position = 0n;
  for (let start = 0; start < TOTAL; start += 1000) {
    const batch = new ProjectionBatch(store, new Set(Object.keys(ticketsProjection.collections)));
    for (let i = start; i < start + 1000; i++) {
      position += 1n;
      const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      await ticketsProjection.apply(
        {
          id: `e${i}`,
          streamId: `ticket-t${i}`,
          revision: 0n,
          position,
          type: 'TicketCreated',
          metadata: { actor: { id: 'a', name: 'A' }, correlationId: 'c', causationId: 'c', occurredAt: at, schemaVersion: 1 },
          data: {
            ticketId: `t${i}`,
            number: `T-${1001 + i}`,
            type: 'question',
            subject: `Ticket ${i}`,
            description: 'd',
            channel: 'portal',
            requester: { accountId: `user-${i % USERS}`, name: 'U', email: 'u@x.se' },
            organisationId: null,
            serviceId: null,
            collaborators: [],
            createdBy: { id: 'a', name: 'A', staff: false },
            createdAt: at,
          },
        },
        batch,
      );
    }
    await batch.flush();
  }
  console.log(`loaded ${TOTAL} tickets in ${Date.now() - t0} ms`);
  const queries = new TicketQueries(store);
  const reader = { accountId: 'user-42', staff: false, administratorOf: [] };
  const times: number[] = [];
  for (let run = 0; run < 300; run++) {
    const t = process.hrtime.bigint();
    const { items, total } = await queries.list(reader, { skip: 0, limit: 20 });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (items.length !== 20 || total !== TOTAL / USERS) throw new Error(`unexpected answer: ${items.length} of ${total}`);
  }
  const sorted = times.slice(50).sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2);
  console.log(`ticket list, user with 100 of 100,000 tickets (page of 20 + total): p50 ${pct(50)} ms, p99 ${pct(99)} ms`);
  const t2 = Date.now();
  await store.close();
  const reopened = await EmbeddedReadStore.open({ dataDir: dir });
  console.log(`read store reopened with ${TOTAL} tickets in ${Date.now() - t2} ms`);
  await reopened.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
