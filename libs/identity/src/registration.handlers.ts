import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { CommandExecutor, ReservationHeld, Reservations } from '@kundportal/eventstore';
import {
  APP_CONFIG,
  AppConfig,
  Clock,
  CLOCK,
  CommandAnswer,
  derivedId,
  DomainError,
  newId,
  NotFound,
  SECRET_TOKENS,
  SecretTokens,
} from '@kundportal/kernel';
import { JoinOrganisation, OrganisationFactsReader, OrganisationQueries, requireRoomFor } from '@kundportal/organisations';
import { accountDecider } from './account.decider';
import { accountStream } from './account.events';
import { ApproveRegistration, RejectRegistration, RequestPasswordReset, ResetPassword, SubmitRegistration } from './commands';
import { AttemptLimiter } from './attempt-limiter';
import { Passwords } from './passwords';
import { RegistrationQueries } from './registration.queries';
import { registrationDecider } from './registration.decider';
import { registrationStream } from './registration.events';

const RESET_TTL_MS = 60 * 60 * 1000;

/** The account an approved registration becomes: derived, so a retried approval lands on the same account. */
export const accountIdForRegistration = (registrationId: string) => derivedId('account-from-registration', registrationId);

export function isPrivateEmail(email: string, privateDomains: readonly string[]): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return privateDomains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

@CommandHandler(SubmitRegistration)
export class SubmitRegistrationHandler implements ICommandHandler<SubmitRegistration> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly reservations: Reservations,
    private readonly organisations: OrganisationQueries,
    private readonly facts: OrganisationFactsReader,
    private readonly registrations: RegistrationQueries,
    private readonly passwords: Passwords,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ input, context }: SubmitRegistration): Promise<CommandAnswer> {
    const email = input.email.toLowerCase();
    if (isPrivateEmail(email, this.config.privateEmailDomains)) {
      throw DomainError.rule('PRIVATE_EMAIL_DOMAIN', 'Register with your employer’s e-mail address, not a private one.', [
        { field: 'email', message: 'a private e-mail domain' },
      ]);
    }
    const organisation = await this.organisations.byOrganisationNumber(input.organisationNumber);
    const facts = organisation ? await this.facts.read(organisation._id) : null;
    if (!organisation || !facts) {
      throw DomainError.rule('ORGANISATION_NOT_REGISTERED', 'The organisation is not registered.', [
        { field: 'organisationNumber', message: 'not a registered organisation' },
      ]);
    }
    requireRoomFor(facts, await this.registrations.pendingCount(facts.organisationId));
    const registrationId = context.idempotencyKey ? derivedId('registration', email, context.idempotencyKey) : newId();
    try {
      await this.reservations.claim('email', email, accountIdForRegistration(registrationId), context);
    } catch (error) {
      if (!(error instanceof ReservationHeld)) throw error;
      // The answer does not tell whether the e-mail has an account, as password reset does not:
      // the same answer, after the same hashing work, and nothing is recorded. Its owner signs in
      // or resets the password.
      await this.passwords.hash(input.password);
      return { id: registrationId, position: (await this.executor.headPosition()).toString(), status: 'pending' };
    }
    const outcome = await this.executor.execute(
      registrationDecider,
      registrationStream(registrationId),
      {
        type: 'SubmitRegistration',
        registrationId,
        name: input.name,
        email,
        organisationId: facts.organisationId,
        organisationNumber: facts.organisationNumber,
        passwordHash: await this.passwords.hash(input.password),
        now: context.now,
      },
      context,
      { newStream: !context.idempotencyKey },
    );
    return { id: registrationId, position: outcome.position.toString(), status: 'pending' };
  }
}

