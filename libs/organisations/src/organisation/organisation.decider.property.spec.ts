import fc from 'fast-check';
import { DomainError, fold, Forbidden, NotFound } from '@kundportal/kernel';
import { ACCEPTED, asStored, DecidedStep, decideInTurn, Outcome, outcomeOf, refusal, UNCHANGED } from '@kundportal/kernel/testing';
import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { COLLECTIONS, MemberDoc, OrganisationDoc, organisationsProjection } from '../organisation.projections';
import { Role, ROLES } from '../roles';
import { organisationStream } from '../streams';
import { Acting, OrganisationCommand, organisationDecider, OrganisationState } from './organisation.decider';
import { OrganisationEvent, OrganisationRegistered } from './organisation.events';

const organisationId = 'organisation-1';
const registeredAt = new Date('2026-03-04T13:30:00.000Z');
const at = (minutes: number) => new Date(registeredAt.getTime() + minutes * 60_000);
const ADMIN_DIGEST = 'digest-anna';
const SIGNATORY_DIGEST = 'digest-sven';

const registration: Omit<OrganisationRegistered['data'], 'registeredAt' | 'applicationId'> = {
  organisationId,
  organisationNumber: '212000-0142',
  name: 'Region Exempel',
  administrator: { name: 'Anna Admin', email: 'anna@region.example.se', personalNumberDigest: ADMIN_DIGEST },
  signatory: { name: 'Sven Signatär', email: 'sven@region.example.se', personalNumberDigest: SIGNATORY_DIGEST },
  agreementContact: { name: 'Karin Kontakt', email: 'karin@region.example.se' },
};

/** Account holders who may join: the administrator and signatory the application named, and others (one without a personnummer). */
const ACCOUNTS = {
  anna: { accountId: 'acc-anna', digest: ADMIN_DIGEST },
  sven: { accountId: 'acc-sven', digest: SIGNATORY_DIGEST },
  olle: { accountId: 'acc-olle', digest: 'digest-olle' },
  pia: { accountId: 'acc-pia', digest: null },
} satisfies Record<string, { accountId: string; digest: string | null }>;
type Account = keyof typeof ACCOUNTS;
const member = (key: Account): Acting => ({ id: ACCOUNTS[key].accountId, name: key, accountId: ACCOUNTS[key].accountId, personalNumberDigest: ACCOUNTS[key].digest, staff: false });

/** Members (once they have joined), the named signatory before having an account, a member of another organisation, and staff. */
const CALLERS = {
  anna: member('anna'),
  sven: member('sven'),
  olle: member('olle'),
  pia: member('pia'),
  signatoryWithoutAccount: { id: 'person:sven', name: 'Sven Signatär', accountId: null, personalNumberDigest: SIGNATORY_DIGEST, staff: false },
  otherOrganisation: { id: 'acc-otto', name: 'Otto', accountId: 'acc-otto', personalNumberDigest: 'digest-otto', staff: false },
  staff: { id: 'staff:kim', name: 'Kim Kundservice', accountId: null, personalNumberDigest: null, staff: true },
} satisfies Record<string, Acting>;
type Caller = keyof typeof CALLERS;

type Intent =
  | { kind: 'register'; applicationId: string }
  | { kind: 'join'; account: Account; roles: Role[] }
  | { kind: 'sign'; caller: Caller }
  | { kind: 'set-roles'; caller: Caller; account: Account | 'otto'; roles: Role[] }
  | { kind: 'link-agent'; caller: Caller; agent: string }
  | { kind: 'set-user-limit'; caller: Caller; limit: number | null }
  | { kind: 'merge-into'; caller: Caller; into: string }
  | { kind: 'absorb'; caller: Caller; duplicate: string; members: Array<{ account: Account; roles: Role[] }>; agents: string[] };

