import { Inject } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, ReservationHeld, Reservations } from '@kundportal/eventstore';
import { CommandAnswer, CommandContext, derivedId, DomainError, PERSONAL_NUMBER_DIGEST, PersonalNumberDigest, SECRET_TOKENS, SecretTokens } from '@kundportal/kernel';
import { InvitationTokens, JoinOrganisation, OrganisationDoc, OrganisationFactsReader, OrganisationQueries, requireRoomFor } from '@kundportal/organisations';
import { ACCOUNT_EID_METHODS, accountDecider } from './account.decider';
import { accountStream } from './account.events';
import { AccountQueries } from './account.queries';
import { ChangeEmail, CreateAccount, JoinAnotherOrganisation, VerifyEmail } from './commands';
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
    private readonly invitations: InvitationTokens,
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

    const organisation = await registeredOrganisation(this.organisations, input.organisationNumber);
    const invitationId = invitationFor(this.invitations, input.invitationToken, organisation);
    const facts = await this.facts.read(organisation._id);
    if (facts) requireRoomFor(facts, await this.registrations.pendingCount(facts.organisationId));
    // A used or expired invitation is refused before the account exists, so the person can try again without it.
    if (invitationId && !facts?.invitationOpen(invitationId, context.now)) throw invalidInvitation();
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
        emailVerificationId: emailVerificationId(accountId),
        now: context.now,
      },
      context,
    );
    const joined = await this.commandBus.execute(
      new JoinOrganisation(organisation._id, { accountId, name: input.name, email, personalNumberDigest, invitationId }, context),
    );
    return { id: accountId, position: joined.position, organisationId: organisation._id, membership: joined.membership };
  }

  /** The account exists: finish a creation a crash cut short (201), or say it exists (409). */
  private async completeOrRefuse(
    account: { accountId: string; organisationId: string; name: string; email: string; personalNumberDigest: string | null },
    context: CommandContext,
  ): Promise<CommandAnswer> {
    const joined = await this.commandBus.execute(
      new JoinOrganisation(
        account.organisationId,
        { accountId: account.accountId, name: account.name, email: account.email, personalNumberDigest: account.personalNumberDigest, onlyIfNew: true },
        context,
      ),
    );
    if (!joined.joined) throw DomainError.conflict('ACCOUNT_EXISTS', 'You have an account already.').withParams({ context: 'own' });
    return { id: account.accountId, position: joined.position, organisationId: account.organisationId, membership: joined.membership };
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

/** The id an e-mail verification link names: the account's id first, so the link finds the account; the rest makes it unguessable. */
export const emailVerificationId = (accountId: string) => `${accountId}~${randomBytes(16).toString('hex')}`;

async function registeredOrganisation(organisations: OrganisationQueries, organisationNumber: string): Promise<OrganisationDoc> {
  const organisation = await organisations.byOrganisationNumber(organisationNumber);
  if (!organisation) {
    throw DomainError.rule('ORGANISATION_NOT_REGISTERED', 'The organisation is not registered; submit a customer application first.', [
      { field: 'organisationNumber', message: 'not a registered organisation' },
    ]).withParams({ context: 'apply' });
  }
  return organisation;
}

const invalidInvitation = () =>
  DomainError.rule('INVALID_TOKEN', 'The invitation is not valid (used, expired or from another organisation).', [
    { field: 'invitationToken', message: 'not a valid invitation' },
  ]).withParams({ context: 'invitation' });

/** The invitation a link's token stands for, when it is one of this organisation's; none without a token. */
function invitationFor(invitations: InvitationTokens, token: string | undefined, organisation: OrganisationDoc): string | null {
  if (!token) return null;
  const invitation = invitations.invitationOf(token);
  if (!invitation || invitation.organisationId !== organisation._id) throw invalidInvitation();
  return invitation.invitationId;
}

@CommandHandler(JoinAnotherOrganisation)
export class JoinAnotherOrganisationHandler implements ICommandHandler<JoinAnotherOrganisation> {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly accounts: AccountQueries,
    private readonly organisations: OrganisationQueries,
    private readonly invitations: InvitationTokens,
  ) {}

  async execute({ principal, request, context }: JoinAnotherOrganisation): Promise<CommandAnswer> {
    const account = await this.accounts.ofPrincipal(principal);
    if (!account) throw DomainError.rule('NO_ACCOUNT', 'Create your account first.');
    let organisation: OrganisationDoc | null;
    if (request.organisationNumber) {
      organisation = await registeredOrganisation(this.organisations, request.organisationNumber);
    } else {
      const invitation = request.invitationToken ? this.invitations.invitationOf(request.invitationToken) : null;
      organisation = invitation ? await this.organisations.organisation(invitation.organisationId) : null;
      if (!organisation) throw invalidInvitation();
    }
    const invitationId = invitationFor(this.invitations, request.invitationToken, organisation);
    const joined = await this.commandBus.execute(
      new JoinOrganisation(
        organisation._id,
        { accountId: account._id, name: account.name, email: account.email, personalNumberDigest: account.personalNumberDigest, invitationId },
        context,
      ),
    );
    return { id: account._id, position: joined.position, organisationId: organisation._id, membership: joined.membership };
  }
}

@CommandHandler(VerifyEmail)
export class VerifyEmailHandler implements ICommandHandler<VerifyEmail> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly accounts: AccountQueries,
    @Inject(SECRET_TOKENS) private readonly tokens: SecretTokens,
  ) {}

  async execute({ principal, token, context }: VerifyEmail): Promise<CommandAnswer> {
    const account = await this.accounts.ofPrincipal(principal);
    const verificationId = this.tokens.verify(token);
    // The link is the account holder's own: someone else's link is as good as no link.
    if (!account || !verificationId || verificationId.split('~')[0] !== account._id) {
      throw DomainError.rule('INVALID_TOKEN', 'The link is not valid (used, replaced by a newer one, or another account’s).', [
        { field: 'token', message: 'not a valid link' },
      ]);
    }
    const outcome = await this.executor.execute(accountDecider, accountStream(account._id), { type: 'VerifyEmail', verificationId, now: context.now }, context);
    return { id: account._id, position: outcome.position.toString(), emailVerified: true };
  }
}

@CommandHandler(ChangeEmail)
export class ChangeEmailHandler implements ICommandHandler<ChangeEmail> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly accounts: AccountQueries,
    private readonly reservations: Reservations,
  ) {}

  /** The new address is reserved for the account first (one account per address), the old one freed after. */
  async execute({ principal, email, context }: ChangeEmail): Promise<CommandAnswer> {
    const account = await this.accounts.ofPrincipal(principal);
    if (!account) throw DomainError.rule('NO_ACCOUNT', 'Create your account first.');
    const address = email.toLowerCase();
    const previous = account.email;
    if (address !== previous) {
      try {
        await this.reservations.claim('email', address, account._id, context);
      } catch (error) {
        if (error instanceof ReservationHeld) {
          throw DomainError.conflict('EMAIL_IN_USE', 'Another account uses that e-mail.');
        }
        throw error;
      }
    }
    const outcome = await this.executor.execute(
      accountDecider,
      accountStream(account._id),
      { type: 'ChangeEmail', email: address, verificationId: emailVerificationId(account._id), now: context.now },
      context,
    );
    if (address !== previous) await this.reservations.release('email', previous, account._id, context);
    return { id: account._id, position: outcome.position.toString(), email: address, emailVerified: outcome.state.exists && outcome.state.emailVerified };
  }
}

export const IDENTITY_COMMAND_HANDLERS = [CreateAccountHandler, JoinAnotherOrganisationHandler, VerifyEmailHandler, ChangeEmailHandler];
