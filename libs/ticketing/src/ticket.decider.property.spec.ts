import fc from 'fast-check';
import { DomainError, fold, Forbidden, NotFound } from '@kundportal/kernel';
import { ACCEPTED, asStored, DecidedStep, decideInTurn, Outcome, outcomeOf, refusal } from '@kundportal/kernel/testing';
import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { isParticipant, maySee, TicketActor, TicketCommand, ticketDecider, TicketState } from './ticket.decider';
import { TicketChannel, TicketCreated, TicketEvent, TicketPerson, TicketPriority, ticketStream } from './ticket.events';
import { TICKET_MESSAGES, TicketDoc, TicketMessageDoc, TICKETS, ticketsProjection } from './ticket.projections';

const ticketId = 'ticket-1';
const ORG = 'org-skola';
const OTHER_ORG = 'org-annan';
const createdAt = new Date('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(createdAt.getTime() + minutes * 60_000);

const person = (key: string, name: string): TicketPerson => ({ accountId: `acc-${key}`, name, email: `${key}@skola.example` });
const rut = person('rut', 'Rut Rektor');
const cai = person('cai', 'Cai Kollega');
const bo = person('bo', 'Bo Lärare');
const dag = person('dag', 'Dag Lärare');
/** A visitor on the open form: no account, answered by e-mail. */
const visitor: TicketPerson = { accountId: null, name: 'Vera Besökare', email: 'vera@example.org' };

/** A caller as the handlers present them. */
const actor = (p: { accountId: string | null; name: string }, options: { staff?: boolean; administratorOf?: string[] } = {}): TicketActor => ({
  author: { id: p.accountId ?? (options.staff ? `staff:${p.name}` : 'anonymous'), name: p.name, staff: options.staff ?? false },
  accountId: p.accountId,
  staff: options.staff ?? false,
  administratorOf: options.administratorOf ?? [],
});

/** The people on a portal ticket, colleagues who may be added, administrators, outsiders and staff. */
const CALLERS = {
  requester: actor(rut),
  collaborator: actor(cai),
  colleague: actor(bo),
  otherColleague: actor(dag),
  /** Administrator of the ticket's organisation, not on the ticket: sees it, takes no part. */
  administrator: actor(person('ada', 'Ada Administratör'), { administratorOf: [ORG] }),
  requesterAlsoAdministrator: actor(rut, { administratorOf: [ORG] }),
  otherAdministrator: actor(person('alf', 'Alf Administratör'), { administratorOf: [OTHER_ORG] }),
  outsider: actor(person('otto', 'Otto Utomstående')),
  visitorWithoutAccount: actor(visitor),
  staff: actor({ accountId: null, name: 'Kim Kundservice' }, { staff: true }),
  staffWithAccount: actor(person('sam', 'Sam Kundservice'), { staff: true }),
} satisfies Record<string, TicketActor>;
type Caller = keyof typeof CALLERS;
/** Colleagues with accounts, as the handlers look them up to add them. */
const PEOPLE = { rut, cai, bo, dag } satisfies Record<string, TicketPerson>;

/** A ticket from the portal, from the open form (no account, no organisation), or by staff on the phone (no e-mail). */
const ticketFrom = (channel: TicketChannel, createdBy: TicketActor): Omit<TicketCreated['data'], 'createdAt'> => ({
  ticketId,
  number: 'T-1001',
  type: 'fault-report',
  subject: 'Schemat visar fel vecka',
  description: 'Sedan i måndags visar schemat vecka 9.',
  channel,
  requester: channel === 'public-form' ? visitor : channel === 'phone' ? { ...rut, email: null } : rut,
  organisationId: channel === 'public-form' ? null : ORG,
  serviceId: null,
  collaborators: channel === 'portal' ? [cai] : [],
  createdBy: createdBy.author,
});

type Intent =
  | { kind: 'create'; caller: Caller; channel: TicketChannel }
  | { kind: 'post'; caller: Caller; internal: boolean; attachment: 'none' | 'of-the-ticket' | 'unknown' }
  | { kind: 'collaborator'; caller: Caller; person: keyof typeof PEOPLE }
  | { kind: 'status'; caller: Caller; status: 'open' | 'pending' | 'solved' }
  | { kind: 'priority'; caller: Caller; priority: TicketPriority }
  | { kind: 'close'; caller: Caller }
  | { kind: 'attach'; caller: Caller };

const caller = fc.constantFrom(...(Object.keys(CALLERS) as Caller[]));
const channel = fc.constantFrom<TicketChannel>('portal', 'portal', 'public-form', 'phone');
const intent: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('create' as const), caller, channel }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('post' as const),
      caller,
      internal: fc.boolean(),
      attachment: fc.constantFrom('none', 'none', 'of-the-ticket', 'unknown') as fc.Arbitrary<'none' | 'of-the-ticket' | 'unknown'>,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('collaborator' as const), caller, person: fc.constantFrom(...(Object.keys(PEOPLE) as (keyof typeof PEOPLE)[])) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('status' as const), caller, status: fc.constantFrom('open', 'pending', 'solved') as fc.Arbitrary<'open' | 'pending' | 'solved'> }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('priority' as const), caller, priority: fc.constantFrom<TicketPriority>('low', 'normal', 'high', 'urgent') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), caller }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('attach' as const), caller }) },
);
/** Most sequences start from a ticket; some begin with nothing to act on. */
const opening = fc.option(
  fc.record({ kind: fc.constant('create' as const), caller, channel }).map((i): Intent => i),
  { freq: 10 },
);
const intents = fc.tuple(opening, fc.array(intent, { maxLength: 40, size: 'max' })).map(([first, rest]) => (first ? [first, ...rest] : rest));

