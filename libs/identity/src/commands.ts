import { Command } from '@nestjs/cqrs';
import { CommandAnswer, CommandContext } from '@kundportal/kernel';
import type { Principal } from './principal';

export class CreateAccount extends Command<CommandAnswer> {
  constructor(
    readonly principal: Principal,
    readonly input: { name: string; email: string; phone?: string; organisationNumber: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}
