/**
 * Pre-loads a DATA_DIR's event log with a realistic mix of events through the embedded log itself
 * (`EmbeddedEventStore`, group commit), while the service is stopped. On its next start the service
 * projects them: that is what the catch-up and start-to-healthy figures measure.
 *
 * The mix, for `events` = M and `tickets` = T:
 * - one `TicketNumberBlockAllocated` on `ticket-numbers` covering the pre-loaded numbers, so the
 *   service's own numbers continue after them (ticket numbers are unique in the read model);
 * - T `TicketCreated`, `userTickets` of them (spread evenly) by the benchmark user, the others by
 *   `fakeUsers` other accounts (each of those gets about T / fakeUsers tickets too);
 * - about 3% order events: direct orders (`OrderSubmitted`), half of them then `OrderAttested`;
 *   `approvalsForUser` of the orders are the benchmark organisation's, awaiting attestation (the
 *   benchmark user is an attestant there, so they are in `GET /approvals`);
 * - one order of `auditOrderEvents` events (submitted, then attestations) for the audit replay;
 * - the rest `TicketMessagePosted` on random tickets, a fifth of them staff replies that notify the
 *   requester (unread markers, e-mails), the others the requester's own messages.
 */
import { newId } from '../libs/kernel/src/ids';
import type { EventMetadata } from '@kundportal/kernel';
import { SEED_OFFERING, SEED_SERVICE } from '../libs/catalogue/src/catalogue.seeder';
import { EmbeddedEventStore } from '../libs/eventstore/src/embedded/embedded-event-store';
import type { EventToAppend, ExpectedRevision } from '../libs/eventstore/src/event-store.port';

export interface PreloadSpec {
  dataDir: string;
  events: number;
  tickets: number;
  userTickets: number;
  fakeUsers: number;
  approvalsForUser: number;
  auditOrderEvents: number;
  user: { accountId: string; name: string; email: string };
  organisation: { id: string; name: string };
}

export interface PreloadResult {
  appended: number;
  headBefore: string;
  head: string;
  seconds: number;
  auditOrderId: string;
  counts: Record<string, number>;
}

const GROUP = 2000;
const STAFF = { id: 'staff:bench-support', name: 'Sam Support', staff: true };
/** The order form as orders copy it: the catalogue's seed offering at its first version. */
const OFFERING = { serviceId: SEED_SERVICE.serviceId, serviceName: SEED_SERVICE.name, ...SEED_OFFERING, version: 1 };
const DESCRIPTION =
  'Since this morning signing certificates fails with error 1234 for everyone at the care unit. We have restarted the clients and cleared caches.';
const MESSAGE = 'We still see the error after the update this afternoon; the log says the signing service did not answer within 30 seconds.';