@CommandHandler(ApproveRegistration)
export class ApproveRegistrationHandler implements ICommandHandler<ApproveRegistration> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly commandBus: CommandBus,
    private readonly facts: OrganisationFactsReader,
  ) {}

  /** Account, membership, then the registration's approval: each step idempotent, so a retry after a crash completes it. */
  async execute({ registrationId, context }: ApproveRegistration): Promise<CommandAnswer> {
    const { state } = await this.executor.load(registrationDecider, registrationStream(registrationId));
    if (state.status === 'none') throw new NotFound('registration');
    if (state.status === 'rejected') throw DomainError.conflict('REGISTRATION_NOT_PENDING', 'The registration is rejected already.').withParams({ status: 'rejected' });
    const r = state.registration;
    const accountId = accountIdForRegistration(registrationId);
    if (state.status === 'pending') {
      const facts = await this.facts.read(r.organisationId);
      if (facts && !facts.isMember(accountId)) requireRoomFor(facts, 0);
    }
    await this.executor.execute(
      accountDecider,
      accountStream(accountId),
      {
        type: 'CreatePasswordAccount',
        account: { accountId, name: r.name, email: r.email, organisationId: r.organisationId },
        passwordHash: r.passwordHash,
        now: context.now,
      },
      context,
    );
    await this.commandBus.execute(new JoinOrganisation(r.organisationId, { accountId, name: r.name, email: r.email, personalNumberDigest: null, preapproved: true }, context));
    const outcome = await this.executor.execute(registrationDecider, registrationStream(registrationId), { type: 'ApproveRegistration', accountId, now: context.now }, context);
    return { id: registrationId, position: outcome.position.toString(), accountId };
  }
}

@CommandHandler(RejectRegistration)
export class RejectRegistrationHandler implements ICommandHandler<RejectRegistration> {
  constructor(private readonly executor: CommandExecutor, private readonly reservations: Reservations) {}

  async execute({ registrationId, reason, context }: RejectRegistration): Promise<CommandAnswer> {
    const outcome = await this.executor.execute(registrationDecider, registrationStream(registrationId), { type: 'RejectRegistration', reason, now: context.now }, context);
    if (outcome.state.status !== 'none') {
      // The address may be used again.
      await this.reservations.release('email', outcome.state.registration.email, accountIdForRegistration(registrationId), context);
    }
    return { id: registrationId, position: outcome.position.toString() };
  }
}

@CommandHandler(RequestPasswordReset)
export class RequestPasswordResetHandler implements ICommandHandler<RequestPasswordReset> {
  /** A few links per address an hour: more would only fill someone's inbox. Refused requests answer the same. */
  private readonly perEmail = new AttemptLimiter(3, RESET_TTL_MS);

  constructor(
    private readonly executor: CommandExecutor,
    private readonly registrations: RegistrationQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ email, context }: RequestPasswordReset): Promise<{ accepted: true }> {
    const address = email.toLowerCase();
    const now = this.clock.now().getTime();
    try {
      this.perEmail.check(address, now);
    } catch {
      return { accepted: true };
    }
    this.perEmail.fail(address, now);
    const credential = await this.registrations.credential(address);
    if (credential?.status === 'active' && credential.accountId) {
      // The id names the account, so the link finds it without a lookup; the random part makes it unguessable.
      const resetId = `${credential.accountId}~${randomBytes(16).toString('hex')}`;
      await this.executor.execute(
        accountDecider,
        accountStream(credential.accountId),
        { type: 'RequestPasswordReset', resetId, expiresAt: new Date(this.clock.now().getTime() + RESET_TTL_MS), now: context.now },
        context,
      );
    }
    return { accepted: true };
  }
}

@CommandHandler(ResetPassword)
export class ResetPasswordHandler implements ICommandHandler<ResetPassword> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly passwords: Passwords,
    @Inject(SECRET_TOKENS) private readonly tokens: SecretTokens,
  ) {}

  async execute({ token, password, context }: ResetPassword): Promise<CommandAnswer> {
    const resetId = this.tokens.verify(token);
    const accountId = resetId?.split('~')[0];
    const invalid = () => DomainError.rule('INVALID_TOKEN', 'The link is not valid (used, expired or replaced by a newer one).');
    if (!resetId || !accountId) throw invalid();
    // Check the link before spending a slow hash on the new password; the decision checks it again.
    const { state } = await this.executor.load(accountDecider, accountStream(accountId));
    if (!state.exists || state.reset?.resetId !== resetId || Date.parse(state.reset.expiresAt) <= context.now.getTime()) throw invalid();
    const outcome = await this.executor.execute(
      accountDecider,
      accountStream(accountId),
      { type: 'ResetPassword', resetId, passwordHash: await this.passwords.hash(password), now: context.now },
      context,
    );
    return { id: accountId, position: outcome.position.toString() };
  }
}

export const REGISTRATION_COMMAND_HANDLERS = [
  SubmitRegistrationHandler,
  ApproveRegistrationHandler,
  RejectRegistrationHandler,
  RequestPasswordResetHandler,
  ResetPasswordHandler,
];
