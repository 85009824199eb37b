import { Inject, Injectable } from '@nestjs/common';
import { allWordsFilter } from '@kundportal/kernel';
import { Filter, READ_STORE, ReadStore, SortSpec } from '@kundportal/readstore';
import { TicketPriority, TicketStatus, TicketType } from './ticket.events';
import { TICKET_MESSAGES, TicketDoc, TicketMessageDoc, TICKETS } from './ticket.projections';

export interface TicketReader {
  accountId: string | null;
  staff: boolean;
  administratorOf: string[];
}

/** What a list of tickets shows of each (and needs to tell who sees it how). */
export type TicketListItem = Pick<
  TicketDoc,
  '_id' | 'number' | 'subject' | 'type' | 'status' | 'priority' | 'channel' | 'createdAt' | 'lastActivityAt' | 'staffLastActivityAt' | 'participants' | 'unreadBy'
>;
const LIST_ITEM = {
  number: 1,
  subject: 1,
  type: 1,
  status: 1,
  priority: 1,
  channel: 1,
  createdAt: 1,
  lastActivityAt: 1,
  staffLastActivityAt: 1,
  participants: 1,
  unreadBy: 1,
} as const;

/** What a staff list shows of each ticket besides: whether it waits for an answer, and whose it is. */
export type StaffTicketListItem = TicketListItem & Pick<TicketDoc, 'needsReply' | 'organisationId' | 'requester' | 'channel'>;
const STAFF_LIST_ITEM = { ...LIST_ITEM, needsReply: 1, organisationId: 1, requester: 1, channel: 1 } as const;

/** Staff's filters (each optional; given ones all apply). */
export interface StaffTicketFilter {
  status?: TicketStatus;
  needsReply?: boolean;
  priority?: TicketPriority;
  type?: TicketType;
  organisationId?: string;
  /** A ticket number (`T-1001`, or just `1001`), or words that all occur in the subject, in any case. */
  q?: string;
}

/**
 * `activity`: newest staff activity first (the contract's order). `queue`: the tickets waiting for
 * an answer first, then by priority (urgent first), then oldest first.
 */
export type StaffTicketOrder = 'activity' | 'queue';

const QUEUE_ORDER: SortSpec = { priorityRank: 1, createdAt: 1, _id: 1 };
const ACTIVITY_ORDER: SortSpec = { staffLastActivityAt: -1, _id: 1 };
/** ACTIVITY_ORDER as a comparison, to merge two pages read in it. */
const byActivity = (a: StaffTicketListItem, b: StaffTicketListItem) =>
  a.staffLastActivityAt !== b.staffLastActivityAt ? (a.staffLastActivityAt < b.staffLastActivityAt ? 1 : -1) : a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
/** How deep into the activity order a page is merged from the two halves (each read that far). */
const MERGED_UP_TO = 1000;

/** The ticket number a search term names, if it is one: `T-1001`, `t1001` or `1001`. */
export function ticketNumberIn(q: string): string | null {
  const match = /^\s*(?:t-?)?(\d{1,12})\s*$/i.exec(q);
  return match ? `T-${match[1]}` : null;
}

/** The read-store filter of staff's filters; null when the search can match nothing. */
export function staffTicketFilter(f: StaffTicketFilter): Filter | null {
  const filter: Filter = {};
  if (f.status) filter.status = f.status;
  if (f.needsReply !== undefined) filter.needsReply = f.needsReply;
  if (f.priority) filter.priority = f.priority;
  if (f.type) filter.type = f.type;
  if (f.organisationId) filter.organisationId = f.organisationId;
  if (f.q !== undefined) {
    const branches: Filter[] = [];
    const number = ticketNumberIn(f.q);
    if (number) branches.push({ number });
    const words = allWordsFilter('words', f.q);
    if (words) branches.push(words);
    if (branches.length === 0) return null;
    if (branches.length === 1) Object.assign(filter, branches[0]);
    else filter.$or = branches;
  }
  return filter;
}

/** What a notification of an unread reply shows of the ticket. */
export type UnreadTicket = Pick<TicketDoc, '_id' | 'number' | 'subject' | 'lastStaffReplyAt' | 'lastActivityAt'>;
const UNREAD_ITEM = { number: 1, subject: 1, lastStaffReplyAt: 1, lastActivityAt: 1 } as const;

