import { RecordedEvent } from '@kundportal/eventstore';
import { Projection, ProjectionContext } from '@kundportal/readstore';
import type { OrderField } from './order-fields';
import { CatalogueEvent, CATALOGUE_EVENT_TYPES, StartupFee } from './service/service.events';

export const CATALOGUE_SERVICES = 'catalogue_services';

/** An offering as the catalogue shows it: its latest version. */
export interface CatalogueOfferingDoc {
  id: string;
  name: string;
  version: number;
  startupFee: StartupFee;
  fields: OrderField[];
  publishedAt: string;
}

/** One document per service with its active offerings, in the order they were published (one retired and published again comes last). */
export interface CatalogueServiceDoc {
  _id: string;
  name: string;
  description: string | null;
  offerings: CatalogueOfferingDoc[];
  publishedAt: string;
  /** The service stream's revision this document reflects: older events are replays and change nothing. */
  revision: number;
  [key: string]: unknown;
}

/** The catalogue for `GET /catalogue`. */
export const catalogueProjection: Projection = {
  name: 'catalogue',
  version: 1,
  collections: { [CATALOGUE_SERVICES]: [{ keys: { name: 1 } }] },
  eventTypes: CATALOGUE_EVENT_TYPES,
  async apply(recorded: RecordedEvent, ctx: ProjectionContext) {
    const event = recorded as unknown as CatalogueEvent;
    const revision = Number(recorded.revision);
    const services = ctx.collection<CatalogueServiceDoc>(CATALOGUE_SERVICES);
    const current = await services.findOne({ _id: event.data.serviceId });
    if (current && current.revision >= revision) return;
    switch (event.type) {
      case 'ServicePublished': {
        const d = event.data;
        services.replaceOne(
          { _id: d.serviceId },
          { _id: d.serviceId, name: d.name, description: d.description ?? null, offerings: [], publishedAt: d.publishedAt, revision },
          { upsert: true },
        );
        break;
      }
      case 'OfferingPublished': {
        if (!current) return;
        const d = event.data;
        const offering: CatalogueOfferingDoc = {
          id: d.offeringId,
          name: d.name,
          version: d.version,
          startupFee: d.startupFee,
          fields: d.fields,
          publishedAt: d.publishedAt,
        };
        const replaced = current.offerings.some((o) => o.id === d.offeringId);
        const offerings = replaced ? current.offerings.map((o) => (o.id === d.offeringId ? offering : o)) : [...current.offerings, offering];
        services.updateOne({ _id: d.serviceId, revision: current.revision }, { $set: { offerings, revision } });
        break;
      }
      case 'OfferingRetired': {
        if (!current) return;
        const offerings = current.offerings.filter((o) => o.id !== event.data.offeringId);
        services.updateOne({ _id: event.data.serviceId, revision: current.revision }, { $set: { offerings, revision } });
        break;
      }
    }
  },
};
