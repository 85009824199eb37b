import { Inject, Injectable } from '@nestjs/common';
import { Page, PageRequest } from '@kundportal/kernel';
import { Filter, findPage, READ_STORE, ReadStore } from '@kundportal/readstore';
import { OrderStatus } from './order.decider';
import { APPROVALS, ApprovalDoc, ORDERS, OrderDoc } from './order.projections';

export interface Membership {
  organisationId: string;
  roles: string[];
}

/** What lists of orders waiting for someone show of each. */
export type ApprovalItem = Pick<ApprovalDoc, '_id' | 'step' | 'customerOrganisationId' | 'customerOrganisationName' | 'offeringName' | 'submittedAt' | 'submittedBy'>;
const APPROVAL_ITEM = { step: 1, customerOrganisationId: 1, customerOrganisationName: 1, offeringName: 1, submittedAt: 1, submittedBy: 1 } as const;

@Injectable()
export class OrderQueries {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  /** Orders visible through these organisations (all orders when `organisationIds` is null), newest change first. */
  /** Orders seen by the organisations given (null: every order), newest change first. */
  list(organisationIds: string[] | null, where: { status?: OrderStatus }, page: PageRequest): Promise<Page<OrderDoc>> {
    const filter: Filter = organisationIds === null ? {} : { visibleTo: { $in: organisationIds } };
    if (where.status) filter.status = where.status;
    return findPage(this.store.collection<OrderDoc>(ORDERS), filter, { sort: { lastChangedAt: -1, _id: 1 } }, page);
  }

  byId(id: string): Promise<OrderDoc | null> {
    return this.store.collection<OrderDoc>(ORDERS).findOne({ _id: id });
  }

  /** The orders waiting for an action the member may take: their organisation's turn, with the role for it. */
  approvalsFor(memberships: Membership[]): Promise<ApprovalItem[]> {
    const filter = approvalFilter(memberships);
    if (!filter) return Promise.resolve([]);
    return this.store.collection<ApprovalDoc>(APPROVALS).find(filter, { sort: { submittedAt: 1, _id: 1 }, projection: APPROVAL_ITEM });
  }

  /** A page of `approvalsFor`, oldest first. */
  approvalPage(memberships: Membership[], page: PageRequest): Promise<Page<ApprovalItem>> {
    const filter = approvalFilter(memberships);
    if (!filter) return Promise.resolve({ items: [], total: 0 });
    return findPage(this.store.collection<ApprovalDoc>(APPROVALS), filter, { sort: { submittedAt: 1, _id: 1 }, projection: APPROVAL_ITEM }, page);
  }

  countApprovalsFor(memberships: Membership[]): Promise<number> {
    const filter = approvalFilter(memberships);
    return filter ? this.store.collection<ApprovalDoc>(APPROVALS).count(filter) : Promise.resolve(0);
  }
}

function approvalFilter(memberships: Membership[]): Filter | null {
  const turns = memberships
    .map((m) => ({ organisationId: m.organisationId, roles: m.roles.filter((r) => r === 'orderer' || r === 'attestant') }))
    .filter((m) => m.roles.length > 0)
    .map((m) => ({ waitingOrganisationId: m.organisationId, role: { $in: m.roles } }));
  if (turns.length === 0) return null;
  return { waiting: true, $or: turns };
}
