import { assertNever, Decider, DomainError, Forbidden, NotFound, ReasonOf } from '@kundportal/kernel';
import {
  Author,
  TicketAttachmentAdded,
  TicketCreated,
  TicketEvent,
  TicketPerson,
  TicketPriority,
  TicketStatus,
} from './ticket.events';

/** Who acts on a ticket, as far as the decision needs to know. */
export interface TicketActor {
  author: Author;
  accountId: string | null;
  staff: boolean;
  /** Organisations where the caller is an administrator: they see those organisations' tickets. */
  administratorOf: string[];
}

export type TicketCommand =
  | { type: 'CreateTicket'; ticket: Omit<TicketCreated['data'], 'createdAt'>; now: Date }
  | { type: 'PostMessage'; messageId: string; body: string; internal: boolean; attachmentIds: string[]; by: TicketActor; now: Date }
  | { type: 'AddCollaborator'; collaborator: TicketPerson; by: TicketActor; now: Date }
  | { type: 'ChangeStatus'; status: 'open' | 'pending' | 'solved'; by: TicketActor; now: Date }
  | { type: 'ChangePriority'; priority: TicketPriority; by: TicketActor; now: Date }
  | { type: 'CloseTicket'; by: TicketActor; now: Date }
  | ({ type: 'AddAttachment'; by: TicketActor; now: Date } & Omit<TicketAttachmentAdded['data'], 'ticketId' | 'by' | 'at'>);

export interface Ticket {
  created: TicketCreated['data'];
  status: TicketStatus;
  priority: TicketPriority;
  collaborators: TicketPerson[];
  attachmentIds: Set<string>;
}

export type TicketState = { exists: false } | ({ exists: true } & Ticket);

type Existing = Extract<TicketState, { exists: true }>;

export function isParticipant(ticket: Ticket, accountId: string | null): boolean {
  if (accountId === null) return false;
  return ticket.created.requester.accountId === accountId || ticket.collaborators.some((c) => c.accountId === accountId);
}

/** Staff, the requester and collaborators, and the administrators of the ticket's organisation see it. */
export function maySee(ticket: Ticket, by: Pick<TicketActor, 'accountId' | 'staff' | 'administratorOf'>): boolean {
  return (
    by.staff ||
    isParticipant(ticket, by.accountId) ||
    (ticket.created.organisationId !== null && by.administratorOf.includes(ticket.created.organisationId))
  );
}

function visible(state: TicketState, by: TicketActor): Existing {
  if (!state.exists || !maySee(state, by)) throw new NotFound('ticket');
  return state;
}

/** Posting, attaching and closing: staff and the people on the ticket (administrators only look). */
function mayTakePart(ticket: Existing, by: TicketActor): void {
  if (!by.staff && !isParticipant(ticket, by.accountId)) throw new Forbidden('ticketParticipants');
}

function notClosed(ticket: Existing): void {
  if (ticket.status === 'closed') throw DomainError.conflict('TICKET_CLOSED', 'The ticket is closed.');
}

function staffOnly(by: TicketActor, reason: ReasonOf<'FORBIDDEN'>): void {
  if (!by.staff) throw new Forbidden(reason);
}

