import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@kundportal/identity';
import { NotificationQueries, Notifications } from '@kundportal/notifications';
import { OrganisationQueries } from '@kundportal/organisations';
import { CurrentPrincipal } from '../http/auth';
import { CallerService } from '../http/caller.service';
import { MeDto, NotificationsDto } from '../dto/answers.dto';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly callers: CallerService,
    private readonly organisations: OrganisationQueries,
    private readonly notifications: NotificationQueries,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The caller, their organisations and roles there' })
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentPrincipal() principal: Principal) {
    const { account } = await this.callers.resolve(principal);
    const memberships = account ? await this.organisations.membershipsOf(account._id) : [];
    const orgs = new Map((await this.organisations.organisations(memberships.map((m) => m.organisationId))).map((o) => [o._id, o]));
    return {
      accountId: account?._id ?? null,
      name: account?.name ?? principal.name,
      email: account?.email ?? principal.email,
      personalNumber: principal.personalNumber,
      method: principal.method,
      staff: principal.staff,
      auditor: principal.auditor,
      organisations: memberships.flatMap((m) => {
        const org = orgs.get(m.organisationId);
        // A merged duplicate is reached through the record that took it in.
        if (!org || org.mergedInto) return [];
        const agreementSigned = org.agreement.status === 'signed';
        return [
          {
            id: org._id,
            name: org.name,
            organisationNumber: org.organisationNumber,
            roles: m.roles,
            agreementSigned,
            canOrder: agreementSigned && m.roles.includes('orderer'),
          },
        ];
      }),
    };
  }

  @Get('notifications')
  @ApiOperation({ summary: 'What the caller has to handle now, with the badge counts' })
  @ApiOkResponse({ type: NotificationsDto })
  async notificationsOf(@CurrentPrincipal() principal: Principal): Promise<Notifications> {
    const { account } = await this.callers.resolve(principal);
    return this.notifications.forCaller({ personalNumber: principal.personalNumber, accountId: account?._id ?? null });
  }
}
