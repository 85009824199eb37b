import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, ReservationHeld, Reservations } from '@kundportal/eventstore';
import { CommandAnswer, CommandContext, derivedId, DomainError, PERSONAL_NUMBER_DIGEST, PersonalNumberDigest } from '@kundportal/kernel';
import { JoinOrganisation, OrganisationFactsReader, OrganisationQueries, requireRoomFor } from '@kundportal/organisations';
import { ACCOUNT_EID_METHODS, accountDecider } from './account.decider';
import { accountStream } from './account.events';
import { CreateAccount } from './commands';
import { RegistrationQueries } from './registration.queries';

/** A claim older than this whose account never came to exist was left by a crash, and may be taken over. */
const ABANDONED_AFTER_MS = 30_000;

/** One account per person: its id is derived from the personnummer's digest, so the account stream itself is the lock. */
export function accountIdFor(personalNumberDigest: string): string {
  return derivedId('account', personalNumberDigest);
}

/**
 * Creates the account and joins it to its organisation. Each step is idempotent and the ids are
 * derived, so a creation cut short by a crash is completed by the same person trying again (and
 * by the membership reactor, which joins every created account).
 */
@CommandHandler(CreateAccount)
export class CreateAccountHandler implements ICommandHandler<CreateAccount> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly reservations: Reservations,
    private readonly commandBus: CommandBus,
    private readonly organisations: OrganisationQueries,
    private readonly facts: OrganisationFactsReader,
    private readonly registrations: RegistrationQueries,
    @Inject(PERSONAL_NUMBER_DIGEST) private readonly digest: PersonalNumberDigest,
  ) {}

  async execute({ principal, input, context }: CreateAccount): Promise<CommandAnswer> {
    if (!principal.personalNumber || !ACCOUNT_EID_METHODS.includes(principal.method)) {
      throw DomainError.rule('EID_METHOD_NOT_ALLOWED', 'An account is created after signing in with BankID or Freja eID.');
    }
    const personalNumberDigest = this.digest.of(principal.personalNumber);
    const accountId = accountIdFor(personalNumberDigest);
    const existing = await this.executor.load(accountDecider, accountStream(accountId));
    if (existing.state.exists) return this.completeOrRefuse(existing.state.account, context);

    const organisation = await this.organisations.byOrganisationNumber(input.organisationNumber);
    if (!organisation) {
      throw DomainError.rule('ORGANISATION_NOT_REGISTERED', 'The organisation is not registered; submit a customer application first.', [
        { field: 'organisationNumber', message: 'not a registered organisation' },
      ]).withParams({ context: 'apply' });
    }
    const facts = await this.facts.read(organisation._id);
    if (facts) requireRoomFor(facts, await this.registrations.pendingCount(facts.organisationId));
    const email = input.email.toLowerCase();
    await this.claim('pnr', personalNumberDigest, accountId, context, 'You have an account already.');
    await this.claim('email', email, accountId, context, 'An account with that e-mail exists already.');
    await this.executor.execute(
      accountDecider,
      accountStream(accountId),
      {
        type: 'CreateAccount',
        accountId,
        name: input.name,
        email,
        phone: input.phone ?? null,
        organisationId: organisation._id,
        personalNumberDigest,
        method: principal.method,
        now: context.now,
      },
      context,
    );
    const joined = await this.commandBus.execute(
      new JoinOrganisation(organisation._id, { accountId, name: input.name, email, personalNumberDigest }, context),
    );
    return { id: accountId, position: joined.position, organisationId: organisation._id };
  }

  /** The account exists: finish a creation a crash cut short (201), or say it exists (409). */
  private async completeOrRefuse(
    account: { accountId: string; organisationId: string; name: string; email: string; personalNumberDigest: string | null },
    context: CommandContext,
  ): Promise<CommandAnswer> {
    const joined = await this.commandBus.execute(
      new JoinOrganisation(
        account.organisationId,
        { accountId: account.accountId, name: account.name, email: account.email, personalNumberDigest: account.personalNumberDigest },
        context,
      ),
    );
    if (!joined.joined) throw DomainError.conflict('ACCOUNT_EXISTS', 'You have an account already.').withParams({ context: 'own' });
    return { id: account.accountId, position: joined.position, organisationId: account.organisationId };
  }

  private async claim(kind: 'pnr' | 'email', key: string, owner: string, context: CommandContext, message: string) {
    const abandoned = async (holder: string, claimedAt: Date | null) => {
      const age = claimedAt ? context.now.getTime() - claimedAt.getTime() : Infinity;
      if (age < ABANDONED_AFTER_MS) return false;
      return !(await this.executor.load(accountDecider, accountStream(holder))).state.exists;
    };
    try {
      await this.reservations.claim(kind, key, owner, context, abandoned);
    } catch (error) {
      if (error instanceof ReservationHeld) throw DomainError.conflict('ACCOUNT_EXISTS', message).withParams(kind === 'pnr' ? { context: 'own' } : { context: 'email' });
      throw error;
    }
  }
}

export const IDENTITY_COMMAND_HANDLERS = [CreateAccountHandler];