export const ticketDecider: Decider<TicketCommand, TicketEvent, TicketState> = {
  initialState: () => ({ exists: false }),

  decide(command, state) {
    switch (command.type) {
      case 'CreateTicket': {
        if (state.exists) throw DomainError.conflict('TICKET_EXISTS', 'The ticket exists already.');
        return [{ type: 'TicketCreated', data: { ...command.ticket, createdAt: command.now.toISOString() } }];
      }

      case 'PostMessage': {
        const ticket = visible(state, command.by);
        mayTakePart(ticket, command.by);
        if (command.internal) staffOnly(command.by, 'staffInternalNotes');
        notClosed(ticket);
        for (const id of command.attachmentIds) {
          if (!ticket.attachmentIds.has(id)) {
            throw DomainError.rule('UNKNOWN_ATTACHMENT', 'Attach files to the ticket before naming them in a message.', [
              { field: 'attachmentIds', message: `${id} is not an attachment of this ticket` },
            ]);
          }
        }
        const staffReply = command.by.staff && !command.internal;
        const people = [ticket.created.requester, ...ticket.collaborators];
        const notify = staffReply ? people.filter((p) => p.accountId !== null || p.email !== null) : [];
        return [
          {
            type: 'TicketMessagePosted',
            data: {
              ticketId: ticket.created.ticketId,
              messageId: command.messageId,
              author: command.by.author,
              body: command.body,
              internal: command.internal,
              attachmentIds: command.attachmentIds,
              notify,
              ...(notify.length > 0 ? { ticket: { number: ticket.created.number, subject: ticket.created.subject } } : {}),
              at: command.now.toISOString(),
            },
          },
        ];
      }

      case 'AddCollaborator': {
        const ticket = visible(state, command.by);
        if (!command.by.staff && ticket.created.requester.accountId !== command.by.accountId) {
          throw new Forbidden('requesterAddsCollaborators');
        }
        if (isParticipant(ticket, command.collaborator.accountId)) {
          throw DomainError.conflict('ALREADY_ON_TICKET', 'That person is on the ticket already.');
        }
        return [
          {
            type: 'TicketCollaboratorAdded',
            data: { ticketId: ticket.created.ticketId, collaborator: command.collaborator, by: command.by.author, at: command.now.toISOString() },
          },
        ];
      }

      case 'ChangeStatus': {
        const ticket = visible(state, command.by);
        staffOnly(command.by, 'staffTicketStatus');
        return [
          {
            type: 'TicketStatusChanged',
            data: { ticketId: ticket.created.ticketId, status: command.status, previous: ticket.status, by: command.by.author, at: command.now.toISOString() },
          },
        ];
      }

      case 'ChangePriority': {
        const ticket = visible(state, command.by);
        staffOnly(command.by, 'staffTicketPriority');
        return [
          {
            type: 'TicketPriorityChanged',
            data: { ticketId: ticket.created.ticketId, priority: command.priority, previous: ticket.priority, by: command.by.author, at: command.now.toISOString() },
          },
        ];
      }

      case 'CloseTicket': {
        const ticket = visible(state, command.by);
        mayTakePart(ticket, command.by);
        notClosed(ticket);
        return [{ type: 'TicketClosed', data: { ticketId: ticket.created.ticketId, previous: ticket.status, by: command.by.author, at: command.now.toISOString() } }];
      }

      case 'AddAttachment': {
        const ticket = visible(state, command.by);
        mayTakePart(ticket, command.by);
        notClosed(ticket);
        const { type: _t, by, now, ...attachment } = command;
        return [{ type: 'TicketAttachmentAdded', data: { ticketId: ticket.created.ticketId, ...attachment, by: by.author, at: now.toISOString() } }];
      }

      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    if (event.type === 'TicketCreated') {
      return { exists: true, created: event.data, status: 'open', priority: 'normal', collaborators: event.data.collaborators, attachmentIds: new Set() };
    }
    if (!state.exists) return state;
    switch (event.type) {
      case 'TicketMessagePosted':
        return state;
      case 'TicketCollaboratorAdded':
        return { ...state, collaborators: [...state.collaborators, event.data.collaborator] };
      case 'TicketStatusChanged':
        return { ...state, status: event.data.status };
      case 'TicketPriorityChanged':
        return { ...state, priority: event.data.priority };
      case 'TicketClosed':
        return { ...state, status: 'closed' };
      case 'TicketAttachmentAdded':
        return { ...state, attachmentIds: new Set([...state.attachmentIds, event.data.attachmentId]) };
      default:
        return assertNever(event);
    }
  },
};
