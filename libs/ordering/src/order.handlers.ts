import { Injectable } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CatalogueWriteSide, normaliseOrderDetails, validateOrderDetails } from '@kundportal/catalogue';
import { CommandExecutor } from '@kundportal/eventstore';
import { CommandAnswer, CommandContext, derivedId, newId, NotFound } from '@kundportal/kernel';
import { OrganisationFacts, OrganisationFactsReader } from '@kundportal/organisations';
import { ApproveOrder, AttestOrder, CancelOrder, FulfilOrder, OrderCaller, RejectOrder, SubmitOrder, WithdrawOrder } from './commands';
import { Acting, AgentForOrder, OrderCommand, orderDecider } from './order.decider';
import { orderStream } from './order.events';

const side = (facts: OrganisationFacts | null, accountId: string | null) => ({
  member: facts?.isMember(accountId) ?? false,
  roles: facts?.rolesOf(accountId) ?? [],
});

/** The agent as the order decision needs it; `via` is what the log answers for its id (a merged record answers as the one it was merged into). */
function agentFor(id: string, via: OrganisationFacts | null): AgentForOrder {
  return {
    id,
    name: via?.name ?? '',
    mergedInto: via && via.organisationId !== id ? via.organisationId : null,
    hasOrderer: (via?.holders('orderer').length ?? 0) > 0,
    hasAttestant: (via?.holders('attestant').length ?? 0) > 0,
  };
}

/**
 * Every decision reads the organisations involved from the log (not from read models), so roles
 * and the agreement are as they are at the moment of the decision.
 */
@CommandHandler(SubmitOrder)
export class SubmitOrderHandler implements ICommandHandler<SubmitOrder> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly organisations: OrganisationFactsReader,
    private readonly catalogue: CatalogueWriteSide,
  ) {}

  async execute({ input, caller, context }: SubmitOrder): Promise<CommandAnswer> {
    const organisation = await this.organisations.read(input.organisationId);
    if (!organisation) throw new NotFound('organisation');
    const via = input.viaAgentOrganisationId ? await this.organisations.read(input.viaAgentOrganisationId) : null;
    const offering = await this.catalogue.currentOffering(input.offeringId);
    const orderId = context.idempotencyKey ? derivedId('order', caller.accountId ?? '', context.idempotencyKey) : newId();
    if (context.idempotencyKey) {
      // The same request again after its answer was lost: answer as the first time.
      const earlier = await this.executor.load(orderDecider, orderStream(orderId));
      if (earlier.state.exists) return { id: orderId, position: (await this.executor.headPosition()).toString(), status: earlier.state.status };
    }
    const by: Acting = {
      person: { accountId: caller.accountId, name: caller.name },
      signInMethod: context.actor.method ?? null,
      staff: caller.staff,
      auditor: caller.auditor,
      customer: side(organisation, caller.accountId),
      agent: side(via, caller.accountId),
    };
    const detailProblems = offering ? validateOrderDetails(offering.fields, input.details) : [];
    const outcome = await this.executor.execute(
      orderDecider,
      orderStream(orderId),
      {
        type: 'SubmitOrder',
        orderId,
        organisation: {
          id: organisation.organisationId,
          name: organisation.name,
          agreementSigned: organisation.agreementSigned,
          hasAttestant: organisation.holders('attestant').length > 0,
          agentOrganisationIds: organisation.agentOrganisationIds,
        },
        by,
        offering,
        detailProblems,
        details: offering && detailProblems.length === 0 ? normaliseOrderDetails(offering.fields, input.details as Record<string, unknown>) : {},
        viaAgent: input.viaAgentOrganisationId ? agentFor(input.viaAgentOrganisationId, via) : null,
        now: context.now,
      },
      context,
      { newStream: !context.idempotencyKey },
    );
    return { id: orderId, position: outcome.position.toString(), status: outcome.state.exists ? outcome.state.status : null };
  }
}

/** The steps after submission share one shape: read the order and its organisations, decide, append. */
@Injectable()
abstract class OrderStepHandler {
  constructor(protected readonly executor: CommandExecutor, protected readonly organisations: OrganisationFactsReader) {}

  protected async step(orderId: string, caller: OrderCaller, context: CommandContext, command: (by: Acting) => OrderCommand) {
    const { state } = await this.executor.load(orderDecider, orderStream(orderId));
    const customer = state.exists ? await this.organisations.read(state.order.organisationId) : null;
    const agent = state.exists && state.order.viaAgentOrganisationId ? await this.organisations.read(state.order.viaAgentOrganisationId) : null;
    const by: Acting = {
      person: { accountId: caller.accountId, name: caller.name },
      signInMethod: context.actor.method ?? null,
      staff: caller.staff,
      auditor: caller.auditor,
      customer: side(customer, caller.accountId),
      agent: side(agent, caller.accountId),
    };
    const outcome = await this.executor.execute(orderDecider, orderStream(orderId), command(by), context);
    return { id: orderId, position: outcome.position.toString(), status: outcome.state.exists ? outcome.state.status : null };
  }
}

@CommandHandler(ApproveOrder)
export class ApproveOrderHandler extends OrderStepHandler implements ICommandHandler<ApproveOrder> {
  execute({ orderId, caller, context }: ApproveOrder): Promise<CommandAnswer> {
    return this.step(orderId, caller, context, (by) => ({ type: 'ApproveOrder', by, now: context.now }));
  }
}

@CommandHandler(AttestOrder)
export class AttestOrderHandler extends OrderStepHandler implements ICommandHandler<AttestOrder> {
  execute({ orderId, method, caller, context }: AttestOrder): Promise<CommandAnswer> {
    return this.step(orderId, caller, context, (by) => ({ type: 'AttestOrder', by, method, now: context.now }));
  }
}

@CommandHandler(RejectOrder)
export class RejectOrderHandler extends OrderStepHandler implements ICommandHandler<RejectOrder> {
  execute({ orderId, reason, caller, context }: RejectOrder): Promise<CommandAnswer> {
    return this.step(orderId, caller, context, (by) => ({ type: 'RejectOrder', by, reason, now: context.now }));
  }
}

@CommandHandler(FulfilOrder)
export class FulfilOrderHandler extends OrderStepHandler implements ICommandHandler<FulfilOrder> {
  execute({ orderId, instructions, caller, context }: FulfilOrder): Promise<CommandAnswer> {
    return this.step(orderId, caller, context, (by) => ({ type: 'FulfilOrder', by, instructions, now: context.now }));
  }
}

@CommandHandler(WithdrawOrder)
export class WithdrawOrderHandler extends OrderStepHandler implements ICommandHandler<WithdrawOrder> {
  execute({ orderId, reason, caller, context }: WithdrawOrder): Promise<CommandAnswer> {
    return this.step(orderId, caller, context, (by) => ({ type: 'WithdrawOrder', by, reason, now: context.now }));
  }
}

@CommandHandler(CancelOrder)
export class CancelOrderHandler extends OrderStepHandler implements ICommandHandler<CancelOrder> {
  execute({ orderId, reason, caller, context }: CancelOrder): Promise<CommandAnswer> {
    return this.step(orderId, caller, context, (by) => ({ type: 'CancelOrder', by, reason, now: context.now }));
  }
}

export const ORDER_COMMAND_HANDLERS = [
  SubmitOrderHandler,
  ApproveOrderHandler,
  AttestOrderHandler,
  RejectOrderHandler,
  FulfilOrderHandler,
  WithdrawOrderHandler,
  CancelOrderHandler,
];
