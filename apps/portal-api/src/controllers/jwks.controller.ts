import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { TokenService } from '@kundportal/identity';
import { Public } from '../http/auth';

@ApiTags('sign-in')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly tokens: TokenService) {}

  @Get('jwks.json')
  @Public()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'The public keys of the tokens this service signs (dev and password sign-in), the current one first' })
  jwks() {
    return this.tokens.jwks();
  }
}
