import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, ReservationHeld, Reservations } from '@kundportal/eventstore';
import { CommandAnswer, DomainError, newId, PERSONAL_NUMBER_DIGEST, PersonalNumberDigest } from '@kundportal/kernel';
import { JoinOrganisation, OrganisationQueries } from '@kundportal/organisations';
import { ACCOUNT_EID_METHODS, accountDecider } from './account.decider';
import { accountStream } from './account.events';
import { CreateAccount } from './commands';

@CommandHandler(CreateAccount)
export class CreateAccountHandler implements ICommandHandler<CreateAccount> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly reservations: Reservations,
    private readonly commandBus: CommandBus,
    private readonly organisations: OrganisationQueries,
    @Inject(PERSONAL_NUMBER_DIGEST) private readonly digest: PersonalNumberDigest,
  ) {}

  async execute({ principal, input, context }: CreateAccount): Promise<CommandAnswer> {
    if (!principal.personalNumber || !ACCOUNT_EID_METHODS.includes(principal.method)) {
      throw DomainError.rule('EID_METHOD_NOT_ALLOWED', 'An account is created after signing in with BankID or Freja eID.');
    }
    const organisation = await this.organisations.byOrganisationNumber(input.organisationNumber);
    if (!organisation) {
      throw DomainError.rule('ORGANISATION_NOT_REGISTERED', 'The organisation is not registered; submit a customer application first.', [
        { field: 'organisationNumber', message: 'not a registered organisation' },
      ]);
    }
    const personalNumberDigest = this.digest.of(principal.personalNumber);
    const email = input.email.toLowerCase();
    const accountId = newId();
    await this.claim('pnr', personalNumberDigest, accountId, context, 'You have an account already.');
    try {
      await this.claim('email', email, accountId, context, 'An account with that e-mail exists already.');
    } catch (error) {
      await this.reservations.release('pnr', personalNumberDigest, accountId, context);
      throw error;
    }
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

  private async claim(kind: 'pnr' | 'email', key: string, owner: string, context: CreateAccount['context'], message: string) {
    try {
      await this.reservations.claim(kind, key, owner, context);
    } catch (error) {
      if (error instanceof ReservationHeld) throw DomainError.conflict('ACCOUNT_EXISTS', message);
      throw error;
    }
  }
}

export const IDENTITY_COMMAND_HANDLERS = [CreateAccountHandler];
