import { Body, Controller, Get, HttpCode, Post, Query, Req, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApproveRegistration, Principal, RegistrationQueries, RejectRegistration, SubmitRegistration } from '@kundportal/identity';
import { RejectDto } from '../dto/organisations.dto';
import { RegistrationDto, RegistrationListQuery } from '../dto/registrations.dto';
import { listAnswer, pageRequest } from '../dto/paging.dto';
import { CurrentPrincipal, Public, StaffOnly } from '../http/auth';
import { CallerService } from '../http/caller.service';
import { IdPipe } from '../http/id.pipe';

@ApiTags('accounts')
@Controller('registrations')
export class RegistrationsController {
  constructor(private readonly commands: CommandBus, private readonly callers: CallerService, private readonly registrations: RegistrationQueries) {}

  @Post()
  @Public()
  @ApiOperation({ summary: 'Register with e-mail and password for a registered organisation; pending until staff approve (public). An e-mail that already has an account or registration gets the same answer and nothing is recorded' })
  submit(@Body() body: RegistrationDto, @Req() request: FastifyRequest) {
    return this.commands.execute(new SubmitRegistration(body, this.callers.context(request)));
  }

  @Get()
  @StaffOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Registrations, oldest first (staff)' })
  async list(@Query() query: RegistrationListQuery) {
    const page = pageRequest(query);
    return listAnswer(await this.registrations.list({ status: query.status }, page), page, (r) => ({
      id: r._id,
      name: r.name,
      email: r.email,
      organisationNumber: r.organisationNumber,
      status: r.status,
      submittedAt: r.submittedAt,
    }));
  }

  @Post(':id/approve')
  @StaffOnly()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Approve: the account is created and e-mailed (template account-activated) (staff)' })
  async approve(@Param('id', IdPipe) id: string, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new ApproveRegistration(id, this.callers.context(request, caller)));
  }

  @Post(':id/reject')
  @StaffOnly()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Reject with a reason, e-mailed to the person (staff)' })
  async reject(@Param('id', IdPipe) id: string, @Body() body: RejectDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new RejectRegistration(id, body.reason, this.callers.context(request, caller)));
  }
}
