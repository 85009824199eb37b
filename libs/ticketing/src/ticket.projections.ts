import { RecordedEvent } from '@kundportal/eventstore';
import { searchWords } from '@kundportal/kernel';
import { Filter, IndexSpec, Projection, ProjectionCollection, ProjectionContext } from '@kundportal/readstore';
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
  /** The latest public message is a customer's (a new ticket's description counts as one). */
  customerSpokeLast: boolean;
  /**
   * Staff owe an answer: the customer spoke last, and staff have not set the ticket solved (nor has
   * it been closed) since. A customer who writes on a solved ticket is waiting again.
   */
  needsReply: boolean;
  /** `priority` as a number that sorts urgent first (see PRIORITY_RANK). */
  priorityRank: number;
  /** The subject's words, for staff search (see subjectWords). */
  words: string[];
  revision: number;
  [key: string]: unknown;
}

/** Urgent first: the staff queue sorts by this ascending. */
export const PRIORITY_RANK: Record<TicketPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** The subject's words, for staff search. */
export const subjectWords = (subject: string): string[] => searchWords(subject);


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
  version: 2,
  collections: {
    [TICKETS]: [
      { keys: { participants: 1, lastActivityAt: -1 } },
      { keys: { organisationId: 1 } },
      // Unread replies newest first: the notifications read the first page straight off this index.
      { keys: { unreadBy: 1, lastStaffReplyAt: -1 } },
      { keys: { number: 1 }, unique: true },
      // Staff: the needs-reply queue (priority, then oldest first) and the needs-reply list by activity;
      // the badge counts straight off the leading field.
      { keys: { needsReply: 1, priorityRank: 1, createdAt: 1 } },
      { keys: { needsReply: 1, staffLastActivityAt: -1 } },
      { keys: { words: 1 } },
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
              customerSpokeLast: true,
              needsReply: true,
              priorityRank: PRIORITY_RANK.normal,
              words: subjectWords(d.subject),
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
            ...(d.internal ? {} : { customerSpokeLast: !d.author.staff, needsReply: !d.author.staff }),
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
        return statusChanged(tickets, newer, revision, event.type === 'TicketClosed' ? 'closed' : event.data.status, event.data.at);
      case 'TicketPriorityChanged':
        tickets.updateOne(newer, {
          $set: { revision, priority: event.data.priority, priorityRank: PRIORITY_RANK[event.data.priority], staffLastActivityAt: event.data.at },
        });
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

/**
 * Solved or closed owes nobody an answer; reopened, it does if the customer spoke last, which only
 * the document knows (status changes are rare, so the read is too).
 */
async function statusChanged(tickets: ProjectionCollection<TicketDoc>, newer: Filter, revision: number, status: TicketStatus, at: string): Promise<void> {
  const reopened = status === 'open' || status === 'pending';
  const doc = reopened ? await tickets.findOne({ _id: newer._id }) : null;
  tickets.updateOne(newer, { $set: { revision, status, needsReply: doc?.customerSpokeLast ?? false, lastActivityAt: at, staffLastActivityAt: at } });
}
