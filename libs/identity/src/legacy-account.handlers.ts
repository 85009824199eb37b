import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { CommandExecutor, ReservationHeld, Reservations } from '@kundportal/eventstore';
import {
  CommandAnswer,
  CommandContext,
  derivedId,
  DomainError,
  PERSONAL_NUMBER_DIGEST,
  PersonalNumberDigest,
  SECRET_TOKENS,
  SecretTokens,
} from '@kundportal/kernel';
import { JoinOrganisation, MergeMembership, OrganisationQueries, Role, ROLES } from '@kundportal/organisations';
import { ACCOUNT_EID_METHODS, accountDecider } from './account.decider';
import { accountStream } from './account.events';
import { ImportLegacyAccount, VerifyLegacyAccount } from './commands';

/** One account per old-portal username: the id is derived from it, so importing a file again changes nothing. */
export const legacyAccountId = (username: string) => derivedId('legacy-account', username.trim().toLowerCase());

@CommandHandler(ImportLegacyAccount)
export class ImportLegacyAccountHandler implements ICommandHandler<ImportLegacyAccount> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly reservations: Reservations,
    private readonly organisations: OrganisationQueries,
    private readonly commandBus: CommandBus,
  ) {}

  async execute({ input, context }: ImportLegacyAccount): Promise<CommandAnswer> {
    const organisation = await this.organisations.byOrganisationNumber(input.organisationNumber);
    if (!organisation) {
      throw DomainError.rule('ORGANISATION_NOT_REGISTERED', 'The organisation is not registered.', [
        { field: 'organisationNumber', message: 'not a registered organisation' },
      ]);
    }
    const accountId = legacyAccountId(input.username);
    const email = input.email.toLowerCase();
    const roles = input.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
    try {
      await this.reservations.claim('email', email, accountId, context);
    } catch (error) {
      if (error instanceof ReservationHeld) throw DomainError.conflict('ACCOUNT_EXISTS', 'An account with that e-mail exists already.').withParams({ context: 'email' });
      throw error;
    }
    const outcome = await this.executor.execute(
      accountDecider,
      accountStream(accountId),
      {
        type: 'ImportAccount',
        account: {
          accountId,
          username: input.username.trim(),
          name: input.name,
          email,
          organisationId: organisation._id,
          roles,
          verificationId: `${accountId}~${randomBytes(16).toString('hex')}`,
        },
        now: context.now,
      },
      context,
    );
    // The membership reactor does this too; doing it here answers with the roles in place.
    const joined = await this.commandBus.execute(
      new JoinOrganisation(organisation._id, { accountId, name: input.name, email, personalNumberDigest: null, roles, preapproved: true }, context),
    );
    const position = BigInt(joined.position) > outcome.position ? joined.position : outcome.position.toString();
    return { id: accountId, position, organisationId: organisation._id, imported: outcome.events.length > 0 };
  }
}

/**
 * The person proves with e-ID that the imported account is theirs. When they have an e-ID account
 * already, the old account's membership and roles move into it (the old account is closed), so
 * nobody is left with two accounts or stuck at a conflict.
 */
@CommandHandler(VerifyLegacyAccount)
export class VerifyLegacyAccountHandler implements ICommandHandler<VerifyLegacyAccount> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly reservations: Reservations,
    private readonly commandBus: CommandBus,
    @Inject(SECRET_TOKENS) private readonly tokens: SecretTokens,
    @Inject(PERSONAL_NUMBER_DIGEST) private readonly digest: PersonalNumberDigest,
  ) {}

  async execute({ principal, token, context }: VerifyLegacyAccount): Promise<CommandAnswer> {
    if (!principal.personalNumber || !ACCOUNT_EID_METHODS.includes(principal.method)) {
      throw DomainError.rule('EID_METHOD_NOT_ALLOWED', 'Verify your account after signing in with BankID or Freja eID.').withParams({ context: 'verify' });
    }
    const verificationId = this.tokens.verify(token);
    const accountId = verificationId?.split('~')[0];
    if (!verificationId || !accountId) throw DomainError.rule('INVALID_TOKEN', 'The link is not valid (used, expired or replaced by a newer one).');
    const { state } = await this.executor.load(accountDecider, accountStream(accountId));
    const personalNumberDigest = this.digest.of(principal.personalNumber);
    const holder = await this.reservations.holder('pnr', personalNumberDigest);
    // A merge cut short by a crash is completed by the same link.
    if (state.exists && state.mergedInto && state.mergedInto === holder) return this.merge(state.account, holder, verificationId, personalNumberDigest, principal.method, context);
    if (!state.exists || state.awaitingVerification !== verificationId) {
      throw DomainError.rule('INVALID_TOKEN', 'The link is not valid (used, expired or replaced by a newer one).');
    }
    if (holder && holder !== accountId) {
      const other = await this.executor.load(accountDecider, accountStream(holder));
      if (other.state.exists) return this.merge(state.account, holder, verificationId, personalNumberDigest, principal.method, context);
    }
    try {
      await this.reservations.claim('pnr', personalNumberDigest, accountId, context);
    } catch (error) {
      if (error instanceof ReservationHeld) throw DomainError.conflict('ACCOUNT_EXISTS', 'You have another account already; ask support to merge them.').withParams({ context: 'otherAccount' });
      throw error;
    }
    const outcome = await this.executor.execute(
      accountDecider,
      accountStream(accountId),
      { type: 'VerifyAccount', verificationId, personalNumberDigest, method: principal.method, now: context.now },
      context,
    );
    return { id: accountId, position: outcome.position.toString() };
  }

  /** The old account is closed first (its link used up), then its membership moves: both steps idempotent. */
  private async merge(
    legacy: { accountId: string; organisationId: string },
    into: string,
    verificationId: string,
    personalNumberDigest: string,
    method: string,
    context: CommandContext,
  ): Promise<CommandAnswer> {
    const { state: target } = await this.executor.load(accountDecider, accountStream(into));
    if (!target.exists) throw DomainError.conflict('ACCOUNT_EXISTS', 'You have another account already; ask support to merge them.').withParams({ context: 'otherAccount' });
    await this.executor.execute(
      accountDecider,
      accountStream(legacy.accountId),
      { type: 'MergeLegacyAccount', verificationId, into, personalNumberDigest, method, now: context.now },
      context,
    );
    const { account } = target;
    const moved = await this.commandBus.execute(
      new MergeMembership(
        legacy.organisationId,
        legacy.accountId,
        { accountId: account.accountId, name: account.name, email: account.email, personalNumberDigest: account.personalNumberDigest },
        context,
      ),
    );
    return { id: into, position: moved.position, mergedFrom: legacy.accountId, organisationId: legacy.organisationId };
  }
}

export const LEGACY_ACCOUNT_COMMAND_HANDLERS = [ImportLegacyAccountHandler, VerifyLegacyAccountHandler];
