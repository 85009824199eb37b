import type { RecordedEvent } from '@kundportal/eventstore';
import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import {
  Author,
  TicketAttachmentAdded,
  TicketClosed,
  TicketCollaboratorAdded,
  TicketCreated,
  TicketMessagePosted,
  TicketPerson,
  TicketPriorityChanged,
  TicketRead,
  ticketReadsStream,
  TicketStatusChanged,
  ticketStream,
} from './ticket.events';
import { subjectWords, TICKET_MESSAGES, TicketDoc, TicketMessageDoc, TICKETS, ticketsProjection } from './ticket.projections';

const ORG = 'org-skola';
const rut: TicketPerson = { accountId: 'acc-rut', name: 'Rut Rektor', email: 'rut@skola.example' };
const cai: TicketPerson = { accountId: 'acc-cai', name: 'Cai Kollega', email: 'cai@skola.example' };
const bo: TicketPerson = { accountId: 'acc-bo', name: 'Bo Lärare', email: 'bo@skola.example' };
const visitor: TicketPerson = { accountId: null, name: 'Vera Besökare', email: 'vera@example.org' };
const author = (p: TicketPerson): Author => ({ id: p.accountId ?? 'anonymous', name: p.name, staff: false });
const kim: Author = { id: 'staff:kim', name: 'Kim Kundservice', staff: true };
const time = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 9, minutes)).toISOString();

/** The events of one ticket's stream, each recorded at its revision as the log delivers them. */
function ticket(ticketId: string, options: { number?: string; requester?: TicketPerson; collaborators?: TicketPerson[]; channel?: 'portal' | 'public-form' } = {}) {
  let revision = 0n;
  const next = <E extends { type: string; data: unknown }>(event: E): RecordedEvent => recorded(event.type, event.data, ticketStream(ticketId), revision++);
  const requester = options.requester ?? rut;
  const collaborators = options.collaborators ?? [cai];
  const createdData: TicketCreated['data'] = {
    ticketId,
    number: options.number ?? 'T-1001',
    type: 'fault-report',
    subject: 'Schemat visar fel vecka',
    description: 'Sedan i måndags visar schemat vecka 9.',
    channel: options.channel ?? 'portal',
    requester,
    organisationId: options.channel === 'public-form' ? null : ORG,
    serviceId: options.channel === 'public-form' ? null : 'schema',
    collaborators,
    createdBy: author(requester),
    createdAt: time(0),
  };
  return {
    ticketId,
    created: next<TicketCreated>({ type: 'TicketCreated', data: createdData }),
    next,
    message: (messageId: string, by: Author, minutes: number, extra: Partial<TicketMessagePosted['data']> = {}): TicketMessagePosted => ({
      type: 'TicketMessagePosted',
      data: { ticketId, messageId, author: by, body: `Meddelande ${messageId}`, internal: false, attachmentIds: [], notify: [], at: time(minutes), ...extra },
    }),
    /** A staff reply, telling the requester and collaborators as the decider does. */
    reply: (messageId: string, minutes: number, notify: TicketPerson[] = [requester, ...collaborators]): TicketMessagePosted => ({
      type: 'TicketMessagePosted',
      data: { ticketId, messageId, author: kim, body: `Svar ${messageId}`, internal: false, attachmentIds: [], notify, at: time(minutes) },
    }),
    collaboratorAdded: (who: TicketPerson, minutes: number): TicketCollaboratorAdded => ({
      type: 'TicketCollaboratorAdded',
      data: { ticketId, collaborator: who, by: author(requester), at: time(minutes) },
    }),
    statusChanged: (status: 'open' | 'pending' | 'solved', previous: TicketStatusChanged['data']['previous'], minutes: number): TicketStatusChanged => ({
      type: 'TicketStatusChanged',
      data: { ticketId, status, previous, by: kim, at: time(minutes) },
    }),
    priorityChanged: (priority: TicketPriorityChanged['data']['priority'], minutes: number): TicketPriorityChanged => ({
      type: 'TicketPriorityChanged',
      data: { ticketId, priority, previous: 'normal', by: kim, at: time(minutes) },
    }),
    closed: (minutes: number, by: Author = author(requester)): TicketClosed => ({ type: 'TicketClosed', data: { ticketId, previous: 'open', by, at: time(minutes) } }),
    attachment: (attachmentId: string, by: Author, minutes: number): TicketAttachmentAdded => ({
      type: 'TicketAttachmentAdded',
      data: { ticketId, attachmentId, name: `${attachmentId}.log`, size: 2048, contentType: 'text/plain', sha256: 'ab'.repeat(32), by, at: time(minutes) },
    }),
  };
}

