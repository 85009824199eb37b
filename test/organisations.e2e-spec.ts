import { ApiHarness } from './support/api-harness';
import { testOrganisationNumber, testPersonalNumber } from './support/swedish-ids';

function application(orgnr = testOrganisationNumber()) {
  const admin = { name: 'Anna Admin', email: `anna.${orgnr}@region.se`, personalNumber: testPersonalNumber() };
  const signatory = { name: 'Sven Signatory', email: `sven.${orgnr}@region.se`, personalNumber: testPersonalNumber() };
  return {
    organisationNumber: orgnr,
    organisationName: `Region ${orgnr}`,
    administrator: admin,
    signatory,
    agreementContact: { name: 'Kim Contact', email: `kim.${orgnr}@region.se` },
  };
}

describe('Organisations and accounts over HTTP (seed flow)', () => {
  let api: ApiHarness;
  let staff: string;

  beforeAll(async () => {
    api = await ApiHarness.start();
    staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
  });
  afterAll(() => api.stop());

  /** Applies, approves, and returns the application and organisation ids. */
  async function registered(body = application()) {
    const submitted = await api.post('/customer-applications', body);
    expect(submitted.status).toBe(201);
    const approved = await api.post(`/customer-applications/${submitted.body.id}/approve`, {}, staff);
    expect(approved.status).toBe(200);
    return { body, applicationId: submitted.body.id as string, organisationId: approved.body.organisationId as string };
  }

  it('application → approval → administrator account → signature → roles → /me shows canOrder', async () => {
    const body = application();
    const submitted = await api.post('/customer-applications', body);
    expect(submitted.status).toBe(201);
    expect(submitted.body).toEqual({ id: expect.any(String), position: expect.stringMatching(/^\d+$/), status: 'submitted' });

    const pending = await api.get('/customer-applications?status=submitted&pageSize=100', staff);
    expect(pending.status).toBe(200);
    expect(pending.body.items).toContainEqual(
      expect.objectContaining({ id: submitted.body.id, organisationNumber: body.organisationNumber, organisationName: body.organisationName, status: 'submitted', submittedAt: expect.any(String) }),
    );

    const approved = await api.post(`/customer-applications/${submitted.body.id}/approve`, {}, staff);
    expect(approved.status).toBe(200);
    const organisationId = approved.body.organisationId;
    expect(approved.body).toEqual({ id: submitted.body.id, organisationId: expect.any(String), position: expect.any(String) });

    // The three contacts are e-mailed.
    const mails = async (to: string) => (await api.get(`/dev/outbox?to=${encodeURIComponent(to)}`, staff)).body.items;
    expect(await mails(body.administrator.email)).toEqual([expect.objectContaining({ template: 'organisation-approved-administrator' })]);
    const signatoryMail = await mails(body.signatory.email);
    expect(signatoryMail).toEqual([expect.objectContaining({ template: 'agreement-to-sign' })]);
    expect(signatoryMail[0].text).toContain(`/organisations/${organisationId}/agreement`);
    expect(await mails(body.agreementContact.email)).toEqual([expect.objectContaining({ template: 'agreement-contact-information' })]);

    // The administrator signs in with BankID and creates an account: the administrator role comes with it.
    const admin = await api.signIn(body.administrator.personalNumber, { name: body.administrator.name });
    const before = await api.get('/me', admin);
    expect(before.body).toMatchObject({ accountId: null, organisations: [], method: 'bankid', staff: false });
    const account = await api.post('/accounts', { name: body.administrator.name, email: body.administrator.email, organisationNumber: body.organisationNumber }, admin);
    expect(account.status).toBe(201);
    const accountId = account.body.id;
    let me = await api.get('/me', admin);
    expect(me.body).toMatchObject({
      accountId,
      name: body.administrator.name,
      email: body.administrator.email.toLowerCase(),
      personalNumber: body.administrator.personalNumber,
      organisations: [{ id: organisationId, name: body.organisationName, organisationNumber: body.organisationNumber, roles: ['administrator'], agreementSigned: false, canOrder: false }],
    });

    // The signatory, without an account, sees the agreement to sign and signs it.
    const signatory = await api.signIn(body.signatory.personalNumber, { method: 'freja', name: body.signatory.name });
    const notices = await api.get('/me/notifications', signatory);
    expect(notices.body.badge).toEqual({ total: 1, approvals: 0, unreadTickets: 0, agreementsToSign: 1, joinRequests: 0 });
    expect(notices.body.items).toEqual([expect.objectContaining({ kind: 'agreement-to-sign', refId: organisationId })]);
    expect((await api.post(`/organisations/${organisationId}/agreement/sign`, {}, admin)).status).toBe(403);
    const signed = await api.post(`/organisations/${organisationId}/agreement/sign`, {}, signatory);
    expect(signed.status).toBe(200);
    const again = await api.post(`/organisations/${organisationId}/agreement/sign`, {}, signatory);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('AGREEMENT_ALREADY_SIGNED');
    expect((await api.get('/me/notifications', signatory)).body.badge.agreementsToSign).toBe(0);
    const org = await api.get(`/organisations/${organisationId}`, admin);
    expect(org.body).toMatchObject({ id: organisationId, agreement: { status: 'signed', signedAt: expect.any(String), signedBy: { name: body.signatory.name } }, agentOrganisationIds: [] });

    // The administrator gives themself the orderer and attestant roles: now they can order.
    const roles = await api.put(`/organisations/${organisationId}/members/${accountId}/roles`, { roles: ['administrator', 'orderer', 'attestant'] }, admin);
    expect(roles.status).toBe(200);
    me = await api.get('/me', admin);
    expect(me.body.organisations[0]).toMatchObject({ roles: ['administrator', 'orderer', 'attestant'], agreementSigned: true, canOrder: true });
    const members = await api.get(`/organisations/${organisationId}/members`, admin);
    expect(members.body.items).toEqual([{ accountId, name: body.administrator.name, email: body.administrator.email.toLowerCase(), roles: ['administrator', 'orderer', 'attestant'] }]);
  });

  it('refuses a second application for the same organisationsnummer', async () => {
    const body = application();
    expect((await api.post('/customer-applications', body)).status).toBe(201);
    const second = await api.post('/customer-applications', { ...body, organisationName: 'Another name' });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ statusCode: 409, code: 'ORGANISATION_ALREADY_REGISTERED', message: expect.any(String) });
  });

  it('lets an organisation apply again after a rejection', async () => {
    const body = application();
    const first = await api.post('/customer-applications', body);
    expect((await api.post(`/customer-applications/${first.body.id}/reject`, { reason: 'Incomplete' }, staff)).status).toBe(200);
    expect((await api.post(`/customer-applications/${first.body.id}/approve`, {}, staff)).body.code).toBe('APPLICATION_NOT_PENDING');
    expect((await api.post('/customer-applications', body)).status).toBe(201);
  });

  it('answers 400 VALIDATION_FAILED naming every bad field', async () => {
    const body = application();
    const bad = {
      ...body,
      organisationNumber: '212000-0143',
      administrator: { ...body.administrator, personalNumber: '199001012381' },
      agreementContact: { name: '', email: 'not-an-email' },
      unknownField: { $ne: null },
    };
    const response = await api.post('/customer-applications', bad);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    const fields = response.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['organisationNumber', 'administrator.personalNumber', 'agreementContact.name', 'agreementContact.email']));
    expect(fields).not.toContain('unknownField');
  });

  it('answers malformed JSON and bad sign-in with 400 in the contract shape', async () => {
    const malformed = await api.request('POST', '/customer-applications', { body: '{"organisationNumber":', minPosition: null });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    const badPnr = await api.post('/auth/dev/sign-in', { personalNumber: '199001012381', method: 'bankid' });
    expect(badPnr.status).toBe(400);
    expect(badPnr.body.details).toEqual([expect.objectContaining({ field: 'personalNumber' })]);
  });

  it('guards staff routes and hides other organisations', async () => {
    const { organisationId } = await registered();
    const outsider = await api.signIn(testPersonalNumber());
    expect((await api.get('/customer-applications')).status).toBe(401);
    expect((await api.get('/customer-applications', outsider)).body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect((await api.get(`/organisations/${organisationId}`, outsider)).body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect((await api.get(`/organisations/${organisationId}/members`, outsider)).status).toBe(404);
    expect((await api.put(`/organisations/${organisationId}/members/${organisationId}/roles`, { roles: [] }, outsider)).status).toBe(404);
    expect((await api.post(`/organisations/${organisationId}/agreement/sign`, {}, outsider)).status).toBe(404);
    expect((await api.get('/organisations/not-a-uuid', outsider)).status).toBe(404);
    expect((await api.get('/me', 'not.a.token')).body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
  });

  it('creates accounts only by BankID or Freja, in registered organisations, once per person', async () => {
    const { body, organisationId } = await registered();
    const siths = await api.signIn(testPersonalNumber(), { method: 'siths' });
    const bySiths = await api.post('/accounts', { name: 'S', email: 's@region.se', organisationNumber: body.organisationNumber }, siths);
    expect(bySiths.status).toBe(422);
    expect(bySiths.body.code).toBe('EID_METHOD_NOT_ALLOWED');

    const person = await api.signIn(testPersonalNumber(), { method: 'freja' });
    const unknownOrg = await api.post('/accounts', { name: 'P', email: 'p@region.se', organisationNumber: testOrganisationNumber() }, person);
    expect(unknownOrg.status).toBe(422);
    expect(unknownOrg.body.code).toBe('ORGANISATION_NOT_REGISTERED');

    const email = `p.${Date.now()}@region.se`;
    const created = await api.post('/accounts', { name: 'P', email, organisationNumber: body.organisationNumber }, person);
    expect(created.status).toBe(201);
    const twice = await api.post('/accounts', { name: 'P', email: `other.${email}`, organisationNumber: body.organisationNumber }, person);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ACCOUNT_EXISTS');

    const someoneElse = await api.signIn(testPersonalNumber());
    const sameEmail = await api.post('/accounts', { name: 'Q', email: email.toUpperCase(), organisationNumber: body.organisationNumber }, someoneElse);
    expect(sameEmail.status).toBe(409);
    expect(sameEmail.body.code).toBe('ACCOUNT_EXISTS');
    // The refused person can still create an account with their own address.
    expect((await api.post('/accounts', { name: 'Q', email: `q.${email}`, organisationNumber: body.organisationNumber }, someoneElse)).status).toBe(201);

    // Someone not named in the application is not a member: their account asks to join.
    expect(created.body.membership).toBe('pending');
    const me = await api.get('/me', person);
    expect(me.body.organisations).toEqual([]);
    expect(me.body.pendingOrganisations).toEqual([{ id: organisationId, name: body.organisationName }]);
  });

  it('protects the last administrator, and lets staff repair a lock-out', async () => {
    const { body, organisationId } = await registered();
    const admin = await api.signIn(body.administrator.personalNumber);
    const adminAccount = (await api.post('/accounts', { name: 'A', email: body.administrator.email, organisationNumber: body.organisationNumber }, admin)).body.id;
    const colleague = await api.signIn(testPersonalNumber());
    const colleagueAccount = (await api.post('/accounts', { name: 'C', email: `c.${body.administrator.email}`, organisationNumber: body.organisationNumber }, colleague)).body.id;
    expect((await api.post(`/organisations/${organisationId}/join-requests/${colleagueAccount}/approve`, {}, admin)).status).toBe(200);

    const last = await api.put(`/organisations/${organisationId}/members/${adminAccount}/roles`, { roles: ['orderer'] }, admin);
    expect(last.status).toBe(422);
    expect(last.body.code).toBe('LAST_ADMINISTRATOR');
    expect((await api.put(`/organisations/${organisationId}/members/${adminAccount}/roles`, { roles: ['superuser'] }, admin)).status).toBe(400);
    expect((await api.put(`/organisations/${organisationId}/members/${adminAccount}/roles`, { roles: ['orderer'] }, colleague)).status).toBe(403);

    // Staff remove the administrator (they left) and appoint the colleague.
    expect((await api.put(`/organisations/${organisationId}/members/${adminAccount}/roles`, { roles: [] }, staff)).status).toBe(200);
    expect((await api.put(`/organisations/${organisationId}/members/${colleagueAccount}/roles`, { roles: ['administrator'] }, staff)).status).toBe(200);
    const me = await api.get('/me', colleague);
    expect(me.body.organisations[0].roles).toEqual(['administrator']);
  });

  it('links agent organisations (staff only)', async () => {
    const customer = await registered();
    const agent = await registered();
    const admin = await api.signIn(customer.body.administrator.personalNumber);
    await api.post('/accounts', { name: 'A', email: customer.body.administrator.email, organisationNumber: customer.body.organisationNumber }, admin);

    expect((await api.post(`/organisations/${customer.organisationId}/agents`, { agentOrganisationId: agent.organisationId }, admin)).status).toBe(403);
    const linked = await api.post(`/organisations/${customer.organisationId}/agents`, { agentOrganisationId: agent.organisationId }, staff);
    expect(linked.status).toBe(200);
    expect((await api.post(`/organisations/${customer.organisationId}/agents`, { agentOrganisationId: agent.organisationId }, staff)).body.code).toBe('AGENT_ALREADY_LINKED');
    expect((await api.post(`/organisations/${customer.organisationId}/agents`, { agentOrganisationId: '00000000-0000-4000-8000-000000000000' }, staff)).status).toBe(422);
    expect((await api.get(`/organisations/${customer.organisationId}`, admin)).body.agentOrganisationIds).toEqual([agent.organisationId]);
  });

  it('answers a repeated Idempotency-Key with the first answer and no second change', async () => {
    const body = application();
    const key = `key-${Date.now()}`;
    const first = await api.post('/customer-applications', body, undefined, { 'idempotency-key': key });
    const results = await Promise.all(Array.from({ length: 5 }, () => api.post('/customer-applications', body, undefined, { 'idempotency-key': key })));
    for (const r of results) {
      expect(r.status).toBe(201);
      expect(r.body).toEqual(first.body);
    }
    const reused = await api.post('/customer-applications', { ...body, organisationName: 'Changed' }, undefined, { 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const list = await api.get('/customer-applications', staff);
    expect(list.body.items.filter((a: { organisationNumber: string }) => a.organisationNumber === body.organisationNumber)).toHaveLength(1);
  });

  it('validates X-Min-Position and serves /health, /docs-json', async () => {
    const bad = await api.request('GET', '/me', { token: staff, headers: { 'x-min-position': 'abc' }, minPosition: null });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'X-Min-Position' })]);
    const health = await api.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', eventStore: { status: 'up' }, readStore: { status: 'up' } });
    expect(health.body.projections.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['organisations', 'accounts', 'mail-reactor']));
    const docs = await api.get('/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/customer-applications', '/organisations/{orgId}/members/{accountId}/roles', '/me']));
  });
});

describe('Body limits', () => {
  it('answers 413 PAYLOAD_TOO_LARGE in the contract shape', async () => {
    const api = await ApiHarness.start({ BODY_LIMIT_BYTES: '2048' });
    try {
      const response = await api.post('/customer-applications', { organisationName: 'x'.repeat(5000) });
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    } finally {
      await api.stop();
    }
  });
});
