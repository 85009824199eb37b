import { Body, Controller, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ChangeEmail, ChooseLanguage, JoinAnotherOrganisation, Principal, VerifyEmail } from '@kundportal/identity';
import { NotificationQueries, Notifications } from '@kundportal/notifications';
import { LeaveOrganisation, OrganisationQueries } from '@kundportal/organisations';
import { ChangeEmailDto, JoinOrganisationDto, VerifyEmailDto } from '../dto/organisations.dto';
import { CurrentPrincipal } from '../http/auth';
import { PreferencesDto } from '../dto/me.dto';
import { CallerService } from '../http/caller.service';
import { CallerLanguage, languageOf } from '../http/language';
import { IdPipe } from '../http/id.pipe';
import { MeDto, NotificationsDto } from '../dto/answers.dto';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly callers: CallerService,
    private readonly organisations: OrganisationQueries,
    private readonly notifications: NotificationQueries,
    private readonly languages: CallerLanguage,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The caller, their organisations and roles there, and the language the service speaks to them in' })
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const { account } = await this.callers.resolve(principal);
    const [memberships, pending, chosen] = await Promise.all([
      account ? this.organisations.membershipsOf(account._id) : [],
      account ? this.organisations.pendingOf(account._id) : [],
      this.languages.chosen(principal, account?._id ?? null),
    ]);
    const orgs = new Map(
      (await this.organisations.organisations([...memberships, ...pending].map((m) => m.organisationId))).map((o) => [o._id, o]),
    );
    return {
      accountId: account?._id ?? null,
      name: account?.name ?? principal.name,
      email: account?.email ?? principal.email,
      emailVerified: account ? account.emailVerified === true : false,
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
      // Join requests waiting for an administrator: not memberships, so nothing of the organisation but its name.
      pendingOrganisations: pending.flatMap((m) => {
        const org = orgs.get(m.organisationId);
        return org ? [{ id: org._id, name: org.name }] : [];
      }),
    };
  }

  @Post('organisations')
  @ApiOperation({ summary: 'Ask to join another organisation: active when named in its application or invited, else a join request to its administrators' })
  async join(@Body() body: JoinOrganisationDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new JoinAnotherOrganisation(principal, body, this.callers.context(request, caller)));
  }

  @Post('email/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify your e-mail with the token from the email-verification e-mail' })
  async verifyEmail(@Body() body: VerifyEmailDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new VerifyEmail(principal, body.token, this.callers.context(request, caller)));
  }

  @Put('email')
  @ApiOperation({ summary: 'Change your e-mail (e-ID accounts); a verification link goes to the new address' })
  async changeEmail(@Body() body: ChangeEmailDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new ChangeEmail(principal, body.email, this.callers.context(request, caller)));
  }

  @Post('organisations/:orgId/leave')
  @HttpCode(200)
  @ApiOperation({ summary: 'Leave an organisation (not its last administrator)' })
  async leave(@Param('orgId', IdPipe) orgId: string, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    return this.commands.execute(new LeaveOrganisation(orgId, this.callers.ref(caller), this.callers.context(request, caller)));
  }

  @Get('notifications')
  @ApiOperation({ summary: 'What the caller has to handle now, with the badge counts; the titles in the caller’s language' })
  @ApiOkResponse({ type: NotificationsDto })
  async notificationsOf(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<Notifications> {
    const { account } = await this.callers.resolve(principal);
    const language = await this.languages.of(request, account?._id ?? null);
    return this.notifications.forCaller({ personalNumber: principal.personalNumber, accountId: account?._id ?? null, staff: principal.staff }, language);
  }

  @Put('preferences')
  @ApiOperation({ summary: 'Choose the language of error messages and of e-mails to the account (sv or en); kept as events' })
  async setPreferences(@Body() body: PreferencesDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const caller = await this.callers.resolve(principal);
    const holder = { accountId: caller.account?._id ?? null, subject: principal.subject };
    return this.commands.execute(new ChooseLanguage(holder, body.language, this.callers.context(request, caller)));
  }
}