const caller = fc.constantFrom(...(Object.keys(CALLERS) as Caller[]));
const staffOrAnyone = fc.oneof(fc.constant<Caller>('staff'), caller);
const account = fc.constantFrom(...(Object.keys(ACCOUNTS) as Account[]));
/** Roles as given, repeats included: the decider keeps each once. */
const roles = fc.array(fc.constantFrom(...ROLES), { maxLength: 4 });
const organisationIds = fc.constantFrom('organisation-agent', 'organisation-kept', organisationId);
const intent: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('register' as const), applicationId: fc.constantFrom('application-1', 'application-2') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('join' as const), account, roles: fc.oneof(fc.constant<Role[]>([]), roles) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sign' as const), caller }) },
  // Roles are set by the named administrator or staff half the time, by anyone else otherwise.
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('set-roles' as const),
      caller: fc.oneof(fc.constantFrom<Caller>('anna', 'staff'), caller),
      account: fc.oneof(account, fc.constant('otto' as const)),
      roles,
    }),
  },
  // Staff's own commands are asked by staff half the time, so they are taken often enough to check.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('link-agent' as const), caller: staffOrAnyone, agent: organisationIds }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('set-user-limit' as const), caller, limit: fc.option(fc.integer({ min: 1, max: 50 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('merge-into' as const), caller, into: organisationIds }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('absorb' as const),
      caller: staffOrAnyone,
      duplicate: fc.constantFrom('organisation-dup-1', 'organisation-dup-2'),
      // The duplicate's members as its record holds them: each role once.
      members: fc.array(fc.record({ account, roles: fc.subarray([...ROLES]) }), { maxLength: 3 }),
      agents: fc.subarray(['organisation-agent', 'organisation-agent-2', organisationId]),
    }),
  },
);
/** Most sequences start from the registered organisation with some of the people joined, so there are roles to change. */
const opening = fc.option(
  fc.subarray(Object.keys(ACCOUNTS) as Account[]).map((joining): Intent[] => [
    { kind: 'register', applicationId: 'application-1' },
    ...joining.map((key): Intent => ({ kind: 'join', account: key, roles: [] })),
  ]),
  { freq: 10 },
);
const intents = fc.tuple(opening, fc.array(intent, { maxLength: 40, size: 'max' })).map(([first, rest]) => [...(first ?? []), ...rest]);

const commandFor = (i: Intent, _state: OrganisationState, index: number): OrganisationCommand => {
  const now = at(index + 1);
  switch (i.kind) {
    case 'register':
      return { type: 'RegisterOrganisation', ...registration, applicationId: i.applicationId, now };
    case 'join': {
      const { accountId, digest } = ACCOUNTS[i.account];
      return { type: 'JoinMember', accountId, name: i.account, email: `${i.account}@region.example.se`, personalNumberDigest: digest, roles: i.roles, preapproved: true, now };
    }
    case 'sign':
      return { type: 'SignAgreement', by: CALLERS[i.caller], method: 'bankid', now };
    case 'set-roles':
      return { type: 'SetMemberRoles', accountId: i.account === 'otto' ? 'acc-otto' : ACCOUNTS[i.account].accountId, roles: i.roles, by: CALLERS[i.caller] };
    case 'link-agent':
      return { type: 'LinkAgent', agentOrganisationId: i.agent, by: CALLERS[i.caller] };
    case 'set-user-limit':
      return { type: 'SetUserLimit', limit: i.limit, by: CALLERS[i.caller] };
    case 'merge-into':
      return { type: 'MergeInto', into: i.into, now, by: CALLERS[i.caller] };
    case 'absorb':
      return {
        type: 'AbsorbDuplicate',
        duplicate: {
          organisationId,
          duplicateOrganisationId: i.duplicate,
          members: i.members.map((m) => ({ accountId: ACCOUNTS[m.account].accountId, name: m.account, email: `${m.account}@dubblett.example.se`, personalNumberDigest: ACCOUNTS[m.account].digest, roles: m.roles })),
          agentOrganisationIds: i.agents,
          at: now.toISOString(),
        },
        by: CALLERS[i.caller],
      };
  }
};

