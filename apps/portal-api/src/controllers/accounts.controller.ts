import { Body, Controller, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CreateAccount, Principal } from '@kundportal/identity';
import { CreateAccountDto } from '../dto/organisations.dto';
import { CurrentPrincipal } from '../http/auth';
import { CallerService } from '../http/caller.service';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('accounts')
export class AccountsController {
  constructor(private readonly commands: CommandBus, private readonly callers: CallerService) {}

  @Post()
  @ApiOperation({ summary: 'Create your account after signing in with BankID or Freja eID, linked to your organisation' })
  async create(@Body() body: CreateAccountDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new CreateAccount(principal, body, this.callers.context(request, caller)));
  }
}
