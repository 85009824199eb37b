import { Module } from '@nestjs/common';
import { ORGANISATION_COMMAND_HANDLERS } from './organisation.handlers';
import { OrganisationFactsReader } from './organisation.facts';
import { OrganisationQueries } from './organisation.queries';
import { OrganisationDirectory } from './organisation-directory';

@Module({
  providers: [...ORGANISATION_COMMAND_HANDLERS, OrganisationQueries, OrganisationFactsReader, OrganisationDirectory],
  exports: [OrganisationQueries, OrganisationFactsReader, OrganisationDirectory],
})
export class OrganisationsModule {}
