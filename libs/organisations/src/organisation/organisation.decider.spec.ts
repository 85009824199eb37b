import { DomainError, fold, Forbidden, NotFound } from '@kundportal/kernel';
import { DeciderSpecification } from '@kundportal/kernel/testing';
import type { Role } from '../roles';
import { Acting, OrganisationCommand, organisationDecider } from './organisation.decider';
import {
  AgentLinked,
  AgreementSigned,
  JoinRequestDeclined,
  JoinRequested,
  MemberInvited,
  MemberJoined,
  MemberRemoved,
  MemberRolesChanged,
  OrganisationEvent,
  OrganisationRegistered,
} from './organisation.events';

const spec = DeciderSpecification.for(organisationDecider);

const registeredAt = new Date('2026-03-04T13:30:00.000Z');
const now = new Date('2026-03-05T10:00:00.000Z');
const organisationId = 'organisation-1';
const applicationId = 'application-1';
const ADMIN_DIGEST = 'digest-anna';
const SIGNATORY_DIGEST = 'digest-sven';
const OTHER_DIGEST = 'digest-olle';

const registration: OrganisationRegistered['data'] = {
  organisationId,
  applicationId,
  organisationNumber: '212000-0142',
  name: 'Region Exempel',
  administrator: { name: 'Anna Admin', email: 'anna@region.example.se', personalNumberDigest: ADMIN_DIGEST },
  signatory: { name: 'Sven Signatär', email: 'sven@region.example.se', personalNumberDigest: SIGNATORY_DIGEST },
  agreementContact: { name: 'Karin Kontakt', email: 'karin@region.example.se' },
  registeredAt: registeredAt.toISOString(),
};
const registered: OrganisationRegistered = { type: 'OrganisationRegistered', data: registration };

const { registeredAt: _registeredAt, ...registrationFields } = registration;
const register = (overrides: Partial<typeof registrationFields> = {}): OrganisationCommand => ({
  type: 'RegisterOrganisation',
  ...registrationFields,
  ...overrides,
  now: registeredAt,
});

const joined = (accountId: string, roles: Role[], personalNumberDigest: string | null = null): MemberJoined => ({
  type: 'MemberJoined',
  data: {
    organisationId,
    accountId,
    name: `Name of ${accountId}`,
    email: `${accountId}@region.example.se`,
    personalNumberDigest,
    roles,
    joinedAt: now.toISOString(),
  },
});

const requested = (accountId: string, personalNumberDigest: string | null): JoinRequested => ({
  type: 'JoinRequested',
  data: { organisationId, accountId, name: `Name of ${accountId}`, email: `${accountId}@region.example.se`, personalNumberDigest, requestedAt: now.toISOString() },
});
const ANNA_ACTS = { id: 'acc-anna', name: 'Name of acc-anna', staff: false };
const declined = (accountId: string, reason: string | null = null): JoinRequestDeclined => ({
  type: 'JoinRequestDeclined',
  data: { organisationId, accountId, name: `Name of ${accountId}`, email: `${accountId}@region.example.se`, reason, by: ANNA_ACTS, at: now.toISOString() },
});
const invited = (invitationId: string, roles: Role[]): MemberInvited => ({
  type: 'MemberInvited',
  data: {
    organisationId,
    invitationId,
    name: 'Olle Inbjuden',
    email: 'olle@region.example.se',
    roles,
    invitedBy: { id: 'acc-anna', name: 'Name of acc-anna' },
    expiresAt: '2026-03-19T10:00:00.000Z',
    at: now.toISOString(),
  },
});
const removed = (accountId: string, left: boolean, by = ANNA_ACTS): MemberRemoved => ({
  type: 'MemberRemoved',
  data: { organisationId, accountId, left, by, at: now.toISOString() },
});

const rolesChanged = (accountId: string, roles: Role[], previousRoles: Role[], byStaff = false): MemberRolesChanged => ({
  type: 'MemberRolesChanged',
  data: { organisationId, accountId, roles, previousRoles, byStaff },
});

const signed = (by: Acting, method = 'bankid'): AgreementSigned => ({
  type: 'AgreementSigned',
  data: { organisationId, signedBy: { id: by.id, name: by.name }, method, signedAt: now.toISOString() },
});

const agentLinked = (agentOrganisationId: string): AgentLinked => ({
  type: 'AgentLinked',
  data: { organisationId, agentOrganisationId },
});

/** An account holder acting; `digest` is their personnummer digest (null for password sign-in). */
const member = (accountId: string, digest: string | null = null): Acting => ({
  id: accountId,
  name: `Name of ${accountId}`,
  accountId,
  personalNumberDigest: digest,
  staff: false,
});
const staff: Acting = { id: 'staff:kim', name: 'Kim Kundservice', accountId: null, personalNumberDigest: null, staff: true };
/** Signed in with e-ID, named as signatory in the application, no account yet. */
const namedSignatoryWithoutAccount: Acting = {
  id: 'person:sven',
  name: 'Sven Signatär',
  accountId: null,
  personalNumberDigest: SIGNATORY_DIGEST,
  staff: false,
};
const stranger: Acting = member('acc-stranger', OTHER_DIGEST);

