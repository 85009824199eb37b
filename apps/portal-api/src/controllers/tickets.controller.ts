import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden, NotFound, pageOf, skipOf } from '@kundportal/kernel';
import { Principal } from '@kundportal/identity';
import { OrganisationQueries } from '@kundportal/organisations';
import {
  AddTicketCollaborator,
  ChangeTicketPriority,
  ChangeTicketStatus,
  CloseTicket,
  CreatePublicTicket,
  CreateTicket,
  MarkTicketRead,
  PostTicketMessage,
  StaffTicketListItem,
  TicketListItem,
  TicketCaller,
  TicketDoc,
  TicketQueries,
  TicketTimeline,
} from '@kundportal/ticketing';
import {
  CollaboratorDto,
  CreateTicketDto,
  PublicTicketDto,
  STAFF_TICKET_FILTERS,
  TicketListQuery,
  TicketMessageDto,
  TicketPriorityDto,
  TicketStatusDto,
} from '../dto/tickets.dto';
import { listAnswer, PageQuery, pageRequest } from '../dto/paging.dto';
import { CurrentPrincipal, Public, StaffOnly } from '../http/auth';
import { Caller, CallerService } from '../http/caller.service';
import { IdPipe } from '../http/id.pipe';
import { TicketsDto, TicketDto } from '../dto/answers.dto';

/** Who may read tickets, and how: shared by the ticket and attachment routes. */
export async function ticketCaller(callers: CallerService, organisations: OrganisationQueries, principal: Principal): Promise<{ caller: Caller; ticketCaller: TicketCaller }> {
  const caller = await callers.resolve(principal);
  const memberships = caller.account ? await organisations.membershipsOf(caller.account._id) : [];
  return {
    caller,
    ticketCaller: {
      accountId: caller.account?._id ?? null,
      name: caller.account?.name ?? principal.name,
      staff: principal.staff,
      administratorOf: memberships.filter((m) => m.roles.includes('administrator')).map((m) => m.organisationId),
    },
  };
}

/** The ticket if the caller may see it (staff, requester, collaborators, its organisation's administrators); else 404. */
export async function visibleTicket(tickets: TicketQueries, id: string, reader: TicketCaller): Promise<TicketDoc> {
  const ticket = await tickets.byId(id);
  const sees =
    ticket !== null &&
    (reader.staff ||
      (reader.accountId !== null && ticket.participants.includes(reader.accountId)) ||
      (ticket.organisationId !== null && reader.administratorOf.includes(ticket.organisationId)));
  if (!ticket || !sees) throw new NotFound('ticket');
  return ticket;
}

/** A ticket as a customer's list shows it. */
export function ticketItem(t: TicketListItem, reader: { accountId: string | null }) {
  return {
    id: t._id,
    number: t.number,
    subject: t.subject,
    type: t.type,
    status: t.status,
    createdAt: t.createdAt,
    lastActivityAt: t.lastActivityAt,
    unread: reader.accountId !== null && t.unreadBy.includes(reader.accountId),
    fromOpenForm: t.channel === 'public-form',
    // Seen as an administrator of the ticket's organisation, not as someone on it.
    viaOrganisation: !(reader.accountId !== null && t.participants.includes(reader.accountId)),
  };
}

/** A ticket as staff lists show it: what customers see, plus priority, whether it waits for an answer, and whose it is. */
export function staffTicketItem(t: StaffTicketListItem, reader: { accountId: string | null }) {
  return {
    ...ticketItem(t, reader),
    lastActivityAt: t.staffLastActivityAt,
    priority: t.priority,
    needsReply: t.needsReply,
    organisationId: t.organisationId,
    requester: { accountId: t.requester.accountId, name: t.requester.name },
    channel: t.channel,
    viaOrganisation: false,
  };
}