type Existing = Extract<OrganisationState, { exists: true }>;
const NOT_FOUND = refusal(NotFound, 'NOT_FOUND');
const FORBIDDEN = refusal(Forbidden, 'FORBIDDEN');
const MERGED = refusal(DomainError, 'ORGANISATION_MERGED');
const holds = (state: Existing, accountId: string | null, role: Role) => accountId !== null && (state.members.get(accountId)?.roles.includes(role) ?? false);
/** Staff and members see the organisation; to anyone else it does not exist. */
const sees = (state: Existing, by: Acting) => by.staff || (by.accountId !== null && state.members.has(by.accountId));
const administrators = (state: OrganisationState) => (state.exists ? [...state.members.values()].filter((m) => m.roles.includes('administrator')).length : 0);

/** What the domain says should come of a command on this organisation. */
const expectedOutcome = (command: OrganisationCommand, state: OrganisationState): Outcome => {
  if (command.type === 'RegisterOrganisation') {
    if (!state.exists) return ACCEPTED;
    return state.registration.applicationId === command.applicationId ? UNCHANGED : refusal(DomainError, 'ORGANISATION_ALREADY_REGISTERED');
  }
  if (!state.exists) return NOT_FOUND;
  if (command.type === 'MergeInto') {
    if (!command.by.staff) return FORBIDDEN;
    if (state.mergedInto === command.into) return UNCHANGED;
    if (state.mergedInto) return MERGED;
    return command.into === organisationId ? refusal(DomainError, 'INVALID_MERGE') : ACCEPTED;
  }
  // A merged duplicate takes no more changes.
  if (state.mergedInto) return MERGED;
  switch (command.type) {
    case 'JoinMember':
      return state.members.has(command.accountId) ? UNCHANGED : ACCEPTED;
    case 'SignAgreement': {
      const by = command.by;
      const named = by.personalNumberDigest !== null && by.personalNumberDigest === SIGNATORY_DIGEST;
      if (!named && !holds(state, by.accountId, 'signatory')) return sees(state, by) ? FORBIDDEN : NOT_FOUND;
      return state.agreementSigned ? refusal(DomainError, 'AGREEMENT_ALREADY_SIGNED') : ACCEPTED;
    }
    case 'SetMemberRoles': {
      const by = command.by;
      if (!sees(state, by)) return NOT_FOUND;
      if (!by.staff && !holds(state, by.accountId, 'administrator')) return FORBIDDEN;
      const target = state.members.get(command.accountId);
      if (!target) return NOT_FOUND;
      const demotesTheLastAdministrator = target.roles.includes('administrator') && !command.roles.includes('administrator') && administrators(state) === 1;
      return !by.staff && demotesTheLastAdministrator ? refusal(DomainError, 'LAST_ADMINISTRATOR') : ACCEPTED;
    }
    case 'LinkAgent':
      if (!command.by.staff) return FORBIDDEN;
      if (command.agentOrganisationId === organisationId) return refusal(DomainError, 'INVALID_AGENT');
      return state.agents.has(command.agentOrganisationId) ? refusal(DomainError, 'AGENT_ALREADY_LINKED') : ACCEPTED;
    case 'SetUserLimit':
      if (!sees(state, command.by)) return NOT_FOUND;
      return command.by.staff || holds(state, command.by.accountId, 'administrator') ? ACCEPTED : FORBIDDEN;
    case 'AbsorbDuplicate':
      if (!command.by.staff) return FORBIDDEN;
      return state.absorbed.has(command.duplicate.duplicateOrganisationId) ? UNCHANGED : ACCEPTED;
    case 'MoveMergedAgent':
      return state.agents.has(command.agentOrganisationId) ? ACCEPTED : UNCHANGED;
    default:
      // Join requests, invitations and leaving have their own given/when/then specs.
      throw new Error(`${command.type} is not generated here`);
  }
};

const actorOf = (command: OrganisationCommand): Acting | null => ('by' in command ? command.by : null);
const reached = { events: new Set<string>(), refusals: new Set<string>(), staffRemovedTheLastAdministrator: 0 };

