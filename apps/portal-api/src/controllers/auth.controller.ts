import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, NotFound, PERSONAL_NUMBER_DIGEST, PersonalNumberDigest } from '@kundportal/kernel';
import { TokenService } from '@kundportal/identity';
import { DevSignInDto, TokenDto } from '../dto/auth.dto';
import { Public } from '../http/auth';

@ApiTags('sign-in')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly tokens: TokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PERSONAL_NUMBER_DIGEST) private readonly digest: PersonalNumberDigest,
  ) {}

  @Post('dev/sign-in')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Development sign-in: mints a token as if an e-ID had identified the person (AUTH_MODE=dev only)' })
  @ApiOkResponse({ type: TokenDto })
  async devSignIn(@Body() body: DevSignInDto): Promise<TokenDto> {
    if (this.config.auth.mode !== 'dev') throw new NotFound('The route');
    return this.tokens.mint({
      subject: `person:${this.digest.of(body.personalNumber)}`,
      name: body.name ?? 'Dev user',
      method: body.method,
      personalNumber: body.personalNumber,
      staff: body.staff,
      auditor: body.auditor,
    });
  }
}
