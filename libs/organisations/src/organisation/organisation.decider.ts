import { assertNever, Decider, DomainError, Forbidden, NotFound } from '@kundportal/kernel';
import type { Role } from '../roles';
import { DuplicateOrganisationAbsorbed, MemberJoined, OrganisationEvent, OrganisationRegistered } from './organisation.events';

/** Who acts on the organisation, as far as the decision needs to know. */
export interface Acting {
  id: string;
  name: string;
  accountId: string | null;
  personalNumberDigest: string | null;
  staff: boolean;
}

export type OrganisationCommand =
  | ({ type: 'RegisterOrganisation' } & Omit<OrganisationRegistered['data'], 'registeredAt'> & { now: Date })
  | {
      type: 'JoinMember';
      accountId: string;
      name: string;
      email: string;
      personalNumberDigest: string | null;
      /** Roles the person brings (an account imported from the old portal keeps its roles). */
      roles?: Role[];
      /**
       * Joins active without an administrator's approval: a password registration approved by staff,
       * an account from the old portal (its record stands for the administrator's approval).
       */
      preapproved?: boolean;
      /** The invitation the person holds (from the link's token): joins active with its roles, and uses it up. */
      invitationId?: string | null;
      /** Only when the organisation never knew the person (a reactor completing an interrupted step). */
      onlyIfNew?: boolean;
      now: Date;
    }
  | { type: 'ApproveJoinRequest'; accountId: string; roles: Role[]; by: Acting; now: Date }
  | { type: 'DeclineJoinRequest'; accountId: string; reason: string | null; by: Acting; now: Date }
  | { type: 'InviteMember'; invitationId: string; name: string; email: string; roles: Role[]; expiresAt: Date; by: Acting; now: Date }
  | { type: 'RemoveMember'; accountId: string; by: Acting; now: Date }
  | { type: 'LeaveOrganisation'; by: Acting; now: Date }
  /** An old-portal account verified by a person who has an e-ID account: its membership and roles move to that account. */
  | { type: 'MergeMember'; fromAccountId: string; into: { accountId: string; name: string; email: string; personalNumberDigest: string | null }; now: Date }
  | { type: 'SignAgreement'; by: Acting; method: string; now: Date }
  | { type: 'SetMemberRoles'; accountId: string; roles: Role[]; by: Acting }
  | { type: 'LinkAgent'; agentOrganisationId: string; by: Acting }
  /** Follows a merge of the agent's record: issued by the service itself, not by a person. */
  | { type: 'MoveMergedAgent'; agentOrganisationId: string; mergedInto: string; now: Date }
  | { type: 'SetUserLimit'; limit: number | null; by: Acting }
  | { type: 'MergeInto'; into: string; now: Date; by: Acting }
  | { type: 'AbsorbDuplicate'; duplicate: DuplicateOrganisationAbsorbed['data']; by: Acting };

export interface Member {
  roles: Role[];
  personalNumberDigest: string | null;
  name: string;
  email: string;
}

export interface JoinRequest extends Omit<Member, 'roles'> {
  requestedAt: string;
}

export interface Invitation {
  roles: Role[];
  expiresAt: string;
}

/** What became of someone who is no longer, or never was, a member. */
export type PastMembership = 'declined' | 'removed' | 'left';

export type OrganisationState =
  | { exists: false }
  | {
      exists: true;
      registration: OrganisationRegistered['data'];
      /** Active members only: everyone else is not a member. */
      members: Map<string, Member>;
      /** Join requests waiting for an administrator. */
      requests: Map<string, JoinRequest>;
      /** Open invitations, by id. */
      invitations: Map<string, Invitation>;
      past: Map<string, PastMembership>;
      agreementSigned: boolean;
      agents: Set<string>;
      userLimit: number | null;
      /** Set when this record was a duplicate, merged into another: it takes no more changes. */
      mergedInto: string | null;
      absorbed: Set<string>;
    };

type Existing = Extract<OrganisationState, { exists: true }>;

function existing(state: OrganisationState): Existing {
  if (!state.exists) throw new NotFound('organisation');
  return state;
}

