import { Module } from '@nestjs/common';
import { ORGANISATION_COMMAND_HANDLERS } from './organisation.handlers';
import { OrganisationFactsReader } from './organisation.facts';
import { OrganisationQueries } from './organisation.queries';

@Module({
  providers: [...ORGANISATION_COMMAND_HANDLERS, OrganisationQueries, OrganisationFactsReader],
  exports: [OrganisationQueries, OrganisationFactsReader],
})
export class OrganisationsModule {}