export async function preload(spec: PreloadSpec): Promise<PreloadResult> {
  const started = Date.now();
  const store = EmbeddedEventStore.open({ dataDir: spec.dataDir });
  const headBefore = await store.headPosition();
  const counts: Record<string, number> = {};
  const base = Date.UTC(2025, 0, 1);
  let sequence = 0;
  let pending: Promise<unknown>[] = [];
  let appended = 0;

  const metadata = (actor: EventMetadata['actor']): EventMetadata => ({
    actor,
    correlationId: newId(),
    causationId: newId(),
    occurredAt: new Date(base + sequence * 50).toISOString(),
    schemaVersion: 1,
  });
  const at = () => new Date(base + sequence * 50).toISOString();
  const append = async (streamId: string, events: Array<Omit<EventToAppend, 'id'>>, expectedRevision: ExpectedRevision) => {
    pending.push(store.appendToStream(streamId, events.map((e) => ({ id: newId(), ...e })), { expectedRevision }));
    for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
    appended += events.length;
    sequence += events.length;
    if (pending.length >= GROUP) await drain();
  };
  const drain = async () => {
    const waiting = pending;
    pending = [];
    await Promise.all(waiting);
  };

  try {
    const fakeUsers = Array.from({ length: spec.fakeUsers }, (_, i) => ({ accountId: newId(), name: `Kund ${i}`, email: `kund.${i}@region.example` }));
    const fakeOrganisations = Array.from({ length: 200 }, (_, i) => ({ id: newId(), name: `Region ${i}` }));

    // 1. The numbers the pre-loaded tickets use, taken as one block.
    await append('ticket-numbers', [{ type: 'TicketNumberBlockAllocated', data: { first: 1001, last: 1000 + spec.tickets }, metadata: metadata({ id: 'system', name: 'Kundportal' }) }], 'no_stream');

    // 2. Tickets.
    const ticketIds: string[] = [];
    const requesters: Array<{ accountId: string; name: string; email: string }> = [];
    const stride = Math.max(1, Math.floor(spec.tickets / spec.userTickets));
    let userTickets = 0;
    for (let i = 0; i < spec.tickets; i++) {
      const mine = i % stride === 0 && userTickets < spec.userTickets;
      if (mine) userTickets++;
      const requester = mine ? spec.user : fakeUsers[i % fakeUsers.length];
      const ticketId = newId();
      ticketIds.push(ticketId);
      requesters.push(requester);
      const actor = { id: requester.accountId, name: requester.name, method: 'bankid' as const };
      await append(
        `ticket-${ticketId}`,
        [
          {
            type: 'TicketCreated',
            metadata: metadata(actor),
            data: {
              ticketId,
              number: `T-${1001 + i}`,
              type: i % 3 === 0 ? 'fault-report' : 'question',
              subject: `Signing fails at care unit ${i}`,
              description: DESCRIPTION,
              channel: 'portal',
              requester,
              organisationId: null,
              serviceId: null,
              collaborators: [],
              createdBy: { id: requester.accountId, name: requester.name, staff: false },
              createdAt: at(),
            },
          },
        ],
        'no_stream',
      );
    }

    // 3. Orders and messages, mixed; the long audit order half-way.
    const auditOrderId = newId();
    const fixed = 1 + spec.tickets + spec.auditOrderEvents;
    const rest = Math.max(0, spec.events - fixed);
    const orderEvents = Math.max(spec.approvalsForUser * 2, Math.round(rest * 0.03));
    const orders = Math.ceil(orderEvents / 1.5);
    const toAttest: Array<{ orderId: string; organisationId: string }> = [];
    let ordersSubmitted = 0;
    let orderEventsWritten = 0;
    let auditWritten = false;
    for (let slot = 0; slot < rest; slot++) {
      if (!auditWritten && slot >= rest / 2) {
        auditWritten = true;
        await appendAuditOrder(auditOrderId, fakeOrganisations[0]);
      }
      const wantOrder = orderEventsWritten < orderEvents && (Math.random() < 0.03 || rest - slot <= orderEvents - orderEventsWritten);
      if (wantOrder && (ordersSubmitted < orders || toAttest.length > 0)) {
        orderEventsWritten++;
        if (toAttest.length > 0 && (ordersSubmitted >= orders || Math.random() < 0.5)) {
          const { orderId, organisationId } = toAttest.pop()!;
          await append(
            `order-${orderId}`,
            [
              {
                type: 'OrderAttested',
                metadata: metadata({ id: newId(), name: 'Asa Attestant', method: 'bankid' }),
                data: { orderId, customerOrganisationId: organisationId, step: 'attestation', organisationId, method: 'bankid', by: { accountId: newId(), name: 'Asa Attestant' }, at: at() },
              },
            ],
            0n,
          );
          continue;
        }
        const forUser = ordersSubmitted < spec.approvalsForUser;
        const organisation = forUser ? spec.organisation : fakeOrganisations[ordersSubmitted % fakeOrganisations.length];
        const orderId = newId();
        ordersSubmitted++;
        await append(
          `order-${orderId}`,
          [
            {
              type: 'OrderSubmitted',
              metadata: metadata({ id: submitter().accountId, name: submitter().name, method: 'bankid' }),
              data: {
                orderId,
                organisationId: organisation.id,
                organisationName: organisation.name,
                offering: OFFERING,
                details: { careUnits: 1 + (slot % 7) },
                viaAgentOrganisationId: null,
                viaAgentOrganisationName: null,
                submittedBy: submitter(),
                termsAccepted: true,
                submittedAt: at(),
              },
            },
          ],
          'no_stream',
        );
        if (!forUser && ordersSubmitted % 2 === 0) toAttest.push({ orderId, organisationId: organisation.id });
        continue;
      }
      const t = Math.floor(Math.random() * ticketIds.length);
      const requester = requesters[t];
      const fromStaff = Math.random() < 0.2;
      const author = fromStaff ? STAFF : { id: requester.accountId, name: requester.name, staff: false };
      await append(
        `ticket-${ticketIds[t]}`,
        [
          {
            type: 'TicketMessagePosted',
            metadata: metadata(fromStaff ? { id: STAFF.id, name: STAFF.name, staff: true } : { id: requester.accountId, name: requester.name, method: 'bankid' }),
            data: {
              ticketId: ticketIds[t],
              messageId: newId(),
              author,
              body: MESSAGE,
              internal: false,
              attachmentIds: [],
              notify: fromStaff ? [requester] : [],
              // As the service writes a reply that notifies: naming its ticket for the e-mail.
              ...(fromStaff ? { ticket: { number: `T-${1001 + t}`, subject: `Signing fails at care unit ${t}` } } : {}),
              at: at(),
            },
          },
        ],
        'any',
      );
    }
    if (!auditWritten) await appendAuditOrder(auditOrderId, fakeOrganisations[0]);
    await drain();
    const head = await store.headPosition();
    return { appended, headBefore: headBefore.toString(), head: head.toString(), seconds: (Date.now() - started) / 1000, auditOrderId, counts };
  } finally {
    await drain().catch(() => undefined);
    await store.close();
  }

  async function appendAuditOrder(orderId: string, organisation: { id: string; name: string }): Promise<void> {
    const by = { accountId: newId(), name: 'Anna Attestant' };
    const events: Array<Omit<EventToAppend, 'id'>> = [
      {
        type: 'OrderSubmitted',
        metadata: metadata({ id: submitter().accountId, name: 'Olle Beställare', method: 'bankid' }),
        data: {
          orderId,
          organisationId: organisation.id,
          organisationName: organisation.name,
          offering: OFFERING,
          details: { careUnits: 3 },
          viaAgentOrganisationId: newId(),
          viaAgentOrganisationName: 'Agent AB',
          submittedBy: submitter(),
          termsAccepted: true,
          submittedAt: at(),
        },
      },
    ];
    for (let i = 1; i < spec.auditOrderEvents; i++) {
      events.push({
        type: 'OrderAttested',
        metadata: metadata({ id: by.accountId as string, name: by.name, method: 'bankid' }),
        data: { orderId, customerOrganisationId: organisation.id, step: i % 2 ? 'agent-attestation' : 'attestation', organisationId: organisation.id, method: 'bankid', by, at: at() },
      });
    }
    await append(`order-${orderId}`, events, 'no_stream');
  }

  function submitter() {
    return { accountId: '00000000-0000-4000-8000-00000000a001', name: 'Olle Beställare' };
  }
}
