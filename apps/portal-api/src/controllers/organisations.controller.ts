import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Forbidden, NotFound, PERSONAL_NUMBER_DIGEST, PersonalNumberDigest } from '@kundportal/kernel';
import { Principal } from '@kundportal/identity';
import {
  ApproveJoinRequest,
  DeclineJoinRequest,
  InviteMember,
  LinkAgent,
  MemberDoc,
  MergeOrganisations,
  OrganisationDoc,
  OrganisationQueries,
  RemoveMember,
  SetMemberRoles,
  SetUserLimit,
  SignAgreement,
} from '@kundportal/organisations';
import { ApproveJoinRequestDto, DeclineJoinRequestDto, InvitationDto, LinkAgentDto, MergeDto, SetRolesDto } from '../dto/organisations.dto';
import { UserLimitDto } from '../dto/registrations.dto';
import { listAnswer, PageQuery, pageRequest } from '../dto/paging.dto';
import { CurrentPrincipal, StaffOnly } from '../http/auth';
import { Caller, CallerService } from '../http/caller.service';
import { IdPipe } from '../http/id.pipe';
import { OrganisationDto, MembersDto } from '../dto/answers.dto';

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly callers: CallerService,
    private readonly organisations: OrganisationQueries,
    @Inject(PERSONAL_NUMBER_DIGEST) private readonly digest: PersonalNumberDigest,
  ) {}

  /**
   * Staff, active members, and the two people the application named (who must see what they sign).
   * A pending, declined or former member is not a member: to them the organisation does not exist.
   */
  private async visible(orgId: string, caller: Caller, namedToo: boolean): Promise<{ org: OrganisationDoc; membership: MemberDoc | null }> {
    const org = await this.organisations.organisation(orgId);
    if (!org) throw new NotFound('organisation');
    if (caller.principal.staff) return { org, membership: null };
    const membership = caller.account ? (await this.organisations.membershipsOf(caller.account._id)).find((m) => m.organisationId === orgId) : undefined;
    if (membership) return { org, membership };
    if (namedToo && caller.principal.personalNumber) {
      const digest = this.digest.of(caller.principal.personalNumber);
      if (digest === org.signatoryDigest || digest === org.administratorDigest) return { org, membership: null };
    }
    throw new NotFound('organisation');
  }

  /** Least privilege: a member with no role sees the organisation's name, not its people. */
  private async requireRole(orgId: string, caller: Caller, role?: 'administrator'): Promise<void> {
    const { membership } = await this.visible(orgId, caller, false);
    if (caller.principal.staff) return;
    const roles = membership?.roles ?? [];
    if (role ? !roles.includes(role) : roles.length === 0) {
      throw new Forbidden(role ? 'administratorsOnly' : 'roleToSeeMembers');
    }
  }

  @Get(':orgId')
  @ApiOperation({ summary: 'An organisation and the state of its customer agreement' })
  @ApiOkResponse({ type: OrganisationDto })
  async get(@Param('orgId', IdPipe) orgId: string, @CurrentPrincipal() principal: Principal) {
    const { org } = await this.visible(orgId, await this.callers.resolve(principal), true);
    return {
      id: org._id,
      name: org.name,
      organisationNumber: org.organisationNumber,
      agreement: org.agreement,
      agentOrganisationIds: org.agentOrganisationIds,
      userLimit: org.userLimit ?? null,
      mergedInto: org.mergedInto ?? null,
    };
  }

  @Post(':orgId/agreement/sign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign the customer agreement (the signatory, signed in with e-ID)' })
  async sign(
    @Param('orgId', IdPipe) orgId: string,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new SignAgreement(orgId, this.callers.ref(caller), this.callers.context(request, caller)));
  }

  @Get(':orgId/members')
  @ApiOperation({ summary: 'Members of an organisation with their roles (its members who hold a role, staff)' })
  @ApiOkResponse({ type: MembersDto })
  async members(@Param('orgId', IdPipe) orgId: string, @Query() query: PageQuery, @CurrentPrincipal() principal: Principal) {
    await this.requireRole(orgId, await this.callers.resolve(principal));
    const page = pageRequest(query);
    return listAnswer(await this.organisations.memberPage(orgId, page), page, (m) => ({ accountId: m.accountId, name: m.name, email: m.email, roles: m.roles }));
  }

  @Delete(':orgId/members/:accountId')
  @ApiOperation({ summary: 'Remove a member (the organisation’s administrators, staff); they lose access at once' })
  async remove(
    @Param('orgId', IdPipe) orgId: string,
    @Param('accountId', IdPipe) accountId: string,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new RemoveMember(orgId, accountId, this.callers.ref(caller), this.callers.context(request, caller)));
  }

  @Get(':orgId/join-requests')
  @ApiOperation({ summary: 'People asking to join, oldest first (the organisation’s administrators, staff)' })
  async joinRequests(@Param('orgId', IdPipe) orgId: string, @Query() query: PageQuery, @CurrentPrincipal() principal: Principal) {
    await this.requireRole(orgId, await this.callers.resolve(principal), 'administrator');
    const page = pageRequest(query);
    return listAnswer(await this.organisations.joinRequests(orgId, page), page, (m) => ({ accountId: m.accountId, name: m.name, email: m.email, requestedAt: m.requestedAt }));
  }

  @Post(':orgId/join-requests/:accountId/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a join request, optionally with roles (the organisation’s administrators, staff); the person gets an e-mail' })
  async approveJoinRequest(
    @Param('orgId', IdPipe) orgId: string,
    @Param('accountId', IdPipe) accountId: string,
    @Body() body: ApproveJoinRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new ApproveJoinRequest(orgId, accountId, body.roles ?? [], this.callers.ref(caller), this.callers.context(request, caller)));
  }

  @Post(':orgId/join-requests/:accountId/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline a join request, optionally with a reason (the organisation’s administrators, staff)' })
  async declineJoinRequest(
    @Param('orgId', IdPipe) orgId: string,
    @Param('accountId', IdPipe) accountId: string,
    @Body() body: DeclineJoinRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new DeclineJoinRequest(orgId, accountId, body.reason || null, this.callers.ref(caller), this.callers.context(request, caller)));
  }

  @Post(':orgId/invitations')
  @ApiOperation({ summary: 'Invite a person by name and e-mail, with roles (the organisation’s administrators); the e-mail links to the portal’s invitation page' })
  async invite(@Param('orgId', IdPipe) orgId: string, @Body() body: InvitationDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(
      new InviteMember(orgId, { name: body.name, email: body.email, roles: body.roles ?? [] }, this.callers.ref(caller), this.callers.context(request, caller)),
    );
  }

  @Put(':orgId/members/:accountId/roles')
  @ApiOperation({ summary: 'Set a member’s roles (the organisation’s administrators, staff)' })
  async setRoles(
    @Param('orgId', IdPipe) orgId: string,
    @Param('accountId', IdPipe) accountId: string,
    @Body() body: SetRolesDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(
      new SetMemberRoles(orgId, accountId, body.roles, this.callers.ref(caller), this.callers.context(request, caller)),
    );
  }

  @Post(':orgId/agents')
  @StaffOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Link an agent organisation that may order on this organisation’s behalf (staff)' })
  async linkAgent(
    @Param('orgId', IdPipe) orgId: string,
    @Body() body: LinkAgentDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(
      new LinkAgent(orgId, body.agentOrganisationId.toLowerCase(), this.callers.ref(caller), this.callers.context(request, caller)),
    );
  }

  @Put(':orgId/user-limit')
  @ApiOperation({ summary: 'Set the most accounts the organisation allows, or null for no limit (staff, its administrators)' })
  async userLimit(
    @Param('orgId', IdPipe) orgId: string,
    @Body() body: UserLimitDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new SetUserLimit(orgId, body.limit, this.callers.ref(caller), this.callers.context(request, caller)));
  }

  @Post(':orgId/merge')
  @StaffOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Merge a duplicate record of this organisation into it: members, roles, orders and tickets follow; both histories stay (staff)' })
  async merge(@Param('orgId', IdPipe) orgId: string, @Body() body: MergeDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(
      new MergeOrganisations(orgId, body.duplicateOrganisationId.toLowerCase(), this.callers.ref(caller), this.callers.context(request, caller)),
    );
  }
}
