import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '@kundportal/eventstore';
import { randomBytes } from 'node:crypto';
import { commandAnswer, CommandAnswer, derivedId, DomainError, NotFound, PERSONAL_NUMBER_DIGEST, PersonalNumberDigest, SECRET_TOKENS, SecretTokens } from '@kundportal/kernel';
import { applicationDecider } from './application/application.decider';
import {
  ApproveCustomerApplication,
  ApproveJoinRequest,
  CallerRef,
  DeclineJoinRequest,
  InviteMember,
  LeaveOrganisation,
  MergeMembership,
  RemoveMember,
  JoinOrganisation,
  LinkAgent,
  RejectCustomerApplication,
  SetMemberRoles,
  MergeOrganisations,
  MoveMergedAgent,
  SetUserLimit,
  SignAgreement,
  SubmitCustomerApplication,
} from './commands';
import { OrganisationFactsReader } from './organisation.facts';
import { Acting, organisationDecider } from './organisation/organisation.decider';
import { applicationStream, organisationStream } from './streams';


/**
 * One organisationsnummer, one live application: the application's id is derived from the number
 * and a generation that moves on only past rejected applications. The application stream itself
 * is the lock (appended with "no stream"), so a submission is one atomic write and a crash can
 * never leave the number held by nothing.
 */
export function applicationIdFor(organisationNumber: string, generation: number): string {
  return derivedId('customer-application', organisationNumber, String(generation));
}

const MAX_GENERATIONS = 1000;

@CommandHandler(SubmitCustomerApplication)
export class SubmitCustomerApplicationHandler implements ICommandHandler<SubmitCustomerApplication> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(PERSONAL_NUMBER_DIGEST) private readonly digest: PersonalNumberDigest,
  ) {}

  async execute({ input, context }: SubmitCustomerApplication): Promise<CommandAnswer> {
    const person = (p: { name: string; email: string; personalNumber: string }) => ({
      name: p.name,
      email: p.email,
      personalNumberDigest: this.digest.of(p.personalNumber),
    });
    for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
      const applicationId = applicationIdFor(input.organisationNumber, generation);
      const { state } = await this.executor.load(applicationDecider, applicationStream(applicationId));
      if (state.status === 'rejected') continue;
      if (state.status !== 'none') {
        // The same request retried (same Idempotency-Key, or an answer lost on the way back) gets its answer again.
        if (context.idempotencyKey && state.application.idempotencyKey === context.idempotencyKey) {
          return commandAnswer(applicationId, await this.executor.headPosition(), { status: 'submitted' });
        }
        throw DomainError.conflict('ORGANISATION_ALREADY_REGISTERED', 'The organisation is registered or has an application already.');
      }
      try {
        const outcome = await this.executor.execute(
          applicationDecider,
          applicationStream(applicationId),
          {
            type: 'SubmitApplication',
            applicationId,
            organisationNumber: input.organisationNumber,
            organisationName: input.organisationName,
            administrator: person(input.administrator),
            signatory: person(input.signatory),
            agreementContact: input.agreementContact,
            idempotencyKey: context.idempotencyKey ?? null,
            now: context.now,
          },
          context,
        );
        return commandAnswer(applicationId, outcome.position, { status: 'submitted' });
      } catch (error) {
        if (error instanceof DomainError && error.code === 'APPLICATION_EXISTS') {
          throw DomainError.conflict('ORGANISATION_ALREADY_REGISTERED', 'The organisation is registered or has an application already.');
        }
        throw error;
      }
    }
    throw DomainError.rule('TOO_MANY_APPLICATIONS', 'This organisation has applied too many times.');
  }
}

@CommandHandler(ApproveCustomerApplication)
export class ApproveCustomerApplicationHandler implements ICommandHandler<ApproveCustomerApplication> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ applicationId, context }: ApproveCustomerApplication): Promise<CommandAnswer> {
    const { state } = await this.executor.load(applicationDecider, applicationStream(applicationId));
    if (state.status === 'none') throw new NotFound('customerApplication');
    if (state.status === 'rejected') throw DomainError.conflict('APPLICATION_NOT_PENDING', 'The application is rejected already.').withParams({ status: 'rejected' });
    // Derived from the application, so an approval retried after a crash reaches the same organisation.
    const organisationId = derivedId('organisation', applicationId);
    const application = state.application;
    await this.executor.execute(
      organisationDecider,
      organisationStream(organisationId),
      {
        type: 'RegisterOrganisation',
        organisationId,
        applicationId,
        organisationNumber: application.organisationNumber,
        name: application.organisationName,
        administrator: application.administrator,
        signatory: application.signatory,
        agreementContact: application.agreementContact,
        now: context.now,
      },
      context,
    );
    const outcome = await this.executor.execute(
      applicationDecider,
      applicationStream(applicationId),
      { type: 'ApproveApplication', organisationId, now: context.now },
      context,
    );
    return commandAnswer(applicationId, outcome.position, { organisationId });
  }
}