@ApiTags('tickets')
@Controller()
export class TicketsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly callers: CallerService,
    private readonly organisations: OrganisationQueries,
    private readonly tickets: TicketQueries,
    private readonly timelines: TicketTimeline,
  ) {}

  private who(principal: Principal) {
    return ticketCaller(this.callers, this.organisations, principal);
  }

  @Post('tickets')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a ticket (account holders; staff may create one on behalf of an account)' })
  async create(@Body() body: CreateTicketDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const { caller, ticketCaller } = await this.who(principal);
    const input = {
      ...body,
      organisationId: body.organisationId?.toLowerCase(),
      onBehalfOfAccountId: body.onBehalfOfAccountId?.toLowerCase(),
      collaboratorAccountIds: body.collaboratorAccountIds?.map((id) => id.toLowerCase()),
    };
    return this.commands.execute(new CreateTicket(input, ticketCaller, this.callers.context(request, caller)));
  }

  @Post('public/tickets')
  @Public()
  @ApiOperation({ summary: 'The open form: a ticket without an account, answered by e-mail only (public)' })
  createPublic(@Body() body: PublicTicketDto, @Req() request: FastifyRequest) {
    return this.commands.execute(new CreatePublicTicket(body, this.callers.context(request)));
  }

  @Get('tickets')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'The caller’s tickets (own, collaborating, and as administrator their organisations’), newest activity first; staff see all, with `needsReply`, and may filter and sort (see the query parameters)',
  })
  @ApiOkResponse({ type: TicketsDto })
  async list(@Query() query: TicketListQuery, @CurrentPrincipal() principal: Principal) {
    const { ticketCaller: reader } = await this.who(principal);
    const page = pageRequest(query);
    const paging = { skip: skipOf(page), limit: page.pageSize };
    if (reader.staff) {
      const filter = {
        status: query.status,
        needsReply: query.needsReply === undefined ? undefined : query.needsReply === 'true',
        priority: query.priority,
        type: query.type,
        organisationId: query.organisationId?.toLowerCase(),
        q: query.q,
      };
      return listAnswer(await this.tickets.staffList(filter, { order: query.sort ?? 'activity', ...paging }), page, (t) => staffTicketItem(t, reader));
    }
    const staffOnly = STAFF_TICKET_FILTERS.filter((name) => query[name] !== undefined);
    if (staffOnly.length > 0) throw new Forbidden('staffTicketFilters').withParams({ filters: staffOnly.join(', ') });
    return listAnswer(await this.tickets.list(reader, { status: query.status, ...paging }), page, (t) => ticketItem(t, reader));
  }

  @Get('tickets/:id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A ticket with its messages; marks it read for the caller. Customers never see priority or internal notes' })
  @ApiOkResponse({ type: TicketDto })
  async get(@Param('id', IdPipe) id: string, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { caller, ticketCaller: reader } = await this.who(principal);
    const ticket = await visibleTicket(this.tickets, id, reader);
    const messages = await this.tickets.messages(id, reader.staff);
    if (reader.accountId && ticket.unreadBy.includes(reader.accountId) && ticket.lastStaffReplyAt) {
      const read = await this.commands.execute(new MarkTicketRead(id, reader.accountId, ticket.lastStaffReplyAt, this.callers.context(request, caller)));
      // Send this as X-Min-Position to see the ticket as read in lists and badges.
      void reply.header('x-position', read.position);
    }
    const attachments = ticket.attachments.map((a) => ({ id: a.id, name: a.name, size: a.size, contentType: a.contentType, at: a.at }));
    const byId = new Map(attachments.map((a) => [a.id, a]));
    return {
      id: ticket._id,
      number: ticket.number,
      type: ticket.type,
      subject: ticket.subject,
      description: ticket.description,
      status: ticket.status,
      requester: { accountId: ticket.requester.accountId, name: ticket.requester.name },
      fromOpenForm: ticket.channel === 'public-form',
      collaborators: ticket.collaborators.map((c) => ({ accountId: c.accountId, name: c.name })),
      messages: messages.map((m) => ({
        id: m._id,
        author: { name: m.author.name, staff: m.author.staff },
        body: m.body,
        at: m.at,
        attachments: m.attachmentIds.flatMap((a) => (byId.has(a) ? [byId.get(a)] : [])),
        ...(reader.staff ? { internal: m.internal } : {}),
      })),
      attachments,
      createdAt: ticket.createdAt,
      lastActivityAt: reader.staff ? ticket.staffLastActivityAt : ticket.lastActivityAt,
      ...(reader.staff
        ? {
            priority: ticket.priority,
            needsReply: ticket.needsReply,
            channel: ticket.channel,
            organisationId: ticket.organisationId,
            serviceId: ticket.serviceId,
            requesterEmail: ticket.requester.email,
          }
        : {}),
    };
  }

  @Post('tickets/:id/messages')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Post a message (requester, collaborators, staff); staff may post internal notes' })
  async message(@Param('id', IdPipe) id: string, @Body() body: TicketMessageDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const { caller, ticketCaller } = await this.who(principal);
    const input = { body: body.body, internal: body.internal === true, attachmentIds: (body.attachmentIds ?? []).map((a) => a.toLowerCase()) };
    return this.commands.execute(new PostTicketMessage(id, input, ticketCaller, this.callers.context(request, caller)));
  }

  @Post('tickets/:id/collaborators')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Add a colleague with an account as collaborator (requester, staff)' })
  async collaborator(@Param('id', IdPipe) id: string, @Body() body: CollaboratorDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const { caller, ticketCaller } = await this.who(principal);
    return this.commands.execute(new AddTicketCollaborator(id, body.accountId.toLowerCase(), ticketCaller, this.callers.context(request, caller)));
  }

  @Post('tickets/:id/close')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Close the ticket (requester, collaborators, staff); a closed ticket takes no messages' })
  async close(@Param('id', IdPipe) id: string, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const { caller, ticketCaller } = await this.who(principal);
    return this.commands.execute(new CloseTicket(id, ticketCaller, this.callers.context(request, caller)));
  }

  @Put('tickets/:id/status')
  @StaffOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Set the status (staff)' })
  async status(@Param('id', IdPipe) id: string, @Body() body: TicketStatusDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const { caller, ticketCaller } = await this.who(principal);
    return this.commands.execute(new ChangeTicketStatus(id, body.status, ticketCaller, this.callers.context(request, caller)));
  }

  @Put('tickets/:id/priority')
  @StaffOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Set the priority (staff; customers never see it)' })
  async priority(@Param('id', IdPipe) id: string, @Body() body: TicketPriorityDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const { caller, ticketCaller } = await this.who(principal);
    return this.commands.execute(new ChangeTicketPriority(id, body.priority, ticketCaller, this.callers.context(request, caller)));
  }

  @Get('tickets/:id/timeline')
  @StaffOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Every event of the ticket, internal ones included (staff)' })
  async timeline(@Param('id', IdPipe) id: string, @Query() query: PageQuery) {
    const page = pageRequest(query);
    return listAnswer(pageOf(await this.timelines.timeline(id), page), page, (entry) => entry);
  }
}
