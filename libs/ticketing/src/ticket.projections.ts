import { RecordedEvent } from '@kundportal/eventstore';
import { IndexSpec, Projection, ProjectionContext } from '@kundportal/readstore';
import { Author, TicketEvent, TICKET_EVENT_TYPES, TicketPerson, TicketPriority, TicketRead, TicketStatus, TicketType } from './ticket.events';

export const TICKETS = 'tickets';
export const TICKET_MESSAGES = 'ticket_messages';

export interface TicketAttachmentDoc {
  id: string;
  name: string;
  size: number;
  contentType: string;
  at: string;
  by: Author;
}

export interface TicketDoc {
  _id: string;
  number: string;
  type: TicketType;
  subject: string;
  description: string;
  status: TicketStatus;
  priority: TicketPriority;
  channel: string;
  requester: TicketPerson;
  collaborators: TicketPerson[];
  /** Accounts on the ticket (requester and collaborators): the ticket is in their lists. */
  participants: string[];
  organisationId: string | null;
  serviceId: string | null;
  createdAt: string;
  /** Last activity a customer can see (internal notes and priority changes do not count). */
  lastActivityAt: string;
  /** Last activity of any kind, for staff. */
  staffLastActivityAt: string;
  lastStaffReplyAt: string | null;
  /** Participants with a staff reply they have not opened yet. */
  unreadBy: string[];
  attachments: TicketAttachmentDoc[];
  revision: number;
  [key: string]: unknown;
}

export interface TicketMessageDoc {
  _id: string;
  ticketId: string;
  author: Author;
  body: string;
  internal: boolean;
  attachmentIds: string[];
  at: string;
  [key: string]: unknown;
}

/**
 * Tickets for their lists and detail pages, with per-reader unread markers. Ticket documents carry
 * the stream revision they reflect and ignore older events, so replays change nothing; read
 * markers (another stream) only ever remove a reader who saw the latest staff reply.
 */
export const ticketsProjection: Projection = {
  name: 'tickets',
  version: 1,
  collections: {
    [TICKETS]: [
      { keys: { participants: 1, lastActivityAt: -1 } },
      { keys: { organisationId: 1 } },
      // Unread replies newest first: the notifications read the first page straight off this index.
      { keys: { unreadBy: 1, lastStaffReplyAt: -1 } },
      { keys: { number: 1 }, unique: true },
    ],
    [TICKET_MESSAGES]: [{ keys: { ticketId: 1, at: 1 } }],
  } as Record<string, IndexSpec[]>,
  eventTypes: [...TICKET_EVENT_TYPES, 'TicketRead'],
  apply(recorded: RecordedEvent, ctx: ProjectionContext) {
    const tickets = ctx.collection<TicketDoc>(TICKETS);
    if (recorded.type === 'TicketRead') {
      const { ticketId, accountId, upTo } = (recorded as unknown as TicketRead).data;
      tickets.updateOne({ _id: ticketId, lastStaffReplyAt: { $lte: upTo } }, { $pull: { unreadBy: accountId } });
      return;
    }
    const event = recorded as unknown as TicketEvent;
    const revision = Number(recorded.revision);
    const newer = { _id: event.data.ticketId, revision: { $lt: revision } };

    switch (event.type) {
      case 'TicketCreated': {
        const d = event.data;
        const people = [d.requester, ...d.collaborators];
        tickets.updateOne(
          { _id: d.ticketId },
          {
            $setOnInsert: {
              number: d.number,
              type: d.type,
              subject: d.subject,
              description: d.description,
              status: 'open',
              priority: 'normal',
              channel: d.channel,
              requester: d.requester,
              collaborators: d.collaborators,
              participants: people.flatMap((p) => (p.accountId ? [p.accountId] : [])),
              organisationId: d.organisationId,
              serviceId: d.serviceId,
              createdAt: d.createdAt,
              lastActivityAt: d.createdAt,
              staffLastActivityAt: d.createdAt,
              lastStaffReplyAt: null,
              unreadBy: [],
              attachments: [],
              revision,
            },
          },
          { upsert: true },
        );
        return;
      }
      case 'TicketMessagePosted': {
        const d = event.data;
        ctx.collection<TicketMessageDoc>(TICKET_MESSAGES).updateOne(
          { _id: d.messageId },
          { $setOnInsert: { ticketId: d.ticketId, author: d.author, body: d.body, internal: d.internal, attachmentIds: d.attachmentIds, at: d.at } },
          { upsert: true },
        );
        const notified = d.notify.flatMap((p) => (p.accountId ? [p.accountId] : []));
        tickets.updateOne(newer, {
          $set: {
            revision,
            staffLastActivityAt: d.at,
            ...(d.internal ? {} : { lastActivityAt: d.at }),
            ...(d.notify.length > 0 ? { lastStaffReplyAt: d.at, unreadBy: notified } : {}),
          },
        });
        return;
      }
      case 'TicketCollaboratorAdded': {
        const c = event.data.collaborator;
        tickets.updateOne(newer, {
          $set: { revision, lastActivityAt: event.data.at, staffLastActivityAt: event.data.at },
          $push: { collaborators: c },
          ...(c.accountId ? { $addToSet: { participants: c.accountId } } : {}),
        });
        return;
      }
      case 'TicketStatusChanged':
      case 'TicketClosed':
        tickets.updateOne(newer, {
          $set: { revision, status: event.type === 'TicketClosed' ? 'closed' : event.data.status, lastActivityAt: event.data.at, staffLastActivityAt: event.data.at },
        });
        return;
      case 'TicketPriorityChanged':
        tickets.updateOne(newer, { $set: { revision, priority: event.data.priority, staffLastActivityAt: event.data.at } });
        return;
      case 'TicketAttachmentAdded': {
        const d = event.data;
        const attachment: TicketAttachmentDoc = { id: d.attachmentId, name: d.name, size: d.size, contentType: d.contentType, at: d.at, by: d.by };
        tickets.updateOne(newer, { $set: { revision, lastActivityAt: d.at, staffLastActivityAt: d.at }, $push: { attachments: attachment } });
        return;
      }
    }
  },
};