const commandFor = (i: Intent, state: TicketState, index: number): TicketCommand => {
  const now = at(index + 1);
  const by = CALLERS[i.caller];
  switch (i.kind) {
    case 'create':
      return { type: 'CreateTicket', ticket: ticketFrom(i.channel, by), now };
    case 'post': {
      const known = state.exists ? [...state.attachmentIds] : [];
      const attachmentIds = i.attachment === 'none' ? [] : i.attachment === 'of-the-ticket' && known.length > 0 ? [known[index % known.length]] : [`att-unknown-${index}`];
      return { type: 'PostMessage', messageId: `msg-${index}`, body: `Meddelande ${index}`, internal: i.internal, attachmentIds, by, now };
    }
    case 'collaborator':
      return { type: 'AddCollaborator', collaborator: PEOPLE[i.person], by, now };
    case 'status':
      return { type: 'ChangeStatus', status: i.status, by, now };
    case 'priority':
      return { type: 'ChangePriority', priority: i.priority, by, now };
    case 'close':
      return { type: 'CloseTicket', by, now };
    case 'attach':
      return { type: 'AddAttachment', attachmentId: `att-${index}`, name: 'schema.log', size: 2048, contentType: 'text/plain', sha256: 'ab'.repeat(32), by, now };
  }
};

const NOT_FOUND = refusal(NotFound, 'NOT_FOUND');
const FORBIDDEN = refusal(Forbidden, 'FORBIDDEN');
const TICKET_CLOSED = refusal(DomainError, 'TICKET_CLOSED');

/** What the domain says should come of a command on this ticket: accepted, or which refusal. */
const expectedOutcome = (command: TicketCommand, state: TicketState): Outcome => {
  if (command.type === 'CreateTicket') return state.exists ? refusal(DomainError, 'TICKET_EXISTS') : ACCEPTED;
  const by = command.by;
  // Staff, the people on the ticket and the administrators of its organisation see it; to anyone else it does not exist.
  if (!state.exists || !maySee(state, by)) return NOT_FOUND;
  // Administrators only look: posting, attaching and closing are for staff and the people on the ticket.
  const takesPart = by.staff || isParticipant(state, by.accountId);
  switch (command.type) {
    case 'PostMessage':
      if (!takesPart) return FORBIDDEN;
      if (command.internal && !by.staff) return FORBIDDEN;
      if (state.status === 'closed') return TICKET_CLOSED;
      if (command.attachmentIds.some((id) => !state.attachmentIds.has(id))) return refusal(DomainError, 'UNKNOWN_ATTACHMENT');
      return ACCEPTED;
    case 'AddCollaborator':
      if (!by.staff && state.created.requester.accountId !== by.accountId) return FORBIDDEN;
      return isParticipant(state, command.collaborator.accountId) ? refusal(DomainError, 'ALREADY_ON_TICKET') : ACCEPTED;
    case 'ChangeStatus':
    case 'ChangePriority':
      return by.staff ? ACCEPTED : FORBIDDEN;
    case 'CloseTicket':
    case 'AddAttachment':
      if (!takesPart) return FORBIDDEN;
      return state.status === 'closed' ? TICKET_CLOSED : ACCEPTED;
  }
};

