import { Module } from '@nestjs/common';
import { OrganisationsModule } from '@kundportal/organisations';
import { IDENTITY_COMMAND_HANDLERS } from './account.handlers';
import { AccountQueries } from './account.queries';
import { MembershipReactor } from './membership.reactor';
import { TokenService } from './token.service';

@Module({
  imports: [OrganisationsModule],
  providers: [...IDENTITY_COMMAND_HANDLERS, AccountQueries, TokenService, MembershipReactor],
  exports: [AccountQueries, TokenService, MembershipReactor],
})
export class IdentityModule {}
