import { Command } from '@nestjs/cqrs';
import { CommandAnswer, CommandContext } from '@kundportal/kernel';
import type { TicketPriority, TicketType } from './ticket.events';

/** The caller as ticket decisions need it. */
export interface TicketCaller {
  accountId: string | null;
  name: string;
  staff: boolean;
  administratorOf: string[];
}

export class CreateTicket extends Command<CommandAnswer> {
  constructor(
    readonly input: {
      type: TicketType;
      subject: string;
      description: string;
      organisationId?: string;
      serviceId?: string;
      collaboratorAccountIds?: string[];
      onBehalfOfAccountId?: string;
      /** A caller by phone known by e-mail: theirs when it is an account's verified e-mail. */
      onBehalfOfEmail?: string;
      onBehalfOfName?: string;
    },
    readonly caller: TicketCaller,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class CreatePublicTicket extends Command<CommandAnswer> {
  constructor(
    readonly input: { name: string; email: string; type: TicketType; subject: string; description: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class PostTicketMessage extends Command<CommandAnswer> {
  constructor(
    readonly ticketId: string,
    readonly input: { body: string; internal: boolean; attachmentIds: string[] },
    readonly caller: TicketCaller,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class AddTicketCollaborator extends Command<CommandAnswer> {
  constructor(readonly ticketId: string, readonly accountId: string, readonly caller: TicketCaller, readonly context: CommandContext) {
    super();
  }
}

export class ChangeTicketStatus extends Command<CommandAnswer> {
  constructor(
    readonly ticketId: string,
    readonly status: 'open' | 'pending' | 'solved',
    readonly caller: TicketCaller,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class ChangeTicketPriority extends Command<CommandAnswer> {
  constructor(readonly ticketId: string, readonly priority: TicketPriority, readonly caller: TicketCaller, readonly context: CommandContext) {
    super();
  }
}

export class CloseTicket extends Command<CommandAnswer> {
  constructor(readonly ticketId: string, readonly caller: TicketCaller, readonly context: CommandContext) {
    super();
  }
}

/** Records an attachment whose bytes are already stored. */
export class AddTicketAttachment extends Command<CommandAnswer> {
  constructor(
    readonly ticketId: string,
    readonly attachment: { attachmentId: string; name: string; size: number; contentType: string; sha256: string },
    readonly caller: TicketCaller,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** The caller has seen the ticket up to its last staff reply. */
export class MarkTicketRead extends Command<CommandAnswer> {
  constructor(readonly ticketId: string, readonly accountId: string, readonly upTo: string, readonly context: CommandContext) {
    super();
  }
}
