import { Module } from '@nestjs/common';
import { InvitationTokens, ORGANISATION_COMMAND_HANDLERS } from './organisation.handlers';
import { OrganisationFactsReader } from './organisation.facts';
import { OrganisationQueries } from './organisation.queries';

@Module({
  providers: [...ORGANISATION_COMMAND_HANDLERS, OrganisationQueries, OrganisationFactsReader, InvitationTokens],
  exports: [OrganisationQueries, OrganisationFactsReader, InvitationTokens],
})
export class OrganisationsModule {}
