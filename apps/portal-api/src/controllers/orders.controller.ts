import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Forbidden, NotFound } from '@kundportal/kernel';
import { Principal } from '@kundportal/identity';
import { ApproveOrder, AttestOrder, CancelOrder, FulfilOrder, OrderCaller, OrderDoc, OrderQueries, RejectOrder, SubmitOrder, WithdrawOrder } from '@kundportal/ordering';
import { OrganisationQueries } from '@kundportal/organisations';
import { AttestOrderDto, CancelOrderDto, FulfilOrderDto, OrderListQuery, RejectOrderDto, SubmitOrderDto, WithdrawOrderDto } from '../dto/orders.dto';
import { listAnswer, PageQuery, pageRequest } from '../dto/paging.dto';
import { CurrentPrincipal, StaffOnly } from '../http/auth';
import { Caller, CallerService } from '../http/caller.service';
import { IdPipe } from '../http/id.pipe';
import { OrdersDto, OrderDto, ApprovalsDto } from '../dto/answers.dto';

const summary = (o: OrderDoc) => ({
  id: o._id,
  organisationId: o.organisationId,
  organisationName: o.organisationName,
  offeringId: o.offeringId,
  offeringName: o.offeringName,
  status: o.status,
  viaAgentOrganisationId: o.viaAgentOrganisationId,
  submittedAt: o.submittedAt,
  lastChangedAt: o.lastChangedAt,
});

/** The chain's steps, in the contract's shape: `method` is how the step was attested, `signInMethod` how its actor signed in. */
const CHAIN_STEPS = new Set(['agent-approval', 'agent-attestation', 'attestation']);

/** Fulfilment, withdrawal and cancellation end the order outside the chain: shown beside the steps. */
function endingOf(order: OrderDoc, step: 'fulfilment' | 'withdrawal' | 'cancellation') {
  const found = order.steps.find((s) => s.step === step);
  if (!found) return null;
  return { by: found.by, at: found.at, signInMethod: found.signInMethod ?? null, ...(step === 'fulfilment' ? {} : { reason: found.reason ?? null }) };
}

