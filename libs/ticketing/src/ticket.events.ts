export type TicketType = 'question' | 'fault-report' | 'improvement-suggestion';
export type TicketStatus = 'open' | 'pending' | 'solved' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketChannel = 'portal' | 'phone' | 'public-form';

export const TICKET_TYPES: readonly TicketType[] = ['question', 'fault-report', 'improvement-suggestion'];
export const SETTABLE_STATUSES = ['open', 'pending', 'solved'] as const;
export const PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];

/** A person on a ticket. Public-form requesters have no account: they are answered by e-mail only. */
export interface TicketPerson {
  accountId: string | null;
  name: string;
  email: string | null;
}

export interface Author {
  id: string;
  name: string;
  staff: boolean;
}

export type TicketCreated = {
  type: 'TicketCreated';
  data: {
    ticketId: string;
    number: string;
    type: TicketType;
    subject: string;
    description: string;
    channel: TicketChannel;
    requester: TicketPerson;
    organisationId: string | null;
    serviceId: string | null;
    collaborators: TicketPerson[];
    createdBy: Author;
    createdAt: string;
  };
};

export type TicketMessagePosted = {
  type: 'TicketMessagePosted';
  data: {
    ticketId: string;
    messageId: string;
    author: Author;
    body: string;
    /** Staff-only note: customers never see it. */
    internal: boolean;
    attachmentIds: string[];
    /** Who is told of it (a staff reply: the requester and collaborators as they were then); empty otherwise. */
    notify: TicketPerson[];
    /** The ticket's number and subject when someone is told, so the e-mail names the ticket without reading its stream. */
    ticket?: { number: string; subject: string };
    at: string;
  };
};

export type TicketCollaboratorAdded = {
  type: 'TicketCollaboratorAdded';
  data: { ticketId: string; collaborator: TicketPerson; by: Author; at: string };
};

export type TicketStatusChanged = {
  type: 'TicketStatusChanged';
  data: { ticketId: string; status: TicketStatus; previous: TicketStatus; by: Author; at: string };
};

export type TicketPriorityChanged = {
  type: 'TicketPriorityChanged';
  data: { ticketId: string; priority: TicketPriority; previous: TicketPriority; by: Author; at: string };
};

export type TicketClosed = {
  type: 'TicketClosed';
  data: { ticketId: string; previous: TicketStatus; by: Author; at: string };
};

export type TicketAttachmentAdded = {
  type: 'TicketAttachmentAdded';
  data: { ticketId: string; attachmentId: string; name: string; size: number; contentType: string; sha256: string; by: Author; at: string };
};

export type TicketEvent =
  | TicketCreated
  | TicketMessagePosted
  | TicketCollaboratorAdded
  | TicketStatusChanged
  | TicketPriorityChanged
  | TicketClosed
  | TicketAttachmentAdded;

export const TICKET_EVENT_TYPES = [
  'TicketCreated',
  'TicketMessagePosted',
  'TicketCollaboratorAdded',
  'TicketStatusChanged',
  'TicketPriorityChanged',
  'TicketClosed',
  'TicketAttachmentAdded',
] as const;

/** Someone opened the ticket and saw everything up to `upTo` (the last staff reply's time). */
export type TicketRead = {
  type: 'TicketRead';
  data: { ticketId: string; accountId: string; upTo: string };
};

export const ticketStream = (id: string) => `ticket-${id}`;
/** Read markers live in a stream per reader, so reading never contends with the ticket's own writes. */
export const ticketReadsStream = (accountId: string) => `ticket-reads-${accountId}`;