@CommandHandler(RejectCustomerApplication)
export class RejectCustomerApplicationHandler implements ICommandHandler<RejectCustomerApplication> {
  constructor(private readonly executor: CommandExecutor) {}

  /** A rejected application frees its organisationsnummer by itself: the next submission takes the next generation. */
  async execute({ applicationId, reason, context }: RejectCustomerApplication): Promise<CommandAnswer> {
    const outcome = await this.executor.execute(
      applicationDecider,
      applicationStream(applicationId),
      { type: 'RejectApplication', reason, now: context.now },
      context,
    );
    return commandAnswer(applicationId, outcome.position);
  }
}

/** Maps the caller to what organisation decisions need; the personnummer only as its digest. */
@Injectable()
abstract class OrganisationCommandHandler {
  constructor(
    protected readonly executor: CommandExecutor,
    @Inject(PERSONAL_NUMBER_DIGEST) protected readonly digest: PersonalNumberDigest,
  ) {}

  protected acting(caller: CallerRef, context: { actor: { id: string; name: string } }): Acting {
    return {
      id: context.actor.id,
      name: context.actor.name,
      accountId: caller.accountId,
      personalNumberDigest: caller.personalNumber ? this.digest.of(caller.personalNumber) : null,
      staff: caller.staff,
    };
  }
}

@CommandHandler(SignAgreement)
export class SignAgreementHandler extends OrganisationCommandHandler implements ICommandHandler<SignAgreement> {
  async execute({ organisationId, caller, context }: SignAgreement): Promise<CommandAnswer> {
    const outcome = await this.executor.execute(
      organisationDecider,
      organisationStream(organisationId),
      { type: 'SignAgreement', by: this.acting(caller, context), method: context.actor.method ?? 'unknown', now: context.now },
      context,
    );
    return commandAnswer(organisationId, outcome.position);
  }
}

@CommandHandler(SetMemberRoles)
export class SetMemberRolesHandler extends OrganisationCommandHandler implements ICommandHandler<SetMemberRoles> {
  async execute({ organisationId, accountId, roles, caller, context }: SetMemberRoles): Promise<CommandAnswer> {
    const outcome = await this.executor.execute(
      organisationDecider,
      organisationStream(organisationId),
      { type: 'SetMemberRoles', accountId, roles, by: this.acting(caller, context) },
      context,
    );
    return commandAnswer(accountId, outcome.position, { organisationId, roles: [...new Set(roles)] });
  }
}

@CommandHandler(LinkAgent)
export class LinkAgentHandler extends OrganisationCommandHandler implements ICommandHandler<LinkAgent> {
  async execute({ organisationId, agentOrganisationId, caller, context }: LinkAgent): Promise<CommandAnswer> {
    const agent = await this.executor.load(organisationDecider, organisationStream(agentOrganisationId));
    if (!agent.state.exists) {
      throw DomainError.rule('AGENT_NOT_REGISTERED', 'The agent organisation is not registered.', [
        { field: 'agentOrganisationId', message: 'no such organisation' },
      ]);
    }
    // A merged record is nobody's agent: the record it was merged into is the one to link.
    if (agent.state.mergedInto) {
      throw DomainError.conflict('ORGANISATION_MERGED', `The agent's record was merged into ${agent.state.mergedInto}; link that one.`).withParams({
        context: 'agent',
        into: agent.state.mergedInto,
      });
    }
    const outcome = await this.executor.execute(
      organisationDecider,
      organisationStream(organisationId),
      { type: 'LinkAgent', agentOrganisationId, by: this.acting(caller, context) },
      context,
    );
    return commandAnswer(organisationId, outcome.position, { agentOrganisationId });
  }
}

@CommandHandler(SetUserLimit)
export class SetUserLimitHandler extends OrganisationCommandHandler implements ICommandHandler<SetUserLimit> {
  async execute({ organisationId, limit, caller, context }: SetUserLimit): Promise<CommandAnswer> {
    const outcome = await this.executor.execute(
      organisationDecider,
      organisationStream(organisationId),
      { type: 'SetUserLimit', limit, by: this.acting(caller, context) },
      context,
    );
    return commandAnswer(organisationId, outcome.position, { limit });
  }
}

