import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_LANGUAGE, Language, Page, PageRequest, PERSONAL_NUMBER_DIGEST, PersonalNumberDigest, translate } from '@kundportal/kernel';
import { OrderQueries } from '@kundportal/ordering';
import { OrganisationQueries } from '@kundportal/organisations';
import { TicketQueries } from '@kundportal/ticketing';
import { findPage, READ_STORE, ReadStore } from '@kundportal/readstore';
import { OUTBOX, OutboxDoc } from './outbox';

export interface NotificationItem {
  kind: 'approval' | 'ticket-reply' | 'agreement-to-sign' | 'join-request';
  refId: string;
  title: string;
  at: string;
}

export interface Notifications {
  /** `needsReply`: staff only, the tickets waiting for an answer from support. */
  badge: { total: number; approvals: number; unreadTickets: number; agreementsToSign: number; joinRequests: number; needsReply?: number };
  items: NotificationItem[];
}

/** Who asks for their notices. */
export interface NotifiedCaller {
  personalNumber: string | null;
  accountId: string | null;
  staff: boolean;
}

@Injectable()
export class NotificationQueries {
  constructor(
    private readonly organisations: OrganisationQueries,
    private readonly orders: OrderQueries,
    private readonly tickets: TicketQueries,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(PERSONAL_NUMBER_DIGEST) private readonly digest: PersonalNumberDigest,
  ) {}

  /** What the caller has to handle now: orders to approve or attest, agreements to sign (as named signatory or role holder), and for staff the tickets waiting for an answer. */
  async forCaller(caller: NotifiedCaller, language: Language = DEFAULT_LANGUAGE): Promise<Notifications> {
    const title = (key: string, params: Record<string, string>) => translate(language, `notices:${key}`, params);
    const memberships = caller.accountId ? await this.organisations.membershipsOf(caller.accountId) : [];
    const approvals: NotificationItem[] = (await this.orders.approvalsFor(memberships)).map((a) => ({
      kind: 'approval',
      refId: a._id,
      title: title(a.step === 'agent-approval' ? 'approve' : 'attest', { offeringName: a.offeringName, customerOrganisationName: a.customerOrganisationName }),
      at: a.submittedAt,
    }));
    const replies: NotificationItem[] = caller.accountId
      ? (await this.tickets.unread(caller.accountId)).map((t) => ({
          kind: 'ticket-reply',
          refId: t._id,
          title: title('ticketReply', { number: t.number, subject: t.subject }),
          at: t.lastStaffReplyAt ?? t.lastActivityAt,
        }))
      : [];
    const unreadTickets = caller.accountId ? await this.tickets.unreadCount(caller.accountId) : 0;
    const toSign = new Map<string, NotificationItem>();
    if (caller.personalNumber) {
      for (const org of await this.organisations.awaitingSignatureBy(this.digest.of(caller.personalNumber))) {
        toSign.set(org._id, { kind: 'agreement-to-sign', refId: org._id, title: title('agreementToSign', { organisationName: org.name }), at: org.registeredAt });
      }
    }
    if (caller.accountId) {
      const signatoryOf = memberships.filter((m) => m.roles.includes('signatory')).map((m) => m.organisationId);
      for (const org of await this.organisations.organisations(signatoryOf)) {
        if (org.agreement.status === 'awaiting-signature') {
          toSign.set(org._id, { kind: 'agreement-to-sign', refId: org._id, title: title('agreementToSign', { organisationName: org.name }), at: org.registeredAt });
        }
      }
    }
    // Join requests in the organisations the caller administers; `refId` is the organisation, where they are answered.
    const administratorOf = memberships.filter((m) => m.roles.includes('administrator')).map((m) => m.organisationId);
    const joinRequests: NotificationItem[] = (await this.organisations.joinRequestsIn(administratorOf)).map((r) => ({
      kind: 'join-request',
      refId: r.organisationId,
      title: title('joinRequest', { name: r.name }),
      at: r.requestedAt ?? '',
    }));
    // Newest first. `at` is always an ISO 8601 timestamp (toISOString), which sorts as plain text.
    const items = [...approvals, ...replies, ...toSign.values(), ...joinRequests].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    const badge = { approvals: approvals.length, unreadTickets, agreementsToSign: toSign.size, joinRequests: joinRequests.length };
    const total = badge.approvals + badge.unreadTickets + badge.agreementsToSign + badge.joinRequests;
    if (!caller.staff) return { badge: { total, ...badge }, items };
    const needsReply = await this.tickets.needsReplyCount();
    return { badge: { total: total + needsReply, ...badge, needsReply }, items };
  }

  /** The e-mails queued for an address (dev mode's `/dev/outbox`), oldest first. */
  outbox(to: string | undefined, page: PageRequest): Promise<Page<OutboxDoc>> {
    return findPage(this.store.collection<OutboxDoc>(OUTBOX), to ? { to: to.toLowerCase() } : {}, { sort: { createdAt: 1, _id: 1 } }, page);
  }
}