const join = (accountId: string, personalNumberDigest: string | null): OrganisationCommand => ({
  type: 'JoinMember',
  accountId,
  name: `Name of ${accountId}`,
  email: `${accountId}@region.example.se`,
  personalNumberDigest,
  now,
});
const sign = (by: Acting, method = 'bankid'): OrganisationCommand => ({ type: 'SignAgreement', by, method, now });
const setRoles = (accountId: string, roles: Role[], by: Acting): OrganisationCommand => ({ type: 'SetMemberRoles', accountId, roles, by });
const linkAgent = (agentOrganisationId: string, by: Acting): OrganisationCommand => ({ type: 'LinkAgent', agentOrganisationId, by });

const isCode = (code: string, statusCode: number) => (e: DomainError) => e.code === code && e.statusCode === statusCode;

/** Anna (administrator), Sven (signatory) and Olle (no roles) have accounts. */
const withMembers: OrganisationEvent[] = [
  registered,
  joined('acc-anna', ['administrator'], ADMIN_DIGEST),
  joined('acc-sven', ['signatory'], SIGNATORY_DIGEST),
  joined('acc-olle', [], OTHER_DIGEST),
];
const withAdmin: OrganisationEvent[] = [registered, joined('acc-anna', ['administrator'], ADMIN_DIGEST)];
const anna = member('acc-anna', ADMIN_DIGEST);
const sven = member('acc-sven', SIGNATORY_DIGEST);
const olle = member('acc-olle', OTHER_DIGEST);

