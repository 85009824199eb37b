import { RecordedEvent } from '@kundportal/eventstore';
import { Projection, ProjectionContext } from '@kundportal/readstore';
import { ApplicationEvent, APPLICATION_EVENT_TYPES } from './application/application.events';
import { OrganisationEvent, ORGANISATION_EVENT_TYPES } from './organisation/organisation.events';
import type { Role } from './roles';

export const COLLECTIONS = {
  applications: 'customer_applications',
  organisations: 'organisations',
  members: 'organisation_members',
} as const;

export interface ApplicationDoc {
  _id: string;
  organisationNumber: string;
  organisationName: string;
  status: 'submitted' | 'approved' | 'rejected';
  submittedAt: string;
  decidedAt: string | null;
  organisationId: string | null;
  reason: string | null;
  [key: string]: unknown;
}

export interface OrganisationDoc {
  _id: string;
  name: string;
  organisationNumber: string;
  agreement: { status: 'awaiting-signature' | 'signed'; signedAt: string | null; signedBy: { id: string; name: string } | null };
  agentOrganisationIds: string[];
  administratorDigest: string;
  signatoryDigest: string;
  registeredAt: string;
  userLimit?: number | null;
  /** Set on a duplicate record merged into another. */
  mergedInto?: string | null;
  [key: string]: unknown;
}

/** Only `active` is a membership; the others are kept so the person's and the organisation's screens can say what became of it. */
export type MemberStatus = 'active' | 'pending' | 'declined' | 'removed' | 'left';

export interface MemberDoc {
  _id: string;
  organisationId: string;
  accountId: string;
  name: string;
  email: string;
  roles: Role[];
  status: MemberStatus;
  /** When they became a member; null while they only asked to. */
  joinedAt: string | null;
  requestedAt?: string | null;
  [key: string]: unknown;
}

export const memberDocId = (organisationId: string, accountId: string) => `${organisationId}:${accountId}`;

/** A member's whole row: who the person is in the organisation, and where their membership stands. */
function memberRow(
  person: { organisationId: string; accountId: string; name: string; email: string },
  standing: Pick<MemberDoc, 'roles' | 'status' | 'joinedAt' | 'requestedAt'>,
): MemberDoc {
  const { organisationId, accountId, name, email } = person;
  return { _id: memberDocId(organisationId, accountId), organisationId, accountId, name, email, ...standing };
}

/** Customer applications for staff's review list. */
export const customerApplicationsProjection: Projection = {
  name: 'customer-applications',
  version: 1,
  collections: { [COLLECTIONS.applications]: [{ keys: { status: 1, submittedAt: 1 } }] },
  eventTypes: APPLICATION_EVENT_TYPES,
  apply(recorded: RecordedEvent, ctx: ProjectionContext) {
    const event = recorded as unknown as ApplicationEvent;
    const applications = ctx.collection<ApplicationDoc>(COLLECTIONS.applications);
    switch (event.type) {
      case 'CustomerApplicationSubmitted': {
        const d = event.data;
        applications.updateOne(
          { _id: d.applicationId },
          {
            $setOnInsert: { status: 'submitted', decidedAt: null, organisationId: null, reason: null },
            $set: { organisationNumber: d.organisationNumber, organisationName: d.organisationName, submittedAt: d.submittedAt },
          },
          { upsert: true },
        );
        break;
      }
      case 'CustomerApplicationApproved':
        applications.updateOne(
          { _id: event.data.applicationId },
          { $set: { status: 'approved', decidedAt: event.data.approvedAt, organisationId: event.data.organisationId } },
        );
        break;
      case 'CustomerApplicationRejected':
        applications.updateOne(
          { _id: event.data.applicationId },
          { $set: { status: 'rejected', decidedAt: event.data.rejectedAt, reason: event.data.reason } },
        );
        break;
    }
  },
};

