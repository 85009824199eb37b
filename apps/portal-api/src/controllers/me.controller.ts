import { Body, Controller, Get, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChooseLanguage, Principal } from '@kundportal/identity';
import { NotificationQueries, Notifications } from '@kundportal/notifications';
import { OrganisationQueries } from '@kundportal/organisations';
import { CurrentPrincipal } from '../http/auth';
import { PreferencesDto } from '../dto/me.dto';
import { CallerService } from '../http/caller.service';
import { CallerLanguage, languageOf } from '../http/language';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly callers: CallerService,
    private readonly organisations: OrganisationQueries,
    private readonly notifications: NotificationQueries,
    private readonly commands: CommandBus,
    private readonly languages: CallerLanguage,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The caller, their organisations and roles there, and the language the service speaks to them in' })
  async me(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const { account } = await this.callers.resolve(principal);
    const [memberships, chosen] = await Promise.all([
      account ? this.organisations.membershipsOf(account._id) : [],
      this.languages.chosen(principal, account?._id ?? null),
    ]);
    const orgs = new Map((await this.organisations.organisations(memberships.map((m) => m.organisationId))).map((o) => [o._id, o]));
    return {
      accountId: account?._id ?? null,
      name: account?.name ?? principal.name,
      email: account?.email ?? principal.email,
      personalNumber: principal.personalNumber,
      method: principal.method,
      staff: principal.staff,
      auditor: principal.auditor,
      // The language chosen, else the one this request's Accept-Language prefers.
      language: chosen ?? languageOf(request),
      languageChosen: chosen !== null,
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
  async notificationsOf(@CurrentPrincipal() principal: Principal): Promise<Notifications> {
    const { account } = await this.callers.resolve(principal);
    return this.notifications.forCaller({ personalNumber: principal.personalNumber, accountId: account?._id ?? null });
  }

  @Put('preferences')
  @ApiOperation({ summary: 'Choose the language of error messages and of e-mails to the account (sv or en); kept as events' })
  async setPreferences(@Body() body: PreferencesDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    const holder = { accountId: caller.account?._id ?? null, subject: principal.subject };
    return this.commands.execute(new ChooseLanguage(holder, body.language, this.callers.context(request, caller)));
  }
}
