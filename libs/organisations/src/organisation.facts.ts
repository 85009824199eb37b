import { Injectable } from '@nestjs/common';
import { DomainError } from '@kundportal/kernel';
import { CommandExecutor } from '@kundportal/eventstore';
import { organisationDecider, OrganisationState } from './organisation/organisation.decider';
import type { Role } from './roles';
import { organisationStream } from './streams';

/** An organisation as it stands in the log: for other contexts' decisions, which must not act on a lagging read model. */
export interface OrganisationFacts {
  organisationId: string;
  name: string;
  organisationNumber: string;
  agreementSigned: boolean;
  agentOrganisationIds: string[];
  /** The most accounts the organisation wants; null when unlimited. */
  userLimit: number | null;
  memberCount: number;
  isMember(accountId: string | null): boolean;
  rolesOf(accountId: string | null): Role[];
  holders(role: Role): string[];
  /** Whether the invitation is open (not used, not expired) at that moment. */
  invitationOpen(invitationId: string, at: Date): boolean;
}

@Injectable()
export class OrganisationFactsReader {
  constructor(private readonly executor: CommandExecutor) {}

  /** The organisation now; null when it does not exist. A merged duplicate answers as the record it was merged into. */
  async read(organisationId: string): Promise<OrganisationFacts | null> {
    let id = organisationId;
    for (let hops = 0; hops < 5; hops++) {
      const { state } = await this.executor.load(organisationDecider, organisationStream(id));
      if (!state.exists || !state.mergedInto) return factsOf(state);
      id = state.mergedInto;
    }
    return null;
  }

  /** The organisation as it stood at a moment (for audit): events up to and including `at`. */
  async readAt(organisationId: string, at: Date): Promise<OrganisationFacts | null> {
    const { recorded } = await this.executor.load(organisationDecider, organisationStream(organisationId));
    let state = organisationDecider.initialState();
    for (const e of recorded) {
      if (Date.parse(e.metadata.occurredAt) > at.getTime()) break;
      state = organisationDecider.evolve(state, { type: e.type, data: e.data } as Parameters<typeof organisationDecider.evolve>[1]);
    }
    return factsOf(state);
  }
}

function factsOf(state: OrganisationState): OrganisationFacts | null {
  if (!state.exists) return null;
  const { members } = state;
  return {
    organisationId: state.registration.organisationId,
    name: state.registration.name,
    organisationNumber: state.registration.organisationNumber,
    agreementSigned: state.agreementSigned,
    agentOrganisationIds: [...state.agents],
    userLimit: state.userLimit,
    memberCount: members.size,
    isMember: (accountId) => accountId !== null && members.has(accountId),
    rolesOf: (accountId) => (accountId === null ? [] : members.get(accountId)?.roles ?? []),
    holders: (role) => [...members.entries()].filter(([, m]) => m.roles.includes(role)).map(([id]) => id),
    invitationOpen: (invitationId, at) => {
      const invitation = state.invitations.get(invitationId);
      return invitation !== undefined && Date.parse(invitation.expiresAt) > at.getTime();
    },
  };
}

/** Refuses one more account when the organisation's user limit is reached (`pending`: registrations waiting for approval). */
export function requireRoomFor(facts: OrganisationFacts, pending: number): void {
  if (facts.userLimit !== null && facts.memberCount + pending >= facts.userLimit) {
    throw DomainError.rule('ORGANISATION_USER_LIMIT_REACHED', `The organisation allows at most ${facts.userLimit} users.`).withParams({ limit: facts.userLimit });
  }
}
