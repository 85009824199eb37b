import { Module } from '@nestjs/common';
import { AgentLinksReactor } from './agent-links.reactor';
import { InvitationTokens, ORGANISATION_COMMAND_HANDLERS } from './organisation.handlers';
import { OrganisationFactsReader } from './organisation.facts';
import { OrganisationQueries } from './organisation.queries';
import { OrganisationDirectory } from './organisation-directory';

@Module({
  providers: [...ORGANISATION_COMMAND_HANDLERS, OrganisationQueries, OrganisationFactsReader, AgentLinksReactor, OrganisationDirectory, InvitationTokens],
  exports: [OrganisationQueries, OrganisationFactsReader, AgentLinksReactor, OrganisationDirectory, InvitationTokens],
})
export class OrganisationsModule {}
