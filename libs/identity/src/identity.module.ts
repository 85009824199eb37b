import { Module } from '@nestjs/common';
import { OrganisationsModule } from '@kundportal/organisations';
import { IDENTITY_COMMAND_HANDLERS } from './account.handlers';
import { AccountQueries } from './account.queries';
import { TokenService } from './token.service';

@Module({
  imports: [OrganisationsModule],
  providers: [...IDENTITY_COMMAND_HANDLERS, AccountQueries, TokenService],
  exports: [AccountQueries, TokenService],
})
export class IdentityModule {}
