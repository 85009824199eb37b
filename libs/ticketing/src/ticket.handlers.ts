import { Injectable } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CatalogueQueries } from '@kundportal/catalogue';
import { CommandExecutor } from '@kundportal/eventstore';
import { commandAnswer, CommandAnswer, CommandContext, derivedId, DomainError, ErrorDetail, Forbidden, newId, NotFound } from '@kundportal/kernel';
import { AccountQueries } from '@kundportal/identity';
import { OrganisationQueries } from '@kundportal/organisations';
import {
  AddTicketAttachment,
  AddTicketCollaborator,
  ChangeTicketPriority,
  ChangeTicketStatus,
  CloseTicket,
  CreatePublicTicket,
  CreateTicket,
  MarkTicketRead,
  PostTicketMessage,
  TicketCaller,
} from './commands';
import { TicketActor, TicketCommand, ticketDecider } from './ticket.decider';
import { TicketPerson, TicketRead, ticketReadsStream, ticketStream } from './ticket.events';
import { TicketNumbers } from './ticket-numbers';


function actor(caller: TicketCaller, context: CommandContext): TicketActor {
  return {
    author: { id: context.actor.id, name: caller.name, staff: caller.staff },
    accountId: caller.accountId,
    staff: caller.staff,
    administratorOf: caller.administratorOf,
  };
}

/** Accounts named on a ticket must exist; they are copied onto it as people (name and e-mail as they are now). */
@Injectable()
export class TicketPeople {
  constructor(private readonly accounts: AccountQueries) {}

  async person(accountId: string, field: string): Promise<TicketPerson> {
    const account = await this.accounts.byId(accountId);
    if (!account) {
      throw DomainError.rule('NOT_A_REGISTERED_ACCOUNT', 'Only registered accounts can be on a ticket.', [{ field, message: 'not a registered account' }]);
    }
    return { accountId: account._id, name: account.name, email: account.email };
  }

  /**
   * Someone known only by an e-mail (the open form, a call to support): the account's person when it
   * is the verified e-mail of an account that exists now; otherwise nobody's, answered by e-mail.
   */
  async byEmail(email: string, name: string): Promise<TicketPerson> {
    const address = email.toLowerCase();
    const account = await this.accounts.byVerifiedEmail(address);
    return account ? { accountId: account._id, name: account.name, email: address } : { accountId: null, name, email: address };
  }
}

type NewTicket = Omit<Extract<TicketCommand, { type: 'CreateTicket' }>['ticket'], 'ticketId' | 'number'>;

/** Opens a ticket on a new stream with the next number; an id seen before (a retried request) answers as the first time. */
@Injectable()
export class TicketOpening {
  constructor(private readonly executor: CommandExecutor, private readonly numbers: TicketNumbers) {}

  async open(ticketId: string, ticket: NewTicket, context: CommandContext): Promise<CommandAnswer> {
    // Only an id derived from an Idempotency-Key can have been used before; a fresh one cannot.
    if (context.idempotencyKey) {
      const existing = await this.executor.load(ticketDecider, ticketStream(ticketId));
      if (existing.state.exists) return commandAnswer(ticketId, await this.executor.headPosition(), { number: existing.state.created.number });
    }
    const number = await this.numbers.allocate(context);
    const outcome = await this.executor.execute(
      ticketDecider,
      ticketStream(ticketId),
      { type: 'CreateTicket', ticket: { ticketId, number, ...ticket }, now: context.now },
      context,
      { newStream: !context.idempotencyKey },
    );
    return commandAnswer(ticketId, outcome.position, { number });
  }
}

@CommandHandler(CreateTicket)
export class CreateTicketHandler implements ICommandHandler<CreateTicket> {
  constructor(
    private readonly opening: TicketOpening,
    private readonly people: TicketPeople,
    private readonly organisations: OrganisationQueries,
    private readonly catalogue: CatalogueQueries,
  ) {}

