import { Command } from '@nestjs/cqrs';
import { CommandAnswer, CommandContext } from '@kundportal/kernel';
import type { OrderField } from './order-fields';
import type { StartupFee } from './service/service.events';

export class PublishService extends Command<CommandAnswer> {
  constructor(
    readonly input: { serviceId: string; name: string; description?: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Publishes an offering, or a new version of it (which replaces the earlier one for new orders). */
export class PublishOffering extends Command<CommandAnswer> {
  constructor(
    readonly serviceId: string,
    readonly input: { offeringId: string; name: string; startupFee: StartupFee; fields: OrderField[] },
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class RetireOffering extends Command<CommandAnswer> {
  constructor(readonly offeringId: string, readonly context: CommandContext) {
    super();
  }
}