/** A merged duplicate takes no more changes: they belong on the record it was merged into. */
function open(state: OrganisationState): Existing {
  const org = existing(state);
  if (org.mergedInto) {
    throw DomainError.conflict('ORGANISATION_MERGED', `This organisation record was merged into ${org.mergedInto}; use that one.`).withParams({ into: org.mergedInto });
  }
  return org;
}

function holds(state: Existing, accountId: string | null, role: Role): boolean {
  return accountId !== null && (state.members.get(accountId)?.roles.includes(role) ?? false);
}

function administrators(state: Existing): number {
  return [...state.members.values()].filter((m) => m.roles.includes('administrator')).length;
}

/** Who may act for the organisation on its membership: its administrators and staff. */
function requireAdministrator(state: Existing, by: Acting, reason: 'administratorsApproveJoinRequests' | 'administratorsDeclineJoinRequests' | 'administratorsRemoveMembers'): void {
  requireVisible(state, by);
  if (!by.staff && !holds(state, by.accountId, 'administrator')) throw new Forbidden(reason);
}

/** The organisation's user limit holds for people let in by its administrators. */
function requireRoom(state: Existing): void {
  if (state.userLimit !== null && state.members.size >= state.userLimit) {
    throw DomainError.rule('ORGANISATION_USER_LIMIT_REACHED', `The organisation allows at most ${state.userLimit} users.`).withParams({ limit: state.userLimit });
  }
}

const lastAdministrator = () => DomainError.rule('LAST_ADMINISTRATOR', 'The organisation must keep at least one administrator.');

const actor = (by: Acting) => ({ id: by.id, name: by.name, staff: by.staff });

/** Staff and members see an organisation; anyone else is told it does not exist. */
function requireVisible(state: Existing, by: Acting): void {
  if (!by.staff && !(by.accountId && state.members.has(by.accountId))) throw new NotFound('organisation');
}

