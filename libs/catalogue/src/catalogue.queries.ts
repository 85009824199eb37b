import { Inject, Injectable } from '@nestjs/common';
import { Page, PageRequest } from '@kundportal/kernel';
import { findPage, READ_STORE, ReadStore } from '@kundportal/readstore';
import { CATALOGUE_SERVICES, CatalogueServiceDoc } from './catalogue.projection';

/** The catalogue's read side: what is on offer now, as the read model has it. */
@Injectable()
export class CatalogueQueries {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  /** Every service with its active offerings, by name. */
  services(page: PageRequest): Promise<Page<CatalogueServiceDoc>> {
    return findPage(this.store.collection<CatalogueServiceDoc>(CATALOGUE_SERVICES), {}, { sort: { name: 1, _id: 1 } }, page);
  }

  service(serviceId: string): Promise<CatalogueServiceDoc | null> {
    return this.store.collection<CatalogueServiceDoc>(CATALOGUE_SERVICES).findOne({ _id: serviceId });
  }
}
