import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { NotFound, PERSONAL_NUMBER_DIGEST, PersonalNumberDigest } from '@kundportal/kernel';
import { Principal } from '@kundportal/identity';
import { LinkAgent, MergeOrganisations, OrganisationDoc, OrganisationQueries, SetMemberRoles, SetUserLimit, SignAgreement } from '@kundportal/organisations';
import { LinkAgentDto, MergeDto, SetRolesDto } from '../dto/organisations.dto';
import { UserLimitDto } from '../dto/registrations.dto';
import { listAnswer, PageQuery, pageRequest } from '../dto/paging.dto';
import { CurrentPrincipal, StaffOnly } from '../http/auth';
import { Caller, CallerService } from '../http/caller.service';
import { IdPipe } from '../http/id.pipe';

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

  /** Staff, members, and the two people the application named (who must see what they sign). */
  private async visible(orgId: string, caller: Caller, namedToo: boolean): Promise<OrganisationDoc> {
    const org = await this.organisations.organisation(orgId);
    if (!org) throw new NotFound('organisation');
    if (caller.principal.staff) return org;
    if (caller.account && (await this.organisations.membershipsOf(caller.account._id)).some((m) => m.organisationId === orgId)) {
      return org;
    }
    if (namedToo && caller.principal.personalNumber) {
      const digest = this.digest.of(caller.principal.personalNumber);
      if (digest === org.signatoryDigest || digest === org.administratorDigest) return org;
    }
    throw new NotFound('organisation');
  }

  @Get(':orgId')
  @ApiOperation({ summary: 'An organisation and the state of its customer agreement' })
  async get(@Param('orgId', IdPipe) orgId: string, @CurrentPrincipal() principal: Principal) {
    const org = await this.visible(orgId, await this.callers.resolve(principal), true);
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
  @ApiOperation({ summary: 'Members of an organisation with their roles' })
  async members(@Param('orgId', IdPipe) orgId: string, @Query() query: PageQuery, @CurrentPrincipal() principal: Principal) {
    await this.visible(orgId, await this.callers.resolve(principal), false);
    const page = pageRequest(query);
    return listAnswer(await this.organisations.memberPage(orgId, page), page, (m) => ({ accountId: m.accountId, name: m.name, email: m.email, roles: m.roles }));
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
