import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { customerApplicationsProjection, organisationsProjection } from './organisation.projections';

const person = (name: string) => ({ name, email: `${name}@region.se`, personalNumberDigest: `digest-${name}` });
const registered = recorded('OrganisationRegistered', {
  organisationId: 'org-1',
  applicationId: 'app-1',
  organisationNumber: '212000-0142',
  name: 'Region Exempel',
  administrator: person('anna'),
  signatory: person('sven'),
  agreementContact: { name: 'kim', email: 'kim@region.se' },
  registeredAt: '2026-01-01T08:00:00.000Z',
});
const joined = recorded('MemberJoined', {
  organisationId: 'org-1',
  accountId: 'acc-1',
  name: 'Anna',
  email: 'anna@region.se',
  personalNumberDigest: 'digest-anna',
  roles: ['administrator'],
  joinedAt: '2026-01-02T08:00:00.000Z',
});
const rolesChanged = recorded('MemberRolesChanged', {
  organisationId: 'org-1',
  accountId: 'acc-1',
  roles: ['administrator', 'orderer'],
  previousRoles: ['administrator'],
  byStaff: false,
});
const signed = recorded('AgreementSigned', {
  organisationId: 'org-1',
  signedBy: { id: 'person-1', name: 'Sven' },
  method: 'bankid',
  signedAt: '2026-01-03T08:00:00.000Z',
});
const agent = recorded('AgentLinked', { organisationId: 'org-1', agentOrganisationId: 'org-2' });

describe('organisations projection', () => {
  const history = [registered, joined, rolesChanged, signed, agent];

  it('shapes the organisation and its members for their screens', async () => {
    const state = await snapshot(organisationsProjection, await project(organisationsProjection, history));
    expect(state.organisations).toEqual([
      {
        _id: 'org-1',
        name: 'Region Exempel',
        organisationNumber: '212000-0142',
        agreement: { status: 'signed', signedAt: '2026-01-03T08:00:00.000Z', signedBy: { id: 'person-1', name: 'Sven' } },
        agentOrganisationIds: ['org-2'],
        administratorDigest: 'digest-anna',
        signatoryDigest: 'digest-sven',
        registeredAt: '2026-01-01T08:00:00.000Z',
      },
    ]);
    expect(state.organisation_members).toEqual([
      // A MemberJoined, of before join requests existed too, is an active membership.
      expect.objectContaining({ _id: 'org-1:acc-1', organisationId: 'org-1', accountId: 'acc-1', roles: ['administrator', 'orderer'], status: 'active' }),
    ]);
  });

  it('moves an agent link off a merged agent record to the kept one, and a replay changes nothing', async () => {
    const unlinked = recorded('AgentUnlinked', { organisationId: 'org-1', agentOrganisationId: 'org-2', reason: 'agent-merged', mergedInto: 'org-3', at: '2026-01-04T08:00:00.000Z' });
    const kept = recorded('AgentLinked', { organisationId: 'org-1', agentOrganisationId: 'org-3' });
    const moved = [...history, unlinked, kept];
    const state = await snapshot(organisationsProjection, await project(organisationsProjection, moved));
    expect(state.organisations).toEqual([expect.objectContaining({ _id: 'org-1', agentOrganisationIds: ['org-3'] })]);
    expect(await snapshot(organisationsProjection, await project(organisationsProjection, [...moved, unlinked, kept]))).toEqual(state);
  });

  it('changes nothing when events are replayed (each event twice, or the whole history again)', async () => {
    const once = await snapshot(organisationsProjection, await project(organisationsProjection, history));
    const twice = await snapshot(organisationsProjection, await project(organisationsProjection, history.flatMap((e) => [e, e])));
    const store = await project(organisationsProjection, history);
    const replayed = await snapshot(organisationsProjection, await project(organisationsProjection, history, store));
    expect(twice).toEqual(once);
    expect(replayed).toEqual(once);
  });
});

describe('organisations projection: memberships and their status', () => {
  const asked = (accountId: string, at: string) =>
    recorded('JoinRequested', { organisationId: 'org-1', accountId, name: accountId, email: `${accountId}@region.se`, personalNumberDigest: null, requestedAt: at });
  const by = { id: 'acc-1', name: 'Anna', staff: false };
  const history = [
    registered,
    joined,
    asked('acc-2', '2026-01-04T08:00:00.000Z'),
    asked('acc-3', '2026-01-04T09:00:00.000Z'),
    asked('acc-4', '2026-01-04T10:00:00.000Z'),
    recorded('MemberJoined', {
      organisationId: 'org-1',
      accountId: 'acc-2',
      name: 'acc-2',
      email: 'acc-2@region.se',
      personalNumberDigest: null,
      roles: ['orderer'],
      joinedAt: '2026-01-05T08:00:00.000Z',
      approvedBy: by,
    }),
    recorded('JoinRequestDeclined', { organisationId: 'org-1', accountId: 'acc-3', name: 'acc-3', email: 'acc-3@region.se', reason: null, by, at: '2026-01-05T09:00:00.000Z' }),
    recorded('MemberRemoved', { organisationId: 'org-1', accountId: 'acc-2', left: true, by: { ...by, id: 'acc-2' }, at: '2026-01-06T09:00:00.000Z' }),
  ];

  it('keeps each person with the status of their membership: approved, declined, left, still waiting', async () => {
    const state = await snapshot(organisationsProjection, await project(organisationsProjection, history));
    const statuses = Object.fromEntries((state.organisation_members as unknown as Array<{ accountId: string; status: string; roles: string[] }>).map((m) => [m.accountId, [m.status, m.roles]]));
    expect(statuses).toEqual({
      'acc-1': ['active', ['administrator']],
      'acc-2': ['left', []],
      'acc-3': ['declined', []],
      'acc-4': ['pending', []],
    });
  });

  it('changes nothing when the events are replayed', async () => {
    const once = await snapshot(organisationsProjection, await project(organisationsProjection, history));
    const twice = await snapshot(organisationsProjection, await project(organisationsProjection, history.flatMap((e) => [e, e])));
    expect(twice).toEqual(once);
  });
});