/** Read markers live on the reader's own stream, with its own revisions. */
const readRevisions = new Map<string, bigint>();
const read = (ticketId: string, accountId: string, upTo: string): RecordedEvent => {
  const revision = readRevisions.get(accountId) ?? 0n;
  readRevisions.set(accountId, revision + 1n);
  const event: TicketRead = { type: 'TicketRead', data: { ticketId, accountId, upTo } };
  return recorded(event.type, event.data, ticketReadsStream(accountId), revision);
};

const state = async (events: RecordedEvent[]) => {
  const docs = await snapshot(ticketsProjection, await project(ticketsProjection, events));
  return { tickets: docs[TICKETS] as TicketDoc[], messages: docs[TICKET_MESSAGES] as TicketMessageDoc[] };
};
/** The one ticket document and the messages after these events. */
const after = async (events: RecordedEvent[]) => {
  const { tickets, messages } = await state(events);
  expect(tickets).toHaveLength(1);
  return { doc: tickets[0], messages };
};

describe('tickets projection', () => {
  describe('creation', () => {
    it('makes the ticket document: participants, open, normal priority, nothing unread', async () => {
      const t = ticket('ticket-1');
      const { doc, messages } = await after([t.created]);
      expect(doc).toEqual({
        _id: 'ticket-1',
        number: 'T-1001',
        type: 'fault-report',
        subject: 'Schemat visar fel vecka',
        description: 'Sedan i måndags visar schemat vecka 9.',
        status: 'open',
        priority: 'normal',
        channel: 'portal',
        requester: rut,
        collaborators: [cai],
        participants: ['acc-rut', 'acc-cai'],
        organisationId: ORG,
        serviceId: 'schema',
        createdAt: time(0),
        lastActivityAt: time(0),
        staffLastActivityAt: time(0),
        lastStaffReplyAt: null,
        unreadBy: [],
        attachments: [],
        customerSpokeLast: true,
        needsReply: true,
        priorityRank: 2,
        words: ['schemat', 'visar', 'fel', 'vecka'],
        revision: 0,
      });
      expect(messages).toEqual([]);
    });

    it('an open-form ticket has no participants: it stays out of every account’s list', async () => {
      const t = ticket('ticket-public', { requester: visitor, collaborators: [], channel: 'public-form' });
      const { doc } = await after([t.created]);
      expect(doc).toMatchObject({ requester: visitor, participants: [], organisationId: null, channel: 'public-form', unreadBy: [] });
    });
  });

  describe('messages', () => {
    const t = ticket('ticket-1');
    const created = t.created;
    const customerMessage = t.next(t.message('msg-1', author(rut), 5));
    const internalNote = t.next(t.message('msg-2', kim, 10, { internal: true, body: 'Kolla loggarna' }));
    const staffReply = t.next(t.reply('msg-3', 15));

    it('a customer message is stored and counts as activity for everyone', async () => {
      const { doc, messages } = await after([created, customerMessage]);
      expect(doc).toMatchObject({ lastActivityAt: time(5), staffLastActivityAt: time(5), lastStaffReplyAt: null, unreadBy: [], revision: 1 });
      expect(messages).toEqual([
        { _id: 'msg-1', ticketId: 'ticket-1', author: author(rut), body: 'Meddelande msg-1', internal: false, attachmentIds: [], at: time(5) },
      ]);
    });

    it('an internal note is activity for staff only: the customers’ last activity stays where it was', async () => {
      const { doc, messages } = await after([created, customerMessage, internalNote]);
      expect(doc).toMatchObject({ lastActivityAt: time(5), staffLastActivityAt: time(10), lastStaffReplyAt: null, unreadBy: [], revision: 2 });
      expect(messages.find((m) => m._id === 'msg-2')).toEqual({
        _id: 'msg-2',
        ticketId: 'ticket-1',
        author: kim,
        body: 'Kolla loggarna',
        internal: true,
        attachmentIds: [],
        at: time(10),
      });
    });

    it('a staff reply makes the ticket unread for the accounts told of it and marks when it came', async () => {
      const { doc, messages } = await after([created, customerMessage, internalNote, staffReply]);
      expect(doc).toMatchObject({ lastActivityAt: time(15), staffLastActivityAt: time(15), lastStaffReplyAt: time(15), unreadBy: ['acc-rut', 'acc-cai'], revision: 3 });
      expect(messages.map((m) => [m._id, m.internal])).toEqual([
        ['msg-1', false],
        ['msg-2', true],
        ['msg-3', false],
      ]);
    });

    it('a staff reply on an open-form ticket is marked, though nobody there has an account to be unread for', async () => {
      const p = ticket('ticket-public', { requester: visitor, collaborators: [], channel: 'public-form' });
      const { doc } = await after([p.created, p.next(p.reply('msg-p', 7))]);
      expect(doc).toMatchObject({ lastStaffReplyAt: time(7), unreadBy: [], lastActivityAt: time(7) });
    });

    it('an internal note after a staff reply leaves the reply, and who has not read it, as they were', async () => {
      const { doc } = await after([created, staffReply, t.next(t.message('msg-5', kim, 20, { internal: true }))]);
      expect(doc).toMatchObject({ lastActivityAt: time(15), staffLastActivityAt: time(20), lastStaffReplyAt: time(15), unreadBy: ['acc-rut', 'acc-cai'] });
    });

    it('a customer message after a staff reply leaves the reply unread', async () => {
      const { doc } = await after([created, staffReply, t.next(t.message('msg-4', author(cai), 20))]);
      expect(doc).toMatchObject({ lastActivityAt: time(20), lastStaffReplyAt: time(15), unreadBy: ['acc-rut', 'acc-cai'] });
    });
  });

  describe('reading', () => {
    const t = ticket('ticket-1');
    const reply = t.next(t.reply('msg-1', 15));
    const laterReply = t.next(t.reply('msg-2', 25));

    it('a reader who saw the latest staff reply is no longer unread; the others still are', async () => {
      const { doc } = await after([t.created, reply, read('ticket-1', 'acc-rut', time(15))]);
      expect(doc).toMatchObject({ unreadBy: ['acc-cai'], lastStaffReplyAt: time(15), revision: 1 });
      const { doc: later } = await after([t.created, reply, read('ticket-1', 'acc-cai', time(40))]);
      expect(later).toMatchObject({ unreadBy: ['acc-rut'] });
    });

    it('a read up to before the latest staff reply leaves the reader unread', async () => {
      const { doc } = await after([t.created, reply, laterReply, read('ticket-1', 'acc-rut', time(15))]);
      expect(doc).toMatchObject({ unreadBy: ['acc-rut', 'acc-cai'], lastStaffReplyAt: time(25) });
    });

    it('a new staff reply makes the ticket unread again for whoever had read it', async () => {
      const { doc } = await after([t.created, reply, read('ticket-1', 'acc-rut', time(15)), read('ticket-1', 'acc-cai', time(15)), laterReply]);
      expect(doc).toMatchObject({ unreadBy: ['acc-rut', 'acc-cai'], lastStaffReplyAt: time(25) });
    });

    it('reading a ticket without staff replies, or another ticket, changes nothing', async () => {
      const other = ticket('ticket-2', { number: 'T-1002' });
      const before = await state([t.created, other.created, reply]);
      const afterReads = await state([t.created, other.created, reply, read('ticket-2', 'acc-rut', time(50)), read('ticket-9', 'acc-rut', time(50))]);
      expect(afterReads).toEqual(before);
      expect(afterReads.tickets.find((d) => d._id === 'ticket-2')).toMatchObject({ unreadBy: [], lastStaffReplyAt: null });
    });

    it('a reader who was not told of the reply is not added by reading', async () => {
      const { doc } = await after([t.created, reply, read('ticket-1', 'acc-bo', time(15))]);
      expect(doc).toMatchObject({ unreadBy: ['acc-rut', 'acc-cai'] });
    });
  });

  describe('changes', () => {
    it('a collaborator added joins the collaborators and the participants', async () => {
      const t = ticket('ticket-1');
      const { doc } = await after([t.created, t.next(t.collaboratorAdded(bo, 12))]);
      expect(doc).toMatchObject({
        collaborators: [cai, bo],
        participants: ['acc-rut', 'acc-cai', 'acc-bo'],
        lastActivityAt: time(12),
        staffLastActivityAt: time(12),
        revision: 1,
      });
    });

    it('a collaborator added after a staff reply is not unread for it', async () => {
      const t = ticket('ticket-1');
      const { doc } = await after([t.created, t.next(t.reply('msg-1', 5)), t.next(t.collaboratorAdded(bo, 12))]);
      expect(doc).toMatchObject({ unreadBy: ['acc-rut', 'acc-cai'], participants: ['acc-rut', 'acc-cai', 'acc-bo'] });
    });

    it('status changes and closing are activity customers see', async () => {
      const t = ticket('ticket-1');
      const pending = t.next(t.statusChanged('pending', 'open', 10));
      const closed = t.next(t.closed(20));
      const reopened = t.next(t.statusChanged('open', 'closed', 30));
      expect((await after([t.created, pending])).doc).toMatchObject({ status: 'pending', lastActivityAt: time(10), staffLastActivityAt: time(10) });
      expect((await after([t.created, pending, closed])).doc).toMatchObject({ status: 'closed', lastActivityAt: time(20), staffLastActivityAt: time(20) });
      expect((await after([t.created, pending, closed, reopened])).doc).toMatchObject({ status: 'open', lastActivityAt: time(30), revision: 3 });
    });

    it('a priority change is activity for staff only', async () => {
      const t = ticket('ticket-1');
      const { doc } = await after([t.created, t.next(t.priorityChanged('urgent', 10))]);
      expect(doc).toMatchObject({ priority: 'urgent', lastActivityAt: time(0), staffLastActivityAt: time(10), revision: 1 });
    });

    it('attachments are listed in the order they came, with who added them', async () => {
      const t = ticket('ticket-1');
      const { doc } = await after([t.created, t.next(t.attachment('att-1', author(rut), 3)), t.next(t.attachment('att-2', kim, 8))]);
      expect(doc.attachments).toEqual([
        { id: 'att-1', name: 'att-1.log', size: 2048, contentType: 'text/plain', at: time(3), by: author(rut) },
        { id: 'att-2', name: 'att-2.log', size: 2048, contentType: 'text/plain', at: time(8), by: kim },
      ]);
      expect(doc).toMatchObject({ lastActivityAt: time(8), staffLastActivityAt: time(8), revision: 2 });
    });

    it('keeps tickets apart', async () => {
      const one = ticket('ticket-1');
      const two = ticket('ticket-2', { number: 'T-1002', requester: bo, collaborators: [] });
      const { tickets, messages } = await state([one.created, two.created, two.next(two.reply('msg-2', 5)), one.next(one.closed(6))]);
      expect(tickets.map((d) => [d._id, d.number, d.status, d.unreadBy])).toEqual([
        ['ticket-1', 'T-1001', 'closed', []],
        ['ticket-2', 'T-1002', 'open', ['acc-bo']],
      ]);
      expect(messages.map((m) => [m._id, m.ticketId])).toEqual([['msg-2', 'ticket-2']]);
    });
  });

  describe('needs reply, priority rank and subject words (staff lists)', () => {
    const t = ticket('ticket-1');
    const customerMessage = (id: string, minutes: number) => t.next(t.message(id, author(rut), minutes));
    const staffReply = (id: string, minutes: number) => t.next(t.reply(id, minutes));
    const needs = async (events: RecordedEvent[]) => (await after(events)).doc.needsReply;

    it('a new ticket needs a reply: the description is the customer’s first message', async () => {
      expect(await needs([t.created])).toBe(true);
    });

    it('a staff reply answers it; the customer writing again makes it wait again', async () => {
      const reply = staffReply('m-1', 5);
      expect(await needs([t.created, reply])).toBe(false);
      expect(await needs([t.created, reply, customerMessage('m-2', 6)])).toBe(true);
      expect(await needs([t.created, reply, customerMessage('m-2', 6), staffReply('m-3', 7)])).toBe(false);
    });

    it('an internal note is no answer, and a note after a reply does not make it wait', async () => {
      const note = (id: string, minutes: number) => t.next(t.message(id, kim, minutes, { internal: true }));
      expect(await needs([t.created, note('n-1', 3)])).toBe(true);
      expect(await needs([t.created, staffReply('m-1', 5), note('n-2', 6)])).toBe(false);
    });

    it('a staff reply with nobody to tell (an open-form ticket) still answers it', async () => {
      const p = ticket('ticket-public', { requester: visitor, collaborators: [], channel: 'public-form' });
      expect((await after([p.created])).doc.needsReply).toBe(true);
      expect((await after([p.created, p.next(p.reply('m-p', 4, []))])).doc.needsReply).toBe(false);
    });

    it('solved or closed waits for nobody; reopened, it waits again if the customer spoke last', async () => {
      const solved = t.next(t.statusChanged('solved', 'open', 10));
      const reopened = t.next(t.statusChanged('open', 'solved', 20));
      expect(await needs([t.created, solved])).toBe(false);
      expect(await needs([t.created, solved, reopened])).toBe(true);
      expect(await needs([t.created, t.next(t.closed(10))])).toBe(false);

      const answered = ticket('ticket-2', { number: 'T-1002' });
      const reply = answered.next(answered.reply('m-1', 5));
      const solvedAfter = answered.next(answered.statusChanged('solved', 'open', 10));
      const reopenedAfter = answered.next(answered.statusChanged('pending', 'solved', 20));
      expect((await after([answered.created, reply, solvedAfter, reopenedAfter])).doc.needsReply).toBe(false);
    });

    it('a customer writing on a solved ticket waits again', async () => {
      expect(await needs([t.created, t.next(t.statusChanged('solved', 'open', 10)), customerMessage('m-1', 12)])).toBe(true);
    });

    it('pending (waiting for the customer) still owes an answer while the customer spoke last', async () => {
      expect(await needs([t.created, t.next(t.statusChanged('pending', 'open', 10))])).toBe(true);
    });

    it('the priority rank sorts urgent first and follows every change', async () => {
      const rank = async (priority: 'low' | 'normal' | 'high' | 'urgent') => (await after([t.created, t.next(t.priorityChanged(priority, 3))])).doc.priorityRank;
      expect([await rank('urgent'), await rank('high'), await rank('normal'), await rank('low')]).toEqual([0, 1, 2, 3]);
    });

    it('subject words: lower case, Swedish letters kept, split at punctuation, each once', () => {
      expect(subjectWords('Åtkomst nekad: Webcert-inloggning, åtkomst NEKAD (fel 1234)')).toEqual(['åtkomst', 'nekad', 'webcert', 'inloggning', 'fel', '1234']);
      expect(subjectWords('  --  ')).toEqual([]);
    });
  });

  describe('replays change nothing', () => {
    const t = ticket('ticket-1');
    const created = t.created;
    const attached = t.next(t.attachment('att-1', author(rut), 2));
    const customerMessage = t.next(t.message('msg-1', author(rut), 3, { attachmentIds: ['att-1'] }));
    const internalNote = t.next(t.message('msg-2', kim, 4, { internal: true }));
    const priority = t.next(t.priorityChanged('high', 5));
    const reply = t.next(t.reply('msg-3', 6));
    const readByRut = read('ticket-1', 'acc-rut', time(6));
    const collaborator = t.next(t.collaboratorAdded(bo, 7));
    const status = t.next(t.statusChanged('solved', 'open', 8));
    const laterReply = t.next(t.reply('msg-4', 9, [rut, cai, bo]));
    const readByCai = read('ticket-1', 'acc-cai', time(9));
    const closed = t.next(t.closed(10));
    const reopened = t.next(t.statusChanged('open', 'closed', 11));
    const history = [created, attached, customerMessage, internalNote, priority, reply, readByRut, collaborator, status, laterReply, readByCai, closed, reopened];

    it('the history gives what each step says', async () => {
      const { doc, messages } = await after(history);
      expect(doc).toMatchObject({
        status: 'open',
        priority: 'high',
        priorityRank: 1,
        participants: ['acc-rut', 'acc-cai', 'acc-bo'],
        unreadBy: ['acc-rut', 'acc-bo'],
        lastStaffReplyAt: time(9),
        lastActivityAt: time(11),
        staffLastActivityAt: time(11),
        customerSpokeLast: false,
        needsReply: false,
        revision: 10,
      });
      expect(doc.attachments.map((a) => a.id)).toEqual(['att-1']);
      expect(messages.map((m) => m._id)).toEqual(['msg-1', 'msg-2', 'msg-3', 'msg-4']);
    });

    it('each event twice', async () => {
      expect(await state(history.flatMap((e) => [e, e]))).toEqual(await state(history));
    });

    it('the whole history again on the same store', async () => {
      const store = await project(ticketsProjection, history);
      const once = await snapshot(ticketsProjection, store);
      await project(ticketsProjection, history, store);
      expect(await snapshot(ticketsProjection, store)).toEqual(once);
    });

    it('every prefix again after the whole history', async () => {
      const store = await project(ticketsProjection, history);
      const once = await snapshot(ticketsProjection, store);
      for (let n = 1; n <= history.length; n++) await project(ticketsProjection, history.slice(0, n), store);
      expect(await snapshot(ticketsProjection, store)).toEqual(once);
    });

    it('an older event after a newer one, in the same batch or a later one', async () => {
      const upTo = [created, attached, customerMessage, internalNote, priority, reply];
      const expected = await state(upTo);
      expect(await state([...upTo, attached, customerMessage, created, internalNote])).toEqual(expected);

      const store = await project(ticketsProjection, upTo);
      for (const event of [internalNote, attached, created, customerMessage]) await project(ticketsProjection, [event], store);
      expect(await snapshot(ticketsProjection, store)).toEqual(await snapshot(ticketsProjection, await project(ticketsProjection, upTo)));
    });

    it('an old read marker replayed after a newer staff reply does not mark the newer reply read', async () => {
      const store = await project(ticketsProjection, [created, reply, collaborator, laterReply]);
      await project(ticketsProjection, [readByRut], store);
      const [doc] = (await snapshot(ticketsProjection, store))[TICKETS] as TicketDoc[];
      expect(doc).toMatchObject({ unreadBy: ['acc-rut', 'acc-cai', 'acc-bo'], lastStaffReplyAt: time(9) });
    });

    it('an old staff reply replayed after a read does not make the ticket unread again', async () => {
      const store = await project(ticketsProjection, [created, reply, readByRut]);
      const once = await snapshot(ticketsProjection, store);
      await project(ticketsProjection, [reply], store);
      await project(ticketsProjection, [created, reply], store);
      expect(await snapshot(ticketsProjection, store)).toEqual(once);
      expect((once[TICKETS] as TicketDoc[])[0].unreadBy).toEqual(['acc-cai']);
    });
  });
});