/**
 * The duplicate is closed first, so its members are final when the surviving record takes them in;
 * both steps are idempotent, so a merge cut short by a crash is completed by running it again.
 */
@CommandHandler(MergeOrganisations)
export class MergeOrganisationsHandler extends OrganisationCommandHandler implements ICommandHandler<MergeOrganisations> {
  async execute({ organisationId, duplicateOrganisationId, caller, context }: MergeOrganisations): Promise<CommandAnswer> {
    const by = this.acting(caller, context);
    const target = await this.executor.load(organisationDecider, organisationStream(organisationId));
    if (!target.state.exists) throw new NotFound('organisation');
    if (target.state.mergedInto) throw DomainError.conflict('ORGANISATION_MERGED', 'That record was itself merged into another.').withParams({ context: 'target' });
    const closed = await this.executor.execute(
      organisationDecider,
      organisationStream(duplicateOrganisationId),
      { type: 'MergeInto', into: organisationId, now: context.now, by },
      context,
    );
    if (!closed.state.exists) throw new NotFound('duplicateOrganisation');
    const duplicate = closed.state;
    const outcome = await this.executor.execute(
      organisationDecider,
      organisationStream(organisationId),
      {
        type: 'AbsorbDuplicate',
        duplicate: {
          organisationId,
          duplicateOrganisationId,
          members: [...duplicate.members.entries()].map(([accountId, m]) => ({ accountId, name: m.name, email: m.email, personalNumberDigest: m.personalNumberDigest, roles: m.roles })),
          agentOrganisationIds: [...duplicate.agents],
          at: context.now.toISOString(),
        },
        by,
      },
      context,
    );
    return commandAnswer(organisationId, outcome.position, { duplicateOrganisationId });
  }
}

/**
 * The organisation's link to an agent whose record was merged moves to the record that lives on
 * (followed to its end, should that have been merged too). Idempotent: a link gone already, or an
 * agent not merged, changes nothing.
 */
@CommandHandler(MoveMergedAgent)
export class MoveMergedAgentHandler implements ICommandHandler<MoveMergedAgent> {
  constructor(private readonly executor: CommandExecutor, private readonly facts: OrganisationFactsReader) {}

  async execute({ organisationId, agentOrganisationId, context }: MoveMergedAgent): Promise<CommandAnswer> {
    const kept = await this.facts.read(agentOrganisationId);
    if (!kept || kept.organisationId === agentOrganisationId) return commandAnswer(organisationId, await this.executor.headPosition(), { moved: false });
    const outcome = await this.executor.execute(
      organisationDecider,
      organisationStream(organisationId),
      { type: 'MoveMergedAgent', agentOrganisationId, mergedInto: kept.organisationId, now: context.now },
      context,
    );
    return commandAnswer(organisationId, outcome.position, { moved: outcome.events.length > 0 });
  }
}

@CommandHandler(JoinOrganisation)
export class JoinOrganisationHandler implements ICommandHandler<JoinOrganisation> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ organisationId, member, context }: JoinOrganisation) {
    const outcome = await this.executor.execute(
      organisationDecider,
      organisationStream(organisationId),
      { type: 'JoinMember', ...member, now: context.now },
      context,
    );
    const active = outcome.state.exists && outcome.state.members.has(member.accountId);
    return { ...commandAnswer(organisationId, outcome.position), joined: outcome.events.length > 0, membership: active ? ('active' as const) : ('pending' as const) };
  }
}

@CommandHandler(ApproveJoinRequest)
export class ApproveJoinRequestHandler extends OrganisationCommandHandler implements ICommandHandler<ApproveJoinRequest> {
  async execute({ organisationId, accountId, roles, caller, context }: ApproveJoinRequest): Promise<CommandAnswer> {
    const outcome = await this.executor.execute(
      organisationDecider,
      organisationStream(organisationId),
      { type: 'ApproveJoinRequest', accountId, roles, by: this.acting(caller, context), now: context.now },
      context,
    );
    return commandAnswer(accountId, outcome.position, { organisationId, membership: 'active', roles: [...new Set(roles)] });
  }
}