describe('organisationDecider', () => {
  describe('RegisterOrganisation', () => {
    it('registers the organisation from the approved application, stamped with the command time', () => {
      spec.given([]).when(register()).then([registered]);
    });

    it('is a retry when registered already from the same application: no events', () => {
      spec.given([registered]).when(register()).thenNothing();
      spec.given(withMembers).when(register()).thenNothing();
    });

    it('refuses registering again from another application: ORGANISATION_ALREADY_REGISTERED (409)', () => {
      spec
        .given([registered])
        .when(register({ applicationId: 'application-2' }))
        .thenThrows(DomainError, isCode('ORGANISATION_ALREADY_REGISTERED', 409));
    });
  });

  describe('JoinMember', () => {
    it('is NotFound when the organisation is not registered', () => {
      spec.given([]).when(join('acc-anna', ADMIN_DIGEST)).thenThrows(NotFound);
    });

    it('gives the person named as administrator the administrator role', () => {
      spec.given([registered]).when(join('acc-anna', ADMIN_DIGEST)).then([joined('acc-anna', ['administrator'], ADMIN_DIGEST)]);
    });

    it('gives the person named as signatory the signatory role', () => {
      spec.given([registered]).when(join('acc-sven', SIGNATORY_DIGEST)).then([joined('acc-sven', ['signatory'], SIGNATORY_DIGEST)]);
    });

    it('gives both roles to a person named as administrator and signatory', () => {
      const bothNamed: OrganisationRegistered = {
        type: 'OrganisationRegistered',
        data: { ...registration, signatory: { ...registration.signatory, personalNumberDigest: ADMIN_DIGEST } },
      };
      spec
        .given([bothNamed])
        .when(join('acc-anna', ADMIN_DIGEST))
        .then([joined('acc-anna', ['administrator', 'signatory'], ADMIN_DIGEST)]);
    });

    it('makes anyone else a join request, not a member: knowing the organisationsnummer grants nothing', () => {
      spec.given([registered]).when(join('acc-olle', OTHER_DIGEST)).then([requested('acc-olle', OTHER_DIGEST)]);
      spec.given([registered]).when(join('acc-pw', null)).then([requested('acc-pw', null)]);
    });

    it('joins a preapproved person (staff-approved registration, old portal account) active, with the roles they bring', () => {
      spec
        .given([registered])
        .when({ ...join('acc-pw', null), preapproved: true, roles: ['orderer'] } as OrganisationCommand)
        .then([joined('acc-pw', ['orderer'], null)]);
    });

    it('joins a person holding an open invitation active with its roles, and uses the invitation up', () => {
      const invitedThenJoined = { ...joined('acc-olle', ['attestant'], OTHER_DIGEST) };
      invitedThenJoined.data = { ...invitedThenJoined.data, invitationId: 'inv-1' };
      spec.given([...withAdmin, invited('inv-1', ['attestant'])]).when({ ...join('acc-olle', OTHER_DIGEST), invitationId: 'inv-1' } as OrganisationCommand).then([invitedThenJoined]);
      spec
        .given([...withAdmin, invited('inv-1', ['attestant']), invitedThenJoined, removed('acc-olle', false)])
        .when({ ...join('acc-olle', OTHER_DIGEST), invitationId: 'inv-1' } as OrganisationCommand)
        .thenThrows(DomainError, isCode('INVALID_TOKEN', 422));
    });

    it('someone named in the application whom the organisation removed asks again like anyone else; one who left rejoins', () => {
      const withSven = [...withAdmin, joined('acc-sven', ['signatory'], SIGNATORY_DIGEST)];
      spec.given([...withSven, removed('acc-sven', false)]).when(join('acc-sven', SIGNATORY_DIGEST)).then([requested('acc-sven', SIGNATORY_DIGEST)]);
      spec.given([...withSven, removed('acc-sven', true)]).when(join('acc-sven', SIGNATORY_DIGEST)).then([joined('acc-sven', ['signatory'], SIGNATORY_DIGEST)]);
    });

    it('refuses an expired or unknown invitation: INVALID_TOKEN (422)', () => {
      const late = { ...join('acc-olle', OTHER_DIGEST), invitationId: 'inv-1', now: new Date('2027-01-01T00:00:00Z') } as OrganisationCommand;
      spec.given([...withAdmin, invited('inv-1', [])]).when(late).thenThrows(DomainError, isCode('INVALID_TOKEN', 422));
      spec.given(withAdmin).when({ ...join('acc-olle', OTHER_DIGEST), invitationId: 'inv-x' } as OrganisationCommand).thenThrows(DomainError, isCode('INVALID_TOKEN', 422));
    });

    it('is a retry while the request waits; a declined or former member may ask again, but not through a reactor (onlyIfNew)', () => {
      spec.given([registered, requested('acc-olle', OTHER_DIGEST)]).when(join('acc-olle', OTHER_DIGEST)).thenNothing();
      const declinedOlle = [...withAdmin, requested('acc-olle', OTHER_DIGEST), declined('acc-olle')];
      spec.given(declinedOlle).when(join('acc-olle', OTHER_DIGEST)).then([requested('acc-olle', OTHER_DIGEST)]);
      spec.given(declinedOlle).when({ ...join('acc-olle', OTHER_DIGEST), onlyIfNew: true } as OrganisationCommand).thenNothing();
    });

    it('is a retry when the account is a member already: no events', () => {
      spec.given([registered, joined('acc-anna', ['administrator'], ADMIN_DIGEST)]).when(join('acc-anna', ADMIN_DIGEST)).thenNothing();
      // Roles changed since joining are not given back by a retried join.
      spec
        .given([registered, joined('acc-anna', ['administrator'], ADMIN_DIGEST), rolesChanged('acc-anna', [], ['administrator'], true)])
        .when(join('acc-anna', ADMIN_DIGEST))
        .thenNothing();
    });
  });

  describe('SignAgreement', () => {
    it('is NotFound when the organisation is not registered', () => {
      spec.given([]).when(sign(namedSignatoryWithoutAccount)).thenThrows(NotFound);
    });

    it('lets the signatory named in the application sign before they have an account', () => {
      spec.given([registered]).when(sign(namedSignatoryWithoutAccount, 'freja')).then([signed(namedSignatoryWithoutAccount, 'freja')]);
    });

    it('lets the named signatory sign as a member', () => {
      spec.given(withMembers).when(sign(sven)).then([signed(sven)]);
    });

    it('lets a member holding the signatory role sign, though not named in the application', () => {
      spec
        .given([...withMembers, rolesChanged('acc-olle', ['signatory'], [])])
        .when(sign(olle, 'siths'))
        .then([signed(olle, 'siths')]);
    });

    it('refuses a member without the signatory role: Forbidden', () => {
      spec.given(withMembers).when(sign(olle)).thenThrows(Forbidden);
      spec.given(withMembers).when(sign(anna)).thenThrows(Forbidden);
    });

    it('refuses a member whose signatory role was taken away, when not named: Forbidden', () => {
      spec
        .given([...withMembers, rolesChanged('acc-olle', ['signatory'], []), rolesChanged('acc-olle', [], ['signatory'])])
        .when(sign(olle))
        .thenThrows(Forbidden);
    });

    it('refuses staff, who are not the signatory: Forbidden', () => {
      spec.given(withMembers).when(sign(staff)).thenThrows(Forbidden);
    });

    it('tells a non-member the organisation does not exist: NotFound, not Forbidden', () => {
      spec.given(withMembers).when(sign(stranger)).thenThrows(NotFound);
      spec
        .given(withMembers)
        .when(sign({ id: 'person:x', name: 'X', accountId: null, personalNumberDigest: OTHER_DIGEST, staff: false }))
        .thenThrows(NotFound);
      spec
        .given(withMembers)
        .when(sign({ id: 'anonymous', name: 'Anonymous', accountId: null, personalNumberDigest: null, staff: false }))
        .thenThrows(NotFound);
    });

    it('refuses signing twice: AGREEMENT_ALREADY_SIGNED (409)', () => {
      spec
        .given([...withMembers, signed(sven)])
        .when(sign(sven))
        .thenThrows(DomainError, isCode('AGREEMENT_ALREADY_SIGNED', 409));
      spec
        .given([registered, signed(namedSignatoryWithoutAccount)])
        .when(sign(namedSignatoryWithoutAccount))
        .thenThrows(DomainError, isCode('AGREEMENT_ALREADY_SIGNED', 409));
    });

    it('checks who signs before whether it is signed: a non-signatory gets Forbidden, a non-member NotFound', () => {
      spec.given([...withMembers, signed(sven)]).when(sign(olle)).thenThrows(Forbidden);
      spec.given([...withMembers, signed(sven)]).when(sign(stranger)).thenThrows(NotFound);
    });
  });

  describe('SetMemberRoles', () => {
    it('is NotFound when the organisation is not registered', () => {
      spec.given([]).when(setRoles('acc-olle', ['orderer'], staff)).thenThrows(NotFound);
    });

    it('lets an administrator set a member’s roles, recording the previous ones', () => {
      spec
        .given(withMembers)
        .when(setRoles('acc-olle', ['orderer', 'attestant'], anna))
        .then([rolesChanged('acc-olle', ['orderer', 'attestant'], [], false)]);
      spec
        .given(withMembers)
        .when(setRoles('acc-sven', ['orderer'], anna))
        .then([rolesChanged('acc-sven', ['orderer'], ['signatory'], false)]);
    });

    it('drops repeated roles', () => {
      spec
        .given(withMembers)
        .when(setRoles('acc-olle', ['orderer', 'orderer', 'attestant', 'orderer'], anna))
        .then([rolesChanged('acc-olle', ['orderer', 'attestant'], [], false)]);
    });

    it('lets staff set roles, marked as by staff', () => {
      spec.given(withMembers).when(setRoles('acc-olle', ['attestant'], staff)).then([rolesChanged('acc-olle', ['attestant'], [], true)]);
    });

    it('lets the only administrator change their own roles while keeping administrator', () => {
      spec
        .given(withMembers)
        .when(setRoles('acc-anna', ['administrator', 'orderer'], anna))
        .then([rolesChanged('acc-anna', ['administrator', 'orderer'], ['administrator'], false)]);
    });

    it('refuses a member without the administrator role: Forbidden', () => {
      spec.given(withMembers).when(setRoles('acc-olle', ['orderer'], olle)).thenThrows(Forbidden);
      spec.given(withMembers).when(setRoles('acc-olle', ['orderer'], sven)).thenThrows(Forbidden);
    });

    it('refuses an administrator whose role was taken away: Forbidden', () => {
      spec
        .given([...withMembers, rolesChanged('acc-olle', ['administrator'], []), rolesChanged('acc-anna', [], ['administrator'])])
        .when(setRoles('acc-sven', [], anna))
        .thenThrows(Forbidden);
    });

    it('tells a non-member the organisation does not exist: NotFound, not Forbidden', () => {
      spec.given(withMembers).when(setRoles('acc-olle', ['orderer'], stranger)).thenThrows(NotFound);
      // Being named as administrator in the application is not membership.
      spec
        .given([registered])
        .when(setRoles('acc-olle', ['orderer'], { id: 'person:anna', name: 'Anna', accountId: null, personalNumberDigest: ADMIN_DIGEST, staff: false }))
        .thenThrows(NotFound);
    });

    it('is NotFound when the account is not a member', () => {
      spec.given(withMembers).when(setRoles('acc-stranger', ['orderer'], anna)).thenThrows(NotFound);
      spec.given(withMembers).when(setRoles('acc-stranger', ['orderer'], staff)).thenThrows(NotFound);
    });

    it('refuses an administrator removing the last administrator: LAST_ADMINISTRATOR (422)', () => {
      spec.given(withMembers).when(setRoles('acc-anna', ['orderer'], anna)).thenThrows(DomainError, isCode('LAST_ADMINISTRATOR', 422));
      spec.given(withMembers).when(setRoles('acc-anna', [], anna)).thenThrows(DomainError, isCode('LAST_ADMINISTRATOR', 422));
    });

    it('lets an administrator remove an administrator while another remains', () => {
      const twoAdministrators = [...withMembers, rolesChanged('acc-olle', ['administrator'], [])];
      spec
        .given(twoAdministrators)
        .when(setRoles('acc-anna', ['orderer'], anna))
        .then([rolesChanged('acc-anna', ['orderer'], ['administrator'], false)]);
      spec.given(twoAdministrators).when(setRoles('acc-olle', [], anna)).then([rolesChanged('acc-olle', [], ['administrator'], false)]);
    });

    it('counts administrators as they are now, not as they joined', () => {
      const annaDemoted = [
        ...withMembers,
        rolesChanged('acc-olle', ['administrator'], []),
        rolesChanged('acc-anna', [], ['administrator']),
      ];
      spec.given(annaDemoted).when(setRoles('acc-olle', [], olle)).thenThrows(DomainError, isCode('LAST_ADMINISTRATOR', 422));
    });

    it('lets staff remove the last administrator (repairing a lock-out)', () => {
      spec.given(withMembers).when(setRoles('acc-anna', [], staff)).then([rolesChanged('acc-anna', [], ['administrator'], true)]);
    });
  });

  describe('LinkAgent', () => {
    it('is NotFound when the organisation is not registered', () => {
      spec.given([]).when(linkAgent('organisation-agent', staff)).thenThrows(NotFound);
    });

    it('lets staff link an agent organisation', () => {
      spec.given([registered]).when(linkAgent('organisation-agent', staff)).then([agentLinked('organisation-agent')]);
    });

    it('lets staff link several agents', () => {
      spec.given([registered, agentLinked('organisation-agent')]).when(linkAgent('organisation-agent-2', staff)).then([agentLinked('organisation-agent-2')]);
    });

    it('refuses anyone but staff, administrators included: Forbidden', () => {
      spec.given(withMembers).when(linkAgent('organisation-agent', anna)).thenThrows(Forbidden);
      spec.given(withMembers).when(linkAgent('organisation-agent', olle)).thenThrows(Forbidden);
    });

    it('refuses the organisation as its own agent: INVALID_AGENT (422)', () => {
      spec.given([registered]).when(linkAgent(organisationId, staff)).thenThrows(DomainError, isCode('INVALID_AGENT', 422));
    });

    it('refuses an agent linked already: AGENT_ALREADY_LINKED (409)', () => {
      spec
        .given([registered, agentLinked('organisation-agent')])
        .when(linkAgent('organisation-agent', staff))
        .thenThrows(DomainError, isCode('AGENT_ALREADY_LINKED', 409));
    });
  });

  describe('join requests', () => {
    const waiting = [...withMembers, requested('acc-nils', null)];
    const nils = member('acc-nils', null);

    it('an administrator approves a join request with roles: the person joins, named as approved by them', () => {
      const approved = joined('acc-nils', ['orderer'], null);
      approved.data = { ...approved.data, approvedBy: { id: anna.id, name: anna.name, staff: false } };
      spec.given(waiting).when({ type: 'ApproveJoinRequest', accountId: 'acc-nils', roles: ['orderer', 'orderer'], by: anna, now }).then([approved]);
    });

    it('staff approve too; a request that is not waiting is NotFound', () => {
      const approved = joined('acc-nils', [], null);
      approved.data = { ...approved.data, approvedBy: { id: staff.id, name: staff.name, staff: true } };
      spec.given(waiting).when({ type: 'ApproveJoinRequest', accountId: 'acc-nils', roles: [], by: staff, now }).then([approved]);
      spec.given(withMembers).when({ type: 'ApproveJoinRequest', accountId: 'acc-nils', roles: [], by: anna, now }).thenThrows(NotFound);
    });

    it('members without the administrator role may not approve or decline (403); the person asking is no member (404)', () => {
      spec.given(waiting).when({ type: 'ApproveJoinRequest', accountId: 'acc-nils', roles: [], by: olle, now }).thenThrows(Forbidden);
      spec.given(waiting).when({ type: 'DeclineJoinRequest', accountId: 'acc-nils', reason: null, by: sven, now }).thenThrows(Forbidden);
      spec.given(waiting).when({ type: 'ApproveJoinRequest', accountId: 'acc-nils', roles: [], by: nils, now }).thenThrows(NotFound);
    });

    it('refuses approving past the organisation’s user limit: ORGANISATION_USER_LIMIT_REACHED (422)', () => {
      const full: OrganisationEvent = { type: 'UserLimitSet', data: { organisationId, limit: 3, previous: null, byStaff: true } };
      spec
        .given([...waiting, full])
        .when({ type: 'ApproveJoinRequest', accountId: 'acc-nils', roles: [], by: anna, now })
        .thenThrows(DomainError, isCode('ORGANISATION_USER_LIMIT_REACHED', 422));
    });

    it('an administrator declines with an optional reason', () => {
      spec.given(waiting).when({ type: 'DeclineJoinRequest', accountId: 'acc-nils', reason: 'Unknown to us', by: anna, now }).then([declined('acc-nils', 'Unknown to us')]);
    });
  });

  describe('invitations', () => {
    it('an administrator invites by name and e-mail, with roles', () => {
      spec
        .given(withMembers)
        .when({ type: 'InviteMember', invitationId: 'inv-1', name: 'Olle Inbjuden', email: 'olle@region.example.se', roles: ['attestant'], expiresAt: new Date('2026-03-19T10:00:00.000Z'), by: anna, now })
        .then([invited('inv-1', ['attestant'])]);
    });

    it('nobody else invites: members 403, outsiders 404', () => {
      const invite = (by: Acting): OrganisationCommand => ({ type: 'InviteMember', invitationId: 'inv-1', name: 'X', email: 'x@x.se', roles: [], expiresAt: now, by, now });
      spec.given(withMembers).when(invite(olle)).thenThrows(Forbidden);
      spec.given(withMembers).when(invite(stranger)).thenThrows(NotFound);
    });
  });

  describe('removing and leaving', () => {
    it('an administrator or staff remove a member; a member leaves', () => {
      spec.given(withMembers).when({ type: 'RemoveMember', accountId: 'acc-olle', by: anna, now }).then([removed('acc-olle', false)]);
      spec
        .given(withMembers)
        .when({ type: 'RemoveMember', accountId: 'acc-olle', by: staff, now })
        .then([removed('acc-olle', false, { id: staff.id, name: staff.name, staff: true })]);
      spec
        .given(withMembers)
        .when({ type: 'LeaveOrganisation', by: olle, now })
        .then([removed('acc-olle', true, { id: olle.id, name: olle.name, staff: false })]);
    });

    it('refuses removing or leaving the last administrator: LAST_ADMINISTRATOR (422), staff included', () => {
      spec.given(withMembers).when({ type: 'RemoveMember', accountId: 'acc-anna', by: staff, now }).thenThrows(DomainError, isCode('LAST_ADMINISTRATOR', 422));
      spec.given(withMembers).when({ type: 'LeaveOrganisation', by: anna, now }).thenThrows(DomainError, isCode('LAST_ADMINISTRATOR', 422));
      spec
        .given([...withMembers, rolesChanged('acc-olle', ['administrator'], [])])
        .when({ type: 'LeaveOrganisation', by: anna, now })
        .then([removed('acc-anna', true)]);
    });

    it('a removed member is no member: cannot act, cannot leave again (404)', () => {
      const gone = [...withMembers, removed('acc-olle', false)];
      spec.given(gone).when({ type: 'LeaveOrganisation', by: olle, now }).thenThrows(NotFound);
      spec.given(gone).when({ type: 'RemoveMember', accountId: 'acc-olle', by: anna, now }).thenThrows(NotFound);
      spec.given([...gone, rolesChanged('acc-olle', ['administrator'], [])]).when(setRoles('acc-sven', [], olle)).thenThrows(NotFound);
    });

    it('members without the administrator role may not remove others (403)', () => {
      spec.given(withMembers).when({ type: 'RemoveMember', accountId: 'acc-sven', by: olle, now }).thenThrows(Forbidden);
    });
  });

  describe('merging an old-portal account into an e-ID account', () => {
    const into = { accountId: 'acc-eid', name: 'Name of acc-eid', email: 'acc-eid@region.example.se', personalNumberDigest: 'digest-eid' };
    const merge: OrganisationCommand = { type: 'MergeMember', fromAccountId: 'acc-olle', into, now };
    const byInto = { id: 'acc-eid', name: 'Name of acc-eid', staff: false };
    const legacy = [registered, joined('acc-anna', ['administrator'], ADMIN_DIGEST), joined('acc-olle', ['orderer', 'attestant'])];

    it('the e-ID account joins with the old account’s roles, and the old account leaves the organisation', () => {
      spec.given(legacy).when(merge).then([joined('acc-eid', ['orderer', 'attestant'], 'digest-eid'), removed('acc-olle', false, byInto)]);
    });

    it('an e-ID account that is a member already gets the roles of both', () => {
      spec
        .given([...legacy, joined('acc-eid', ['attestant', 'signatory'], 'digest-eid')])
        .when(merge)
        .then([
          { type: 'MemberRolesChanged', data: { organisationId, accountId: 'acc-eid', roles: ['attestant', 'signatory', 'orderer'], previousRoles: ['attestant', 'signatory'], byStaff: false } },
          removed('acc-olle', false, byInto),
        ]);
    });

    it('carries nothing when the old account is no member (any more), and is a retry once done', () => {
      spec.given([...legacy, removed('acc-olle', false)]).when(merge).thenNothing();
      spec.given([...legacy, joined('acc-eid', ['orderer', 'attestant'], 'digest-eid'), removed('acc-olle', false, byInto)]).when(merge).thenNothing();
    });
  });

  describe('evolve', () => {
    const state = (events: OrganisationEvent[]) => fold(organisationDecider, events);

    it('starts with no organisation', () => {
      expect(state([])).toEqual({ exists: false });
    });

    it('OrganisationRegistered: exists, no members, agreement unsigned, no agents, no user limit', () => {
      expect(state([registered])).toEqual({
        exists: true,
        registration,
        members: new Map(),
        requests: new Map(),
        invitations: new Map(),
        past: new Map(),
        agreementSigned: false,
        agents: new Set(),
        userLimit: null,
        mergedInto: null,
        absorbed: new Set(),
      });
    });

    it('MemberJoined adds the member with their roles and digest', () => {
      const s = state(withMembers);
      expect(s.exists && s.members).toEqual(
        new Map([
          ['acc-anna', { roles: ['administrator'], personalNumberDigest: ADMIN_DIGEST, name: 'Name of acc-anna', email: 'acc-anna@region.example.se' }],
          ['acc-sven', { roles: ['signatory'], personalNumberDigest: SIGNATORY_DIGEST, name: 'Name of acc-sven', email: 'acc-sven@region.example.se' }],
          ['acc-olle', { roles: [], personalNumberDigest: OTHER_DIGEST, name: 'Name of acc-olle', email: 'acc-olle@region.example.se' }],
        ]),
      );
    });

    it('MemberRolesChanged replaces the member’s roles and keeps the digest', () => {
      const s = state([...withMembers, rolesChanged('acc-olle', ['orderer', 'attestant'], [])]);
      expect(s.exists && s.members.get('acc-olle')).toEqual({
        roles: ['orderer', 'attestant'],
        personalNumberDigest: OTHER_DIGEST,
        name: 'Name of acc-olle',
        email: 'acc-olle@region.example.se',
      });
    });

    it('MemberRolesChanged for an unknown account changes nothing', () => {
      expect(state([...withMembers, rolesChanged('acc-stranger', ['orderer'], [])])).toEqual(state(withMembers));
    });

    it('AgreementSigned marks the agreement signed', () => {
      const s = state([registered, signed(namedSignatoryWithoutAccount)]);
      expect(s.exists && s.agreementSigned).toBe(true);
    });

    it('AgentLinked adds the agent', () => {
      const s = state([registered, agentLinked('organisation-agent'), agentLinked('organisation-agent-2')]);
      expect(s.exists && s.agents).toEqual(new Set(['organisation-agent', 'organisation-agent-2']));
    });

    it('ignores events before the registration', () => {
      const early: OrganisationEvent[] = [joined('acc-anna', ['administrator']), rolesChanged('acc-anna', [], []), signed(sven), agentLinked('x')];
      expect(state(early)).toEqual({ exists: false });
    });

    const history: OrganisationEvent[] = [
      ...withMembers,
      rolesChanged('acc-olle', ['orderer', 'attestant'], []),
      signed(sven),
      agentLinked('organisation-agent'),
    ];

    it('is deterministic: folding the same events twice gives equal state', () => {
      expect(state(history)).toEqual(state(history));
    });

    it('does not change an earlier state when folding further', () => {
      const before = state(withMembers);
      const snapshot = structuredClone(before);
      history.slice(withMembers.length).reduce(organisationDecider.evolve, before);
      expect(before).toEqual(snapshot);
    });
  });
});

