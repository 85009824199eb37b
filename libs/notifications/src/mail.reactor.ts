import { Inject, Injectable } from '@nestjs/common';
import { RecordedEvent } from '@kundportal/eventstore';
import { AccountImported, EmailVerificationRequested, PasswordResetRequested, PreferenceQueries, RegistrationApproved, RegistrationRejected } from '@kundportal/identity';
import { APP_CONFIG, AppConfig, DEFAULT_LANGUAGE, Language, SECRET_TOKENS, SecretTokens } from '@kundportal/kernel';
import { ORDER_EVENT_TYPES, OrderEvent, OrderHistory } from '@kundportal/ordering';
import { CustomerApplicationRejected, JoinRequestDeclined, JoinRequested, MemberInvited, MemberJoined, OrganisationQueries, OrganisationRegistered } from '@kundportal/organisations';
import { IndexSpec, Projection, ProjectionContext } from '@kundportal/readstore';
import { TicketCreated, TicketMessagePosted, TicketTimeline } from '@kundportal/ticketing';
import { OUTBOX, outboxEntry, OutboxDoc } from './outbox';
import { RenderedMail, templates } from './templates';

interface Recipient {
  name: string;
  email: string;
  /** Mail to an account is in the language the account chose. */
  accountId: string | null;
}

/**
 * Turns events into e-mails in the outbox. A reactor: its checkpoint and outbox survive read-model
 * rebuilds, and each entry's id is the event's id and recipient, so a replay queues nothing twice.
 */
