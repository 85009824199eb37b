import { Inject, Injectable } from '@nestjs/common';
import { Page, PageRequest } from '@kundportal/kernel';
import { findPage, READ_STORE, ReadStore } from '@kundportal/readstore';
import { ApplicationDoc, COLLECTIONS, MemberDoc, OrganisationDoc } from './organisation.projections';

const MEMBER_ORDER = { name: 1, _id: 1 } as const;

/** The organisations context's read side, for its own controllers and for other contexts. */
@Injectable()
export class OrganisationQueries {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  applications(where: { status?: ApplicationDoc['status'] }, page: PageRequest): Promise<Page<ApplicationDoc>> {
    const filter = where.status ? { status: where.status } : {};
    return findPage(this.store.collection<ApplicationDoc>(COLLECTIONS.applications), filter, { sort: { submittedAt: 1, _id: 1 } }, page);
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

  /** The organisation's members: active memberships only. */
  members(organisationId: string): Promise<MemberDoc[]> {
    return this.store.collection<MemberDoc>(COLLECTIONS.members).find({ organisationId, status: 'active' }, { sort: MEMBER_ORDER });
  }

  /** A page of `members`, by name. */
  memberPage(organisationId: string, page: PageRequest): Promise<Page<MemberDoc>> {
    return findPage(this.store.collection<MemberDoc>(COLLECTIONS.members), { organisationId, status: 'active' }, { sort: MEMBER_ORDER }, page);
  }

  /** Join requests waiting in the organisation, oldest first. */
  joinRequests(organisationId: string, page: PageRequest): Promise<Page<MemberDoc>> {
    return findPage(this.store.collection<MemberDoc>(COLLECTIONS.members), { organisationId, status: 'pending' }, { sort: { requestedAt: 1, _id: 1 } }, page);
  }

  /** Join requests waiting in any of these organisations (an administrator's badge). */
  joinRequestsIn(organisationIds: string[]): Promise<MemberDoc[]> {
    if (organisationIds.length === 0) return Promise.resolve([]);
    return this.store
      .collection<MemberDoc>(COLLECTIONS.members)
      .find({ organisationId: { $in: organisationIds }, status: 'pending' }, { sort: { requestedAt: 1, _id: 1 } });
  }

  /** The organisations the account asked to join and that have not answered yet. */
  pendingOf(accountId: string): Promise<MemberDoc[]> {
    return this.store.collection<MemberDoc>(COLLECTIONS.members).find({ accountId, status: 'pending' });
  }

  /**
   * The account's active memberships: a pending, declined or former member is not a member. A member of a record that took in merged duplicates is also a member
   * of those (with the same roles), so the duplicates' orders and tickets follow them.
   */
  async membershipsOf(accountId: string): Promise<MemberDoc[]> {
    const own = await this.store.collection<MemberDoc>(COLLECTIONS.members).find({ accountId, status: 'active' });
    if (own.length === 0) return own;
    const duplicates = await this.store
      .collection<OrganisationDoc>(COLLECTIONS.organisations)
      .find({ mergedInto: { $in: own.map((m) => m.organisationId) } });
    const byOrganisation = new Map(own.map((m) => [m.organisationId, m]));
    for (const duplicate of duplicates) {
      const via = byOrganisation.get(duplicate.mergedInto as string) as MemberDoc;
      const known = byOrganisation.get(duplicate._id);
      byOrganisation.set(duplicate._id, {
        ...(known ?? via),
        _id: `${duplicate._id}:${accountId}`,
        organisationId: duplicate._id,
        roles: [...new Set([...(known?.roles ?? []), ...via.roles])],
      });
    }
    return [...byOrganisation.values()];
  }
}
