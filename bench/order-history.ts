/**
 * Audit replay cost: an order stream of 1,000 events in the embedded log, read and folded by
 * OrderHistory as `GET /audit/orders/:id/history` does. Prints p50/p99 over repeated runs.
 * Run: node -r @swc-node/register bench/order-history.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { CommandExecutor, EmbeddedEventStore } from '@kundportal/eventstore';
import { OrderHistory } from '@kundportal/ordering';
import { OrganisationFactsReader } from '@kundportal/organisations';

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kp-bench-history-'));
  const store = EmbeddedEventStore.open({ dataDir: dir });
  const orderId = randomUUID();
  const metadata = (i: number) => ({
    actor: { id: 'acc', name: 'Anna' },
    correlationId: 'c',
    causationId: 'c',
    occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    schemaVersion: 1,
  });
  const by = { accountId: 'acc', name: 'Anna' };
  const events = [
    {
      id: randomUUID(),
      type: 'OrderSubmitted',
      metadata: metadata(0),
      data: {
        orderId,
        organisationId: 'org',
        organisationName: 'Region',
        offering: { serviceId: 'webcert', serviceName: 'Webcert', offeringId: 'webcert-fristaende', name: 'Webcert Fristående', version: 1, startupFee: { amount: 5000, currency: 'SEK' }, fields: [] },
        details: { careUnits: 3 },
        viaAgentOrganisationId: 'agent',
        viaAgentOrganisationName: 'Agent',
        submittedBy: by,
        termsAccepted: true,
        submittedAt: metadata(0).occurredAt,
      },
    },
  ];
  for (let i = 1; i < 1000; i++) {
    events.push({
      id: randomUUID(),
      type: 'OrderAttested',
      metadata: metadata(i),
      data: { orderId, customerOrganisationId: 'org', step: i % 2 ? 'agent-attestation' : 'attestation', organisationId: 'agent', method: 'bankid', by, at: metadata(i).occurredAt } as never,
    });
  }
  await store.appendToStream(`order-${orderId}`, events, { expectedRevision: 'no_stream' });
  const executor = new CommandExecutor(store);
  const history = new OrderHistory(new OrganisationFactsReader(executor), store);
  const times: number[] = [];
  for (let run = 0; run < 60; run++) {
    const t0 = process.hrtime.bigint();
    const result = await history.history(orderId);
    JSON.stringify(result);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (result.events.length !== 1000) throw new Error('expected 1000 events');
  }
  const sorted = times.slice(10).sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1);
  console.log(`order history, 1,000 events (read + fold + serialise): p50 ${pct(50)} ms, p99 ${pct(99)} ms`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
