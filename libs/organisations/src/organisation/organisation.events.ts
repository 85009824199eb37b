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
    /** Roles given on joining: those the application named this person for. */
    roles: Role[];
    joinedAt: string;
  };
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
  'MemberRolesChanged',
  'AgreementSigned',
  'AgentLinked',
  'AgentUnlinked',
  'UserLimitSet',
  'OrganisationMergedInto',
  'DuplicateOrganisationAbsorbed',
] as const;
