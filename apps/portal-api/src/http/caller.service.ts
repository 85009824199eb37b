import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ANONYMOUS, Clock, CLOCK, CommandContext, newId, Unauthenticated } from '@kundportal/kernel';
import { AccountDoc, AccountQueries, Principal } from '@kundportal/identity';
import { CallerRef } from '@kundportal/organisations';

export interface Caller {
  principal: Principal;
  account: AccountDoc | null;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Who is calling (with their account, if any), and the context their commands carry. */
@Injectable()
export class CallerService {
  constructor(private readonly accounts: AccountQueries, @Inject(CLOCK) private readonly clock: Clock) {}

  async resolve(principal: Principal | undefined): Promise<Caller> {
    if (!principal) throw new Unauthenticated();
    return { principal, account: await this.accounts.ofPrincipal(principal) };
  }

  ref(caller: Caller): CallerRef {
    return { accountId: caller.account?._id ?? null, personalNumber: caller.principal.personalNumber, staff: caller.principal.staff };
  }

  context(request: FastifyRequest, caller?: Caller): CommandContext {
    const key = request.headers[IDEMPOTENCY_HEADER];
    return {
      actor: caller
        ? {
            id: caller.account?._id ?? caller.principal.subject,
            name: caller.account?.name ?? caller.principal.name,
            method: caller.principal.method,
            staff: caller.principal.staff,
          }
        : ANONYMOUS,
      now: this.clock.now(),
      correlationId: String(request.id),
      commandId: newId(),
      ...(typeof key === 'string' && key ? { idempotencyKey: key } : {}),
    };
  }
}