/** Organisations and their members, for `/organisations/*`, `/me` and access checks. */
export const organisationsProjection: Projection = {
  name: 'organisations',
  version: 3,
  collections: {
    [COLLECTIONS.organisations]: [
      { keys: { organisationNumber: 1 }, unique: true },
      { keys: { signatoryDigest: 1 } },
      { keys: { agentOrganisationIds: 1 } },
      { keys: { mergedInto: 1 } },
    ],
    [COLLECTIONS.members]: [{ keys: { organisationId: 1, status: 1 } }, { keys: { accountId: 1 } }],
  },
  eventTypes: ORGANISATION_EVENT_TYPES,
  apply(recorded: RecordedEvent, ctx: ProjectionContext) {
    const event = recorded as unknown as OrganisationEvent;
    const organisations = ctx.collection<OrganisationDoc>(COLLECTIONS.organisations);
    const members = ctx.collection<MemberDoc>(COLLECTIONS.members);
    switch (event.type) {
      case 'OrganisationRegistered': {
        const d = event.data;
        organisations.replaceOne(
          { _id: d.organisationId },
          {
            _id: d.organisationId,
            name: d.name,
            organisationNumber: d.organisationNumber,
            agreement: { status: 'awaiting-signature', signedAt: null, signedBy: null },
            agentOrganisationIds: [],
            administratorDigest: d.administrator.personalNumberDigest,
            signatoryDigest: d.signatory.personalNumberDigest,
            registeredAt: d.registeredAt,
          },
          { upsert: true },
        );
        break;
      }
      case 'MemberJoined': {
        const d = event.data;
        const row = memberRow(d, { roles: d.roles, status: 'active', joinedAt: d.joinedAt, requestedAt: null });
        members.replaceOne({ _id: row._id }, row, { upsert: true });
        break;
      }
      case 'JoinRequested': {
        const d = event.data;
        const row = memberRow(d, { roles: [], status: 'pending', joinedAt: null, requestedAt: d.requestedAt });
        members.replaceOne({ _id: row._id }, row, { upsert: true });
        break;
      }
      case 'JoinRequestDeclined':
        members.updateOne({ _id: memberDocId(event.data.organisationId, event.data.accountId) }, { $set: { status: 'declined', roles: [] } });
        break;
      case 'MemberRemoved':
        members.updateOne(
          { _id: memberDocId(event.data.organisationId, event.data.accountId) },
          { $set: { status: event.data.left ? 'left' : 'removed', roles: [] } },
        );
        break;
      case 'MemberInvited':
        // The invitation lives in the log until it is used; the member list shows the person once they join.
        break;
      case 'MemberRolesChanged':
        members.updateOne({ _id: memberDocId(event.data.organisationId, event.data.accountId) }, { $set: { roles: event.data.roles } });
        break;
      case 'AgreementSigned':
        organisations.updateOne(
          { _id: event.data.organisationId },
          { $set: { agreement: { status: 'signed', signedAt: event.data.signedAt, signedBy: event.data.signedBy } } },
        );
        break;
      case 'AgentLinked':
        organisations.updateOne({ _id: event.data.organisationId }, { $addToSet: { agentOrganisationIds: event.data.agentOrganisationId } });
        break;
      case 'AgentUnlinked':
        organisations.updateOne({ _id: event.data.organisationId }, { $pull: { agentOrganisationIds: event.data.agentOrganisationId } });
        break;
      case 'UserLimitSet':
        organisations.updateOne({ _id: event.data.organisationId }, { $set: { userLimit: event.data.limit } });
        break;
      case 'OrganisationMergedInto':
        organisations.updateOne({ _id: event.data.organisationId }, { $set: { mergedInto: event.data.into } });
        break;
      case 'DuplicateOrganisationAbsorbed': {
        const d = event.data;
        for (const m of d.members) {
          members.updateOne(
            { _id: memberDocId(d.organisationId, m.accountId) },
            {
              $setOnInsert: { organisationId: d.organisationId, accountId: m.accountId, name: m.name, email: m.email, joinedAt: d.at, requestedAt: null },
              $set: { status: 'active' },
              $addToSet: { roles: { $each: m.roles } },
            },
            { upsert: true },
          );
        }
        const agents = d.agentOrganisationIds.filter((a) => a !== d.organisationId);
        if (agents.length > 0) organisations.updateOne({ _id: d.organisationId }, { $addToSet: { agentOrganisationIds: { $each: agents } } });
        break;
      }
    }
  },
};

export const ORGANISATION_PROJECTIONS = [customerApplicationsProjection, organisationsProjection];
