import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '@kundportal/eventstore';
import { CommandAnswer, PERSONAL_NUMBER_DIGEST, PersonalNumberDigest } from '@kundportal/kernel';
import { ChooseLanguage } from './commands';
import { preferencesDecider } from './preferences.decider';
import { preferencesOwners, preferencesStream } from './preferences.events';

@CommandHandler(ChooseLanguage)
export class ChooseLanguageHandler implements ICommandHandler<ChooseLanguage> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(PERSONAL_NUMBER_DIGEST) private readonly digest: PersonalNumberDigest,
  ) {}

  async execute({ holder, language, context }: ChooseLanguage): Promise<CommandAnswer> {
    // The account's stream when there is one, so the choice follows the person and reaches their e-mails.
    const [owner] = preferencesOwners(holder, this.digest);
    const outcome = await this.executor.execute(preferencesDecider, preferencesStream(owner), { type: 'ChooseLanguage', owner, language, now: context.now }, context);
    return { id: owner, position: outcome.position.toString() };
  }
}

export const PREFERENCES_COMMAND_HANDLERS = [ChooseLanguageHandler];
