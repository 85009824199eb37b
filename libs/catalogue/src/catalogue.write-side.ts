import { Injectable } from '@nestjs/common';
import { CommandExecutor } from '@kundportal/eventstore';
import { candidateServiceIds } from './catalogue-ids';
import type { OrderField } from './order-fields';
import { ExistingService, serviceDecider } from './service/service.decider';
import type { StartupFee } from './service/service.events';
import { serviceStream } from './streams';

/** An offering as it is now, to be copied into an order so the order keeps it as it was. */
export interface CurrentOffering {
  serviceId: string;
  serviceName: string;
  offeringId: string;
  name: string;
  version: number;
  startupFee: StartupFee;
  fields: OrderField[];
}

/**
 * The catalogue as its streams have it, strongly consistent: for commands of other contexts that
 * must not act on a read model that may lag (an order must be placed on the offering as it is).
 */
@Injectable()
export class CatalogueWriteSide {
  constructor(private readonly executor: CommandExecutor) {}

  /** The offering's latest version; null when it is unknown or retired. */
  async currentOffering(offeringId: string): Promise<CurrentOffering | null> {
    const found = await this.serviceOf(offeringId);
    const offering = found?.state.offerings.get(offeringId);
    if (!found || !offering?.active) return null;
    const p = offering.published;
    return {
      serviceId: found.serviceId,
      serviceName: found.state.service.name,
      offeringId,
      name: p.name,
      version: p.version,
      startupFee: p.startupFee,
      fields: p.fields,
    };
  }

  /**
   * The service that has (or had) this offering. The offering id starts with its service's id,
   * which may itself contain hyphens: the candidate services are read longest id first, so the
   * usual `webcert-fristaende` costs one stream read and no index has to be kept in step.
   */
  async serviceOf(offeringId: string): Promise<{ serviceId: string; state: ExistingService } | null> {
    for (const serviceId of candidateServiceIds(offeringId)) {
      const { state } = await this.executor.load(serviceDecider, serviceStream(serviceId));
      if (state.exists && state.offerings.has(offeringId)) return { serviceId, state };
    }
    return null;
  }
}