export const organisationDecider: Decider<OrganisationCommand, OrganisationEvent, OrganisationState> = {
  initialState: () => ({ exists: false }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterOrganisation': {
        if (state.exists) {
          // The same approval retried after a crash: already done.
          if (state.registration.applicationId === command.applicationId) return [];
          throw DomainError.conflict('ORGANISATION_ALREADY_REGISTERED', 'The organisation is registered already.');
        }
        const { type: _t, now, ...data } = command;
        return [{ type: 'OrganisationRegistered', data: { ...data, registeredAt: now.toISOString() } }];
      }

      case 'JoinMember': {
        const org = open(state);
        if (org.members.has(command.accountId)) return [];
        const roles: Role[] = [...new Set(command.roles ?? [])];
        const digest = command.personalNumberDigest;
        const named =
          digest !== null && (digest === org.registration.administrator.personalNumberDigest || digest === org.registration.signatory.personalNumberDigest);
        if (digest && digest === org.registration.administrator.personalNumberDigest && !roles.includes('administrator')) roles.push('administrator');
        if (digest && digest === org.registration.signatory.personalNumberDigest && !roles.includes('signatory')) roles.push('signatory');
        const invitation = command.invitationId ? org.invitations.get(command.invitationId) : undefined;
        if (command.invitationId && (!invitation || Date.parse(invitation.expiresAt) <= command.now.getTime())) {
          throw DomainError.rule('INVALID_TOKEN', 'The invitation is not valid (used, expired or withdrawn).').withParams({ context: 'invitation' });
        }
        const person = { organisationId: org.registration.organisationId, accountId: command.accountId, name: command.name, email: command.email, personalNumberDigest: digest };
        // Someone the organisation removed or declined is let in again only by its administrators (an invitation, or approval).
        const barred = org.past.get(command.accountId) === 'removed' || org.past.get(command.accountId) === 'declined';
        if (invitation || ((named || command.preapproved) && !barred)) {
          // The people the application named always get in; an invitation counts against the user limit.
          if (invitation && !named) requireRoom(org);
          for (const role of invitation?.roles ?? []) if (!roles.includes(role)) roles.push(role);
          return [
            {
              type: 'MemberJoined',
              data: { ...person, roles, joinedAt: command.now.toISOString(), ...(invitation ? { invitationId: command.invitationId as string } : {}) },
            },
          ];
        }
        if (org.requests.has(command.accountId)) return [];
        if (command.onlyIfNew && org.past.has(command.accountId)) return [];
        return [{ type: 'JoinRequested', data: { ...person, requestedAt: command.now.toISOString() } }];
      }

      case 'ApproveJoinRequest': {
        const org = open(state);
        requireAdministrator(org, command.by, 'administratorsApproveJoinRequests');
        const request = org.requests.get(command.accountId);
        if (!request) throw new NotFound('joinRequest');
        requireRoom(org);
        const data: MemberJoined['data'] = {
          organisationId: org.registration.organisationId,
          accountId: command.accountId,
          name: request.name,
          email: request.email,
          personalNumberDigest: request.personalNumberDigest,
          roles: [...new Set(command.roles)],
          joinedAt: command.now.toISOString(),
          approvedBy: actor(command.by),
        };
        return [{ type: 'MemberJoined', data }];
      }

      case 'DeclineJoinRequest': {
        const org = open(state);
        requireAdministrator(org, command.by, 'administratorsDeclineJoinRequests');
        const request = org.requests.get(command.accountId);
        if (!request) throw new NotFound('joinRequest');
        return [
          {
            type: 'JoinRequestDeclined',
            data: {
              organisationId: org.registration.organisationId,
              accountId: command.accountId,
              name: request.name,
              email: request.email,
              reason: command.reason,
              by: actor(command.by),
              at: command.now.toISOString(),
            },
          },
        ];
      }

      case 'InviteMember': {
        const org = open(state);
        requireVisible(org, command.by);
        if (!holds(org, command.by.accountId, 'administrator')) throw new Forbidden('administratorsInvite');
        return [
          {
            type: 'MemberInvited',
            data: {
              organisationId: org.registration.organisationId,
              invitationId: command.invitationId,
              name: command.name,
              email: command.email,
              roles: [...new Set(command.roles)],
              invitedBy: { id: command.by.id, name: command.by.name },
              expiresAt: command.expiresAt.toISOString(),
              at: command.now.toISOString(),
            },
          },
        ];
      }

      case 'RemoveMember': {
        const org = open(state);
        requireAdministrator(org, command.by, 'administratorsRemoveMembers');
        const member = org.members.get(command.accountId);
        if (!member) throw new NotFound('member');
        if (member.roles.includes('administrator') && administrators(org) <= 1) throw lastAdministrator();
        return [
          {
            type: 'MemberRemoved',
            data: { organisationId: org.registration.organisationId, accountId: command.accountId, left: false, by: actor(command.by), at: command.now.toISOString() },
          },
        ];
      }

      case 'LeaveOrganisation': {
        const org = open(state);
        const member = command.by.accountId ? org.members.get(command.by.accountId) : undefined;
        if (!member || !command.by.accountId) throw new NotFound('organisation');
        if (member.roles.includes('administrator') && administrators(org) <= 1) throw lastAdministrator();
        return [
          {
            type: 'MemberRemoved',
            data: { organisationId: org.registration.organisationId, accountId: command.by.accountId, left: true, by: actor(command.by), at: command.now.toISOString() },
          },
        ];
      }

      case 'MergeMember': {
        const org = open(state);
        const from = org.members.get(command.fromAccountId);
        if (!from || command.fromAccountId === command.into.accountId) return [];
        const organisationId = org.registration.organisationId;
        const at = command.now.toISOString();
        const known = org.members.get(command.into.accountId);
        const carried: OrganisationEvent[] = [];
        if (!known) {
          carried.push({ type: 'MemberJoined', data: { organisationId, ...command.into, roles: from.roles, joinedAt: at } });
        } else {
          const roles = [...new Set([...known.roles, ...from.roles])];
          if (roles.length !== known.roles.length) {
            carried.push({ type: 'MemberRolesChanged', data: { organisationId, accountId: command.into.accountId, roles, previousRoles: known.roles, byStaff: false } });
          }
        }
        const by = { id: command.into.accountId, name: command.into.name, staff: false };
        return [...carried, { type: 'MemberRemoved', data: { organisationId, accountId: command.fromAccountId, left: false, by, at } }];
      }

      case 'SignAgreement': {
        const org = open(state);
        const named = command.by.personalNumberDigest !== null && command.by.personalNumberDigest === org.registration.signatory.personalNumberDigest;
        if (!named && !holds(org, command.by.accountId, 'signatory')) {
          requireVisible(org, command.by);
          throw new Forbidden('signatoryOnly');
        }
        if (org.agreementSigned) throw DomainError.conflict('AGREEMENT_ALREADY_SIGNED', 'The customer agreement is signed already.');
        return [
          {
            type: 'AgreementSigned',
            data: {
              organisationId: org.registration.organisationId,
              signedBy: { id: command.by.id, name: command.by.name },
              method: command.method,
              signedAt: command.now.toISOString(),
            },
          },
        ];
      }

      case 'SetMemberRoles': {
        const org = open(state);
        requireVisible(org, command.by);
        if (!command.by.staff && !holds(org, command.by.accountId, 'administrator')) {
          throw new Forbidden('administratorsSetRoles');
        }
        const member = org.members.get(command.accountId);
        if (!member) throw new NotFound('member');
        const roles = [...new Set(command.roles)];
        if (!command.by.staff && member.roles.includes('administrator') && !roles.includes('administrator')) {
          if (administrators(org) <= 1) throw lastAdministrator();
        }
        return [
          {
            type: 'MemberRolesChanged',
            data: {
              organisationId: org.registration.organisationId,
              accountId: command.accountId,
              roles,
              previousRoles: member.roles,
              byStaff: command.by.staff,
            },
          },
        ];
      }

      case 'LinkAgent': {
        const org = open(state);
        if (!command.by.staff) throw new Forbidden('staffLinkAgents');
        if (command.agentOrganisationId === org.registration.organisationId) {
          throw DomainError.rule('INVALID_AGENT', 'An organisation cannot be its own agent.');
        }
        if (org.agents.has(command.agentOrganisationId)) {
          throw DomainError.conflict('AGENT_ALREADY_LINKED', 'That agent is linked already.');
        }
        return [
          { type: 'AgentLinked', data: { organisationId: org.registration.organisationId, agentOrganisationId: command.agentOrganisationId } },
        ];
      }

      case 'MoveMergedAgent': {
        // A merged customer record's agents went to its own kept record when that took it in.
        if (!state.exists || state.mergedInto || !state.agents.has(command.agentOrganisationId)) return [];
        const organisationId = state.registration.organisationId;
        const { agentOrganisationId, mergedInto } = command;
        const unlinked: OrganisationEvent = {
          type: 'AgentUnlinked',
          data: { organisationId, agentOrganisationId, reason: 'agent-merged', mergedInto, at: command.now.toISOString() },
        };
        if (mergedInto === organisationId || state.agents.has(mergedInto)) return [unlinked];
        return [unlinked, { type: 'AgentLinked', data: { organisationId, agentOrganisationId: mergedInto } }];
      }

      case 'SetUserLimit': {
        const org = open(state);
        requireVisible(org, command.by);
        if (!command.by.staff && !holds(org, command.by.accountId, 'administrator')) {
          throw new Forbidden('userLimit');
        }
        return [
          {
            type: 'UserLimitSet',
            data: { organisationId: org.registration.organisationId, limit: command.limit, previous: org.userLimit, byStaff: command.by.staff },
          },
        ];
      }

      case 'MergeInto': {
        const org = existing(state);
        if (!command.by.staff) throw new Forbidden('staffMerge');
        if (org.mergedInto === command.into) return [];
        if (org.mergedInto) throw DomainError.conflict('ORGANISATION_MERGED', `This record was merged into ${org.mergedInto} already.`).withParams({ into: org.mergedInto });
        if (command.into === org.registration.organisationId) throw DomainError.rule('INVALID_MERGE', 'An organisation cannot be merged into itself.');
        return [{ type: 'OrganisationMergedInto', data: { organisationId: org.registration.organisationId, into: command.into, at: command.now.toISOString() } }];
      }

      case 'AbsorbDuplicate': {
        const org = open(state);
        if (!command.by.staff) throw new Forbidden('staffMerge');
        if (org.absorbed.has(command.duplicate.duplicateOrganisationId)) return [];
        return [{ type: 'DuplicateOrganisationAbsorbed', data: { ...command.duplicate, organisationId: org.registration.organisationId } }];
      }

      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'OrganisationRegistered':
        return {
          exists: true,
          registration: event.data,
          members: new Map(),
          requests: new Map(),
          invitations: new Map(),
          past: new Map(),
          agreementSigned: false,
          agents: new Set(),
          userLimit: null,
          mergedInto: null,
          absorbed: new Set(),
        };
      case 'MemberJoined': {
        if (!state.exists) return state;
        const members = new Map(state.members);
        members.set(event.data.accountId, {
          roles: event.data.roles,
          personalNumberDigest: event.data.personalNumberDigest,
          name: event.data.name,
          email: event.data.email,
        });
        const requests = new Map(state.requests);
        requests.delete(event.data.accountId);
        const past = new Map(state.past);
        past.delete(event.data.accountId);
        let invitations = state.invitations;
        if (event.data.invitationId) {
          invitations = new Map(invitations);
          invitations.delete(event.data.invitationId);
        }
        return { ...state, members, requests, past, invitations };
      }
      case 'JoinRequested': {
        if (!state.exists) return state;
        const { accountId, name, email, personalNumberDigest, requestedAt } = event.data;
        const past = new Map(state.past);
        past.delete(accountId);
        return { ...state, requests: new Map(state.requests).set(accountId, { name, email, personalNumberDigest, requestedAt }), past };
      }
      case 'JoinRequestDeclined': {
        if (!state.exists) return state;
        const requests = new Map(state.requests);
        requests.delete(event.data.accountId);
        return { ...state, requests, past: new Map(state.past).set(event.data.accountId, 'declined') };
      }
      case 'MemberInvited':
        return state.exists
          ? { ...state, invitations: new Map(state.invitations).set(event.data.invitationId, { roles: event.data.roles, expiresAt: event.data.expiresAt }) }
          : state;
      case 'MemberRemoved': {
        if (!state.exists) return state;
        const members = new Map(state.members);
        members.delete(event.data.accountId);
        return { ...state, members, past: new Map(state.past).set(event.data.accountId, event.data.left ? 'left' : 'removed') };
      }
      case 'MemberRolesChanged': {
        if (!state.exists) return state;
        const members = new Map(state.members);
        const member = members.get(event.data.accountId);
        if (member) members.set(event.data.accountId, { ...member, roles: event.data.roles });
        return { ...state, members };
      }
      case 'AgreementSigned':
        return state.exists ? { ...state, agreementSigned: true } : state;
      case 'AgentLinked':
        return state.exists ? { ...state, agents: new Set([...state.agents, event.data.agentOrganisationId]) } : state;
      case 'AgentUnlinked': {
        if (!state.exists) return state;
        const agents = new Set(state.agents);
        agents.delete(event.data.agentOrganisationId);
        return { ...state, agents };
      }
      case 'UserLimitSet':
        return state.exists ? { ...state, userLimit: event.data.limit } : state;
      case 'OrganisationMergedInto':
        return state.exists ? { ...state, mergedInto: event.data.into } : state;
      case 'DuplicateOrganisationAbsorbed': {
        if (!state.exists) return state;
        // Someone on both records keeps the roles of both.
        const members = new Map(state.members);
        for (const m of event.data.members) {
          const known = members.get(m.accountId);
          members.set(m.accountId, {
            roles: [...new Set([...(known?.roles ?? []), ...m.roles])],
            personalNumberDigest: known?.personalNumberDigest ?? m.personalNumberDigest,
            name: known?.name ?? m.name,
            email: known?.email ?? m.email,
          });
        }
        // Members of the duplicate are members here now, whatever they asked or were before.
        const requests = new Map(state.requests);
        const past = new Map(state.past);
        for (const m of event.data.members) {
          requests.delete(m.accountId);
          past.delete(m.accountId);
        }
        const agents = new Set([...state.agents, ...event.data.agentOrganisationIds]);
        agents.delete(state.registration.organisationId);
        return { ...state, members, requests, past, agents, absorbed: new Set([...state.absorbed, event.data.duplicateOrganisationId]) };
      }
      default:
        return assertNever(event);
    }
  },
};
