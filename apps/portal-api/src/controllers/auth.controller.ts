import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, NotFound, PERSONAL_NUMBER_DIGEST, PersonalNumberDigest } from '@kundportal/kernel';
import { PasswordSignIn, RequestPasswordReset, ResetPassword, TokenService } from '@kundportal/identity';
import { PasswordResetDto, PasswordResetRequestDto, PasswordSignInDto } from '../dto/registrations.dto';
import { CallerService } from '../http/caller.service';
import { DevSignInDto, TokenDto } from '../dto/auth.dto';
import { Public } from '../http/auth';
import { NoIdempotencyKey } from '../http/idempotency';

@ApiTags('sign-in')
@NoIdempotencyKey()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly tokens: TokenService,
    private readonly passwords: PasswordSignIn,
    private readonly commands: CommandBus,
    private readonly callers: CallerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PERSONAL_NUMBER_DIGEST) private readonly digest: PersonalNumberDigest,
  ) {}

  @Post('dev/sign-in')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Development sign-in: mints a token as if an e-ID had identified the person (AUTH_MODE=dev only)' })
  @ApiOkResponse({ type: TokenDto })
  async devSignIn(@Body() body: DevSignInDto): Promise<TokenDto> {
    if (this.config.auth.mode !== 'dev') throw new NotFound('route');
    return this.tokens.mint({
      subject: `person:${this.digest.of(body.personalNumber)}`,
      name: body.name ?? 'Dev user',
      method: body.method,
      personalNumber: body.personalNumber,
      staff: body.staff,
      auditor: body.auditor,
    });
  }

  @Post('password/sign-in')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with e-mail and password (approved registrations); repeated failures are refused for a while (429)' })
  @ApiOkResponse({ type: TokenDto })
  passwordSignIn(@Body() body: PasswordSignInDto, @Req() request: FastifyRequest): Promise<TokenDto> {
    return this.passwords.signIn(body.email, body.password, request.ip);
  }

  @Post('password/reset-request')
  @Public()
  @HttpCode(202)
  @ApiOperation({ summary: 'E-mail a single-use reset link to a password account; answers the same whether the e-mail is known or not' })
  requestReset(@Body() body: PasswordResetRequestDto, @Req() request: FastifyRequest) {
    return this.commands.execute(new RequestPasswordReset(body.email, this.callers.context(request)));
  }

  @Post('password/reset')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Choose a new password with the token from the reset link (single use, expires after an hour)' })
  reset(@Body() body: PasswordResetDto, @Req() request: FastifyRequest) {
    return this.commands.execute(new ResetPassword(body.token, body.password, this.callers.context(request)));
  }
}
