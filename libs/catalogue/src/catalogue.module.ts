import { Module } from '@nestjs/common';
import { CATALOGUE_COMMAND_HANDLERS } from './catalogue.handlers';
import { CatalogueQueries } from './catalogue.queries';
import { CatalogueSeeder } from './catalogue.seeder';
import { CatalogueWriteSide } from './catalogue.write-side';

@Module({
  providers: [...CATALOGUE_COMMAND_HANDLERS, CatalogueQueries, CatalogueWriteSide, CatalogueSeeder],
  exports: [CatalogueQueries, CatalogueWriteSide],
})
export class CatalogueModule {}
