import type { OrderField } from '../order-fields';

export const CURRENCIES = ['SEK'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** The one-off fee each order of an offering carries (so one order with everything is cheaper than several). */
export interface StartupFee {
  amount: number;
  currency: Currency;
}

export type ServicePublished = {
  type: 'ServicePublished';
  data: { serviceId: string; name: string; description?: string; publishedAt: string };
};

/**
 * An offering published, or a new version of it: the latest version replaces the earlier ones for
 * new orders. Orders copy the version they were placed with, so they keep it as it was.
 */
export type OfferingPublished = {
  type: 'OfferingPublished';
  data: {
    serviceId: string;
    offeringId: string;
    /** 1 for the first publication, one more for each new version. */
    version: number;
    name: string;
    startupFee: StartupFee;
    fields: OrderField[];
    publishedAt: string;
  };
};

/** No new orders of the offering; orders placed already are not affected. */
export type OfferingRetired = {
  type: 'OfferingRetired';
  data: { serviceId: string; offeringId: string; version: number; retiredAt: string };
};

export type CatalogueEvent = ServicePublished | OfferingPublished | OfferingRetired;

export const CATALOGUE_EVENT_TYPES = ['ServicePublished', 'OfferingPublished', 'OfferingRetired'] as const;