  async execute({ input, caller, context }: CreateTicket): Promise<CommandAnswer> {
    const requester = await this.requester(input, caller);
    if (input.organisationId) {
      // The ticket is about one of the requester's organisations; staff writing their own ticket may name any.
      const memberships = requester.accountId ? await this.organisations.membershipsOf(requester.accountId) : [];
      const allowed = memberships.some((m) => m.organisationId === input.organisationId) ||
        (caller.staff && !requester.accountId && (await this.organisations.organisation(input.organisationId)) !== null);
      if (!allowed) throw new NotFound('organisation');
    }
    if (input.serviceId && !(await this.catalogue.service(input.serviceId))) {
      throw DomainError.rule('UNKNOWN_SERVICE', 'No such service in the catalogue.', [{ field: 'serviceId', message: 'not a service in the catalogue' }]);
    }
    const collaborators: TicketPerson[] = [];
    const problems: ErrorDetail[] = [];
    for (const [i, id] of (input.collaboratorAccountIds ?? []).entries()) {
      if (id === requester.accountId || collaborators.some((c) => c.accountId === id)) continue;
      try {
        collaborators.push(await this.people.person(id, `collaboratorAccountIds.${i}`));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problems.push(...(error.details ?? []));
      }
    }
    if (problems.length > 0) throw DomainError.rule('NOT_A_REGISTERED_ACCOUNT', 'Only registered accounts can be collaborators.', problems);

    const ticketId = context.idempotencyKey ? derivedId('ticket', context.actor.id, context.idempotencyKey) : newId();
    return this.opening.open(
      ticketId,
      {
        type: input.type,
        subject: input.subject,
        description: input.description,
        channel: input.onBehalfOfAccountId || input.onBehalfOfEmail ? 'phone' : 'portal',
        requester,
        organisationId: input.organisationId ?? null,
        serviceId: input.serviceId ?? null,
        collaborators,
        createdBy: { id: context.actor.id, name: caller.name, staff: caller.staff },
      },
      context,
    );
  }

  /** Account holders ask for themselves; staff may ask on behalf of an account or an e-mail (by phone). */
  private async requester(input: CreateTicket['input'], caller: TicketCaller): Promise<TicketPerson> {
    const { onBehalfOfAccountId, onBehalfOfEmail } = input;
    if (onBehalfOfAccountId !== undefined || onBehalfOfEmail !== undefined) {
      if (!caller.staff) throw new Forbidden('staffOnBehalf');
      if (onBehalfOfAccountId !== undefined && onBehalfOfEmail !== undefined) {
        throw DomainError.rule('ONE_REQUESTER', 'Name the caller by account or by e-mail, not both.', [{ field: 'onBehalfOfEmail', message: 'not with onBehalfOfAccountId' }]);
      }
      if (onBehalfOfAccountId !== undefined) return this.people.person(onBehalfOfAccountId, 'onBehalfOfAccountId');
      return this.people.byEmail(onBehalfOfEmail as string, input.onBehalfOfName ?? (onBehalfOfEmail as string));
    }
    if (caller.accountId) return this.people.person(caller.accountId, 'requester');
    if (caller.staff) return { accountId: null, name: caller.name, email: null };
    throw new Forbidden('accountFirst');
  }
}

@CommandHandler(CreatePublicTicket)
export class CreatePublicTicketHandler implements ICommandHandler<CreatePublicTicket> {
  constructor(private readonly opening: TicketOpening, private readonly people: TicketPeople) {}

  /**
   * The open form. Sent with the verified e-mail of an account that exists now, the ticket shows in
   * that account (its channel says it came from the open form); otherwise it belongs to no account,
   * now or ever (an account made later does not take it), and replies go by e-mail.
   */
  async execute({ input, context }: CreatePublicTicket): Promise<CommandAnswer> {
    const email = input.email.toLowerCase();
    const ticketId = context.idempotencyKey ? derivedId('public-ticket', email, context.idempotencyKey) : newId();
    const requester = await this.people.byEmail(email, input.name);
    return this.opening.open(
      ticketId,
      {
        type: input.type,
        subject: input.subject,
        description: input.description,
        channel: 'public-form',
        requester,
        organisationId: null,
        serviceId: null,
        collaborators: [],
        createdBy: { id: context.actor.id, name: input.name, staff: false },
      },
      context,
    );
  }
}

/** The changes after creation share one shape: decide on the ticket's stream as the caller. */
@Injectable()
abstract class TicketChangeHandler {
  constructor(protected readonly executor: CommandExecutor) {}

  protected async change(ticketId: string, command: TicketCommand, context: CommandContext, extra: Record<string, unknown> = {}) {
    const outcome = await this.executor.execute(ticketDecider, ticketStream(ticketId), command, context);
    return commandAnswer(ticketId, outcome.position, extra);
  }
}