/** Every invariant, checked on each step as it is taken. */
const checkStep = (step: DecidedStep<OrganisationCommand, OrganisationEvent, OrganisationState>) => {
  const { command, before, after } = step;
  expect(outcomeOf(step)).toBe(expectedOutcome(command, before));
  if (!step.accepted) {
    reached.refusals.add(`${step.error.statusCode} ${step.error.code}`);
    return;
  }
  const by = actorOf(command);
  for (const event of step.events) {
    reached.events.add(event.type);
    expect(event.data.organisationId).toBe(organisationId);
  }
  expect(step.events.length).toBeLessThanOrEqual(1);
  if (!after.exists) throw new Error('no organisation after an accepted command');
  // An organisation keeps at least one administrator once it has one, unless staff act (repairing a lock-out).
  if (administrators(before) > 0 && administrators(after) === 0) {
    expect(by?.staff).toBe(true);
    expect(step.events).toEqual([expect.objectContaining({ type: 'MemberRolesChanged', data: expect.objectContaining({ byStaff: true }) })]);
    reached.staffRemovedTheLastAdministrator++;
  }
  // A merged duplicate takes no more changes.
  if (before.exists && before.mergedInto) expect(step.events).toEqual([]);
  for (const event of step.events) {
    switch (event.type) {
      case 'MemberJoined': {
        // Joining never changes a member's roles; the people the application named get their roles.
        expect(before.exists && before.members.has(event.data.accountId)).toBe(false);
        if (event.data.personalNumberDigest === ADMIN_DIGEST) expect(event.data.roles).toContain('administrator');
        if (event.data.personalNumberDigest === SIGNATORY_DIGEST) expect(event.data.roles).toContain('signatory');
        break;
      }
      case 'MemberRolesChanged': {
        // Roles change only by an administrator or staff, each role once, from what the member held.
        expect(by?.staff || (before.exists && holds(before, by?.accountId ?? null, 'administrator'))).toBe(true);
        expect(event.data.byStaff).toBe(by?.staff);
        expect(new Set(event.data.roles).size).toBe(event.data.roles.length);
        expect(before.exists && before.members.get(event.data.accountId)?.roles).toEqual(event.data.previousRoles);
        break;
      }
      case 'AgreementSigned':
        // Signed once, by the signatory: named in the application or holding the role.
        expect(before.exists && before.agreementSigned).toBe(false);
        expect(by?.personalNumberDigest === SIGNATORY_DIGEST || (before.exists && holds(before, by?.accountId ?? null, 'signatory'))).toBe(true);
        expect(event.data.signedBy).toEqual({ id: by?.id, name: by?.name });
        break;
      case 'AgentLinked':
      case 'OrganisationMergedInto':
      case 'DuplicateOrganisationAbsorbed':
        expect(by?.staff).toBe(true);
        break;
      case 'UserLimitSet':
        expect(event.data.byStaff).toBe(by?.staff);
        break;
    }
  }
  // Never its own agent; each member's roles once each.
  expect(after.agents.has(organisationId)).toBe(false);
  for (const m of after.members.values()) expect(new Set(m.roles).size).toBe(m.roles.length);
};

const RUNS = 300;

/** The invariants after every step, and folding the events (as stored) gives the state reached step by step. */
const keepsItsInvariants = (decider: typeof organisationDecider) =>
  fc.property(intents, (sequence) => {
    const { history, state } = decideInTurn(decider, sequence, commandFor, checkStep);
    expect(history.filter((e) => e.type === 'OrganisationRegistered')).toHaveLength(history.length > 0 ? 1 : 0);
    if (history.length > 0) expect(history[0].type).toBe('OrganisationRegistered');
    expect(history.filter((e) => e.type === 'AgreementSigned').length).toBeLessThanOrEqual(1);
    expect(fold(decider, history)).toEqual(state);
    expect(fold(decider, asStored(history))).toEqual(state);
  });

const readModel = async (history: readonly OrganisationEvent[], replayFrom: number) => {
  const events = history.map((e, revision) => recorded(e.type, e.data, organisationStream(organisationId), BigInt(revision)));
  const docs = await snapshot(organisationsProjection, await project(organisationsProjection, [...events, ...events.slice(replayFrom)]));
  return { organisations: docs[COLLECTIONS.organisations] as OrganisationDoc[], members: docs[COLLECTIONS.members] as MemberDoc[] };
};
const sorted = <T>(values: Iterable<T>) => [...values].sort();

