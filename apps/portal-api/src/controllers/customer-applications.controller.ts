import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Principal } from '@kundportal/identity';
import {
  ApproveCustomerApplication,
  OrganisationQueries,
  RejectCustomerApplication,
  SubmitCustomerApplication,
} from '@kundportal/organisations';
import { ApplicationListQuery, CustomerApplicationDto, RejectDto } from '../dto/organisations.dto';
import { listAnswer, pageRequest } from '../dto/paging.dto';
import { CurrentPrincipal, Public, StaffOnly } from '../http/auth';
import { CallerService } from '../http/caller.service';
import { IdPipe } from '../http/id.pipe';

@ApiTags('organisations')
@Controller('customer-applications')
export class CustomerApplicationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly callers: CallerService,
    private readonly organisations: OrganisationQueries,
  ) {}

  @Post()
  @Public()
  @ApiOperation({ summary: 'Apply to become a customer (public)' })
  submit(@Body() body: CustomerApplicationDto, @Req() request: FastifyRequest) {
    return this.commands.execute(new SubmitCustomerApplication(body, this.callers.context(request)));
  }

  @Get()
  @StaffOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Customer applications, oldest first (staff)' })
  async list(@Query() query: ApplicationListQuery) {
    const page = pageRequest(query);
    return listAnswer(await this.organisations.applications({ status: query.status }, page), page, (a) => ({
      id: a._id,
      organisationNumber: a.organisationNumber,
      organisationName: a.organisationName,
      status: a.status,
      submittedAt: a.submittedAt,
      organisationId: a.organisationId,
    }));
  }

  @Post(':id/approve')
  @StaffOnly()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Approve an application: registers the organisation and e-mails its three contacts (staff)' })
  async approve(@Param('id', IdPipe) id: string, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new ApproveCustomerApplication(id, this.callers.context(request, caller)));
  }

  @Post(':id/reject')
  @StaffOnly()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Reject an application with a reason (staff)' })
  async reject(
    @Param('id', IdPipe) id: string,
    @Body() body: RejectDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new RejectCustomerApplication(id, body.reason, this.callers.context(request, caller)));
  }
}
