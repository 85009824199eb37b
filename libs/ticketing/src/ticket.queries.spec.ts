import { EmbeddedReadStore } from '@kundportal/readstore';
import { project, recorded } from '@kundportal/readstore/testing';
import { TicketCreated, TicketMessagePosted, TicketPriority, TicketPriorityChanged, ticketStream } from './ticket.events';
import { TicketDoc, TICKETS, ticketsProjection } from './ticket.projections';
import { staffTicketFilter, TicketQueries, ticketNumberIn } from './ticket.queries';

describe('staff ticket filters', () => {
  it('a ticket number is T-<digits>, given with or without the T- in any case', () => {
    expect(['T-1001', 't-1001', 't1001', ' 1001 '].map(ticketNumberIn)).toEqual(['T-1001', 'T-1001', 'T-1001', 'T-1001']);
    expect(['T-', 'T-10a', 'webcert', 'TT-1001'].map(ticketNumberIn)).toEqual([null, null, null, null]);
  });

  it('each filter given applies; none given is every ticket', () => {
    expect(staffTicketFilter({})).toEqual({});
    expect(staffTicketFilter({ status: 'open', needsReply: false, priority: 'urgent', type: 'question', organisationId: 'org-1' })).toEqual({
      status: 'open',
      needsReply: false,
      priority: 'urgent',
      type: 'question',
      organisationId: 'org-1',
    });
  });

  it('q: every word of the subject, or the number (a number is also a word), or nothing', () => {
    expect(staffTicketFilter({ q: 'Webcert inloggning' })).toEqual({ $and: [{ words: 'webcert' }, { words: 'inloggning' }] });
    expect(staffTicketFilter({ q: '1001', needsReply: true })).toEqual({ needsReply: true, $or: [{ number: 'T-1001' }, { words: '1001' }] });
    expect(staffTicketFilter({ q: 'T-1001' })).toEqual({ $or: [{ number: 'T-1001' }, { $and: [{ words: 't' }, { words: '1001' }] }] });
    expect(staffTicketFilter({ q: '?!' })).toBeNull();
  });
});

describe('staff ticket pages', () => {
  const time = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 8, 0) + minutes * 60_000).toISOString();
  const priorities: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
  let queries: TicketQueries;
  let docs: TicketDoc[];

  beforeAll(async () => {
    const store = EmbeddedReadStore.inMemory();
    for (const [name, indexes] of Object.entries(ticketsProjection.collections)) await store.collection(name).createIndexes(indexes);
    const events = [];
    for (let i = 0; i < 60; i++) {
      const ticketId = `ticket-${String(i).padStart(2, '0')}`;
      const person = { accountId: `acc-${i % 5}`, name: 'Rut', email: null };
      let revision = 0n;
      const next = (type: string, data: unknown) => recorded(type, data, ticketStream(ticketId), revision++);
      const created: TicketCreated['data'] = {
        ticketId,
        number: `T-${1000 + i}`,
        type: 'question',
        subject: `Fråga ${i}`,
        description: 'd',
        channel: 'portal',
        requester: person,
        organisationId: `org-${i % 3}`,
        serviceId: null,
        collaborators: [],
        createdBy: { id: person.accountId, name: 'Rut', staff: false },
        // Several tickets share a time, so the order's last key (the id) is tested too.
        createdAt: time(Math.floor(i / 2)),
      };
      events.push(next('TicketCreated', created));
      if (i % 3 !== 0) {
        const priority = priorities[(i * 7) % 4];
        events.push(next('TicketPriorityChanged', { ticketId, priority, previous: 'normal', by: { id: 'staff', name: 'Kim', staff: true }, at: time(100 + ((i * 13) % 40)) } satisfies TicketPriorityChanged['data']));
      }
      if (i % 4 === 1) {
        const reply: TicketMessagePosted['data'] = { ticketId, messageId: `m-${i}`, author: { id: 'staff', name: 'Kim', staff: true }, body: 'b', internal: false, attachmentIds: [], notify: [], at: time(200 + ((i * 11) % 30)) };
        events.push(next('TicketMessagePosted', reply));
      }
    }
    await project(ticketsProjection, events, store);
    queries = new TicketQueries(store);
    docs = await store.collection<TicketDoc>(TICKETS).find({});
  });

  const byActivity = (a: TicketDoc, b: TicketDoc) => (a.staffLastActivityAt === b.staffLastActivityAt ? (a._id < b._id ? -1 : 1) : a.staffLastActivityAt < b.staffLastActivityAt ? 1 : -1);
  const byQueue = (a: TicketDoc, b: TicketDoc) =>
    Number(b.needsReply) - Number(a.needsReply) || a.priorityRank - b.priorityRank || (a.createdAt === b.createdAt ? (a._id < b._id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1);

  it('the tickets are a mix of waiting and answered, priorities and shared times', () => {
    expect(new Set(docs.map((d) => d.needsReply))).toEqual(new Set([true, false]));
    expect(new Set(docs.map((d) => d.priority))).toEqual(new Set(priorities));
  });

  it.each([
    ['activity', byActivity],
    ['queue', byQueue],
  ] as const)('every page of the %s order is that slice of all tickets so sorted, with or without filters', async (order, compare) => {
    for (const filter of [{}, { organisationId: 'org-1' }, { needsReply: true }, { needsReply: false, organisationId: 'org-2' }, { priority: 'urgent' as const }]) {
      const matching = docs.filter((d) => Object.entries(filter).every(([k, v]) => d[k] === v)).sort(compare).map((d) => d.number);
      for (const [skip, limit] of [[0, 20], [0, 7], [7, 7], [14, 7], [35, 10], [55, 10], [990, 20], [0, 100]]) {
        const { items, total } = await queries.staffList(filter, { order, skip, limit });
        expect({ filter, skip, limit, numbers: items.map((t) => t.number), total }).toEqual({ filter, skip, limit, numbers: matching.slice(skip, skip + limit), total: matching.length });
      }
    }
  });
});
