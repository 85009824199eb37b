import { Inject, Injectable } from '@nestjs/common';
import { Filter, READ_STORE, ReadStore, SortSpec } from '@kundportal/readstore';
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

/** What a notification of an unread reply shows of the ticket. */
export type UnreadTicket = Pick<TicketDoc, '_id' | 'number' | 'subject' | 'lastStaffReplyAt' | 'lastActivityAt'>;
const UNREAD_ITEM = { number: 1, subject: 1, lastStaffReplyAt: 1, lastActivityAt: 1 } as const;

@Injectable()
export class TicketQueries {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  /**
   * The reader's tickets, newest activity first: their own and those they collaborate on, and for
   * administrators their organisations' tickets too. Staff see all.
   */
  async list(reader: TicketReader, options: { status?: string; skip: number; limit: number }): Promise<{ items: TicketListItem[]; total: number }> {
    const scope = this.scope(reader);
    if (scope === null) return { items: [], total: 0 };
    const filter: Filter = options.status ? { ...scope, status: options.status } : scope;
    const sort: SortSpec = reader.staff ? { staffLastActivityAt: -1, _id: 1 } : { lastActivityAt: -1, _id: 1 };
    const collection = this.store.collection<TicketDoc>(TICKETS);
    const [items, total] = await Promise.all([
      collection.find(filter, { sort, skip: options.skip, limit: options.limit, projection: LIST_ITEM }),
      collection.count(filter),
    ]);
    return { items, total };
  }

  private scope(reader: TicketReader): Filter | null {
    if (reader.staff) return {};
    const branches: Filter[] = [];
    if (reader.accountId) branches.push({ participants: reader.accountId });
    if (reader.administratorOf.length > 0) branches.push({ organisationId: { $in: reader.administratorOf } });
    if (branches.length === 0) return null;
    return branches.length === 1 ? branches[0] : { $or: branches };
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