@Injectable()
export class MailReactor implements Projection {
  readonly name = 'mail-reactor';
  readonly version = 1;
  readonly reactor = true;
  readonly collections: Record<string, IndexSpec[]> = {
    [OUTBOX]: [{ keys: { sentAt: 1, createdAt: 1 } }, { keys: { to: 1, createdAt: 1 } }],
  };
  readonly eventTypes: readonly string[] = [
    'OrganisationRegistered',
    'CustomerApplicationRejected',
    ...ORDER_EVENT_TYPES,
    'TicketCreated',
    'TicketMessagePosted',
    'RegistrationApproved',
    'RegistrationRejected',
    'PasswordResetRequested',
    'AccountImported',
    'JoinRequested',
    'MemberJoined',
    'JoinRequestDeclined',
    'MemberInvited',
    'EmailVerificationRequested',
  ];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly organisations: OrganisationQueries,
    private readonly orders: OrderHistory,
    private readonly tickets: TicketTimeline,
    @Inject(SECRET_TOKENS) private readonly secretTokens: SecretTokens,
    private readonly preferences: PreferenceQueries,
  ) {}

  /**
   * The language of a mail to an account: the one it chose (as the read model has it when the
   * mail is queued), Swedish otherwise and for people without an account.
   */
  private async languageOf(accountId: string | null | undefined): Promise<Language> {
    if (!accountId) return DEFAULT_LANGUAGE;
    return (await this.preferences.languagesOfAccounts([accountId])).get(accountId) ?? DEFAULT_LANGUAGE;
  }

  async apply(event: RecordedEvent, ctx: ProjectionContext): Promise<void> {
    const outbox = ctx.collection<OutboxDoc>(OUTBOX);
    const queue = (to: string, mail: RenderedMail) => {
      const address = to.toLowerCase();
      const entry = outboxEntry(`${event.id}:${mail.template}:${address}`, address, mail, event.metadata.occurredAt);
      outbox.updateOne(entry.filter, entry.update, { upsert: true });
    };
    if (event.type === 'OrganisationRegistered') return this.organisationRegistered(event as unknown as OrganisationRegistered, queue);
    if (event.type === 'CustomerApplicationRejected') return this.applicationRejected(event as unknown as CustomerApplicationRejected, queue);
    if ((ORDER_EVENT_TYPES as readonly string[]).includes(event.type)) return this.orderChanged(event as unknown as OrderEvent, queue);
    if (event.type === 'TicketCreated') return this.ticketCreated(event as unknown as TicketCreated, queue);
    if (event.type === 'TicketMessagePosted') return this.ticketReply(event as unknown as TicketMessagePosted, queue);
    if (event.type === 'RegistrationApproved') {
      const d = (event as unknown as RegistrationApproved).data;
      return queue(d.email, templates.accountActivated({ name: d.name, email: d.email, link: `${this.config.publicBaseUrl}/` }, await this.languageOf(d.accountId)));
    }
    if (event.type === 'RegistrationRejected') {
      const d = (event as unknown as RegistrationRejected).data;
      return queue(d.email, templates.registrationRejected({ name: d.name, reason: d.reason }));
    }
    if (event.type === 'PasswordResetRequested') {
      const d = (event as unknown as PasswordResetRequested).data;
      // The log holds only the reset's id; the token in the link is made here from it and the server's key.
      const resetToken = this.secretTokens.issue(d.resetId);
      const link = `${this.config.publicBaseUrl}/reset-password?token=${encodeURIComponent(resetToken)}`;
      return queue(d.email, templates.passwordReset({ name: d.name, resetToken, link, expiresAt: d.expiresAt }, await this.languageOf(d.accountId)));
    }
    if (event.type === 'AccountImported') {
      const d = (event as unknown as AccountImported).data;
      const verificationToken = this.secretTokens.issue(d.verificationId);
      const link = `${this.config.publicBaseUrl}/verify-account?token=${encodeURIComponent(verificationToken)}`;
      return queue(d.email, templates.accountVerification({ name: d.name, username: d.username, verificationToken, link }, await this.languageOf(d.accountId)));
    }
    if (event.type === 'EmailVerificationRequested') {
      const d = (event as unknown as EmailVerificationRequested).data;
      const verificationToken = this.secretTokens.issue(d.verificationId);
      const link = `${this.config.publicBaseUrl}/verify-email?token=${encodeURIComponent(verificationToken)}`;
      return queue(d.email, templates.emailVerification({ name: d.name, email: d.email, verificationToken, link }, await this.languageOf(d.accountId)));
    }
    if (event.type === 'JoinRequested') return this.joinRequested(event as unknown as JoinRequested, queue);
    if (event.type === 'MemberJoined') {
      const d = (event as unknown as MemberJoined).data;
      // Only an approved request is news to the person: the others joined by their own act.
      if (!d.approvedBy) return;
      const organisationName = (await this.organisations.organisation(d.organisationId))?.name ?? '';
      return queue(
        d.email,
        templates.joinRequestApproved(
          { name: d.name, organisationName, roles: d.roles, link: `${this.config.publicBaseUrl}/organisations/${d.organisationId}` },
          await this.languageOf(d.accountId),
        ),
      );
    }
    if (event.type === 'JoinRequestDeclined') {
      const d = (event as unknown as JoinRequestDeclined).data;
      const organisationName = (await this.organisations.organisation(d.organisationId))?.name ?? '';
      return queue(d.email, templates.joinRequestDeclined({ name: d.name, organisationName, reason: d.reason }, await this.languageOf(d.accountId)));
    }
    if (event.type === 'MemberInvited') {
      const d = (event as unknown as MemberInvited).data;
      // The log holds only the invitation's id; the token in the link is made here from it and the server's key.
      const invitationToken = this.secretTokens.issue(d.invitationId);
      const organisationName = (await this.organisations.organisation(d.organisationId))?.name ?? '';
      const link = `${this.config.publicBaseUrl}/invitations/${encodeURIComponent(invitationToken)}`;
      return queue(
        d.email,
        templates.invitation({ name: d.name, organisationName, invitedBy: d.invitedBy.name, roles: d.roles, invitationToken, link, expiresAt: d.expiresAt }),
      );
    }
  }

  /** Each administrator of the organisation hears of a new join request. */
  private async joinRequested({ data: d }: JoinRequested, queue: (to: string, mail: RenderedMail) => void): Promise<void> {
    const organisationName = (await this.organisations.organisation(d.organisationId))?.name ?? '';
    const link = `${this.config.publicBaseUrl}/organisations/${d.organisationId}/join-requests`;
    for (const admin of await this.holders(d.organisationId, 'administrator')) {
      queue(admin.email, templates.joinRequestReceived({ name: admin.name, requesterName: d.name, requesterEmail: d.email, organisationName, link }, await this.languageOf(admin.accountId)));
    }
  }

  /** The open form's requester has no account: the confirmation names the number they can quote. */
  private ticketCreated({ data: d }: TicketCreated, queue: (to: string, mail: RenderedMail) => void): void {
    if (d.channel !== 'public-form' || !d.requester.email) return;
    queue(d.requester.email, templates.ticketReceived({ name: d.requester.name, number: d.number, subject: d.subject }));
  }

  /** A staff reply goes to the requester and collaborators the event names, each mail naming the ticket. */
  private async ticketReply({ data: d }: TicketMessagePosted, queue: (to: string, mail: RenderedMail) => void): Promise<void> {
    if (d.notify.length === 0) return;
    // Replies recorded before events named their ticket are looked up in the ticket's stream.
    const named = d.ticket ?? (await this.tickets.current(d.ticketId).then((t) => (t ? { number: t.created.number, subject: t.created.subject } : null)));
    if (!named) return;
    for (const person of d.notify) {
      if (!person.email) continue;
      queue(
        person.email,
        templates.ticketReply(
          {
            name: person.name,
            number: named.number,
            subject: named.subject,
            body: d.body,
            author: d.author.name,
            // Accounts read it in the portal; the open form's requester only by e-mail.
            link: person.accountId ? `${this.config.publicBaseUrl}/tickets/${d.ticketId}` : null,
          },
          await this.languageOf(person.accountId),
        ),
      );
    }
  }

  private organisationRegistered({ data: d }: OrganisationRegistered, queue: (to: string, mail: RenderedMail) => void): void {
    const base = this.config.publicBaseUrl;
    queue(d.administrator.email, templates.organisationApprovedAdministrator({ name: d.administrator.name, organisationName: d.name, link: `${base}/` }));
    queue(
      d.signatory.email,
      templates.agreementToSign({
        name: d.signatory.name,
        organisationName: d.name,
        organisationId: d.organisationId,
        link: `${base}/organisations/${d.organisationId}/agreement`,
      }),
    );
    queue(d.agreementContact.email, templates.agreementContactInformation({ name: d.agreementContact.name, organisationName: d.name }));
  }

  /** Each contact named in the application hears why (rejections recorded before events named the contacts send nothing). */
  private applicationRejected({ data: d }: CustomerApplicationRejected, queue: (to: string, mail: RenderedMail) => void): void {
    if (!d.contacts || !d.organisationName || !d.organisationNumber) return;
    for (const contact of d.contacts) {
      queue(
        contact.email,
        templates.customerApplicationRejected({
          name: contact.name,
          organisationName: d.organisationName,
          organisationNumber: d.organisationNumber,
          reason: d.reason,
          link: `${this.config.publicBaseUrl}/apply`,
        }),
      );
    }
  }

  /** Whoever must act next hears of it; the orderer hears the outcome. */
  private async orderChanged(event: OrderEvent, queue: (to: string, mail: RenderedMail) => void): Promise<void> {
    // What was ordered never changes after submission: read it from the log, not from a read model
    // that may lag behind this reactor (during a rebuild, say).
    const order = event.type === 'OrderSubmitted' ? event.data : await this.orders.submission(event.data.orderId);
    if (!order) return;
    const customerId = order.organisationId;
    const agentId = order.viaAgentOrganisationId;
    const customerName = order.organisationName;
    const offeringName = order.offering.name;
    const submittedBy = order.submittedBy;
    const link = `${this.config.publicBaseUrl}/orders/${event.data.orderId}`;

    const awaiting = async (organisationId: string | null, role: 'orderer' | 'attestant') => {
      if (!organisationId) return;
      for (const member of await this.holders(organisationId, role)) {
        queue(
          member.email,
          templates.orderAwaitsYou(
            {
              name: member.name,
              action: role === 'orderer' ? 'approve' : 'attest',
              customerOrganisationName: customerName,
              offeringName,
              submittedBy: submittedBy.name,
              link,
            },
            await this.languageOf(member.accountId),
          ),
        );
      }
    };
    const orderer = async (): Promise<Recipient[]> =>
      submittedBy.accountId ? (await this.organisations.members(customerId)).filter((m) => m.accountId === submittedBy.accountId) : [];
    /** Whoever the order waited for at `step`, in the organisation whose turn it was. */
    const waitedFor = async (step: string | null, organisationId: string | null): Promise<Recipient[]> =>
      step && organisationId ? this.holders(organisationId, step === 'agent-approval' ? 'orderer' : 'attestant') : [];

    switch (event.type) {
      case 'OrderSubmitted':
        return agentId ? awaiting(agentId, 'orderer') : awaiting(customerId, 'attestant');
      case 'OrderApprovedByAgent':
        return awaiting(event.data.organisationId, 'attestant');
      case 'OrderAttested':
        return event.data.step === 'agent-attestation' ? awaiting(customerId, 'attestant') : undefined;
      case 'OrderRejected':
        for (const person of await orderer()) {
          queue(
            person.email,
            templates.orderRejected(
              { name: person.name, customerOrganisationName: customerName, offeringName, reason: event.data.reason, rejectedBy: event.data.by.name, link },
              await this.languageOf(person.accountId),
            ),
          );
        }
        return;
      case 'OrderFulfilled': {
        for (const person of await orderer()) {
          queue(
            person.email,
            templates.orderFulfilled(
              { name: person.name, customerOrganisationName: customerName, offeringName, instructions: event.data.instructions, viaAgent: agentId !== null, link },
              await this.languageOf(person.accountId),
            ),
          );
        }
        // Seed 001: the provider tells the agent that the technical connection of the customer may start.
        if (agentId) {
          const agentName = order.viaAgentOrganisationName ?? '';
          for (const person of [...(await this.holders(agentId, 'orderer')), ...(await this.holders(agentId, 'attestant'))]) {
            queue(
              person.email,
              templates.orderFulfilledAgent({
                name: person.name,
                agentOrganisationName: agentName,
                customerOrganisationName: customerName,
                offeringName,
                instructions: event.data.instructions,
                link,
              }, await this.languageOf(person.accountId)),
            );
          }
        }
        return;
      }
      case 'OrderWithdrawn': {
        const d = event.data;
        for (const person of [...(await orderer()), ...(await waitedFor(d.step, d.organisationId))]) {
          queue(
            person.email,
            templates.orderWithdrawn(
              { name: person.name, customerOrganisationName: customerName, offeringName, withdrawnBy: d.by.name, reason: d.reason, link },
              await this.languageOf(person.accountId),
            ),
          );
        }
        return;
      }
      case 'OrderCancelled': {
        const d = event.data;
        // The agent of an order via an agent hears too: it would have connected the customer.
        const agent = agentId ? await this.holders(agentId, 'orderer') : [];
        for (const person of [...(await orderer()), ...(await waitedFor(d.step, d.organisationId)), ...agent]) {
          queue(
            person.email,
            templates.orderCancelled({ name: person.name, customerOrganisationName: customerName, offeringName, reason: d.reason, link }, await this.languageOf(person.accountId)),
          );
        }
        return;
      }
    }
  }

  /** The organisation's members holding the role; a merged duplicate's are those of the record it was merged into. */
  private async holders(organisationId: string, role: string): Promise<Recipient[]> {
    const merged = (await this.organisations.organisation(organisationId))?.mergedInto;
    return (await this.organisations.members(merged ?? organisationId)).filter((m) => m.roles.includes(role as never));
  }
}