describe('customer applications projection', () => {
  const submitted = recorded('CustomerApplicationSubmitted', {
    applicationId: 'app-1',
    organisationNumber: '212000-0142',
    organisationName: 'Region Exempel',
    administrator: person('anna'),
    signatory: person('sven'),
    agreementContact: { name: 'kim', email: 'kim@region.se' },
    submittedAt: '2026-01-01T07:00:00.000Z',
  });
  const approved = recorded('CustomerApplicationApproved', { applicationId: 'app-1', organisationId: 'org-1', approvedAt: '2026-01-01T08:00:00.000Z' });

  it('follows an application from submitted to approved', async () => {
    const state = await snapshot(customerApplicationsProjection, await project(customerApplicationsProjection, [submitted, approved]));
    expect(state.customer_applications).toEqual([
      {
        _id: 'app-1',
        organisationNumber: '212000-0142',
        organisationName: 'Region Exempel',
        status: 'approved',
        submittedAt: '2026-01-01T07:00:00.000Z',
        decidedAt: '2026-01-01T08:00:00.000Z',
        organisationId: 'org-1',
        reason: null,
      },
    ]);
  });

  it('keeps the decision when the submission is replayed after it', async () => {
    const store = await project(customerApplicationsProjection, [submitted, approved]);
    const before = await snapshot(customerApplicationsProjection, store);
    await project(customerApplicationsProjection, [submitted, approved], store);
    expect(await snapshot(customerApplicationsProjection, store)).toEqual(before);
  });
});

describe('organisations projection: merged duplicates', () => {
  const kept = recorded('OrganisationRegistered', {
    organisationId: 'org-kept',
    applicationId: 'app-k',
    organisationNumber: '212000-0142',
    name: 'Region Kept',
    administrator: person('anna'),
    signatory: person('sven'),
    agreementContact: { name: 'kim', email: 'kim@region.se' },
    registeredAt: '2026-01-01T08:00:00.000Z',
  });
  const annaKept = recorded('MemberJoined', {
    organisationId: 'org-kept',
    accountId: 'acc-1',
    name: 'Anna',
    email: 'anna@region.se',
    personalNumberDigest: null,
    roles: ['administrator'],
    joinedAt: '2026-01-02T08:00:00.000Z',
  });
  const mergedInto = recorded('OrganisationMergedInto', { organisationId: 'org-1', into: 'org-kept', at: '2026-02-01T08:00:00.000Z' }, 'organisation-org-1');
  const absorbed = recorded(
    'DuplicateOrganisationAbsorbed',
    {
      organisationId: 'org-kept',
      duplicateOrganisationId: 'org-1',
      members: [
        { accountId: 'acc-1', name: 'Anna', email: 'anna@region.se', personalNumberDigest: null, roles: ['orderer'] },
        { accountId: 'acc-2', name: 'Bo', email: 'bo@region.se', personalNumberDigest: null, roles: ['attestant'] },
      ],
      agentOrganisationIds: ['org-2'],
      at: '2026-02-01T08:00:00.000Z',
    },
    'organisation-org-kept',
  );
  const history = [registered, joined, kept, annaKept, mergedInto, absorbed];

  it('marks the duplicate, and gives the kept record its members with the roles of both', async () => {
    const state = await snapshot(organisationsProjection, await project(organisationsProjection, history));
    expect(state.organisations.find((o) => o._id === 'org-1')).toMatchObject({ mergedInto: 'org-kept' });
    expect(state.organisations.find((o) => o._id === 'org-kept')).toMatchObject({ agentOrganisationIds: ['org-2'] });
    const keptMembers = state.organisation_members.filter((m) => m.organisationId === 'org-kept');
    expect(keptMembers.map((m) => [m.accountId, m.roles])).toEqual([
      ['acc-1', ['administrator', 'orderer']],
      ['acc-2', ['attestant']],
    ]);
  });

  it('changes nothing when replayed', async () => {
    const once = await snapshot(organisationsProjection, await project(organisationsProjection, history));
    const twice = await snapshot(organisationsProjection, await project(organisationsProjection, history.flatMap((e) => [e, e])));
    expect(twice).toEqual(once);
  });
});
