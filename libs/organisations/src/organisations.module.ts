import { Module } from '@nestjs/common';
import { ORGANISATION_COMMAND_HANDLERS } from './organisation.handlers';
import { OrganisationQueries } from './organisation.queries';

@Module({
  providers: [...ORGANISATION_COMMAND_HANDLERS, OrganisationQueries],
  exports: [OrganisationQueries],
})
export class OrganisationsModule {}
