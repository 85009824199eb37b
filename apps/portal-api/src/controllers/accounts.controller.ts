import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CreateAccount, ImportLegacyAccount, JoinAnotherOrganisation, Principal, VerifyLegacyAccount } from '@kundportal/identity';
import { AcceptInvitationDto, CreateAccountDto } from '../dto/organisations.dto';
import { LegacyAccountDto, VerifyAccountDto } from '../dto/registrations.dto';
import { CurrentPrincipal, StaffOnly } from '../http/auth';
import { CallerService } from '../http/caller.service';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller()
export class AccountsController {
  constructor(private readonly commands: CommandBus, private readonly callers: CallerService) {}

  @Post('accounts')
  @ApiOperation({ summary: 'Create your account after signing in with BankID or Freja eID, linked to your organisation' })
  async create(@Body() body: CreateAccountDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new CreateAccount(principal, body, this.callers.context(request, caller)));
  }

  @Post('legacy-accounts')
  @StaffOnly()
  @ApiOperation({ summary: 'Import an account from the old portal with its roles; its owner gets a verification e-mail (staff)' })
  async importLegacy(@Body() body: LegacyAccountDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new ImportLegacyAccount(body, this.callers.context(request, caller)));
  }

  @Post('accounts/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify an imported account once, signed in with BankID or Freja eID: links your personnummer and keeps your roles' })
  async verify(@Body() body: VerifyAccountDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new VerifyLegacyAccount(principal, body.token, this.callers.context(request, caller)));
  }

  @Post('invitations/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invitation with an existing account: joins the inviting organisation active, with the invitation’s roles' })
  async acceptInvitation(@Body() body: AcceptInvitationDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new JoinAnotherOrganisation(principal, { invitationToken: body.token }, this.callers.context(request, caller)));
  }
}
