import { Command } from '@nestjs/cqrs';
import { CommandAnswer, CommandContext } from '@kundportal/kernel';
import type { AttestationMethod } from './order.events';

/** The caller as ordering decisions need it. */
export interface OrderCaller {
  accountId: string | null;
  name: string;
  staff: boolean;
  /** Auditors read every order but act on none. */
  auditor: boolean;
}


export class SubmitOrder extends Command<CommandAnswer> {
  constructor(
    readonly input: { organisationId: string; offeringId: string; details: unknown; viaAgentOrganisationId?: string },
    readonly caller: OrderCaller,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class ApproveOrder extends Command<CommandAnswer> {
  constructor(readonly orderId: string, readonly caller: OrderCaller, readonly context: CommandContext) {
    super();
  }
}

export class AttestOrder extends Command<CommandAnswer> {
  constructor(readonly orderId: string, readonly method: AttestationMethod, readonly caller: OrderCaller, readonly context: CommandContext) {
    super();
  }
}

export class RejectOrder extends Command<CommandAnswer> {
  constructor(readonly orderId: string, readonly reason: string, readonly caller: OrderCaller, readonly context: CommandContext) {
    super();
  }
}

export class FulfilOrder extends Command<CommandAnswer> {
  constructor(readonly orderId: string, readonly instructions: string, readonly caller: OrderCaller, readonly context: CommandContext) {
    super();
  }
}

/** The orderer who submitted the order takes it back while it waits. */
export class WithdrawOrder extends Command<CommandAnswer> {
  constructor(readonly orderId: string, readonly reason: string | null, readonly caller: OrderCaller, readonly context: CommandContext) {
    super();
  }
}

/** Support staff stop an order before it is fulfilled. */
export class CancelOrder extends Command<CommandAnswer> {
  constructor(readonly orderId: string, readonly reason: string, readonly caller: OrderCaller, readonly context: CommandContext) {
    super();
  }
}
