import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '@kundportal/eventstore';
import { CommandAnswer, commandAnswer, DomainError } from '@kundportal/kernel';
import { CatalogueWriteSide } from './catalogue.write-side';
import { isOfferingIdOf } from './catalogue-ids';
import { PublishOffering, PublishService, RetireOffering } from './commands';
import { offeringNotActive, serviceDecider } from './service/service.decider';
import { serviceStream } from './streams';


@CommandHandler(PublishService)
export class PublishServiceHandler implements ICommandHandler<PublishService> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ input, context }: PublishService): Promise<CommandAnswer> {
    const outcome = await this.executor.execute(
      serviceDecider,
      serviceStream(input.serviceId),
      { type: 'PublishService', ...input, now: context.now },
      context,
    );
    return commandAnswer(input.serviceId, outcome.position);
  }
}

@CommandHandler(PublishOffering)
export class PublishOfferingHandler implements ICommandHandler<PublishOffering> {
  constructor(private readonly executor: CommandExecutor, private readonly catalogue: CatalogueWriteSide) {}

  async execute({ serviceId, input, context }: PublishOffering): Promise<CommandAnswer> {
    if (isOfferingIdOf(serviceId, input.offeringId)) {
      // `a-b-c` fits both services `a` and `a-b`: an offering id belongs to the first service that publishes it.
      const holder = await this.catalogue.serviceOf(input.offeringId);
      if (holder && holder.serviceId !== serviceId) {
        throw DomainError.conflict('OFFERING_ID_TAKEN', `The offering id ${input.offeringId} belongs to the service ${holder.serviceId}.`).withParams({
          offeringId: input.offeringId,
          serviceId: holder.serviceId,
        });
      }
    }
    const outcome = await this.executor.execute(
      serviceDecider,
      serviceStream(serviceId),
      { type: 'PublishOffering', ...input, now: context.now },
      context,
    );
    const version = outcome.state.exists ? outcome.state.offerings.get(input.offeringId)?.published.version : undefined;
    return commandAnswer(input.offeringId, outcome.position, { serviceId, version });
  }
}

@CommandHandler(RetireOffering)
export class RetireOfferingHandler implements ICommandHandler<RetireOffering> {
  constructor(private readonly executor: CommandExecutor, private readonly catalogue: CatalogueWriteSide) {}

  async execute({ offeringId, context }: RetireOffering): Promise<CommandAnswer> {
    const holder = await this.catalogue.serviceOf(offeringId);
    if (!holder) throw offeringNotActive(offeringId);
    const outcome = await this.executor.execute(
      serviceDecider,
      serviceStream(holder.serviceId),
      { type: 'RetireOffering', offeringId, now: context.now },
      context,
    );
    return commandAnswer(offeringId, outcome.position, { serviceId: holder.serviceId });
  }
}

export const CATALOGUE_COMMAND_HANDLERS = [PublishServiceHandler, PublishOfferingHandler, RetireOfferingHandler];