const peopleOn = (ticket: Extract<TicketState, { exists: true }>) => [ticket.created.requester, ...ticket.collaborators];

const reached = { events: new Set<string>(), refusals: new Set<string>(), reopened: 0 };

/** Every invariant, checked on each step as it is taken. */
const checkStep = (step: DecidedStep<TicketCommand, TicketEvent, TicketState>) => {
  const { command, before, after } = step;
  expect(outcomeOf(step)).toBe(expectedOutcome(command, before));
  // A closed ticket takes no message: whoever may post is told it is closed.
  if (command.type === 'PostMessage' && before.exists && before.status === 'closed') {
    expect(step.accepted).toBe(false);
    if (command.by.staff || (isParticipant(before, command.by.accountId) && !command.internal)) expect(outcomeOf(step)).toBe(TICKET_CLOSED);
  }
  if (!step.accepted) {
    reached.refusals.add(`${step.error.statusCode} ${step.error.code}`);
    // Someone who cannot see the ticket learns nothing of it, whatever they try.
    if (command.type !== 'CreateTicket' && before.exists && !maySee(before, command.by)) expect(step.error).toBeInstanceOf(NotFound);
    return;
  }
  expect(step.events).toHaveLength(1);
  const [event] = step.events;
  reached.events.add(event.type);
  if (!after.exists) throw new Error(`no ticket after ${event.type}`);
  if (command.type === 'CreateTicket') {
    expect(before.exists).toBe(false);
    expect(event.type).toBe('TicketCreated');
  } else {
    if (!before.exists) throw new Error(`${event.type} on no ticket`);
    const by = command.by;
    // Status and priority are staff's; the customer never sets them.
    if (event.type === 'TicketStatusChanged' || event.type === 'TicketPriorityChanged') expect(by.staff).toBe(true);
    // Only staff and the people on the ticket change it; administrators only look.
    expect(by.staff || isParticipant(before, by.accountId)).toBe(true);
    // A closed ticket takes no messages, attachments or second closing until staff reopen it.
    if (before.status === 'closed') expect(['TicketMessagePosted', 'TicketAttachmentAdded', 'TicketClosed']).not.toContain(event.type);
    if (event.type === 'TicketMessagePosted') {
      // Internal notes only ever come from staff; only a staff reply tells anyone, and it tells everyone who can be told.
      if (event.data.internal) expect(by.staff && event.data.author.staff).toBe(true);
      const told = by.staff && !event.data.internal ? peopleOn(before).filter((p) => p.accountId !== null || p.email !== null) : [];
      expect(event.data.notify).toEqual(told);
      for (const id of event.data.attachmentIds) expect(before.attachmentIds.has(id)).toBe(true);
    }
    if (event.type === 'TicketCollaboratorAdded') {
      expect(by.staff || before.created.requester.accountId === by.accountId).toBe(true);
      expect(peopleOn(before).map((p) => p.accountId)).not.toContain(event.data.collaborator.accountId);
    }
    // Only staff take a ticket out of closed, and only by setting its status.
    if (before.status === 'closed' && after.status !== 'closed') {
      expect(event.type === 'TicketStatusChanged' && by.staff).toBe(true);
      reached.reopened++;
    }
  }
  // Nobody is on the ticket twice.
  const accounts = peopleOn(after).flatMap((p) => (p.accountId ? [p.accountId] : []));
  expect(new Set(accounts).size).toBe(accounts.length);
};

const RUNS = 300;

/** The invariants after every step, and folding the events (as stored) gives the state reached step by step. */
const keepsItsInvariants = (decider: typeof ticketDecider) =>
  fc.property(intents, (sequence) => {
    const { history, state } = decideInTurn(decider, sequence, commandFor, checkStep);
    expect(history.filter((e) => e.type === 'TicketCreated')).toHaveLength(history.length > 0 ? 1 : 0);
    if (history.length > 0) expect(history[0].type).toBe('TicketCreated');
    expect(fold(decider, history)).toEqual(state);
    expect(fold(decider, asStored(history))).toEqual(state);
  });

const readModel = async (history: readonly TicketEvent[], replayFrom: number) => {
  const events = history.map((e, revision) => recorded(e.type, e.data, ticketStream(ticketId), BigInt(revision)));
  const docs = await snapshot(ticketsProjection, await project(ticketsProjection, [...events, ...events.slice(replayFrom)]));
  return { tickets: docs[TICKETS] as TicketDoc[], messages: docs[TICKET_MESSAGES] as TicketMessageDoc[] };
};

