import { assertNever, Decider, DomainError, Forbidden, NotFound } from '@kundportal/kernel';
import type { Role } from '../roles';
import { DuplicateOrganisationAbsorbed, OrganisationEvent, OrganisationRegistered } from './organisation.events';

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
      now: Date;
    }
  | { type: 'SignAgreement'; by: Acting; method: string; now: Date }
  | { type: 'SetMemberRoles'; accountId: string; roles: Role[]; by: Acting }
  | { type: 'LinkAgent'; agentOrganisationId: string; by: Acting }
  | { type: 'SetUserLimit'; limit: number | null; by: Acting }
  | { type: 'MergeInto'; into: string; now: Date; by: Acting }
  | { type: 'AbsorbDuplicate'; duplicate: DuplicateOrganisationAbsorbed['data']; by: Acting };

export interface Member {
  roles: Role[];
  personalNumberDigest: string | null;
  name: string;
  email: string;
}

export type OrganisationState =
  | { exists: false }
  | {
      exists: true;
      registration: OrganisationRegistered['data'];
      members: Map<string, Member>;
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
        if (digest && digest === org.registration.administrator.personalNumberDigest && !roles.includes('administrator')) roles.push('administrator');
        if (digest && digest === org.registration.signatory.personalNumberDigest && !roles.includes('signatory')) roles.push('signatory');
        return [
          {
            type: 'MemberJoined',
            data: {
              organisationId: org.registration.organisationId,
              accountId: command.accountId,
              name: command.name,
              email: command.email,
              personalNumberDigest: digest,
              roles,
              joinedAt: command.now.toISOString(),
            },
          },
        ];
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
          const administrators = [...org.members.values()].filter((m) => m.roles.includes('administrator')).length;
          if (administrators <= 1) {
            throw DomainError.rule('LAST_ADMINISTRATOR', 'The organisation must keep at least one administrator.');
          }
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
        return { ...state, members };
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
        const agents = new Set([...state.agents, ...event.data.agentOrganisationIds]);
        agents.delete(state.registration.organisationId);
        return { ...state, members, agents, absorbed: new Set([...state.absorbed, event.data.duplicateOrganisationId]) };
      }
      default:
        return assertNever(event);
    }
  },
};