@CommandHandler(DeclineJoinRequest)
export class DeclineJoinRequestHandler extends OrganisationCommandHandler implements ICommandHandler<DeclineJoinRequest> {
  async execute({ organisationId, accountId, reason, caller, context }: DeclineJoinRequest): Promise<CommandAnswer> {
    const outcome = await this.executor.execute(
      organisationDecider,
      organisationStream(organisationId),
      { type: 'DeclineJoinRequest', accountId, reason, by: this.acting(caller, context), now: context.now },
      context,
    );
    return commandAnswer(accountId, outcome.position, { organisationId, membership: 'declined' });
  }
}

/** How long an invitation's link works. */
export const INVITATION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** The organisation an invitation belongs to, from its id (`<organisationId>~<random>`), once the link's MAC is checked. */
export const invitationOrganisation = (invitationId: string) => invitationId.split('~')[0];

/** Resolves an invitation link's token to its id, or null when the MAC does not hold. */
@Injectable()
export class InvitationTokens {
  constructor(@Inject(SECRET_TOKENS) private readonly tokens: SecretTokens) {}

  invitationOf(token: string): { invitationId: string; organisationId: string } | null {
    const invitationId = this.tokens.verify(token);
    if (!invitationId || !invitationId.includes('~')) return null;
    return { invitationId, organisationId: invitationOrganisation(invitationId) };
  }
}

@CommandHandler(InviteMember)
export class InviteMemberHandler extends OrganisationCommandHandler implements ICommandHandler<InviteMember> {
  async execute({ organisationId, invitee, caller, context }: InviteMember): Promise<CommandAnswer> {
    const invitationId = `${organisationId}~${randomBytes(16).toString('hex')}`;
    const outcome = await this.executor.execute(
      organisationDecider,
      organisationStream(organisationId),
      {
        type: 'InviteMember',
        invitationId,
        name: invitee.name,
        email: invitee.email.toLowerCase(),
        roles: invitee.roles,
        expiresAt: new Date(context.now.getTime() + INVITATION_TTL_MS),
        by: this.acting(caller, context),
        now: context.now,
      },
      context,
    );
    // The invitation's id is not an answer: the link (made from it with the server's key) goes only to the invitee.
    return commandAnswer(organisationId, outcome.position, { expiresAt: new Date(context.now.getTime() + INVITATION_TTL_MS).toISOString() });
  }
}

@CommandHandler(RemoveMember)
export class RemoveMemberHandler extends OrganisationCommandHandler implements ICommandHandler<RemoveMember> {
  async execute({ organisationId, accountId, caller, context }: RemoveMember): Promise<CommandAnswer> {
    const outcome = await this.executor.execute(
      organisationDecider,
      organisationStream(organisationId),
      { type: 'RemoveMember', accountId, by: this.acting(caller, context), now: context.now },
      context,
    );
    return commandAnswer(accountId, outcome.position, { organisationId });
  }
}

@CommandHandler(LeaveOrganisation)
export class LeaveOrganisationHandler extends OrganisationCommandHandler implements ICommandHandler<LeaveOrganisation> {
  async execute({ organisationId, caller, context }: LeaveOrganisation): Promise<CommandAnswer> {
    const outcome = await this.executor.execute(
      organisationDecider,
      organisationStream(organisationId),
      { type: 'LeaveOrganisation', by: this.acting(caller, context), now: context.now },
      context,
    );
    return commandAnswer(organisationId, outcome.position);
  }
}

@CommandHandler(MergeMembership)
export class MergeMembershipHandler implements ICommandHandler<MergeMembership> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ organisationId, fromAccountId, into, context }: MergeMembership): Promise<CommandAnswer> {
    const outcome = await this.executor.execute(
      organisationDecider,
      organisationStream(organisationId),
      { type: 'MergeMember', fromAccountId, into, now: context.now },
      context,
    );
    return commandAnswer(organisationId, outcome.position);
  }
}

export const ORGANISATION_COMMAND_HANDLERS = [
  MergeMembershipHandler,
  SubmitCustomerApplicationHandler,
  ApproveCustomerApplicationHandler,
  RejectCustomerApplicationHandler,
  SignAgreementHandler,
  SetMemberRolesHandler,
  LinkAgentHandler,
  SetUserLimitHandler,
  MergeOrganisationsHandler,
  JoinOrganisationHandler,
  MoveMergedAgentHandler,
  ApproveJoinRequestHandler,
  DeclineJoinRequestHandler,
  InviteMemberHandler,
  RemoveMemberHandler,
  LeaveOrganisationHandler,
];