describe('organisationDecider under random command sequences', () => {
  it('keeps its invariants after every step: an administrator unless staff act, one signature, nothing after a merge', () => {
    fc.assert(keepsItsInvariants(organisationDecider), { numRuns: RUNS });
    // The sequences reach every event and every kind of refusal, or they prove little.
    for (const type of ['OrganisationRegistered', 'MemberJoined', 'MemberRolesChanged', 'AgreementSigned', 'AgentLinked', 'UserLimitSet', 'OrganisationMergedInto', 'DuplicateOrganisationAbsorbed']) {
      expect(reached.events).toContain(type);
    }
    for (const key of ['403 FORBIDDEN', '404 NOT_FOUND', '409 ORGANISATION_MERGED', '409 ORGANISATION_ALREADY_REGISTERED', '409 AGREEMENT_ALREADY_SIGNED', '422 LAST_ADMINISTRATOR', '422 INVALID_AGENT', '409 AGENT_ALREADY_LINKED', '422 INVALID_MERGE']) {
      expect(reached.refusals).toContain(key);
    }
    expect(reached.staffRemovedTheLastAdministrator).toBeGreaterThan(0);
  });

  it('the read model agrees with the folded events: agreement, agents, limit, merge, members and their roles', async () => {
    await fc.assert(
      fc.asyncProperty(intents, fc.nat(), async (sequence, cut) => {
        const { history, state } = decideInTurn(organisationDecider, sequence, commandFor);
        const { organisations, members } = await readModel(history, cut % (history.length + 1));
        if (!state.exists) {
          expect(organisations).toEqual([]);
          expect(members).toEqual([]);
          return;
        }
        expect(organisations).toHaveLength(1);
        const [doc] = organisations;
        expect(doc).toMatchObject({ _id: organisationId, name: registration.name, organisationNumber: registration.organisationNumber });
        expect(doc.agreement.status).toBe(state.agreementSigned ? 'signed' : 'awaiting-signature');
        expect(sorted(doc.agentOrganisationIds)).toEqual(sorted(state.agents));
        expect(doc.userLimit ?? null).toBe(state.userLimit);
        expect(doc.mergedInto ?? null).toBe(state.mergedInto);
        expect(members.map((m) => ({ accountId: m.accountId, name: m.name, email: m.email, roles: sorted(m.roles) }))).toEqual(
          sorted(state.members.keys()).map((accountId) => {
            const m = state.members.get(accountId)!;
            return { accountId, name: m.name, email: m.email, roles: sorted(m.roles) };
          }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('would catch a decider that breaks them', () => {
    /** Lets an administrator take the role from the last administrator, as if staff. */
    const lastAdministratorRemoved: typeof organisationDecider = {
      ...organisationDecider,
      decide: (command, state) =>
        command.type === 'SetMemberRoles' && state.exists && holds(state, command.by.accountId, 'administrator')
          ? organisationDecider
              .decide({ ...command, by: { ...command.by, staff: true } }, state)
              .map((e) => (e.type === 'MemberRolesChanged' ? { ...e, data: { ...e.data, byStaff: false } } : e))
          : organisationDecider.decide(command, state),
    };
    const changesAfterMerge: typeof organisationDecider = {
      ...organisationDecider,
      decide: (command, state) => organisationDecider.decide(command, state.exists && command.type !== 'MergeInto' ? { ...state, mergedInto: null } : state),
    };
    const signsTwice: typeof organisationDecider = {
      ...organisationDecider,
      decide: (command, state) => organisationDecider.decide(command, state.exists && command.type === 'SignAgreement' ? { ...state, agreementSigned: false } : state),
    };
    for (const broken of [lastAdministratorRemoved, changesAfterMerge, signsTwice]) {
      expect(fc.check(keepsItsInvariants(broken), { numRuns: RUNS, endOnFailure: true }).failed).toBe(true);
    }
  });
});
