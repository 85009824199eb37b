import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, ReadStore } from '@kundportal/readstore';
import { CATALOGUE_SERVICES, CatalogueServiceDoc } from './catalogue.projection';

/** The catalogue's read side: what is on offer now, as the read model has it. */
@Injectable()
export class CatalogueQueries {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  /** Every service with its active offerings, by name. */
  services(): Promise<CatalogueServiceDoc[]> {
    return this.store.collection<CatalogueServiceDoc>(CATALOGUE_SERVICES).find({}, { sort: { name: 1, _id: 1 } });
  }

  service(serviceId: string): Promise<CatalogueServiceDoc | null> {
    return this.store.collection<CatalogueServiceDoc>(CATALOGUE_SERVICES).findOne({ _id: serviceId });
  }
}
