import { ApiHarness } from './support/api-harness';
import { Organisation, OrganisationFixtures } from './support/organisation-fixtures';
import { testPersonalNumber } from './support/swedish-ids';

/**
 * Membership across organisations: join requests answered by administrators, invitations,
 * removing and leaving, and what each kind of member sees.
 */
describe('Membership over HTTP', () => {
  jest.setTimeout(60_000);
  let api: ApiHarness;
  let staff: string;
  let fx: OrganisationFixtures;
  let serial = 0;

  beforeAll(async () => {
    api = await ApiHarness.start();
    staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    fx = new OrganisationFixtures(api, staff);
  });
  afterAll(() => api.stop());

  const personIn = (org: Organisation, name: string) => ({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}.${++serial}.${org.organisationNumber.replace('-', '')}@region.se` });

  describe('join requests', () => {
    it('an account asking to join is pending until an administrator approves it with roles; both sides hear of it by e-mail', async () => {
      const org = await fx.organisation();
      // The administrator reads English; the joiner chose nothing, so Swedish.
      expect((await api.put('/me/preferences', { language: 'en' }, org.admin.token)).status).toBe(200);
      const who = personIn(org, 'Jonas Joiner');
      const token = await api.signIn(testPersonalNumber(), { name: who.name });
      const created = await api.post('/accounts', { ...who, organisationNumber: org.organisationNumber }, token);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ organisationId: org.id, membership: 'pending' });
      const accountId = created.body.id as string;

      // Not a member: nothing of the organisation but its name in /me.
      const me = await api.get('/me', token);
      expect(me.body.organisations).toEqual([]);
      expect(me.body.pendingOrganisations).toEqual([{ id: org.id, name: org.name }]);
      expect((await api.get(`/organisations/${org.id}`, token)).status).toBe(404);
      expect((await api.get(`/organisations/${org.id}/members`, token)).status).toBe(404);
      expect((await api.get(`/orders?organisationId=${org.id}`, token)).status).toBe(404);

      // The administrator sees it in the list, in the badge and by e-mail.
      const list = await api.get(`/organisations/${org.id}/join-requests`, org.admin.token);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: [{ accountId, name: who.name, email: who.email, requestedAt: expect.any(String) }], total: 1, page: 1, pageSize: 20 });
      const notices = await api.get('/me/notifications', org.admin.token);
      expect(notices.body.badge).toMatchObject({ joinRequests: 1, total: 1 });
      // In English: the administrator chose it above, and the titles follow the caller's language.
      expect(notices.body.items).toContainEqual({ kind: 'join-request', refId: org.id, title: `${who.name} asks to join`, at: expect.any(String) });
      const adminMail = (await fx.mails(org.admin.email)).find((m) => m.template === 'join-request');
      expect(adminMail?.text).toContain(who.email);
      expect(adminMail?.text).toContain(`/organisations/${org.id}/join-requests`);
      expect(adminMail?.subject).toBe(`${who.name} asks to join ${org.name}`);

      const approved = await api.post(`/organisations/${org.id}/join-requests/${accountId}/approve`, { roles: ['orderer'] }, org.admin.token);
      expect(approved.status).toBe(200);
      expect((await api.get('/me', token)).body).toMatchObject({
        organisations: [{ id: org.id, roles: ['orderer'], canOrder: true }],
        pendingOrganisations: [],
      });
      const approvedMail = (await fx.mails(who.email)).find((m) => m.template === 'join-request-approved');
      expect(approvedMail?.subject).toBe(`Du är nu medlem i ${org.name}`);
      expect(approvedMail?.text).toContain('Dina roller: beställare.');
      expect((await api.get(`/organisations/${org.id}/join-requests`, org.admin.token)).body).toMatchObject({ items: [], total: 0 });
      expect((await api.get('/me/notifications', org.admin.token)).body.badge.joinRequests).toBe(0);
      // A request answered already is gone.
      expect((await api.post(`/organisations/${org.id}/join-requests/${accountId}/approve`, {}, org.admin.token)).status).toBe(404);
    });

    it('a declined person is told why and stays outside; they may ask again', async () => {
      const org = await fx.organisation({ signed: false });
      const person = await fx.applicant(org, 'Dora Declined');
      const declined = await api.post(`/organisations/${org.id}/join-requests/${person.accountId}/decline`, { reason: 'Not employed here' }, org.admin.token);
      expect(declined.status).toBe(200);
      const mail = (await fx.mails(person.email)).find((m) => m.template === 'join-request-declined');
      expect(mail?.text).toContain('Not employed here');
      expect((await api.get('/me', person.token)).body).toMatchObject({ organisations: [], pendingOrganisations: [] });
      expect((await api.get(`/organisations/${org.id}`, person.token)).status).toBe(404);
      // Creating the account again is refused; asking again through /me/organisations is a new request.
      expect((await api.post('/accounts', { name: person.name, email: person.email, organisationNumber: org.organisationNumber }, person.token)).status).toBe(409);
      const again = await api.post('/me/organisations', { organisationNumber: org.organisationNumber }, person.token);
      expect(again.status).toBe(201);
      expect(again.body).toMatchObject({ organisationId: org.id, membership: 'pending' });
    });

    it('only administrators there and staff answer join requests; staff approve too', async () => {
      const org = await fx.customer();
      const person = await fx.applicant(org);
      for (const token of [org.orderer.token, org.attestant.token]) {
        expect((await api.get(`/organisations/${org.id}/join-requests`, token)).status).toBe(403);
        expect((await api.post(`/organisations/${org.id}/join-requests/${person.accountId}/approve`, {}, token)).status).toBe(403);
      }
      expect((await api.post(`/organisations/${org.id}/join-requests/${person.accountId}/approve`, { roles: ['superuser'] }, staff)).status).toBe(400);
      expect((await api.get(`/organisations/${org.id}/join-requests?page=0`, org.admin.token)).status).toBe(400);
      expect((await api.post(`/organisations/${org.id}/join-requests/${person.accountId}/approve`, { roles: ['attestant'] }, staff)).status).toBe(200);
      expect((await api.get('/me', person.token)).body.organisations[0].roles).toEqual(['attestant']);
    });

    it('pages the join requests, oldest first, with the total', async () => {
      const org = await fx.organisation({ signed: false });
      const people = [];
      for (let i = 0; i < 3; i++) people.push(await fx.applicant(org, `Paged ${i}`));
      const page = await api.get(`/organisations/${org.id}/join-requests?page=2&pageSize=2`, org.admin.token);
      expect(page.body).toMatchObject({ total: 3, page: 2, pageSize: 2, items: [{ accountId: people[2].accountId }] });
    });
  });

  describe('several organisations', () => {
    it('a person is a member of several organisations with roles of each, and each rule uses the membership there', async () => {
      const first = await fx.customer();
      const second = await fx.customer();
      const person = first.orderer;
      const asked = await api.post('/me/organisations', { organisationNumber: second.organisationNumber }, person.token);
      expect(asked.status).toBe(201);
      expect(asked.body).toMatchObject({ organisationId: second.id, membership: 'pending' });
      await fx.approve(second, person, ['attestant']);
      const me = await api.get('/me', person.token);
      expect(me.body.organisations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: first.id, roles: ['orderer'], canOrder: true }),
          expect.objectContaining({ id: second.id, roles: ['attestant'], canOrder: false }),
        ]),
      );
      // Orderer in the first, not in the second.
      const order = { offeringId: 'webcert-fristaende', details: { careUnits: 2 }, acceptTerms: true };
      expect((await api.post('/orders', { ...order, organisationId: first.id }, person.token)).status).toBe(201);
      expect((await api.post('/orders', { ...order, organisationId: second.id }, person.token)).status).toBe(403);
      // Attestant in the second: the second's order waits for them, the first's does not.
      const secondOrder = await api.post('/orders', { ...order, organisationId: second.id }, second.orderer.token);
      const approvals = await api.get('/approvals', person.token);
      expect(approvals.body.items.map((a: { orderId: string }) => a.orderId)).toEqual([secondOrder.body.id]);
      expect((await api.post(`/orders/${secondOrder.body.id}/attest`, { method: 'bankid' }, person.token)).status).toBe(200);
      // A ticket about either organisation is allowed.
      expect((await api.post('/tickets', { type: 'question', subject: 'S', description: 'D', organisationId: second.id }, person.token)).status).toBe(201);
    });
  });

  describe('invitations', () => {
    async function invite(org: Organisation, roles: string[] = []) {
      const who = personIn(org, 'Ines Invited');
      const invited = await api.post(`/organisations/${org.id}/invitations`, { ...who, roles }, org.admin.token);
      expect(invited.status).toBe(201);
      const mail = (await fx.mails(who.email)).find((m) => m.template === 'invitation');
      expect(mail?.data.link).toBe(`${mail?.data.link}`.replace(/\/invitations\/.*/, '') + `/invitations/${encodeURIComponent(String(mail?.data.invitationToken))}`);
      return { who, token: mail?.data.invitationToken as string };
    }

    it('the invitee signs in with e-ID and creates the account with the link: active at once with the roles, and the link works once', async () => {
      const org = await fx.customer();
      const { who, token } = await invite(org, ['attestant']);
      expect(token).toEqual(expect.any(String));
      const signedIn = await api.signIn(testPersonalNumber(), { name: who.name });
      const created = await api.post('/accounts', { ...who, organisationNumber: org.organisationNumber, invitationToken: token }, signedIn);
      expect(created.status).toBe(201);
      expect(created.body.membership).toBe('active');
      expect((await api.get('/me', signedIn)).body.organisations).toEqual([expect.objectContaining({ id: org.id, roles: ['attestant'] })]);
      // Used up: someone else with the same link is refused.
      const other = await api.signIn(testPersonalNumber());
      const reused = await api.post('/accounts', { name: 'X', email: `x.${who.email}`, organisationNumber: org.organisationNumber, invitationToken: token }, other);
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('INVALID_TOKEN');
      // Refused before the account was made: without the link it is a join request.
      const withoutLink = await api.post('/accounts', { name: 'X', email: `x.${who.email}`, organisationNumber: org.organisationNumber }, other);
      expect(withoutLink.status).toBe(201);
      expect(withoutLink.body.membership).toBe('pending');
    });

    it('an account holder accepts with POST /invitations/accept or POST /me/organisations; a forged or foreign link is refused', async () => {
      const org = await fx.organisation({ signed: false });
      const elsewhere = await fx.organisation({ signed: false });
      const person = await fx.member(elsewhere, ['orderer']);
      const first = await invite(org, ['orderer']);
      expect((await api.post('/invitations/accept', { token: `${first.token}x` }, person.token)).body.code).toBe('INVALID_TOKEN');
      const foreign = await api.post('/me/organisations', { organisationNumber: elsewhere.organisationNumber, invitationToken: first.token }, person.token);
      expect(foreign.status).toBe(422);
      const accepted = await api.post('/invitations/accept', { token: first.token }, person.token);
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ organisationId: org.id, membership: 'active' });
      expect((await api.get(`/organisations/${org.id}/members`, person.token)).status).toBe(200);
      // Accepting again changes nothing for the member; for anyone else the used link is not valid.
      expect((await api.post('/invitations/accept', { token: first.token }, person.token)).status).toBe(200);
      const someoneElse = await fx.member(elsewhere, []);
      expect((await api.post('/invitations/accept', { token: first.token }, someoneElse.token)).body.code).toBe('INVALID_TOKEN');
    });

    it('only the organisation’s administrators invite', async () => {
      const org = await fx.customer();
      const body = { name: 'N', email: `n.${++serial}@region.se` };
      expect((await api.post(`/organisations/${org.id}/invitations`, body, org.orderer.token)).status).toBe(403);
      expect((await api.post(`/organisations/${org.id}/invitations`, body, staff)).status).toBe(403);
      expect((await api.post(`/organisations/${org.id}/invitations`, { ...body, email: 'not-an-email' }, org.admin.token)).status).toBe(400);
    });
  });

  describe('removing and leaving', () => {
    it('a removed member loses access at once; the last administrator cannot be removed nor leave', async () => {
      const org = await fx.customer();
      const order = await api.post('/orders', { organisationId: org.id, offeringId: 'webcert-fristaende', details: { careUnits: 1 }, acceptTerms: true }, org.orderer.token);
      expect((await api.get(`/orders/${order.body.id}`, org.attestant.token)).status).toBe(200);
      expect((await api.delete(`/organisations/${org.id}/members/${org.attestant.accountId}`, org.orderer.token)).status).toBe(403);
      const removed = await api.delete(`/organisations/${org.id}/members/${org.attestant.accountId}`, org.admin.token);
      expect(removed.status).toBe(200);
      expect((await api.get(`/orders/${order.body.id}`, org.attestant.token)).status).toBe(404);
      expect((await api.get(`/organisations/${org.id}`, org.attestant.token)).status).toBe(404);
      expect((await api.get('/approvals', org.attestant.token)).body.items).toEqual([]);
      // Decisions use the log: the former attestant cannot attest.
      expect((await api.post(`/orders/${order.body.id}/attest`, { method: 'bankid' }, org.attestant.token)).status).toBe(404);
      const members = await api.get(`/organisations/${org.id}/members`, org.admin.token);
      expect(members.body.items.map((m: { accountId: string }) => m.accountId)).not.toContain(org.attestant.accountId);
      // Coming back takes the administrator's approval again.
      const back = await api.post('/me/organisations', { organisationNumber: org.organisationNumber }, org.attestant.token);
      expect(back.body).toMatchObject({ organisationId: org.id, membership: 'pending' });

      const last = await api.delete(`/organisations/${org.id}/members/${org.admin.accountId}`, staff);
      expect(last.status).toBe(422);
      expect(last.body.code).toBe('LAST_ADMINISTRATOR');
      const leaving = await api.post(`/me/organisations/${org.id}/leave`, {}, org.admin.token);
      expect(leaving.status).toBe(422);
      expect(leaving.body.code).toBe('LAST_ADMINISTRATOR');
    });

    it('a member leaves; staff remove members too', async () => {
      const org = await fx.customer();
      expect((await api.post(`/me/organisations/${org.id}/leave`, {}, org.orderer.token)).status).toBe(200);
      expect((await api.get('/me', org.orderer.token)).body.organisations).toEqual([]);
      expect((await api.post(`/me/organisations/${org.id}/leave`, {}, org.orderer.token)).status).toBe(404);
      expect((await api.delete(`/organisations/${org.id}/members/${org.attestant.accountId}`, staff)).status).toBe(200);
      expect((await api.delete(`/organisations/${org.id}/members/${org.attestant.accountId}`, staff)).status).toBe(404);
    });
  });

  describe('least privilege', () => {
    it('a member with no role sees the organisation’s name and their own tickets, not its members or orders', async () => {
      const org = await fx.customer();
      const plain = await fx.member(org, []);
      const order = await api.post('/orders', { organisationId: org.id, offeringId: 'webcert-fristaende', details: { careUnits: 1 }, acceptTerms: true }, org.orderer.token);
      expect((await api.get(`/organisations/${org.id}`, plain.token)).body.name).toBe(org.name);
      expect((await api.get(`/organisations/${org.id}/members`, plain.token)).status).toBe(403);
      expect((await api.get(`/orders?organisationId=${org.id}`, plain.token)).status).toBe(403);
      expect((await api.get('/orders', plain.token)).body.items).toEqual([]);
      expect((await api.get(`/orders/${order.body.id}`, plain.token)).status).toBe(404);
      const ticket = await api.post('/tickets', { type: 'question', subject: 'Mine', description: 'D', organisationId: org.id }, plain.token);
      expect(ticket.status).toBe(201);
      expect((await api.get(`/tickets/${ticket.body.id}`, plain.token)).status).toBe(200);
    });
  });

  describe('e-mail verification and the open form', () => {
    const openForm = (email: string, subject: string) => api.post('/public/tickets', { name: 'Form Sender', email, type: 'question', subject, description: 'From the open form.' });
    const listSubjects = async (token: string) => (await api.get('/tickets?pageSize=100', token)).body.items.map((t: { subject: string }) => t.subject);

    it('an e-mail is verified with the mailed link; only then do open-form tickets from it show in the account', async () => {
      const org = await fx.organisation({ signed: false });
      const who = personIn(org, 'Vera Verified');
      const token = await api.signIn(testPersonalNumber(), { name: who.name });
      const created = await api.post('/accounts', { ...who, organisationNumber: org.organisationNumber }, token);
      expect(created.status).toBe(201);
      expect((await api.get('/me', token)).body.emailVerified).toBe(false);
      const mail = (await fx.mails(who.email)).find((m) => m.template === 'email-verification');
      const verificationToken = mail?.data.verificationToken as string;
      expect(verificationToken).toEqual(expect.any(String));
      expect(mail?.text).toContain('/verify-email?token=');

      // Unverified: the form's ticket is not the account's.
      expect((await openForm(who.email, 'Before verifying')).status).toBe(201);
      expect(await listSubjects(token)).not.toContain('Before verifying');

      expect((await api.post('/me/email/verify', { token: `${verificationToken}x` }, token)).body.code).toBe('INVALID_TOKEN');
      // Someone else's link is refused too.
      const other = await fx.member(org, []);
      expect((await api.post('/me/email/verify', { token: verificationToken }, other.token)).body.code).toBe('INVALID_TOKEN');
      const verified = await api.post('/me/email/verify', { token: verificationToken }, token);
      expect(verified.status).toBe(200);
      expect((await api.get('/me', token)).body.emailVerified).toBe(true);
      expect((await api.post('/me/email/verify', { token: verificationToken }, token)).status).toBe(422);

      const sent = await openForm(who.email.toUpperCase(), 'After verifying');
      expect(sent.status).toBe(201);
      const list = (await api.get('/tickets?pageSize=100', token)).body.items;
      expect(list.map((t: { subject: string }) => t.subject)).toEqual(['After verifying']);
      expect(list[0].fromOpenForm).toBe(true);
      const ticket = await api.get(`/tickets/${sent.body.id}`, token);
      expect(ticket.status).toBe(200);
      expect(ticket.body).toMatchObject({ fromOpenForm: true, requester: { name: who.name } });
      // Tickets from before stay isolated, and so do the form's tickets from other addresses.
      expect(await listSubjects(token)).not.toContain('Before verifying');
      expect((await api.get(`/tickets/${sent.body.id}`, other.token)).status).toBe(404);

      // By phone: staff name the caller by e-mail; a verified one is the account's, another is answered by e-mail.
      const phone = (email: string, subject: string, as = staff) =>
        api.post('/tickets', { type: 'fault-report', subject, description: 'Called support.', onBehalfOfEmail: email, onBehalfOfName: 'Caller' }, as);
      expect((await phone(who.email, 'By phone', token)).status).toBe(403);
      const called = await phone(who.email, 'By phone');
      expect(called.status).toBe(201);
      expect((await api.get(`/tickets/${called.body.id}`, token)).body).toMatchObject({ requester: { accountId: created.body.id }, fromOpenForm: false });
      expect((await phone(`unknown.${who.email}`, 'By phone, unknown caller')).status).toBe(201);
      expect(await listSubjects(token)).toEqual(['By phone', 'After verifying']);
      expect((await api.post('/tickets', { type: 'question', subject: 'S', description: 'D', onBehalfOfEmail: who.email, onBehalfOfAccountId: created.body.id }, staff)).body.code).toBe('ONE_REQUESTER');
    });

    it('changing the e-mail sends a new link to the new address; the service relies on it only once verified', async () => {
      const org = await fx.organisation({ signed: false });
      const person = await fx.member(org, []);
      const first = (await fx.mails(person.email)).find((m) => m.template === 'email-verification')?.data.verificationToken as string;
      const newEmail = `new.${person.email}`;
      const changed = await api.put('/me/email', { email: newEmail }, person.token);
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ email: newEmail, emailVerified: false });
      expect((await api.get('/me', person.token)).body).toMatchObject({ email: newEmail, emailVerified: false });
      // The older link no longer works; the new one does.
      expect((await api.post('/me/email/verify', { token: first }, person.token)).body.code).toBe('INVALID_TOKEN');
      await openForm(newEmail, 'New address, unverified');
      const second = (await fx.mails(newEmail)).find((m) => m.template === 'email-verification')?.data.verificationToken as string;
      expect((await api.post('/me/email/verify', { token: second }, person.token)).status).toBe(200);
      await openForm(newEmail, 'New address, verified');
      await openForm(person.email, 'Old address');
      expect(await listSubjects(person.token)).toEqual(['New address, verified']);
      // The address belongs to one account.
      const someone = await fx.member(org, []);
      expect((await api.put('/me/email', { email: newEmail }, someone.token)).status).toBe(409);
      expect((await api.put('/me/email', { email: 'not-an-email' }, someone.token)).status).toBe(400);
    });

    it('a password registration approved by staff joins active, its e-mail counts as verified, and it cannot be changed here', async () => {
      const org = await fx.organisation({ signed: false });
      const email = `pw.${++serial}.${org.organisationNumber.replace('-', '')}@skola.se`;
      const password = 'Sommar-2026x';
      const registered = await api.post('/registrations', { name: 'Petra Password', email, password, organisationNumber: org.organisationNumber });
      expect(registered.status).toBe(201);
      expect((await api.post(`/registrations/${registered.body.id}/approve`, {}, staff)).status).toBe(200);
      const signedIn = await api.post('/auth/password/sign-in', { email, password });
      const token = signedIn.body.accessToken as string;
      const me = await api.get('/me', token);
      expect(me.body).toMatchObject({ emailVerified: true, organisations: [expect.objectContaining({ id: org.id })], pendingOrganisations: [] });
      const changed = await api.put('/me/email', { email: `other.${email}` }, token);
      expect(changed.status).toBe(422);
      expect(changed.body.code).toBe('EMAIL_IS_SIGN_IN');
      const sent = await openForm(email, 'From a password account');
      expect((await api.get(`/tickets/${sent.body.id}`, token)).status).toBe(200);
    });
  });
});
