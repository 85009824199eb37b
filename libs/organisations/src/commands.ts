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

export type MembershipStatus = 'active' | 'pending';

/**
 * Issued by the identity context when a person asks to join an organisation: active when they were
 * named in its application, hold its invitation or are preapproved (see `JoinMember`), else a join request.
 */
export class JoinOrganisation extends Command<CommandAnswer & { joined: boolean; membership: MembershipStatus }> {
  constructor(
    readonly organisationId: string,
    readonly member: {
      accountId: string;
      name: string;
      email: string;
      personalNumberDigest: string | null;
      roles?: Role[];
      preapproved?: boolean;
      invitationId?: string | null;
      onlyIfNew?: boolean;
    },
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class ApproveJoinRequest extends Command<CommandAnswer> {
  constructor(readonly organisationId: string, readonly accountId: string, readonly roles: Role[], readonly caller: CallerRef, readonly context: CommandContext) {
    super();
  }
}

export class DeclineJoinRequest extends Command<CommandAnswer> {
  constructor(readonly organisationId: string, readonly accountId: string, readonly reason: string | null, readonly caller: CallerRef, readonly context: CommandContext) {
    super();
  }
}

export class InviteMember extends Command<CommandAnswer> {
  constructor(
    readonly organisationId: string,
    readonly invitee: { name: string; email: string; roles: Role[] },
    readonly caller: CallerRef,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Administrators or staff remove a member. */
export class RemoveMember extends Command<CommandAnswer> {
  constructor(readonly organisationId: string, readonly accountId: string, readonly caller: CallerRef, readonly context: CommandContext) {
    super();
  }
}

/** A member leaves the organisation. */
export class LeaveOrganisation extends Command<CommandAnswer> {
  constructor(readonly organisationId: string, readonly caller: CallerRef, readonly context: CommandContext) {
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

/** Issued by the identity context: an old-portal account's membership moves to the e-ID account of the person who verified it. */
export class MergeMembership extends Command<CommandAnswer> {
  constructor(
    readonly organisationId: string,
    readonly fromAccountId: string,
    readonly into: { accountId: string; name: string; email: string; personalNumberDigest: string | null },
    readonly context: CommandContext,
  ) {
    super();
  }
}