describe('organisationDecider › SetUserLimit', () => {
  const spec = DeciderSpecification.for(organisationDecider);
  const admin = { id: 'acc-admin', name: 'Anna', accountId: 'acc-admin', personalNumberDigest: null, staff: false };
  const member = { ...admin, id: 'acc-member', accountId: 'acc-member' };
  const staff = { id: 'staff:1', name: 'Stina', accountId: null, personalNumberDigest: null, staff: true };
  const outsider = { ...admin, id: 'acc-x', accountId: 'acc-x' };
  const joined = (accountId: string, roles: ('administrator' | 'orderer')[]) => ({
    type: 'MemberJoined' as const,
    data: { organisationId: registration.organisationId, accountId, name: accountId, email: `${accountId}@x.se`, personalNumberDigest: null, roles, joinedAt: '2026-01-02T00:00:00.000Z' },
  });
  const given = [registered, joined('acc-admin', ['administrator']), joined('acc-member', ['orderer'])];

  it('is set by an administrator or staff, and can be lifted with null', () => {
    spec.given(given).when({ type: 'SetUserLimit', limit: 10, by: admin }).then([
      { type: 'UserLimitSet', data: { organisationId: registration.organisationId, limit: 10, previous: null, byStaff: false } },
    ]);
    const limited = [...given, { type: 'UserLimitSet' as const, data: { organisationId: registration.organisationId, limit: 10, previous: null, byStaff: false } }];
    spec.given(limited).when({ type: 'SetUserLimit', limit: null, by: staff }).then([
      { type: 'UserLimitSet', data: { organisationId: registration.organisationId, limit: null, previous: 10, byStaff: true } },
    ]);
  });

  it('is refused to members without the administrator role (403) and hidden from outsiders (404)', () => {
    spec.given(given).when({ type: 'SetUserLimit', limit: 10, by: member }).thenThrows(Forbidden);
    spec.given(given).when({ type: 'SetUserLimit', limit: 10, by: outsider }).thenThrows(NotFound);
  });
});

