import { Module } from '@nestjs/common';
import { OrganisationsModule } from '@kundportal/organisations';
import { IDENTITY_COMMAND_HANDLERS } from './account.handlers';
import { AccountQueries } from './account.queries';
import { AccountDirectory } from './account-directory';
import { LEGACY_ACCOUNT_COMMAND_HANDLERS } from './legacy-account.handlers';
import { MembershipReactor } from './membership.reactor';
import { PasswordSignIn } from './password-sign-in';
import { PREFERENCES_COMMAND_HANDLERS } from './preferences.handlers';
import { PreferenceQueries } from './preferences.queries';
import { Passwords } from './passwords';
import { REGISTRATION_COMMAND_HANDLERS } from './registration.handlers';
import { RegistrationQueries } from './registration.queries';
import { TokenService } from './token.service';

@Module({
  imports: [OrganisationsModule],
  providers: [
    ...IDENTITY_COMMAND_HANDLERS,
    ...REGISTRATION_COMMAND_HANDLERS,
    ...LEGACY_ACCOUNT_COMMAND_HANDLERS,
    ...PREFERENCES_COMMAND_HANDLERS,
    PreferenceQueries,
    AccountQueries,
    TokenService,
    MembershipReactor,
    Passwords,
    PasswordSignIn,
    RegistrationQueries,
    AccountDirectory,
  ],
  exports: [AccountQueries, TokenService, MembershipReactor, PasswordSignIn, RegistrationQueries, PreferenceQueries, AccountDirectory],
})
export class IdentityModule {}