@CommandHandler(PostTicketMessage)
export class PostTicketMessageHandler extends TicketChangeHandler implements ICommandHandler<PostTicketMessage> {
  async execute({ ticketId, input, caller, context }: PostTicketMessage): Promise<CommandAnswer> {
    const messageId = context.idempotencyKey ? derivedId('ticket-message', context.actor.id, context.idempotencyKey) : newId();
    const result = await this.change(
      ticketId,
      { type: 'PostMessage', messageId, ...input, by: actor(caller, context), now: context.now },
      context,
      { messageId },
    );
    return result;
  }
}

@CommandHandler(AddTicketCollaborator)
export class AddTicketCollaboratorHandler extends TicketChangeHandler implements ICommandHandler<AddTicketCollaborator> {
  constructor(executor: CommandExecutor, private readonly people: TicketPeople) {
    super(executor);
  }

  async execute({ ticketId, accountId, caller, context }: AddTicketCollaborator): Promise<CommandAnswer> {
    // Whether the caller may add anyone is decided first, so an outsider learns nothing about accounts.
    const { state } = await this.executor.load(ticketDecider, ticketStream(ticketId));
    const by = actor(caller, context);
    if (state.exists && !by.staff && state.created.requester.accountId !== by.accountId) {
      return this.change(ticketId, { type: 'AddCollaborator', collaborator: { accountId, name: '', email: null }, by, now: context.now }, context);
    }
    if (!state.exists) throw new NotFound('ticket');
    const collaborator = await this.people.person(accountId, 'accountId');
    return this.change(ticketId, { type: 'AddCollaborator', collaborator, by, now: context.now }, context);
  }
}

@CommandHandler(ChangeTicketStatus)
export class ChangeTicketStatusHandler extends TicketChangeHandler implements ICommandHandler<ChangeTicketStatus> {
  execute({ ticketId, status, caller, context }: ChangeTicketStatus): Promise<CommandAnswer> {
    return this.change(ticketId, { type: 'ChangeStatus', status, by: actor(caller, context), now: context.now }, context, { status });
  }
}

@CommandHandler(ChangeTicketPriority)
export class ChangeTicketPriorityHandler extends TicketChangeHandler implements ICommandHandler<ChangeTicketPriority> {
  execute({ ticketId, priority, caller, context }: ChangeTicketPriority): Promise<CommandAnswer> {
    return this.change(ticketId, { type: 'ChangePriority', priority, by: actor(caller, context), now: context.now }, context, { priority });
  }
}

@CommandHandler(CloseTicket)
export class CloseTicketHandler extends TicketChangeHandler implements ICommandHandler<CloseTicket> {
  execute({ ticketId, caller, context }: CloseTicket): Promise<CommandAnswer> {
    return this.change(ticketId, { type: 'CloseTicket', by: actor(caller, context), now: context.now }, context, { status: 'closed' });
  }
}

@CommandHandler(AddTicketAttachment)
export class AddTicketAttachmentHandler extends TicketChangeHandler implements ICommandHandler<AddTicketAttachment> {
  execute({ ticketId, attachment, caller, context }: AddTicketAttachment): Promise<CommandAnswer> {
    return this.change(ticketId, { type: 'AddAttachment', ...attachment, by: actor(caller, context), now: context.now }, context, {
      name: attachment.name,
      size: attachment.size,
      contentType: attachment.contentType,
    });
  }
}

@CommandHandler(MarkTicketRead)
export class MarkTicketReadHandler implements ICommandHandler<MarkTicketRead> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ ticketId, accountId, upTo, context }: MarkTicketRead): Promise<CommandAnswer> {
    const event: TicketRead = { type: 'TicketRead', data: { ticketId, accountId, upTo } };
    return commandAnswer(ticketId, await this.executor.record(ticketReadsStream(accountId), [event], context));
  }
}

export const TICKET_COMMAND_HANDLERS = [
  CreateTicketHandler,
  CreatePublicTicketHandler,
  PostTicketMessageHandler,
  AddTicketCollaboratorHandler,
  ChangeTicketStatusHandler,
  ChangeTicketPriorityHandler,
  CloseTicketHandler,
  AddTicketAttachmentHandler,
  MarkTicketReadHandler,
];