describe('organisationDecider › merging duplicate records', () => {
  const spec = DeciderSpecification.for(organisationDecider);
  const staff = { id: 'staff:1', name: 'Stina', accountId: null, personalNumberDigest: null, staff: true };
  const admin = { id: 'acc-admin', name: 'Anna', accountId: 'acc-admin', personalNumberDigest: null, staff: false };
  const now = new Date('2026-03-01T10:00:00.000Z');
  const orgId = registration.organisationId;
  const mergedInto = { type: 'OrganisationMergedInto' as const, data: { organisationId: orgId, into: 'org-kept', at: now.toISOString() } };
  const joined = {
    type: 'MemberJoined' as const,
    data: { organisationId: orgId, accountId: 'acc-admin', name: 'Anna', email: 'anna@x.se', personalNumberDigest: null, roles: ['administrator' as const], joinedAt: now.toISOString() },
  };
  const absorbed = (roles: ('administrator' | 'orderer' | 'attestant')[]) => ({
    type: 'DuplicateOrganisationAbsorbed' as const,
    data: {
      organisationId: orgId,
      duplicateOrganisationId: 'org-dup',
      members: [{ accountId: 'acc-admin', name: 'Anna', email: 'anna@x.se', personalNumberDigest: null, roles }],
      agentOrganisationIds: ['org-agent', orgId],
      at: now.toISOString(),
    },
  });

  it('closes the duplicate (staff only, once, never into itself)', () => {
    spec.given([registered]).when({ type: 'MergeInto', into: 'org-kept', now, by: staff }).then([mergedInto]);
    spec.given([registered, mergedInto]).when({ type: 'MergeInto', into: 'org-kept', now, by: staff }).thenNothing();
    spec.given([registered, mergedInto]).when({ type: 'MergeInto', into: 'org-other', now, by: staff }).thenThrows(DomainError, (e) => e.code === 'ORGANISATION_MERGED');
    spec.given([registered]).when({ type: 'MergeInto', into: orgId, now, by: staff }).thenThrows(DomainError, (e) => e.code === 'INVALID_MERGE');
    spec.given([registered]).when({ type: 'MergeInto', into: 'org-kept', now, by: admin }).thenThrows(Forbidden);
  });

  it('refuses every change on a merged duplicate with 409 ORGANISATION_MERGED', () => {
    spec
      .given([registered, joined, mergedInto])
      .when({ type: 'SetMemberRoles', accountId: 'acc-admin', roles: ['orderer'], by: staff })
      .thenThrows(DomainError, (e) => e.code === 'ORGANISATION_MERGED' && e.statusCode === 409);
    spec
      .given([registered, mergedInto])
      .when({ type: 'JoinMember', accountId: 'acc-x', name: 'X', email: 'x@x.se', personalNumberDigest: null, now })
      .thenThrows(DomainError, (e) => e.code === 'ORGANISATION_MERGED');
  });

  it('takes in the duplicate once, and someone on both records keeps the roles of both', () => {
    const duplicate = absorbed(['orderer'])['data'];
    spec.given([registered, joined]).when({ type: 'AbsorbDuplicate', duplicate, by: staff }).then([absorbed(['orderer'])]);
    spec.given([registered, joined, absorbed(['orderer'])]).when({ type: 'AbsorbDuplicate', duplicate, by: staff }).thenNothing();
    const s = fold(organisationDecider, [registered, joined, absorbed(['orderer'])]);
    expect(s.exists && s.members.get('acc-admin')?.roles).toEqual(['administrator', 'orderer']);
    expect(s.exists && [...s.agents]).toEqual(['org-agent']);
  });

  it('a member of the duplicate who only asked to join here, or was removed here, is a member now', () => {
    const asked = { type: 'JoinRequested' as const, data: { organisationId: orgId, accountId: 'acc-admin', name: 'Anna', email: 'anna@x.se', personalNumberDigest: null, requestedAt: now.toISOString() } };
    const s = fold(organisationDecider, [registered, asked, absorbed(['orderer'])]);
    expect(s.exists && [s.members.get('acc-admin')?.roles, s.requests.has('acc-admin'), s.past.has('acc-admin')]).toEqual([['orderer'], false, false]);
  });
});

