import { Module } from '@nestjs/common';
import { AgentLinksReactor } from './agent-links.reactor';
import { ORGANISATION_COMMAND_HANDLERS } from './organisation.handlers';
import { OrganisationFactsReader } from './organisation.facts';
import { OrganisationQueries } from './organisation.queries';

@Module({
  providers: [...ORGANISATION_COMMAND_HANDLERS, OrganisationQueries, OrganisationFactsReader, AgentLinksReactor],
  exports: [OrganisationQueries, OrganisationFactsReader, AgentLinksReactor],
})
export class OrganisationsModule {}