@Injectable()
export class TicketQueries {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  /**
   * The reader's tickets, newest activity first: their own and those they collaborate on, and for
   * administrators their organisations' tickets too. Staff see all, as `staffList` gives them.
   */
  async list(reader: TicketReader, options: { status?: TicketStatus; skip: number; limit: number }): Promise<{ items: TicketListItem[]; total: number }> {
    if (reader.staff) return this.staffList({ status: options.status }, { order: 'activity', skip: options.skip, limit: options.limit });
    const scope = this.scope(reader);
    if (scope === null) return { items: [], total: 0 };
    const filter: Filter = options.status ? { ...scope, status: options.status } : scope;
    const sort: SortSpec = { lastActivityAt: -1, _id: 1 };
    const collection = this.store.collection<TicketDoc>(TICKETS);
    const [items, total] = await Promise.all([
      collection.find(filter, { sort, skip: options.skip, limit: options.limit, projection: LIST_ITEM }),
      collection.count(filter),
    ]);
    return { items, total };
  }

  private scope(reader: TicketReader): Filter | null {
    const branches: Filter[] = [];
    if (reader.accountId) branches.push({ participants: reader.accountId });
    if (reader.administratorOf.length > 0) branches.push({ organisationId: { $in: reader.administratorOf } });
    if (branches.length === 0) return null;
    return branches.length === 1 ? branches[0] : { $or: branches };
  }

  /**
   * Every ticket, for staff, filtered and in the order asked. Pages are read in order off the
   * needs-reply indexes (with priority and age, or with activity) rather than by sorting every
   * match: directly when the filter pins `needsReply`; otherwise as its two halves, the queue
   * those waiting first, the activity order the two merged (up to MERGED_UP_TO deep; beyond, one
   * sorted read).
   */
  async staffList(
    filter: StaffTicketFilter,
    options: { order: StaffTicketOrder; skip: number; limit: number },
  ): Promise<{ items: StaffTicketListItem[]; total: number }> {
    const query = staffTicketFilter(filter);
    if (query === null) return { items: [], total: 0 };
    const collection = this.store.collection<TicketDoc>(TICKETS);
    const read = (q: Filter, sort: SortSpec, skip: number, limit: number) =>
      collection.find(q, { sort, skip, limit, projection: STAFF_LIST_ITEM }) as Promise<StaffTicketListItem[]>;
    const { skip, limit } = options;
    const sort = options.order === 'activity' ? ACTIVITY_ORDER : QUEUE_ORDER;
    const halves = filter.needsReply === undefined && (options.order === 'queue' || skip + limit <= MERGED_UP_TO);
    if (!halves) {
      const [items, total] = await Promise.all([read(query, sort, skip, limit), collection.count(query)]);
      return { items, total };
    }
    const waiting = { ...query, needsReply: true };
    const rest = { ...query, needsReply: false };
    if (options.order === 'activity') {
      const [first, second, total] = await Promise.all([read(waiting, sort, 0, skip + limit), read(rest, sort, 0, skip + limit), collection.count(query)]);
      return { items: [...first, ...second].sort(byActivity).slice(skip, skip + limit), total };
    }
    const [waitingCount, restCount] = await Promise.all([collection.count(waiting), collection.count(rest)]);
    const items = skip < waitingCount ? await read(waiting, sort, skip, limit) : [];
    if (items.length < limit) items.push(...(await read(rest, sort, Math.max(0, skip - waitingCount), limit - items.length)));
    return { items, total: waitingCount + restCount };
  }

  /** How many tickets wait for an answer from staff (the staff badge). */
  needsReplyCount(): Promise<number> {
    return this.store.collection<TicketDoc>(TICKETS).count({ needsReply: true });
  }

  byId(id: string): Promise<TicketDoc | null> {
    return this.store.collection<TicketDoc>(TICKETS).findOne({ _id: id });
  }

  messages(ticketId: string, includeInternal: boolean): Promise<TicketMessageDoc[]> {
    return this.store
      .collection<TicketMessageDoc>(TICKET_MESSAGES)
      .find(includeInternal ? { ticketId } : { ticketId, internal: false }, { sort: { at: 1, _id: 1 } });
  }

  unreadCount(accountId: string): Promise<number> {
    return this.store.collection<TicketDoc>(TICKETS).count({ unreadBy: accountId });
  }

  unread(accountId: string, limit = 50): Promise<UnreadTicket[]> {
    return this.store
      .collection<TicketDoc>(TICKETS)
      .find({ unreadBy: accountId }, { sort: { lastStaffReplyAt: -1, _id: 1 }, limit, projection: UNREAD_ITEM });
  }
}
