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

/** The most accounts the organisation wants (null: no limit), set by staff or its administrators. */
export type UserLimitSet = {
  type: 'UserLimitSet';
  data: { organisationId: string; limit: number | null; previous: number | null; byStaff: boolean };
};

export type OrganisationEvent = OrganisationRegistered | MemberJoined | MemberRolesChanged | AgreementSigned | AgentLinked | UserLimitSet;

export const ORGANISATION_EVENT_TYPES = [
  'OrganisationRegistered',
  'MemberJoined',
  'MemberRolesChanged',
  'AgreementSigned',
  'AgentLinked',
  'UserLimitSet',
] as const;
