import { AppError, DomainError, fold, Forbidden, NotFound } from '@kundportal/kernel';
import { DeciderSpecification } from '@kundportal/kernel/testing';
import { TicketActor, TicketCommand, ticketDecider } from './ticket.decider';
import {
  TicketAttachmentAdded,
  TicketClosed,
  TicketCollaboratorAdded,
  TicketCreated,
  TicketEvent,
  TicketMessagePosted,
  TicketPerson,
  TicketPriority,
  TicketPriorityChanged,
  TicketStatus,
  TicketStatusChanged,
} from './ticket.events';

const spec = DeciderSpecification.for(ticketDecider);

const ticketId = 'ticket-1';
const ORG = 'org-skola';
const OTHER_ORG = 'org-annan';
const createdAt = new Date('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(createdAt.getTime() + minutes * 60_000);

const person = (key: string, name: string): TicketPerson => ({ accountId: `acc-${key}`, name, email: `${key}@skola.example` });
const rut = person('rut', 'Rut Rektor');
const cai = person('cai', 'Cai Kollega');
const bo = person('bo', 'Bo Lärare');
/** A visitor on the open form: no account, answered by e-mail. */
const visitor: TicketPerson = { accountId: null, name: 'Vera Besökare', email: 'vera@example.org' };

/** A caller as the handlers present them. */
const actor = (p: { accountId: string | null; name: string }, options: { staff?: boolean; administratorOf?: string[] } = {}): TicketActor => ({
  author: { id: p.accountId ?? `staff:${p.name}`, name: p.name, staff: options.staff ?? false },
  accountId: p.accountId,
  staff: options.staff ?? false,
  administratorOf: options.administratorOf ?? [],
});
const requester = actor(rut);
const collaborator = actor(cai);
const colleague = actor(bo);
/** Administrator of the ticket's organisation, not on the ticket: sees it, takes no part. */
const administrator = actor(person('ada', 'Ada Administratör'), { administratorOf: [ORG] });
const otherAdministrator = actor(person('alf', 'Alf Administratör'), { administratorOf: [OTHER_ORG] });
const outsider = actor(person('otto', 'Otto Utomstående'));
const staff = actor({ accountId: null, name: 'Kim Kundservice' }, { staff: true });
/** Staff with an account of their own. */
const staffWithAccount = actor(person('sam', 'Sam Kundservice'), { staff: true });

const created = (overrides: Partial<TicketCreated['data']> = {}): TicketCreated => ({
  type: 'TicketCreated',
  data: {
    ticketId,
    number: 'T-1001',
    type: 'fault-report',
    subject: 'Schemat visar fel vecka',
    description: 'Sedan i måndags visar schemat vecka 9.',
    channel: 'portal',
    requester: rut,
    organisationId: ORG,
    serviceId: null,
    collaborators: [cai],
    createdBy: requester.author,
    createdAt: createdAt.toISOString(),
    ...overrides,
  },
});
const publicCreated = created({ channel: 'public-form', requester: visitor, organisationId: null, collaborators: [], createdBy: { id: 'anonymous', name: visitor.name, staff: false } });

type Post = Extract<TicketCommand, { type: 'PostMessage' }>;
const post = (by: TicketActor, overrides: Partial<Post> = {}): Post => ({
  type: 'PostMessage',
  messageId: 'msg-1',
  body: 'Hej! Vi tittar på det.',
  internal: false,
  attachmentIds: [],
  by,
  now: at(10),
  ...overrides,
});
const create = (overrides: Partial<TicketCreated['data']> = {}, now = createdAt): TicketCommand => {
  const { createdAt: _ignored, ...ticket } = created(overrides).data;
  return { type: 'CreateTicket', ticket, now };
};
const addCollaborator = (by: TicketActor, who: TicketPerson = bo, now = at(20)): TicketCommand => ({ type: 'AddCollaborator', collaborator: who, by, now });
const changeStatus = (by: TicketActor, status: 'open' | 'pending' | 'solved', now = at(30)): TicketCommand => ({ type: 'ChangeStatus', status, by, now });
const changePriority = (by: TicketActor, priority: TicketPriority, now = at(30)): TicketCommand => ({ type: 'ChangePriority', priority, by, now });
const close = (by: TicketActor, now = at(40)): TicketCommand => ({ type: 'CloseTicket', by, now });
const attach = (by: TicketActor, attachmentId = 'att-1', now = at(5)): TicketCommand => ({
  type: 'AddAttachment',
  attachmentId,
  name: 'schema.log',
  size: 2048,
  contentType: 'text/plain',
  sha256: 'ab'.repeat(32),
  by,
  now,
});

/** A reply that notifies someone names its ticket, so the e-mail needs no read of the stream. */
const messagePosted = (by: TicketActor, overrides: Partial<TicketMessagePosted['data']> = {}): TicketMessagePosted => ({
  type: 'TicketMessagePosted',
  data: {
    ticketId,
    messageId: 'msg-1',
    author: by.author,
    body: 'Hej! Vi tittar på det.',
    internal: false,
    attachmentIds: [],
    notify: [],
    ...(overrides.notify?.length ? { ticket: { number: 'T-1001', subject: 'Schemat visar fel vecka' } } : {}),
    at: at(10).toISOString(),
    ...overrides,
  },
});
const collaboratorAdded = (by: TicketActor, who: TicketPerson = bo, when = at(20)): TicketCollaboratorAdded => ({
  type: 'TicketCollaboratorAdded',
  data: { ticketId, collaborator: who, by: by.author, at: when.toISOString() },
});
const statusChanged = (status: TicketStatus, previous: TicketStatus, by = staff, when = at(30)): TicketStatusChanged => ({
  type: 'TicketStatusChanged',
  data: { ticketId, status, previous, by: by.author, at: when.toISOString() },
});
const priorityChanged = (priority: TicketPriority, previous: TicketPriority, by = staff, when = at(30)): TicketPriorityChanged => ({
  type: 'TicketPriorityChanged',
  data: { ticketId, priority, previous, by: by.author, at: when.toISOString() },
});
const closed = (by: TicketActor, previous: TicketStatus = 'open', when = at(40)): TicketClosed => ({
  type: 'TicketClosed',
  data: { ticketId, previous, by: by.author, at: when.toISOString() },
});
const attachmentAdded = (by: TicketActor, attachmentId = 'att-1', when = at(5)): TicketAttachmentAdded => ({
  type: 'TicketAttachmentAdded',
  data: { ticketId, attachmentId, name: 'schema.log', size: 2048, contentType: 'text/plain', sha256: 'ab'.repeat(32), by: by.author, at: when.toISOString() },
});

const open = [created()];
const closedTicket = [created(), closed(requester)];

const isCode = (code: string, statusCode: number) => (e: AppError) => e.code === code && e.statusCode === statusCode;
const ticketClosed = isCode('TICKET_CLOSED', 409);
const alreadyOnTicket = isCode('ALREADY_ON_TICKET', 409);
const stateAfter = (events: readonly TicketEvent[]) => fold(ticketDecider, events);
const statusAfter = (events: readonly TicketEvent[]) => {
  const state = stateAfter(events);
  return state.exists ? state.status : null;
};

describe('ticketDecider', () => {
  describe('CreateTicket', () => {
    it('creates the ticket as given, stamped with the command time; it starts open with normal priority', () => {
      spec.given([]).when(create()).then([created()]);
      const state = stateAfter([created()]);
      expect(state).toEqual({ exists: true, created: created().data, status: 'open', priority: 'normal', collaborators: [cai], attachmentIds: new Set() });
    });

    it('creates a ticket from the open form, whose requester has no account', () => {
      const { createdAt: _ignored, ...ticket } = publicCreated.data;
      spec.given([]).when({ type: 'CreateTicket', ticket, now: createdAt }).then([publicCreated]);
    });

    it('uses the command time, not the clock', () => {
      const later = new Date('2026-05-05T05:05:05.000Z');
      const [event] = ticketDecider.decide(create({}, later), ticketDecider.initialState());
      expect(event).toEqual(created({ createdAt: later.toISOString() }));
    });

    it('409 TICKET_EXISTS when the ticket exists already, whatever its state', () => {
      for (const events of [open, closedTicket, [created(), messagePosted(staff)], [created(), statusChanged('solved', 'open')]]) {
        spec.given(events).when(create()).thenThrows(DomainError, isCode('TICKET_EXISTS', 409));
      }
    });
  });

  describe('PostMessage', () => {
    it('lets the requester, a collaborator and staff post; customer messages notify nobody', () => {
      spec.given(open).when(post(requester)).then([messagePosted(requester)]);
      spec.given(open).when(post(collaborator)).then([messagePosted(collaborator)]);
      spec.given(open).when(post(staffWithAccount, { internal: true })).then([messagePosted(staffWithAccount, { internal: true })]);
    });

    it('a staff reply notifies the requester and the collaborators as they are then', () => {
      spec.given(open).when(post(staff)).then([messagePosted(staff, { notify: [rut, cai] })]);
      spec
        .given([...open, collaboratorAdded(requester)])
        .when(post(staffWithAccount))
        .then([messagePosted(staffWithAccount, { notify: [rut, cai, bo] })]);
    });

    it('a staff reply on an open-form ticket notifies the requester by e-mail, though they have no account', () => {
      spec.given([publicCreated]).when(post(staff)).then([messagePosted(staff, { notify: [visitor] })]);
    });

    it('a requester with neither account nor e-mail (staff on the phone) cannot be told', () => {
      const phone = created({ channel: 'phone', requester: { accountId: null, name: 'Okänd', email: null }, collaborators: [] });
      spec.given([phone]).when(post(staff)).then([messagePosted(staff, { notify: [] })]);
    });

    it('an internal note by staff notifies nobody', () => {
      spec.given(open).when(post(staff, { internal: true, body: 'Kolla loggarna' })).then([messagePosted(staff, { internal: true, body: 'Kolla loggarna', notify: [] })]);
    });

    it('keeps the message id, the body, the attachments named and the command time', () => {
      const [event] = ticketDecider.decide(
        post(requester, { messageId: 'msg-42', body: 'Se bifogad logg', attachmentIds: ['att-1'], now: at(99) }),
        stateAfter([...open, attachmentAdded(requester)]),
      );
      expect(event).toEqual(messagePosted(requester, { messageId: 'msg-42', body: 'Se bifogad logg', attachmentIds: ['att-1'], at: at(99).toISOString() }));
    });

    it('Forbidden for an internal note by anyone who is not staff', () => {
      spec.given(open).when(post(requester, { internal: true })).thenThrows(Forbidden);
      spec.given(open).when(post(collaborator, { internal: true })).thenThrows(Forbidden);
      spec.given(open).when(post(administrator, { internal: true })).thenThrows(Forbidden);
    });

    it('Forbidden for an administrator of the ticket’s organisation who is not on the ticket: administrators only look', () => {
      spec.given(open).when(post(administrator)).thenThrows(Forbidden);
    });

    it('an administrator who is also on the ticket takes part like anyone on it', () => {
      const adminOnTicket = actor(cai, { administratorOf: [ORG] });
      spec.given(open).when(post(adminOnTicket)).then([messagePosted(adminOnTicket)]);
    });

    it('NotFound for an outsider, an administrator of another organisation, and a ticket that does not exist', () => {
      spec.given(open).when(post(outsider)).thenThrows(NotFound);
      spec.given(open).when(post(outsider, { internal: true })).thenThrows(NotFound);
      spec.given(open).when(post(otherAdministrator)).thenThrows(NotFound);
      spec.given(closedTicket).when(post(outsider)).thenThrows(NotFound);
      spec.given([]).when(post(staff)).thenThrows(NotFound);
      spec.given([]).when(post(requester)).thenThrows(NotFound);
    });

    it('an open-form ticket is visible to no account: its requester has none, a caller without account is an outsider', () => {
      spec.given([publicCreated]).when(post(actor({ accountId: null, name: 'Vera Besökare' }))).thenThrows(NotFound);
      spec.given([publicCreated]).when(post(requester)).thenThrows(NotFound);
    });

    it('409 TICKET_CLOSED on a closed ticket, for everyone who may post', () => {
      for (const by of [requester, collaborator, staff]) spec.given(closedTicket).when(post(by)).thenThrows(DomainError, ticketClosed);
      spec.given(closedTicket).when(post(staff, { internal: true })).thenThrows(DomainError, ticketClosed);
    });

    it('a solved ticket still takes messages; only closed ones do not', () => {
      spec.given([...open, statusChanged('solved', 'open')]).when(post(requester)).then([messagePosted(requester)]);
      spec.given([...open, statusChanged('pending', 'open')]).when(post(requester)).then([messagePosted(requester)]);
    });

    it('422 UNKNOWN_ATTACHMENT for an attachment id that is not the ticket’s, naming the field', () => {
      const error = spec
        .given([...open, attachmentAdded(requester, 'att-1')])
        .when(post(requester, { attachmentIds: ['att-1', 'att-2'] }))
        .thenThrows(DomainError, isCode('UNKNOWN_ATTACHMENT', 422));
      expect(error.details).toEqual([{ field: 'attachmentIds', message: expect.stringContaining('att-2') }]);
      spec.given(open).when(post(staff, { attachmentIds: ['att-1'] })).thenThrows(DomainError, isCode('UNKNOWN_ATTACHMENT', 422));
    });

    it('attachments of the ticket may be named, by anyone taking part', () => {
      const given = [...open, attachmentAdded(requester, 'att-1'), attachmentAdded(staff, 'att-2')];
      spec.given(given).when(post(collaborator, { attachmentIds: ['att-2', 'att-1'] })).then([messagePosted(collaborator, { attachmentIds: ['att-2', 'att-1'] })]);
    });

    it('as implemented, the refusals come in order: not visible, not taking part, internal, closed, attachments', () => {
      spec.given(closedTicket).when(post(outsider, { internal: true, attachmentIds: ['x'] })).thenThrows(NotFound);
      spec.given(closedTicket).when(post(administrator, { attachmentIds: ['x'] })).thenThrows(Forbidden);
      spec.given(closedTicket).when(post(requester, { internal: true, attachmentIds: ['x'] })).thenThrows(Forbidden);
      spec.given(closedTicket).when(post(requester, { attachmentIds: ['x'] })).thenThrows(DomainError, ticketClosed);
    });
  });

  describe('AddCollaborator', () => {
    it('lets the requester and staff add a colleague with an account', () => {
      spec.given(open).when(addCollaborator(requester)).then([collaboratorAdded(requester)]);
      spec.given(open).when(addCollaborator(staff)).then([collaboratorAdded(staff)]);
      expect(stateAfter([...open, collaboratorAdded(requester)])).toMatchObject({ collaborators: [cai, bo] });
    });

    it('the collaborator then takes part: posts, attaches and closes', () => {
      const given = [...open, collaboratorAdded(requester)];
      spec.given(given).when(post(colleague)).then([messagePosted(colleague)]);
      spec.given(given).when(attach(colleague)).then([attachmentAdded(colleague)]);
      spec.given(given).when(close(colleague)).then([closed(colleague)]);
    });

    it('Forbidden to a collaborator and to an administrator not on the ticket', () => {
      spec.given(open).when(addCollaborator(collaborator)).thenThrows(Forbidden);
      spec.given(open).when(addCollaborator(administrator)).thenThrows(Forbidden);
    });

    it('NotFound for an outsider and for a ticket that does not exist', () => {
      spec.given(open).when(addCollaborator(outsider)).thenThrows(NotFound);
      spec.given(open).when(addCollaborator(otherAdministrator)).thenThrows(NotFound);
      spec.given([]).when(addCollaborator(staff)).thenThrows(NotFound);
    });

    it('409 ALREADY_ON_TICKET for a collaborator already on it, or the requester', () => {
      spec.given(open).when(addCollaborator(requester, cai)).thenThrows(DomainError, alreadyOnTicket);
      spec.given(open).when(addCollaborator(staff, rut)).thenThrows(DomainError, alreadyOnTicket);
      spec.given([...open, collaboratorAdded(requester)]).when(addCollaborator(requester, bo)).thenThrows(DomainError, alreadyOnTicket);
      // The account decides, not the name or e-mail as they were copied then.
      spec.given(open).when(addCollaborator(staff, { ...cai, name: 'Cai Nytt Namn', email: null })).thenThrows(DomainError, alreadyOnTicket);
    });
  });

  describe('ChangeStatus', () => {
    it('lets staff set open, pending or solved, naming the previous status', () => {
      spec.given(open).when(changeStatus(staff, 'pending')).then([statusChanged('pending', 'open')]);
      spec.given([...open, statusChanged('pending', 'open')]).when(changeStatus(staffWithAccount, 'solved')).then([statusChanged('solved', 'pending', staffWithAccount)]);
      expect(statusAfter([...open, statusChanged('pending', 'open'), statusChanged('solved', 'pending')])).toBe('solved');
    });

    it('staff reopen a closed ticket by setting its status; it then takes messages again', () => {
      spec.given(closedTicket).when(changeStatus(staff, 'open')).then([statusChanged('open', 'closed')]);
      const reopened = [...closedTicket, statusChanged('open', 'closed')];
      expect(statusAfter(reopened)).toBe('open');
      spec.given(reopened).when(post(requester)).then([messagePosted(requester)]);
      spec.given([...closedTicket, statusChanged('pending', 'closed')]).when(attach(requester)).then([attachmentAdded(requester)]);
    });

    it('Forbidden to everyone who sees the ticket but is not staff', () => {
      for (const by of [requester, collaborator, administrator]) {
        spec.given(open).when(changeStatus(by, 'solved')).thenThrows(Forbidden);
        spec.given(closedTicket).when(changeStatus(by, 'open')).thenThrows(Forbidden);
      }
    });

    it('NotFound for outsiders and for a ticket that does not exist', () => {
      spec.given(open).when(changeStatus(outsider, 'solved')).thenThrows(NotFound);
      spec.given(open).when(changeStatus(otherAdministrator, 'solved')).thenThrows(NotFound);
      spec.given([]).when(changeStatus(staff, 'solved')).thenThrows(NotFound);
    });
  });

  describe('ChangePriority', () => {
    it('lets staff set the priority, naming the previous one', () => {
      spec.given(open).when(changePriority(staff, 'urgent')).then([priorityChanged('urgent', 'normal')]);
      spec.given([...open, priorityChanged('urgent', 'normal')]).when(changePriority(staff, 'low')).then([priorityChanged('low', 'urgent')]);
      expect(stateAfter([...open, priorityChanged('high', 'normal')])).toMatchObject({ priority: 'high', status: 'open' });
    });

    it('Forbidden to everyone who sees the ticket but is not staff', () => {
      for (const by of [requester, collaborator, administrator]) spec.given(open).when(changePriority(by, 'urgent')).thenThrows(Forbidden);
    });

    it('NotFound for outsiders and for a ticket that does not exist', () => {
      spec.given(open).when(changePriority(outsider, 'urgent')).thenThrows(NotFound);
      spec.given([]).when(changePriority(staff, 'urgent')).thenThrows(NotFound);
    });
  });

  describe('CloseTicket', () => {
    it('lets the requester, a collaborator and staff close it, naming the previous status', () => {
      spec.given(open).when(close(requester)).then([closed(requester)]);
      spec.given(open).when(close(collaborator)).then([closed(collaborator)]);
      spec.given([...open, statusChanged('solved', 'open')]).when(close(staff)).then([closed(staff, 'solved')]);
      expect(statusAfter(closedTicket)).toBe('closed');
    });

    it('409 TICKET_CLOSED the second time', () => {
      for (const by of [requester, collaborator, staff]) spec.given(closedTicket).when(close(by)).thenThrows(DomainError, ticketClosed);
    });

    it('a reopened ticket can be closed again', () => {
      spec.given([...closedTicket, statusChanged('open', 'closed')]).when(close(requester)).then([closed(requester)]);
    });

    it('Forbidden for an administrator who is not on the ticket; NotFound for outsiders', () => {
      spec.given(open).when(close(administrator)).thenThrows(Forbidden);
      spec.given(open).when(close(outsider)).thenThrows(NotFound);
      spec.given([]).when(close(requester)).thenThrows(NotFound);
    });
  });

  describe('AddAttachment', () => {
    it('lets whoever may post attach a file, which messages may then name', () => {
      spec.given(open).when(attach(requester)).then([attachmentAdded(requester)]);
      spec.given(open).when(attach(collaborator, 'att-2')).then([attachmentAdded(collaborator, 'att-2')]);
      spec.given(open).when(attach(staff, 'att-3')).then([attachmentAdded(staff, 'att-3')]);
      expect(stateAfter([...open, attachmentAdded(requester), attachmentAdded(staff, 'att-3')])).toMatchObject({ attachmentIds: new Set(['att-1', 'att-3']) });
    });

    it('409 TICKET_CLOSED on a closed ticket', () => {
      for (const by of [requester, collaborator, staff]) spec.given(closedTicket).when(attach(by)).thenThrows(DomainError, ticketClosed);
    });

    it('Forbidden for an administrator not on the ticket; NotFound for outsiders', () => {
      spec.given(open).when(attach(administrator)).thenThrows(Forbidden);
      spec.given(open).when(attach(outsider)).thenThrows(NotFound);
      spec.given([]).when(attach(staff)).thenThrows(NotFound);
    });
  });

  describe('evolve', () => {
    it('follows the whole life of a ticket', () => {
      const history: TicketEvent[] = [
        created(),
        attachmentAdded(requester),
        messagePosted(requester, { attachmentIds: ['att-1'] }),
        priorityChanged('high', 'normal'),
        messagePosted(staff, { messageId: 'msg-2', notify: [rut, cai] }),
        collaboratorAdded(requester),
        statusChanged('solved', 'open'),
        closed(requester, 'solved'),
        statusChanged('open', 'closed'),
      ];
      expect(stateAfter(history)).toEqual({
        exists: true,
        created: created().data,
        status: 'open',
        priority: 'high',
        collaborators: [cai, bo],
        attachmentIds: new Set(['att-1']),
      });
    });

    it('does not touch the events or the earlier state', () => {
      const events = [created(), collaboratorAdded(requester), attachmentAdded(requester)];
      const copy = structuredClone(events);
      const first = stateAfter(events.slice(0, 1));
      const snapshot = structuredClone(first);
      stateAfter(events);
      expect(events).toEqual(copy);
      expect(first).toEqual(snapshot);
    });

    it('ignores events that come before the ticket’s creation', () => {
      for (const event of [messagePosted(staff), collaboratorAdded(requester), statusChanged('open', 'closed'), priorityChanged('low', 'normal'), closed(requester), attachmentAdded(staff)]) {
        expect(ticketDecider.evolve(ticketDecider.initialState(), event)).toEqual({ exists: false });
      }
    });
  });
});
