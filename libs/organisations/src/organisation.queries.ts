import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, ReadStore } from '@kundportal/readstore';
import { ApplicationDoc, COLLECTIONS, MemberDoc, OrganisationDoc } from './organisation.projections';

/** The organisations context's read side, for its own controllers and for other contexts. */
@Injectable()
export class OrganisationQueries {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  applications(status?: string): Promise<ApplicationDoc[]> {
    return this.store
      .collection<ApplicationDoc>(COLLECTIONS.applications)
      .find(status ? { status } : {}, { sort: { submittedAt: 1, _id: 1 } });
  }

  organisation(id: string): Promise<OrganisationDoc | null> {
    return this.store.collection<OrganisationDoc>(COLLECTIONS.organisations).findOne({ _id: id });
  }

  organisations(ids: string[]): Promise<OrganisationDoc[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.store.collection<OrganisationDoc>(COLLECTIONS.organisations).find({ _id: { $in: ids } });
  }

  byOrganisationNumber(organisationNumber: string): Promise<OrganisationDoc | null> {
    return this.store.collection<OrganisationDoc>(COLLECTIONS.organisations).findOne({ organisationNumber });
  }

  /** Organisations awaiting a signature from the person with this digest (named in the application). */
  awaitingSignatureBy(personalNumberDigest: string): Promise<OrganisationDoc[]> {
    return this.store
      .collection<OrganisationDoc>(COLLECTIONS.organisations)
      .find({ signatoryDigest: personalNumberDigest, 'agreement.status': 'awaiting-signature' });
  }

  members(organisationId: string): Promise<MemberDoc[]> {
    return this.store.collection<MemberDoc>(COLLECTIONS.members).find({ organisationId }, { sort: { name: 1, _id: 1 } });
  }

  membershipsOf(accountId: string): Promise<MemberDoc[]> {
    return this.store.collection<MemberDoc>(COLLECTIONS.members).find({ accountId });
  }
}