describe('ticketDecider under random command sequences', () => {
  it('keeps its invariants after every step: a closed ticket takes no message, notes and priority stay staff’s, outsiders see nothing', () => {
    fc.assert(keepsItsInvariants(ticketDecider), { numRuns: RUNS });
    // The sequences reach every event and every kind of refusal, or they prove little.
    for (const type of ['TicketCreated', 'TicketMessagePosted', 'TicketCollaboratorAdded', 'TicketStatusChanged', 'TicketPriorityChanged', 'TicketClosed', 'TicketAttachmentAdded']) {
      expect(reached.events).toContain(type);
    }
    for (const key of ['403 FORBIDDEN', '404 NOT_FOUND', '409 TICKET_CLOSED', '409 TICKET_EXISTS', '409 ALREADY_ON_TICKET', '422 UNKNOWN_ATTACHMENT']) {
      expect(reached.refusals).toContain(key);
    }
    expect(reached.reopened).toBeGreaterThan(0);
  });

  it('the read model agrees with the folded events, also when a tail of them is delivered again', async () => {
    await fc.assert(
      fc.asyncProperty(intents, fc.nat(), async (sequence, cut) => {
        const { history, state } = decideInTurn(ticketDecider, sequence, commandFor);
        const { tickets, messages } = await readModel(history, cut % (history.length + 1));
        if (!state.exists) {
          expect(tickets).toEqual([]);
          return;
        }
        const posted = history.flatMap((e) => (e.type === 'TicketMessagePosted' ? [e.data] : []));
        const lastReply = posted.filter((m) => m.notify.length > 0).at(-1);
        expect(tickets).toEqual([
          expect.objectContaining({
            _id: ticketId,
            status: state.status,
            priority: state.priority,
            requester: state.created.requester,
            collaborators: state.collaborators,
            participants: peopleOn(state).flatMap((p) => (p.accountId ? [p.accountId] : [])),
            organisationId: state.created.organisationId,
            attachments: [...state.attachmentIds].map((id) => expect.objectContaining({ id })),
            lastStaffReplyAt: lastReply?.at ?? null,
            revision: history.length - 1,
          }),
        ]);
        // Every message once, internal notes marked as such.
        const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
        expect(messages.map((m) => ({ id: m._id, internal: m.internal })).sort(byId)).toEqual(posted.map((m) => ({ id: m.messageId, internal: m.internal })).sort(byId));
      }),
      { numRuns: 100 },
    );
  });

  it('would catch a decider that breaks them', () => {
    const postWhenClosed: typeof ticketDecider = {
      ...ticketDecider,
      decide: (command, state) =>
        command.type === 'PostMessage' && state.exists && state.status === 'closed' && command.by.staff
          ? ticketDecider.decide(command, { ...state, status: 'open' })
          : ticketDecider.decide(command, state),
    };
    const customerInternal: typeof ticketDecider = {
      ...ticketDecider,
      decide: (command, state) =>
        ticketDecider
          .decide(command.type === 'PostMessage' ? { ...command, internal: command.internal && command.by.staff } : command, state)
          .map((e) => (e.type === 'TicketMessagePosted' && command.type === 'PostMessage' && command.internal ? { ...e, data: { ...e.data, internal: true } } : e)),
    };
    const maySeeTicket = (state: TicketState, by: TicketActor) => state.exists && maySee(state, by);
    const customerStatus: typeof ticketDecider = {
      ...ticketDecider,
      decide: (command, state) =>
        ticketDecider.decide(command.type === 'ChangeStatus' && maySeeTicket(state, command.by) ? { ...command, by: { ...command.by, staff: true } } : command, state),
    };
    const twoEvents: typeof ticketDecider = {
      ...ticketDecider,
      decide: (command, state) => {
        const events = ticketDecider.decide(command, state);
        return command.type === 'CloseTicket' ? [...events, ...events] : events;
      },
    };
    const crashes: typeof ticketDecider = {
      ...ticketDecider,
      decide: (command, state) => {
        if (command.type === 'AddAttachment' && state.exists && state.status === 'closed') throw new Error('boom');
        return ticketDecider.decide(command, state);
      },
    };
    for (const broken of [postWhenClosed, customerInternal, customerStatus, twoEvents, crashes]) {
      expect(fc.check(keepsItsInvariants(broken), { numRuns: RUNS, endOnFailure: true }).failed).toBe(true);
    }
  });
});
