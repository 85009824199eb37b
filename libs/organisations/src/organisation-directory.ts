import { Inject, Injectable } from '@nestjs/common';
import { RecordedEvent } from '@kundportal/eventstore';
import { allWordsFilter, normaliseOrganisationNumber, Page, PageRequest, searchWords } from '@kundportal/kernel';
import { Filter, findPage, Projection, ProjectionContext, READ_STORE, ReadStore } from '@kundportal/readstore';
import { OrganisationEvent } from './organisation/organisation.events';

export const ORGANISATION_DIRECTORY = 'organisation_directory';

/** An organisation as staff find it: by words of its name, or by its number. */
export interface OrganisationDirectoryDoc {
  _id: string;
  name: string;
  organisationNumber: string;
  agreementSigned: boolean;
  registeredAt: string;
  /** Set on a duplicate merged into another. */
  mergedInto: string | null;
  words: string[];
  [key: string]: unknown;
}

const EVENT_TYPES = ['OrganisationRegistered', 'AgreementSigned', 'OrganisationMergedInto'] as const;

/**
 * Staff's search of organisations. A read model of its own, beside the organisations one, so the
 * search's index and words cost nothing to the reads customers make.
 */
export const organisationDirectoryProjection: Projection = {
  name: 'organisation-directory',
  version: 1,
  collections: {
    [ORGANISATION_DIRECTORY]: [{ keys: { words: 1 } }, { keys: { organisationNumber: 1 } }],
  },
  eventTypes: EVENT_TYPES,
  apply(recorded: RecordedEvent, ctx: ProjectionContext) {
    const event = recorded as unknown as OrganisationEvent;
    const directory = ctx.collection<OrganisationDirectoryDoc>(ORGANISATION_DIRECTORY);
    switch (event.type) {
      case 'OrganisationRegistered': {
        const d = event.data;
        directory.updateOne(
          { _id: d.organisationId },
          {
            $setOnInsert: { agreementSigned: false, mergedInto: null },
            $set: { name: d.name, organisationNumber: d.organisationNumber, registeredAt: d.registeredAt, words: searchWords(d.name) },
          },
          { upsert: true },
        );
        return;
      }
      case 'AgreementSigned':
        directory.updateOne({ _id: event.data.organisationId }, { $set: { agreementSigned: true } });
        return;
      case 'OrganisationMergedInto':
        directory.updateOne({ _id: event.data.organisationId }, { $set: { mergedInto: event.data.into } });
        return;
    }
  },
};

@Injectable()
export class OrganisationDirectory {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  /**
   * Organisations by name: those whose organisationsnummer `q` is (with or without the dash),
   * or whose name has every word of `q`; all of them without `q`.
   */
  search(q: string | undefined, page: PageRequest): Promise<Page<OrganisationDirectoryDoc>> {
    const filter = organisationSearch(q);
    if (filter === null) return Promise.resolve({ items: [], total: 0 });
    return findPage(this.store.collection<OrganisationDirectoryDoc>(ORGANISATION_DIRECTORY), filter, { sort: { name: 1, _id: 1 } }, page);
  }
}

/** The read-store filter of a search; null when it can match nothing. */
export function organisationSearch(q: string | undefined): Filter | null {
  if (q === undefined) return {};
  const number = normaliseOrganisationNumber(q);
  if (number) return { organisationNumber: number };
  return allWordsFilter('words', q);
}
