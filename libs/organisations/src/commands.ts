import { Command } from '@nestjs/cqrs';
import { CommandAnswer, CommandContext } from '@kundportal/kernel';
import type { Role } from './roles';

export interface PersonInput {
  name: string;
  email: string;
  personalNumber: string;
}

export class SubmitCustomerApplication extends Command<CommandAnswer> {
  constructor(
    readonly input: {
      organisationNumber: string;
      organisationName: string;
      administrator: PersonInput;
      signatory: PersonInput;
      agreementContact: { name: string; email: string };
    },
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class ApproveCustomerApplication extends Command<CommandAnswer> {
  constructor(readonly applicationId: string, readonly context: CommandContext) {
    super();
  }
}

export class RejectCustomerApplication extends Command<CommandAnswer> {
  constructor(readonly applicationId: string, readonly reason: string, readonly context: CommandContext) {
    super();
  }
}

/** The caller as the organisation decisions need it. */
export interface CallerRef {
  accountId: string | null;
  personalNumber: string | null;
  staff: boolean;
}

export class SignAgreement extends Command<CommandAnswer> {
  constructor(readonly organisationId: string, readonly caller: CallerRef, readonly context: CommandContext) {
    super();
  }
}

export class SetMemberRoles extends Command<CommandAnswer> {
  constructor(
    readonly organisationId: string,
    readonly accountId: string,
    readonly roles: Role[],
    readonly caller: CallerRef,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class LinkAgent extends Command<CommandAnswer> {
  constructor(
    readonly organisationId: string,
    readonly agentOrganisationId: string,
    readonly caller: CallerRef,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Issued by the identity context when an account is created in an organisation. */
export class JoinOrganisation extends Command<CommandAnswer> {
  constructor(
    readonly organisationId: string,
    readonly member: { accountId: string; name: string; email: string; personalNumberDigest: string | null; roles?: Role[] },
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class SetUserLimit extends Command<CommandAnswer> {
  constructor(readonly organisationId: string, readonly limit: number | null, readonly caller: CallerRef, readonly context: CommandContext) {
    super();
  }
}

/** Staff merge a duplicate record of an organisation into the one that lives on. */
export class MergeOrganisations extends Command<CommandAnswer> {
  constructor(readonly organisationId: string, readonly duplicateOrganisationId: string, readonly caller: CallerRef, readonly context: CommandContext) {
    super();
  }
}

/** Moves an organisation's link off an agent whose record was merged into another (issued by the agent links reactor). */
export class MoveMergedAgent extends Command<CommandAnswer> {
  constructor(readonly organisationId: string, readonly agentOrganisationId: string, readonly context: CommandContext) {
    super();
  }
}
