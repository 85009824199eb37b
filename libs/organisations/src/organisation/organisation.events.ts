import type { Contact, NamedPerson } from '../application/application.events';
import type { Role } from '../roles';

export type OrganisationRegistered = {
  type: 'OrganisationRegistered';
  data: {
    organisationId: string;
    applicationId: string;
    organisationNumber: string;
    name: string;
    administrator: NamedPerson;
    signatory: NamedPerson;
    agreementContact: Contact;
    registeredAt: string;
  };
};

export type MemberJoined = {
  type: 'MemberJoined';
  data: {
    organisationId: string;
    accountId: string;
    name: string;
    email: string;
    personalNumberDigest: string | null;
    /** Roles given on joining: those the application named this person for, the invitation's, or the approver's. */
    roles: Role[];
    joinedAt: string;
    /** Set when an administrator (or staff) approved the person's join request. */
    approvedBy?: { id: string; name: string; staff: boolean };
    /** Set when the person joined through an invitation, which is used up by it. */
    invitationId?: string;
  };
};

/** Someone asked to join and waits for an administrator's approval: not a member yet. */
export type JoinRequested = {
  type: 'JoinRequested';
  data: { organisationId: string; accountId: string; name: string; email: string; personalNumberDigest: string | null; requestedAt: string };
};

export type JoinRequestDeclined = {
  type: 'JoinRequestDeclined';
  data: { organisationId: string; accountId: string; name: string; email: string; reason: string | null; by: { id: string; name: string; staff: boolean }; at: string };
};

/** An administrator invited a person by name and e-mail. The link's token is `<invitationId>.<mac>`: the log holds only the id. */
export type MemberInvited = {
  type: 'MemberInvited';
  data: {
    organisationId: string;
    invitationId: string;
    name: string;
    email: string;
    roles: Role[];
    invitedBy: { id: string; name: string };
    expiresAt: string;
    at: string;
  };
};

/** A member was removed by an administrator or staff, or left (`left`). */
export type MemberRemoved = {
  type: 'MemberRemoved';
  data: { organisationId: string; accountId: string; left: boolean; by: { id: string; name: string; staff: boolean }; at: string };
};

export type MemberRolesChanged = {
  type: 'MemberRolesChanged';
  data: { organisationId: string; accountId: string; roles: Role[]; previousRoles: Role[]; byStaff: boolean };
};

export type AgreementSigned = {
  type: 'AgreementSigned';
  data: { organisationId: string; signedBy: { id: string; name: string }; method: string; signedAt: string };
};

export type AgentLinked = {
  type: 'AgentLinked';
  data: { organisationId: string; agentOrganisationId: string };
};

/**
 * The agent's record was merged into another (`mergedInto`): it is nobody's agent any more. Its
 * link moves to the record that lives on (an AgentLinked follows in the same write) unless that is
 * the organisation itself or linked already.
 */
export type AgentUnlinked = {
  type: 'AgentUnlinked';
  data: { organisationId: string; agentOrganisationId: string; reason: 'agent-merged'; mergedInto: string; at: string };
};

/** The most accounts the organisation wants (null: no limit), set by staff or its administrators. */
export type UserLimitSet = {
  type: 'UserLimitSet';
  data: { organisationId: string; limit: number | null; previous: number | null; byStaff: boolean };
};

/** A duplicate record of an organisation is closed and points at the record that lives on. */
export type OrganisationMergedInto = {
  type: 'OrganisationMergedInto';
  data: { organisationId: string; into: string; at: string };
};

/** The surviving record takes in a duplicate's members (with their roles) and agents; the duplicate's history stays in its stream. */
export type DuplicateOrganisationAbsorbed = {
  type: 'DuplicateOrganisationAbsorbed';
  data: {
    organisationId: string;
    duplicateOrganisationId: string;
    members: Array<{ accountId: string; name: string; email: string; personalNumberDigest: string | null; roles: Role[] }>;
    agentOrganisationIds: string[];
    at: string;
  };
};

export type OrganisationEvent =
  | OrganisationRegistered
  | MemberJoined
  | JoinRequested
  | JoinRequestDeclined
  | MemberInvited
  | MemberRemoved
  | MemberRolesChanged
  | AgreementSigned
  | AgentLinked
  | AgentUnlinked
  | UserLimitSet
  | OrganisationMergedInto
  | DuplicateOrganisationAbsorbed;

export const ORGANISATION_EVENT_TYPES = [
  'OrganisationRegistered',
  'MemberJoined',
  'JoinRequested',
  'JoinRequestDeclined',
  'MemberInvited',
  'MemberRemoved',
  'MemberRolesChanged',
  'AgreementSigned',
  'AgentLinked',
  'AgentUnlinked',
  'UserLimitSet',
  'OrganisationMergedInto',
  'DuplicateOrganisationAbsorbed',
] as const;