describe('organisationDecider › an agent whose record is merged into another', () => {
  const spec = DeciderSpecification.for(organisationDecider);
  const at = new Date('2026-03-06T08:00:00.000Z');
  const move = (agentOrganisationId: string, mergedInto: string): OrganisationCommand => ({ type: 'MoveMergedAgent', agentOrganisationId, mergedInto, now: at });
  const unlinked = (agentOrganisationId: string, mergedInto: string): OrganisationEvent => ({
    type: 'AgentUnlinked',
    data: { organisationId, agentOrganisationId, reason: 'agent-merged', mergedInto, at: at.toISOString() },
  });

  it('moves the link to the record that lives on: the merged record is nobody’s agent, the kept one is the agent', () => {
    spec.given([registered, agentLinked('org-dup-agent')]).when(move('org-dup-agent', 'org-kept-agent')).then([unlinked('org-dup-agent', 'org-kept-agent'), agentLinked('org-kept-agent')]);
    const s = fold(organisationDecider, [registered, agentLinked('org-dup-agent'), unlinked('org-dup-agent', 'org-kept-agent'), agentLinked('org-kept-agent')]);
    expect(s.exists && [...s.agents]).toEqual(['org-kept-agent']);
  });

  it('only ends the link when the kept record is linked already, or is the organisation itself', () => {
    spec.given([registered, agentLinked('org-dup-agent'), agentLinked('org-kept-agent')]).when(move('org-dup-agent', 'org-kept-agent')).then([unlinked('org-dup-agent', 'org-kept-agent')]);
    spec.given([registered, agentLinked('org-dup-agent')]).when(move('org-dup-agent', organisationId)).then([unlinked('org-dup-agent', organisationId)]);
    const s = fold(organisationDecider, [registered, agentLinked('org-dup-agent'), unlinked('org-dup-agent', organisationId)]);
    expect(s.exists && [...s.agents]).toEqual([]);
  });

  it('changes nothing when the link is gone already (a replay), on a merged customer record, or on no organisation', () => {
    const moved = [registered, agentLinked('org-dup-agent'), unlinked('org-dup-agent', 'org-kept-agent'), agentLinked('org-kept-agent')];
    spec.given(moved).when(move('org-dup-agent', 'org-kept-agent')).thenNothing();
    spec.given([registered]).when(move('org-dup-agent', 'org-kept-agent')).thenNothing();
    const mergedCustomer: OrganisationEvent = { type: 'OrganisationMergedInto', data: { organisationId, into: 'org-kept-customer', at: at.toISOString() } };
    spec.given([registered, agentLinked('org-dup-agent'), mergedCustomer]).when(move('org-dup-agent', 'org-kept-agent')).thenNothing();
    spec.given([]).when(move('org-dup-agent', 'org-kept-agent')).thenNothing();
  });
});