@ApiTags('orders')
@ApiBearerAuth()
@Controller()
export class OrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly callers: CallerService,
    private readonly orders: OrderQueries,
    private readonly organisations: OrganisationQueries,
  ) {}

  private orderCaller(caller: Caller): OrderCaller {
    return {
      accountId: caller.account?._id ?? null,
      name: caller.account?.name ?? caller.principal.name,
      staff: caller.principal.staff,
      auditor: caller.principal.auditor,
    };
  }

  /**
   * Organisations whose orders the caller sees; null means every order (staff, auditors). Least
   * privilege: only members holding a role there; a member with no role sees no orders.
   */
  private async reach(caller: Caller): Promise<string[] | null> {
    if (caller.principal.staff || caller.principal.auditor) return null;
    if (!caller.account) return [];
    return (await this.organisations.membershipsOf(caller.account._id)).filter((m) => m.roles.length > 0).map((m) => m.organisationId);
  }

  private async visibleOrder(id: string, caller: Caller): Promise<OrderDoc> {
    const order = await this.orders.byId(id);
    const reach = await this.reach(caller);
    if (!order || (reach !== null && !order.visibleTo.some((o) => reach.includes(o)))) throw new NotFound('order');
    return order;
  }

  @Post('orders')
  @ApiOperation({ summary: 'Order an offering for an organisation (its orderers), directly or via one of its agents' })
  async submit(@Body() body: SubmitOrderDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    const input = {
      organisationId: body.organisationId.toLowerCase(),
      offeringId: body.offeringId,
      details: body.details,
      ...(body.viaAgentOrganisationId ? { viaAgentOrganisationId: body.viaAgentOrganisationId.toLowerCase() } : {}),
    };
    return this.commands.execute(new SubmitOrder(input, this.orderCaller(caller), this.callers.context(request, caller)));
  }

  @Get('orders')
  @ApiOperation({ summary: 'Orders of the caller’s organisations (as customer or agent), newest change first; staff and auditors see all' })
  @ApiOkResponse({ type: OrdersDto })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: OrderListQuery) {
    const caller = await this.callers.resolve(principal);
    const reach = await this.reach(caller);
    let scope = reach;
    if (query.organisationId !== undefined) {
      const id = new IdPipe().transform(query.organisationId);
      if (reach !== null && !reach.includes(id)) {
        // A member with no role knows the organisation exists, but may not see its orders.
        const member = caller.account && (await this.organisations.membershipsOf(caller.account._id)).some((m) => m.organisationId === id);
        if (member) throw new Forbidden('roleToSeeOrders');
        throw new NotFound('organisation');
      }
      scope = [id];
    }
    const page = pageRequest(query);
    return listAnswer(await this.orders.list(scope, { status: query.status }, page), page, summary);
  }

  @Get('orders/:id')
  @ApiOperation({ summary: 'An order with each step: who acted, when and how' })
  @ApiOkResponse({ type: OrderDto })
  async get(@Param('id', IdPipe) id: string, @CurrentPrincipal() principal: Principal) {
    const order = await this.visibleOrder(id, await this.callers.resolve(principal));
    return {
      ...summary(order),
      details: order.details,
      startupFee: order.startupFee ?? null,
      viaAgentOrganisationName: order.viaAgentOrganisationName,
      submittedBy: order.submittedBy,
      steps: order.steps
        .filter((s) => CHAIN_STEPS.has(s.step))
        .map((s) => ({
          step: s.step,
          organisationId: s.organisationId,
          by: s.by,
          at: s.at,
          method: s.method,
          attestationMethod: s.method,
          signInMethod: s.signInMethod ?? null,
          outcome: s.outcome,
          ...(s.reason ? { reason: s.reason } : {}),
        })),
      fulfilment: endingOf(order, 'fulfilment'),
      withdrawal: endingOf(order, 'withdrawal'),
      cancellation: endingOf(order, 'cancellation'),
      instructions: order.instructions,
    };
  }

  @Post('orders/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve as the agent organisation’s orderer' })
  async approve(@Param('id', IdPipe) id: string, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new ApproveOrder(id, this.orderCaller(caller), this.callers.context(request, caller)));
  }

  @Post('orders/:id/attest')
  @HttpCode(200)
  @ApiOperation({ summary: 'Attest as the attestant whose turn it is, with BankID or a one-time SMS code' })
  async attest(@Param('id', IdPipe) id: string, @Body() body: AttestOrderDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new AttestOrder(id, body.method, this.orderCaller(caller), this.callers.context(request, caller)));
  }

  @Post('orders/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject with a reason (whoever may approve or attest now)' })
  async reject(@Param('id', IdPipe) id: string, @Body() body: RejectOrderDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new RejectOrder(id, body.reason, this.orderCaller(caller), this.callers.context(request, caller)));
  }

  @Post('orders/:id/fulfil')
  @StaffOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Fulfil an attested order with instructions, e-mailed to the orderer (staff)' })
  async fulfil(@Param('id', IdPipe) id: string, @Body() body: FulfilOrderDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new FulfilOrder(id, body.instructions, this.orderCaller(caller), this.callers.context(request, caller)));
  }

  @Post('orders/:id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a waiting order (the orderer who submitted it), with an optional reason' })
  async withdraw(@Param('id', IdPipe) id: string, @Body() body: WithdrawOrderDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new WithdrawOrder(id, body.reason || null, this.orderCaller(caller), this.callers.context(request, caller)));
  }

  @Post('orders/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an order not yet fulfilled, with a reason (staff)' })
  async cancel(@Param('id', IdPipe) id: string, @Body() body: CancelOrderDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new CancelOrder(id, body.reason, this.orderCaller(caller), this.callers.context(request, caller)));
  }

  @Get('approvals')
  @ApiOperation({ summary: 'Orders waiting for an action the caller may take, always naming the customer organisation' })
  @ApiOkResponse({ type: ApprovalsDto })
  async approvals(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery) {
    const caller = await this.callers.resolve(principal);
    const memberships = caller.account ? await this.organisations.membershipsOf(caller.account._id) : [];
    const page = pageRequest(query);
    return listAnswer(await this.orders.approvalPage(memberships, page), page, (a) => ({
      orderId: a._id,
      step: a.step,
      customerOrganisationId: a.customerOrganisationId,
      customerOrganisationName: a.customerOrganisationName,
      offeringName: a.offeringName,
      submittedAt: a.submittedAt,
      submittedBy: a.submittedBy,
    }));
  }
}
