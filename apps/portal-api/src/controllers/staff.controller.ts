import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountDirectory } from '@kundportal/identity';
import { OrganisationDirectory } from '@kundportal/organisations';
import { StaffSearchQuery } from '../dto/staff.dto';
import { listAnswer, pageRequest } from '../dto/paging.dto';
import { StaffOnly } from '../http/auth';

/** Staff's finding: organisations and people (tickets are found through `GET /tickets`' filters). */
@ApiTags('staff')
@ApiBearerAuth()
@StaffOnly()
@Controller('staff')
export class StaffController {
  constructor(
    private readonly organisations: OrganisationDirectory,
    private readonly accounts: AccountDirectory,
  ) {}

  @Get('organisations')
  @ApiOperation({
    summary: 'Find organisations (staff): `q` is an organisationsnummer (with or without the dash) or words that all occur in the name (whole words, any case); by name',
  })
  async findOrganisations(@Query() query: StaffSearchQuery) {
    const page = pageRequest(query);
    return listAnswer(await this.organisations.search(query.q, page), page, (o) => ({
      id: o._id,
      name: o.name,
      organisationNumber: o.organisationNumber,
      agreementSigned: o.agreementSigned,
      registeredAt: o.registeredAt,
      mergedInto: o.mergedInto,
    }));
  }

  @Get('accounts')
  @ApiOperation({
    summary: 'Find people with an account (staff): `q` is a whole e-mail address, or words that all occur in the name or e-mail (whole words, any case); by name',
  })
  async findAccounts(@Query() query: StaffSearchQuery) {
    const page = pageRequest(query);
    return listAnswer(await this.accounts.search(query.q, page), page, (a) => ({
      accountId: a._id,
      name: a.name,
      email: a.email,
      organisationId: a.organisationId,
      method: a.method,
      verified: a.verified,
      createdAt: a.createdAt,
    }));
  }
}

