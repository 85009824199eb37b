import { parse as parseDisposition } from 'content-disposition';
import { randomBytes } from 'node:crypto';
import { ApiHarness, ApiResponse } from './support/api-harness';
import { Organisation, OrganisationFixtures, Person } from './support/organisation-fixtures';
import { testPersonalNumber } from './support/swedish-ids';
import { multipartBody, TicketFixtures } from './support/ticket-fixtures';
import { freshDataDir, removeDir, ServerProcess } from './support/server-process';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POSITION = /^\d+$/;
const NUMBER = /^T-\d+$/;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectError(response: { status: number; body: any }, statusCode: number, code: string): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status: statusCode, body: { statusCode, code, message: expect.any(String) } });
}

function expectFields(response: ApiResponse, fields: string[]): void {
  expectError(response, 400, 'VALIDATION_FAILED');
  expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(fields));
}

function expectCommand(response: ApiResponse, status: number, id?: string): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { id: id ?? expect.stringMatching(UUID), position: expect.stringMatching(POSITION) } });
}

const maxPosition = (positions: string[]) => positions.reduce((a, b) => (BigInt(a) >= BigInt(b) ? a : b));

describe('Tickets over HTTP', () => {
  let api: ApiHarness;
  let staff: string;
  let fx: OrganisationFixtures;
  let tx: TicketFixtures;
  let org: Organisation;
  let requester: Person;
  let colleague: Person;
  let outsider: Person;
  let otherOrg: Organisation;

  beforeAll(async () => {
    api = await ApiHarness.start();
    staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    fx = new OrganisationFixtures(api, staff);
    tx = new TicketFixtures(api);
    [org, otherOrg] = await Promise.all([fx.organisation(), fx.organisation({ signed: false })]);
    requester = await fx.member(org, [], 'Rita Requester');
    colleague = await fx.member(org, [], 'Carl Colleague');
    outsider = await fx.member(otherOrg, [], 'Otto Outsider');
  });
  afterAll(() => api?.stop());

  /** Fresh people in `org`, so lists, badges and mailboxes start empty. */
  const people = async (...names: string[]): Promise<Person[]> => {
    const result: Person[] = [];
    for (const name of names) result.push(await fx.member(org, [], name));
    return result;
  };
  const badge = async (person: Person) => {
    const response = await api.get('/me/notifications', person.token);
    expect(response.status).toBe(200);
    return response.body as { badge: Record<string, number>; items: Array<Record<string, unknown>> };
  };
  const ticketMails = async (email: string, number: string) => (await fx.mails(email)).filter((m) => m.data.number === number);

  describe('creation by the three channels', () => {
    it('an account holder creates a ticket: 201 with id, position and a number T-<n>; it is theirs, open, read', async () => {
      const [person] = await people('Petra Portal');
      const body = { type: 'fault-report', subject: 'Webcert signing fails', description: 'Error 1234 since this morning.', serviceId: 'webcert' };
      const created = await api.post('/tickets', body, person.token);
      expectCommand(created, 201);
      expect(created.body.number).toMatch(NUMBER);
      const id = created.body.id as string;

      const list = await tx.list(person.token);
      expect(list.status).toBe(200);
      expect(list.body.total).toBe(1);
      expect(list.body.items).toEqual([
        expect.objectContaining({
          id,
          number: created.body.number,
          subject: body.subject,
          type: 'fault-report',
          status: 'open',
          createdAt: expect.stringMatching(ISO),
          lastActivityAt: expect.stringMatching(ISO),
          unread: false,
        }),
      ]);
      expect(list.body.items[0]).not.toHaveProperty('priority');

      const detail = await tx.open(person.token, id);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({
        id,
        number: created.body.number,
        type: 'fault-report',
        subject: body.subject,
        description: body.description,
        status: 'open',
        requester: { accountId: person.accountId, name: person.name },
        collaborators: [],
        messages: [],
        attachments: [],
        createdAt: expect.stringMatching(ISO),
        lastActivityAt: expect.stringMatching(ISO),
      });
      expect(detail.body).not.toHaveProperty('priority');
    });

    it('numbers are unique across many tickets created at once', async () => {
      const [person] = await people('Nils Numbers');
      const responses = await Promise.all(Array.from({ length: 30 }, () => api.post('/tickets', tx.body(), person.token)));
      expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));
      const numbers = responses.map((r) => r.body.number as string);
      numbers.forEach((n) => expect(n).toMatch(NUMBER));
      expect(new Set(numbers).size).toBe(30);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(30);
      api.lastPosition = maxPosition(responses.map((r) => r.body.position));
      const list = await tx.list(person.token, '?pageSize=100');
      expect(list.body.total).toBe(30);
      expect(new Set(list.body.items.map((t: { number: string }) => t.number))).toEqual(new Set(numbers));
    });

    it('the same Idempotency-Key gives the first answer again and no second ticket', async () => {
      const [person] = await people('Ida Idempotent');
      const body = tx.body();
      const first = await api.post('/tickets', body, person.token, { 'Idempotency-Key': 'create-once' });
      const again = await api.post('/tickets', body, person.token, { 'Idempotency-Key': 'create-once' });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toMatchObject({ id: first.body.id, number: first.body.number });
      expect((await tx.list(person.token)).body.total).toBe(1);
    });

    it('refuses a bad shape (400 naming the fields), and callers without a token (401)', async () => {
      expectFields(await api.post('/tickets', { type: 'complaint', subject: '', description: 'x' }, requester.token), ['type', 'subject']);
      expectFields(await api.post('/tickets', { type: 'question', subject: 'S' }, requester.token), ['description']);
      expectFields(await api.post('/tickets', tx.body({ collaboratorAccountIds: ['not-an-id'] }), requester.token), ['collaboratorAccountIds']);
      expectError(await api.post('/tickets', tx.body()), 401, 'UNAUTHENTICATED');
      expectError(await api.get('/tickets'), 401, 'UNAUTHENTICATED');
    });

    it('staff on the phone create a ticket on behalf of an account: the requester sees it as theirs', async () => {
      const [person] = await people('Paula Phone');
      const created = await api.post('/tickets', tx.body({ subject: 'Called about certificates', onBehalfOfAccountId: person.accountId }), staff);
      expectCommand(created, 201);
      expect(created.body.number).toMatch(NUMBER);
      const list = await tx.list(person.token);
      expect(list.body.items).toEqual([expect.objectContaining({ id: created.body.id, number: created.body.number, subject: 'Called about certificates', status: 'open' })]);
      const detail = await tx.open(person.token, created.body.id);
      expect(detail.status).toBe(200);
      expect(detail.body.requester).toEqual({ accountId: person.accountId, name: person.name });
      // The requester takes part like in any of their tickets.
      expect((await api.post(`/tickets/${created.body.id}/messages`, { body: 'Thanks for the call.' }, person.token)).status).toBe(201);
    });

    it('onBehalfOfAccountId: non-staff 403 FORBIDDEN; an unknown account 422 NOT_A_REGISTERED_ACCOUNT', async () => {
      expectError(await api.post('/tickets', tx.body({ onBehalfOfAccountId: colleague.accountId }), requester.token), 403, 'FORBIDDEN');
      expectError(await api.post('/tickets', tx.body({ onBehalfOfAccountId: UNKNOWN_ID }), staff), 422, 'NOT_A_REGISTERED_ACCOUNT');
      expect((await tx.list(colleague.token, '?pageSize=100')).body.items.some((t: { subject: string }) => t.subject.startsWith('Signing fails'))).toBe(false);
    });

    it('the open form without a token: 201 with a number, and a ticket-received mail naming it', async () => {
      const email = `kim.${Date.now()}@skola.se`;
      const created = await api.post('/public/tickets', { name: 'Kim Svensson', email, type: 'question', subject: 'How do I get an account?', description: 'Please help.' });
      expectCommand(created, 201);
      expect(created.body.number).toMatch(NUMBER);
      const mails = await fx.mails(email);
      expect(mails).toEqual([expect.objectContaining({ to: email, template: 'ticket-received' })]);
      expect(mails[0].subject).toContain(created.body.number);
      expect(mails[0].text).toContain(created.body.number);
      expect(mails[0].data).toMatchObject({ number: created.body.number, subject: 'How do I get an account?' });
    });

    it('the open form refuses a bad shape with 400 naming the fields', async () => {
      expectFields(await api.post('/public/tickets', { name: '', email: 'not-an-email', type: 'question', subject: 'S', description: 'D' }), ['name', 'email']);
    });
  });

  describe('isolation of tickets from before the account', () => {
    it('an open-form ticket from X stays out of the account X creates later; staff replies go by e-mail only', async () => {
      const email = `early.bird.${Date.now()}@region.se`;
      const subject = 'Question before I had an account';
      const early = await api.post('/public/tickets', { name: 'Eva Early', email, type: 'question', subject, description: 'Asked on the open form.' });
      expect(early.status).toBe(201);
      const { id, number } = early.body as { id: string; number: string };

      // Eva creates her account with the same e-mail address.
      const token = await api.signIn(testPersonalNumber(), { name: 'Eva Early' });
      const account = await api.post('/accounts', { name: 'Eva Early', email, organisationNumber: org.organisationNumber }, token);
      expect(account.status).toBe(201);

      expect((await tx.list(token)).body).toMatchObject({ items: [], total: 0 });
      expectError(await api.get(`/tickets/${id}`, token), 404, 'NOT_FOUND');
      expectError(await api.post(`/tickets/${id}/messages`, { body: 'It is me' }, token), 404, 'NOT_FOUND');

      // Staff answer: by e-mail, naming number and subject; nothing reaches the account.
      await tx.post(staff, id, 'You get an account by applying on the web.');
      const replies = (await fx.mails(email)).filter((m) => m.template === 'ticket-reply');
      expect(replies).toHaveLength(1);
      expect(replies[0].subject).toContain(`[${number}]`);
      expect(replies[0].subject).toContain(subject);
      expect(replies[0].text).toContain(number);
      expect(replies[0].text).toContain('You get an account by applying on the web.');
      expect(replies[0].data).toMatchObject({ number, subject });

      expect((await tx.list(token)).body).toMatchObject({ items: [], total: 0 });
      expectError(await api.get(`/tickets/${id}`, token), 404, 'NOT_FOUND');
      const notices = await api.get('/me/notifications', token);
      expect(notices.body.badge.unreadTickets).toBe(0);
      expect(notices.body.items.filter((i: { kind: string }) => i.kind === 'ticket-reply')).toEqual([]);

      // A ticket she creates now is hers as usual.
      const mine = await tx.create(token);
      expect((await tx.list(token)).body.items.map((t: { id: string }) => t.id)).toEqual([mine.id]);
    });
  });

  describe('visibility', () => {
    let ticket: { id: string; number: string; subject: string };
    let attachmentId: string;

    beforeAll(async () => {
      ticket = await tx.create(requester.token, { organisationId: org.id, collaboratorAccountIds: [colleague.accountId] });
      const uploaded = await tx.upload(requester.token, ticket.id, { name: 'notes.txt', content: 'hello', type: 'text/plain' });
      expect(uploaded.status).toBe(201);
      attachmentId = uploaded.body.id;
    });

    it('requester and collaborators see it in their lists and open it', async () => {
      for (const person of [requester, colleague]) {
        expect(await tx.item(person.token, ticket.id)).toMatchObject({ id: ticket.id, number: ticket.number, viaOrganisation: false });
        const detail = await tx.open(person.token, ticket.id);
        expect(detail.status).toBe(200);
        expect(detail.body.collaborators).toEqual([{ accountId: colleague.accountId, name: colleague.name }]);
      }
    });

    it('outsiders get 404 on get, messages, close, collaborators, upload and download, and do not list it', async () => {
      expectError(await api.get(`/tickets/${ticket.id}`, outsider.token), 404, 'NOT_FOUND');
      expectError(await api.post(`/tickets/${ticket.id}/messages`, { body: 'Hi' }, outsider.token), 404, 'NOT_FOUND');
      expectError(await api.post(`/tickets/${ticket.id}/close`, {}, outsider.token), 404, 'NOT_FOUND');
      expectError(await api.post(`/tickets/${ticket.id}/collaborators`, { accountId: outsider.accountId }, outsider.token), 404, 'NOT_FOUND');
      expectError(await tx.upload(outsider.token, ticket.id, { name: 'x.txt', content: 'x', type: 'text/plain' }), 404, 'NOT_FOUND');
      expectError(await tx.download(outsider.token, ticket.id, attachmentId), 404, 'NOT_FOUND');
      // The administrator of another organisation sees nothing either.
      expectError(await api.get(`/tickets/${ticket.id}`, otherOrg.admin.token), 404, 'NOT_FOUND');
      expect(await tx.item(outsider.token, ticket.id)).toBeUndefined();
      expect(await tx.item(otherOrg.admin.token, ticket.id)).toBeUndefined();
      // Nothing happened to the ticket.
      const detail = await tx.open(requester.token, ticket.id);
      expect(detail.body.messages).toEqual([]);
      expect(detail.body.status).toBe('open');
    });

    it('unknown and malformed ids are 404', async () => {
      expectError(await api.get(`/tickets/${UNKNOWN_ID}`, staff), 404, 'NOT_FOUND');
      expectError(await api.get('/tickets/not-a-ticket', requester.token), 404, 'NOT_FOUND');
      expectError(await api.post(`/tickets/${UNKNOWN_ID}/messages`, { body: 'Hi' }, requester.token), 404, 'NOT_FOUND');
      expectError(await tx.download(requester.token, ticket.id, UNKNOWN_ID), 404, 'NOT_FOUND');
    });

    it('staff see every ticket, with priority, in the list and the detail', async () => {
      const list = await tx.list(staff, '?pageSize=100');
      expect(list.status).toBe(200);
      expect(list.body.total).toBeGreaterThanOrEqual(list.body.items.length);
      list.body.items.forEach((t: Record<string, unknown>) => expect(t).toHaveProperty('priority'));
      expect(list.body.items.find((t: { id: string }) => t.id === ticket.id)).toMatchObject({ id: ticket.id, priority: 'normal' });
      const times = list.body.items.map((t: { lastActivityAt: string }) => t.lastActivityAt);
      expect([...times].sort().reverse()).toEqual(times);
      const detail = await tx.open(staff, ticket.id);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({ id: ticket.id, priority: 'normal', requester: { accountId: requester.accountId, name: requester.name } });
    });

    it('an administrator of the ticket’s organisation lists it viaOrganisation and opens it, but may not post, close or attach (403)', async () => {
      const admin = org.admin;
      expect(await tx.item(admin.token, ticket.id)).toMatchObject({ id: ticket.id, number: ticket.number, viaOrganisation: true, unread: false });
      expect(await tx.item(admin.token, ticket.id)).not.toHaveProperty('priority');
      const detail = await tx.open(admin.token, ticket.id);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({ id: ticket.id, subject: ticket.subject });
      expect(detail.body).not.toHaveProperty('priority');
      const download = await tx.download(admin.token, ticket.id, attachmentId);
      expect(download.status).toBe(200);
      expectError(await api.post(`/tickets/${ticket.id}/messages`, { body: 'As admin' }, admin.token), 403, 'FORBIDDEN');
      expectError(await api.post(`/tickets/${ticket.id}/close`, {}, admin.token), 403, 'FORBIDDEN');
      expectError(await tx.upload(admin.token, ticket.id, { name: 'a.txt', content: 'a', type: 'text/plain' }), 403, 'FORBIDDEN');
      expect((await tx.open(requester.token, ticket.id)).body).toMatchObject({ status: 'open', messages: [] });
      expect((await tx.open(requester.token, ticket.id)).body.attachments).toHaveLength(1);
    });

    it('the administrator does not see tickets created without organisationId', async () => {
      const own = await tx.create(requester.token);
      expect(await tx.item(org.admin.token, own.id)).toBeUndefined();
      expectError(await api.get(`/tickets/${own.id}`, org.admin.token), 404, 'NOT_FOUND');
    });

    it('organisationId of an organisation the requester is not a member of → 404', async () => {
      expectError(await api.post('/tickets', tx.body({ organisationId: otherOrg.id }), requester.token), 404, 'NOT_FOUND');
      expectError(await api.post('/tickets', tx.body({ organisationId: UNKNOWN_ID }), requester.token), 404, 'NOT_FOUND');
    });
  });

  describe('collaborators', () => {
    it('the requester adds a colleague (200), who then sees the whole history and may reply', async () => {
      const [rq, co] = await people('Rolf Requester', 'Cecilia Colleague');
      const ticket = await tx.create(rq.token);
      await tx.post(rq.token, ticket.id, 'First from the requester');
      await tx.post(staff, ticket.id, 'Answer from support');
      expectError(await api.get(`/tickets/${ticket.id}`, co.token), 404, 'NOT_FOUND');

      const added = await api.post(`/tickets/${ticket.id}/collaborators`, { accountId: co.accountId }, rq.token);
      expectCommand(added, 200, ticket.id);
      const seen = await tx.open(co.token, ticket.id);
      expect(seen.status).toBe(200);
      expect(seen.body.collaborators).toEqual([{ accountId: co.accountId, name: co.name }]);
      expect(seen.body.messages.map((m: { body: string; author: unknown }) => [m.body, m.author])).toEqual([
        ['First from the requester', { name: rq.name, staff: false }],
        ['Answer from support', { name: 'Stina Staff', staff: true }],
      ]);
      expect(await tx.item(co.token, ticket.id)).toMatchObject({ id: ticket.id, viaOrganisation: false });

      await tx.post(co.token, ticket.id, 'Colleague here, same problem');
      const forRequester = await tx.open(rq.token, ticket.id);
      expect(forRequester.body.messages.map((m: { body: string }) => m.body)).toEqual(['First from the requester', 'Answer from support', 'Colleague here, same problem']);
      expect(forRequester.body.messages[2]).toMatchObject({ id: expect.any(String), author: { name: co.name, staff: false }, at: expect.stringMatching(ISO), attachments: [] });
    });

    it('a non-existent account 422 NOT_A_REGISTERED_ACCOUNT; added by a collaborator 403; added twice 409; a bad id 400', async () => {
      const [rq, co, third] = await people('Rune Requester', 'Cora Colleague', 'Tor Third');
      const ticket = await tx.create(rq.token, { collaboratorAccountIds: [co.accountId] });
      expectError(await api.post(`/tickets/${ticket.id}/collaborators`, { accountId: UNKNOWN_ID }, rq.token), 422, 'NOT_A_REGISTERED_ACCOUNT');
      expectError(await api.post(`/tickets/${ticket.id}/collaborators`, { accountId: third.accountId }, co.token), 403, 'FORBIDDEN');
      expectFields(await api.post(`/tickets/${ticket.id}/collaborators`, { accountId: 'nobody' }, rq.token), ['accountId']);
      expectCommand(await api.post(`/tickets/${ticket.id}/collaborators`, { accountId: third.accountId }, rq.token), 200, ticket.id);
      const twice = await api.post(`/tickets/${ticket.id}/collaborators`, { accountId: third.accountId }, rq.token);
      expect(twice.status).toBe(409);
      expect(twice.body).toMatchObject({ statusCode: 409, code: expect.any(String), message: expect.any(String) });
      expect((await tx.open(rq.token, ticket.id)).body.collaborators.map((c: { accountId: string }) => c.accountId)).toEqual([co.accountId, third.accountId]);
    });

    it('collaboratorAccountIds at creation must be registered accounts (422); staff may add collaborators (200)', async () => {
      const [rq, co] = await people('Ragna Requester', 'Conny Colleague');
      expectError(await api.post('/tickets', tx.body({ collaboratorAccountIds: [UNKNOWN_ID] }), rq.token), 422, 'NOT_A_REGISTERED_ACCOUNT');
      expect((await tx.list(rq.token)).body.total).toBe(0);
      const ticket = await tx.create(rq.token);
      expectCommand(await api.post(`/tickets/${ticket.id}/collaborators`, { accountId: co.accountId }, staff), 200, ticket.id);
      expect(await tx.item(co.token, ticket.id)).toMatchObject({ id: ticket.id });
    });
  });

  describe('internal notes', () => {
    it('never reach the requester or collaborators, do not move their lastActivityAt, send no mail; staff see them as internal', async () => {
      const [rq, co] = await people('Ingrid Requester', 'Ivar Colleague');
      const ticket = await tx.create(rq.token, { collaboratorAccountIds: [co.accountId] });
      await tx.post(staff, ticket.id, 'Public answer');
      const before = { detail: (await tx.open(rq.token, ticket.id)).body, item: await tx.item(rq.token, ticket.id), co: (await tx.open(co.token, ticket.id)).body };
      const mailsBefore = [(await fx.mails(rq.email)).length, (await fx.mails(co.email)).length];
      await pause(5);

      const note = await api.post(`/tickets/${ticket.id}/messages`, { body: 'Customer seems confused, check logs', internal: true }, staff);
      expectCommand(note, 201, ticket.id);

      for (const person of [rq, co]) {
        const detail = await tx.open(person.token, ticket.id);
        expect(detail.body.messages.map((m: { body: string }) => m.body)).toEqual(['Public answer']);
        expect(detail.body.messages[0]).not.toHaveProperty('internal');
        expect(detail.body.lastActivityAt).toBe(before.detail.lastActivityAt);
        expect(await tx.item(person.token, ticket.id)).toMatchObject({ lastActivityAt: before.item!.lastActivityAt, unread: false });
      }
      expect(before.co.lastActivityAt).toBe(before.detail.lastActivityAt);
      expect([(await fx.mails(rq.email)).length, (await fx.mails(co.email)).length]).toEqual(mailsBefore);
      expect((await badge(rq)).badge.unreadTickets).toBe(0);

      const forStaff = await tx.open(staff, ticket.id);
      expect(forStaff.body.messages.map((m: { body: string; internal: boolean; author: unknown }) => [m.body, m.internal, m.author])).toEqual([
        ['Public answer', false, { name: 'Stina Staff', staff: true }],
        ['Customer seems confused, check logs', true, { name: 'Stina Staff', staff: true }],
      ]);
    });

    it('non-staff may not write internal notes (403); internal: false is an ordinary message', async () => {
      const ticket = await tx.create(requester.token, { collaboratorAccountIds: [colleague.accountId] });
      expectError(await api.post(`/tickets/${ticket.id}/messages`, { body: 'Secret', internal: true }, requester.token), 403, 'FORBIDDEN');
      expectError(await api.post(`/tickets/${ticket.id}/messages`, { body: 'Secret', internal: true }, colleague.token), 403, 'FORBIDDEN');
      expectFields(await api.post(`/tickets/${ticket.id}/messages`, { body: 'x', internal: 'yes' }, staff), ['internal']);
      expectFields(await api.post(`/tickets/${ticket.id}/messages`, { body: '' }, requester.token), ['body']);
      expectCommand(await api.post(`/tickets/${ticket.id}/messages`, { body: 'Not secret', internal: false }, requester.token), 201, ticket.id);
      expect((await tx.open(staff, ticket.id)).body.messages.map((m: { body: string; internal: boolean }) => [m.body, m.internal])).toEqual([['Not secret', false]]);
    });
  });

  describe('priority', () => {
    it('staff set it (200); customers never get a priority field; staff do; non-staff 403; bad value 400', async () => {
      const ticket = await tx.create(requester.token, { collaboratorAccountIds: [colleague.accountId] });
      const before = await tx.item(requester.token, ticket.id);
      await pause(5);
      const set = await api.put(`/tickets/${ticket.id}/priority`, { priority: 'urgent' }, staff);
      expectCommand(set, 200, ticket.id);
      // Not even as activity: the customer's lastActivityAt does not move.
      expect(await tx.item(requester.token, ticket.id)).toMatchObject({ lastActivityAt: before!.lastActivityAt, unread: false });

      for (const person of [requester, colleague]) {
        const item = await tx.item(person.token, ticket.id);
        expect(item).toBeDefined();
        expect(item).not.toHaveProperty('priority');
        const detail = await tx.open(person.token, ticket.id);
        expect(detail.status).toBe(200);
        expect(detail.body).not.toHaveProperty('priority');
        expect(JSON.stringify(detail.body)).not.toContain('urgent');
      }
      expect(await tx.item(staff, ticket.id)).toMatchObject({ priority: 'urgent' });
      expect((await tx.open(staff, ticket.id)).body.priority).toBe('urgent');

      expectError(await api.put(`/tickets/${ticket.id}/priority`, { priority: 'low' }, requester.token), 403, 'FORBIDDEN');
      expectFields(await api.put(`/tickets/${ticket.id}/priority`, { priority: 'asap' }, staff), ['priority']);
      expect((await tx.open(staff, ticket.id)).body.priority).toBe('urgent');
    });
  });

  describe('status', () => {
    it('staff set open, pending, solved (200); a bad value 400; non-staff 403', async () => {
      const ticket = await tx.create(requester.token);
      for (const status of ['pending', 'solved', 'open'] as const) {
        expectCommand(await api.put(`/tickets/${ticket.id}/status`, { status }, staff), 200, ticket.id);
        expect((await tx.open(requester.token, ticket.id)).body.status).toBe(status);
        expect(await tx.item(requester.token, ticket.id)).toMatchObject({ status });
      }
      expectFields(await api.put(`/tickets/${ticket.id}/status`, { status: 'closed' }, staff), ['status']);
      expectFields(await api.put(`/tickets/${ticket.id}/status`, { status: 'done' }, staff), ['status']);
      expectFields(await api.put(`/tickets/${ticket.id}/status`, {}, staff), ['status']);
      expectError(await api.put(`/tickets/${ticket.id}/status`, { status: 'solved' }, requester.token), 403, 'FORBIDDEN');
      expectError(await api.put(`/tickets/${ticket.id}/status`, { status: 'solved' }, outsider.token), 403, 'FORBIDDEN');
      expect((await tx.open(requester.token, ticket.id)).body.status).toBe('open');
    });
  });

  describe('unread markers and the badge', () => {
    it('a staff reply makes the ticket unread for requester and collaborators; opening it marks it read for that reader only', async () => {
      const [rq, co] = await people('Ulla Requester', 'Uno Colleague');
      const ticket = await tx.create(rq.token, { collaboratorAccountIds: [co.accountId] });
      expect(await tx.item(rq.token, ticket.id)).toMatchObject({ unread: false });
      expect((await badge(rq)).badge).toEqual({ total: 0, approvals: 0, unreadTickets: 0, agreementsToSign: 0, joinRequests: 0 });

      await tx.post(staff, ticket.id, 'We are looking into it');
      for (const person of [rq, co]) {
        expect(await tx.item(person.token, ticket.id)).toMatchObject({ unread: true });
        const notices = await badge(person);
        expect(notices.badge).toEqual({ total: 1, approvals: 0, unreadTickets: 1, agreementsToSign: 0, joinRequests: 0 });
        expect(notices.items).toEqual([{ kind: 'ticket-reply', refId: ticket.id, title: expect.any(String), at: expect.stringMatching(ISO) }]);
      }

      // The requester opens it: read for them (once the marker is processed), still unread for the collaborator.
      const opened = await api.get(`/tickets/${ticket.id}`, rq.token);
      expect(opened.status).toBe(200);
      const marker = opened.headers.get('x-position');
      expect(marker).toMatch(POSITION);
      api.lastPosition = marker;
      expect(await tx.item(rq.token, ticket.id)).toMatchObject({ unread: false });
      expect((await badge(rq)).badge).toEqual({ total: 0, approvals: 0, unreadTickets: 0, agreementsToSign: 0, joinRequests: 0 });
      expect((await badge(rq)).items).toEqual([]);
      expect(await tx.item(co.token, ticket.id)).toMatchObject({ unread: true });
      expect((await badge(co)).badge.unreadTickets).toBe(1);

      await tx.open(co.token, ticket.id);
      expect(await tx.item(co.token, ticket.id)).toMatchObject({ unread: false });
      expect((await badge(co)).badge.unreadTickets).toBe(0);

      // A customer's own message makes it unread for no one.
      await tx.post(rq.token, ticket.id, 'Any news?');
      await tx.post(co.token, ticket.id, 'Me too');
      for (const person of [rq, co]) {
        expect(await tx.item(person.token, ticket.id)).toMatchObject({ unread: false });
        expect((await badge(person)).badge.unreadTickets).toBe(0);
      }

      // A new staff reply makes it unread again for both.
      await tx.post(staff, ticket.id, 'Fixed now');
      for (const person of [rq, co]) expect(await tx.item(person.token, ticket.id)).toMatchObject({ unread: true });
    });

    it('counts each unread ticket once in the badge', async () => {
      const [rq] = await people('Berit Badge');
      const a = await tx.create(rq.token);
      const b = await tx.create(rq.token);
      await tx.post(staff, a.id, 'Reply one');
      await tx.post(staff, a.id, 'Reply two');
      await tx.post(staff, b.id, 'Reply three');
      const notices = await badge(rq);
      expect(notices.badge).toEqual({ total: 2, approvals: 0, unreadTickets: 2, agreementsToSign: 0, joinRequests: 0 });
      expect(notices.items.map((i) => i.refId).sort()).toEqual([a.id, b.id].sort());
    });
  });

  describe('e-mail on staff replies', () => {
    it('each of requester and collaborators gets a ticket-reply naming number and subject; notes and customer messages send none', async () => {
      const [rq, co] = await people('Maja Mail', 'Mats Mail');
      const ticket = await tx.create(rq.token, { subject: 'Printer queue stuck', collaboratorAccountIds: [co.accountId] });
      await tx.post(rq.token, ticket.id, 'It is stuck again');
      await tx.post(staff, ticket.id, 'Internal: restart spooler', true);
      expect(await ticketMails(rq.email, ticket.number)).toEqual([]);
      expect(await ticketMails(co.email, ticket.number)).toEqual([]);

      await tx.post(staff, ticket.id, 'We restarted the spooler.');
      for (const person of [rq, co]) {
        const mails = await ticketMails(person.email, ticket.number);
        expect(mails).toHaveLength(1);
        expect(mails[0]).toMatchObject({ to: person.email, template: 'ticket-reply' });
        expect(mails[0].subject).toContain(`[${ticket.number}]`);
        expect(mails[0].subject).toContain('Printer queue stuck');
        expect(mails[0].text).toContain(ticket.number);
        expect(mails[0].text).toContain('Printer queue stuck');
        expect(mails[0].text).toContain('We restarted the spooler.');
        expect(mails[0].text).not.toContain('restart spooler');
        expect(mails[0].data).toMatchObject({ number: ticket.number, subject: 'Printer queue stuck' });
      }
      // A collaborator's message sends nothing either.
      await tx.post(co.token, ticket.id, 'Thanks!');
      expect(await ticketMails(rq.email, ticket.number)).toHaveLength(1);
    });
  });

  describe('closing', () => {
    it('the requester closes (200); then messages 409 TICKET_CLOSED and closing again 409; staff reopen with status open', async () => {
      const ticket = await tx.create(requester.token, { collaboratorAccountIds: [colleague.accountId] });
      const closed = await api.post(`/tickets/${ticket.id}/close`, {}, requester.token);
      expectCommand(closed, 200, ticket.id);
      expect((await tx.open(requester.token, ticket.id)).body.status).toBe('closed');
      expect(await tx.item(colleague.token, ticket.id)).toMatchObject({ status: 'closed' });

      expectError(await api.post(`/tickets/${ticket.id}/messages`, { body: 'One more thing' }, requester.token), 409, 'TICKET_CLOSED');
      expectError(await api.post(`/tickets/${ticket.id}/messages`, { body: 'From support' }, staff), 409, 'TICKET_CLOSED');
      expectError(await api.post(`/tickets/${ticket.id}/close`, {}, requester.token), 409, 'TICKET_CLOSED');
      expectError(await api.post(`/tickets/${ticket.id}/close`, {}, colleague.token), 409, 'TICKET_CLOSED');
      expectError(await tx.upload(requester.token, ticket.id, { name: 'late.log', content: 'too late', type: 'text/plain' }), 409, 'TICKET_CLOSED');
      expect((await tx.open(requester.token, ticket.id)).body).toMatchObject({ messages: [], attachments: [] });

      expectCommand(await api.put(`/tickets/${ticket.id}/status`, { status: 'open' }, staff), 200, ticket.id);
      expect((await tx.open(requester.token, ticket.id)).body.status).toBe('open');
      await tx.post(requester.token, ticket.id, 'Reopened, thanks');
    });

    it('collaborators and staff may close too', async () => {
      const a = await tx.create(requester.token, { collaboratorAccountIds: [colleague.accountId] });
      const b = await tx.create(requester.token);
      expectCommand(await api.post(`/tickets/${a.id}/close`, {}, colleague.token), 200, a.id);
      expectCommand(await api.post(`/tickets/${b.id}/close`, {}, staff), 200, b.id);
      expect(await tx.item(requester.token, a.id)).toMatchObject({ status: 'closed' });
      expect(await tx.item(requester.token, b.id)).toMatchObject({ status: 'closed' });
    });
  });

  describe('the list', () => {
    it('newest lastActivityAt first, a status filter, and paging with total', async () => {
      const [person] = await people('Lisa Lister');
      const a = await tx.create(person.token, { subject: 'A' });
      await pause(5);
      const b = await tx.create(person.token, { subject: 'B' });
      await pause(5);
      const c = await tx.create(person.token, { subject: 'C' });
      const order = async (query = '') => {
        const list = await tx.list(person.token, query);
        expect(list.status).toBe(200);
        return list.body.items.map((t: { subject: string }) => t.subject) as string[];
      };
      expect(await order()).toEqual(['C', 'B', 'A']);

      await pause(5);
      await tx.post(person.token, a.id, 'Activity on A');
      expect(await order()).toEqual(['A', 'C', 'B']);
      await pause(5);
      await tx.post(staff, b.id, 'Support on B');
      expect(await order()).toEqual(['B', 'A', 'C']);
      await pause(5);
      await tx.post(staff, c.id, 'Internal on C', true);
      expect(await order()).toEqual(['B', 'A', 'C']);

      const list = await tx.list(person.token);
      const times = list.body.items.map((t: { lastActivityAt: string }) => Date.parse(t.lastActivityAt));
      expect(times[0]).toBeGreaterThan(times[1]);
      expect(times[1]).toBeGreaterThan(times[2]);
      expect(list.body.total).toBe(3);

      // Status filter.
      await api.put(`/tickets/${b.id}/status`, { status: 'pending' }, staff);
      await api.post(`/tickets/${c.id}/close`, {}, person.token);
      expect((await tx.list(person.token, '?status=pending')).body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: b.id, status: 'pending' })] });
      expect((await tx.list(person.token, '?status=open')).body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: a.id, status: 'open' })] });
      expect((await tx.list(person.token, '?status=closed')).body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: c.id, status: 'closed' })] });
      expect((await tx.list(person.token, '?status=solved')).body).toMatchObject({ total: 0, items: [] });

      // Paging.
      const all = await order();
      const page1 = await tx.list(person.token, '?page=1&pageSize=2');
      const page2 = await tx.list(person.token, '?page=2&pageSize=2');
      const page3 = await tx.list(person.token, '?page=3&pageSize=2');
      expect(page1.body.total).toBe(3);
      expect(page2.body.total).toBe(3);
      expect(page3.body).toMatchObject({ total: 3, items: [] });
      expect([...page1.body.items, ...page2.body.items].map((t: { subject: string }) => t.subject)).toEqual(all);
      expect(page1.body.items).toHaveLength(2);
      expect((await tx.list(person.token, '?status=open&page=1&pageSize=1')).body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: a.id })] });
    });

    it('bad paging and status values are 400 naming the parameter', async () => {
      for (const query of ['page=0', 'page=-1', 'page=abc', 'page=1.5']) expectFields(await tx.list(requester.token, `?${query}`), ['page']);
      for (const query of ['pageSize=0', 'pageSize=101', 'pageSize=x', 'pageSize=2.5']) expectFields(await tx.list(requester.token, `?${query}`), ['pageSize']);
      expectFields(await tx.list(requester.token, '?status=archived'), ['status']);
    });
  });

  describe('attachments', () => {
    let ticket: { id: string; number: string };
    const log = 'line 1: started\nline 2: ERROR signing failed\n';
    const binary = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]), randomBytes(3000)]);

    beforeAll(async () => {
      ticket = await tx.create(requester.token, { collaboratorAccountIds: [colleague.accountId] });
    });

    it('uploads a .log text file and a binary: 201 { id, name, size, contentType, position }; they are listed', async () => {
      const text = await tx.upload(requester.token, ticket.id, { name: 'server.log', content: log, type: 'text/plain' });
      expect(text.status).toBe(201);
      expect(text.body).toEqual({ id: expect.stringMatching(UUID), name: 'server.log', size: Buffer.byteLength(log), contentType: 'text/plain', position: expect.stringMatching(POSITION) });
      const bin = await tx.upload(colleague.token, ticket.id, { name: 'screenshot.png', content: binary, type: 'image/png' });
      expect(bin.status).toBe(201);
      expect(bin.body).toEqual({ id: expect.stringMatching(UUID), name: 'screenshot.png', size: binary.length, contentType: 'image/png', position: expect.stringMatching(POSITION) });
      const octets = await tx.upload(staff, ticket.id, { name: 'dump.bin', content: randomBytes(64) });
      expect(octets.status).toBe(201);
      expect(octets.body).toMatchObject({ name: 'dump.bin', size: 64, contentType: 'application/octet-stream' });

      const detail = await tx.open(requester.token, ticket.id);
      expect(detail.body.attachments).toEqual([
        expect.objectContaining({ id: text.body.id, name: 'server.log', size: Buffer.byteLength(log), contentType: 'text/plain' }),
        expect.objectContaining({ id: bin.body.id, name: 'screenshot.png', size: binary.length, contentType: 'image/png' }),
        expect.objectContaining({ id: octets.body.id, name: 'dump.bin', size: 64, contentType: 'application/octet-stream' }),
      ]);

      // Requester, collaborator and staff download them with the right type and an attachment disposition.
      for (const token of [requester.token, colleague.token, staff]) {
        const got = await tx.download(token, ticket.id, text.body.id);
        expect(got.status).toBe(200);
        expect(got.headers.get('content-type')).toMatch(/^text\/plain\b/);
        expect(got.bytes.toString('utf8')).toBe(log);
        expect(parseDisposition(got.headers.get('content-disposition')!)).toEqual({ type: 'attachment', parameters: { filename: 'server.log' } });
        const png = await tx.download(token, ticket.id, bin.body.id);
        expect(png.status).toBe(200);
        expect(png.headers.get('content-type')).toBe('image/png');
        expect(png.headers.get('content-length')).toBe(String(binary.length));
        expect(png.bytes.equals(binary)).toBe(true);
        expect(png.headers.get('content-disposition')).toMatch(/^attachment;/);
      }

      // An attachment can be named in a message.
      const message = await api.post(`/tickets/${ticket.id}/messages`, { body: 'See the log', attachmentIds: [text.body.id] }, requester.token);
      expect(message.status).toBe(201);
      const withMessage = await tx.open(colleague.token, ticket.id);
      expect(withMessage.body.messages.at(-1).attachments).toEqual([expect.objectContaining({ id: text.body.id, name: 'server.log' })]);
    });

    it('a non-ASCII file name is kept and encoded safely in Content-Disposition', async () => {
      const name = 'fel rapport åäö.txt';
      const up = await tx.upload(requester.token, ticket.id, { name, content: 'åäö', type: 'text/plain' });
      expect(up.status).toBe(201);
      expect(up.body.name).toBe(name);
      const got = await tx.download(colleague.token, ticket.id, up.body.id);
      expect(got.status).toBe(200);
      const header = got.headers.get('content-disposition')!;
      expect(header).toMatch(/^[\x20-\x7e]+$/);
      expect(header).toMatch(/^attachment;/);
      expect(header).toContain("filename*=UTF-8''fel%20rapport%20%C3%A5%C3%A4%C3%B6.txt");
      expect(parseDisposition(header).parameters.filename).toBe(name);
      expect(got.bytes.toString('utf8')).toBe('åäö');
    });

    it('a file name with quotes, a semicolon and ../ does not break the header', async () => {
      const up = await tx.uploadRaw(requester.token, ticket.id, [
        { field: 'file', rawFilename: '../../etc/\\"quoted\\"; name=evil.txt', type: 'text/plain', content: 'quoted' },
      ]);
      expect(up.status).toBe(201);
      const name = up.body.name as string;
      expect(name).toContain('"quoted"');
      expect(name).not.toMatch(/[\\/]/);
      const got = await tx.download(requester.token, ticket.id, up.body.id);
      expect(got.status).toBe(200);
      const header = got.headers.get('content-disposition')!;
      expect(header).toMatch(/^[\x20-\x7e]+$/);
      const parsed = parseDisposition(header);
      expect(parsed.type).toBe('attachment');
      expect(parsed.parameters.filename).toBe(name);
      expect(Object.keys(parsed.parameters).every((k) => k === 'filename' || k === 'filename*')).toBe(true);
      // A name made only of a path is still served as a download.
      const traversal = await tx.uploadRaw(requester.token, ticket.id, [{ field: 'file', rawFilename: '../../../secret.txt', content: 's' }]);
      expect(traversal.status).toBe(201);
      expect(traversal.body.name).not.toContain('/');
      const t = await tx.download(requester.token, ticket.id, traversal.body.id);
      expect(parseDisposition(t.headers.get('content-disposition')!)).toMatchObject({ type: 'attachment', parameters: { filename: traversal.body.name } });
    });

    it('outsiders 404 on upload and download; no token 401', async () => {
      const up = await tx.upload(requester.token, ticket.id, { name: 'private.txt', content: 'private', type: 'text/plain' });
      expect(up.status).toBe(201);
      expectError(await tx.upload(outsider.token, ticket.id, { name: 'x.txt', content: 'x', type: 'text/plain' }), 404, 'NOT_FOUND');
      const got = await tx.download(outsider.token, ticket.id, up.body.id);
      expectError(got, 404, 'NOT_FOUND');
      expect(got.bytes.toString()).not.toContain('private');
      expectError(await tx.upload(undefined, ticket.id, { name: 'x.txt', content: 'x' }), 401, 'UNAUTHENTICATED');
      expectError(await tx.download(undefined, ticket.id, up.body.id), 401, 'UNAUTHENTICATED');
    });

    it('a missing file: another field name, JSON, an empty form → 400 naming file', async () => {
      const count = (await tx.open(requester.token, ticket.id)).body.attachments.length;
      expectFields(await tx.upload(requester.token, ticket.id, { name: 'x.txt', content: 'x' }, 'document'), ['file']);
      expectFields(await tx.uploadJson(requester.token, ticket.id, { file: 'x' }), ['file']);
      expectFields(await tx.uploadRaw(requester.token, ticket.id, []), ['file']);
      expect((await tx.open(requester.token, ticket.id)).body.attachments).toHaveLength(count);
    });

    it('a form cut off before its closing boundary → 400 naming file at once, nothing stored', async () => {
      const count = (await tx.open(requester.token, ticket.id)).body.attachments.length;
      // A hang here (waiting for the connection's 30 s idle timeout) fails on the test's own timeout.
      const cut = await tx.uploadCutOff(requester.token, ticket.id, [{ field: 'file', rawFilename: 'cut.log', type: 'text/plain', content: 'half a log' }]);
      expectFields(cut, ['file']);
      const afterField = await tx.uploadCutOff(requester.token, ticket.id, [{ field: 'comment', content: 'see log' }, { field: 'file', rawFilename: 'cut.log', content: 'x' }]);
      expectFields(afterField, ['file']);
      expect((await tx.open(requester.token, ticket.id)).body.attachments).toHaveLength(count);
    });

    it('a form whose "file" is a plain text field, not a file → 400 naming file (not 413)', async () => {
      const count = (await tx.open(requester.token, ticket.id)).body.attachments.length;
      expectFields(await tx.uploadRaw(requester.token, ticket.id, [{ field: 'file', content: 'not a file, a text field' }]), ['file']);
      expect((await tx.open(requester.token, ticket.id)).body.attachments).toHaveLength(count);
    });

    describe('with ATTACHMENT_MAX_BYTES=2048', () => {
      let small: ApiHarness;
      let smallStaff: string;
      let smallTx: TicketFixtures;

      beforeAll(async () => {
        small = await ApiHarness.start({ ATTACHMENT_MAX_BYTES: '2048' });
        smallStaff = await small.signIn(testPersonalNumber(), { staff: true, name: 'Sam Staff' });
        smallTx = new TicketFixtures(small);
      });
      afterAll(() => small?.stop());

      it('over the limit → 413 PAYLOAD_TOO_LARGE and nothing listed; at the limit → 201', async () => {
        const created = await small.post('/tickets', smallTx.body(), smallStaff);
        expect(created.status).toBe(201);
        const id = created.body.id as string;

        expectError(await smallTx.upload(smallStaff, id, { name: 'big.log', content: randomBytes(2049), type: 'text/plain' }), 413, 'PAYLOAD_TOO_LARGE');
        expectError(await smallTx.upload(smallStaff, id, { name: 'huge.bin', content: randomBytes(200_000) }), 413, 'PAYLOAD_TOO_LARGE');
        const detail = await smallTx.open(smallStaff, id);
        expect(detail.body.attachments).toEqual([]);
        const timeline = await small.get(`/tickets/${id}/timeline`, smallStaff);
        expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(['TicketCreated']);

        const fits = await smallTx.upload(smallStaff, id, { name: 'fits.bin', content: randomBytes(2048) });
        expect(fits.status).toBe(201);
        expect(fits.body.size).toBe(2048);
        expect((await smallTx.open(smallStaff, id)).body.attachments).toEqual([expect.objectContaining({ id: fits.body.id, name: 'fits.bin', size: 2048 })]);
      });
    });
  });

  describe('attachments: a text field before the file (server in its own process: a stuck request would block an in-process shutdown)', () => {
    let server: ServerProcess | undefined;
    let dataDir: string;

    beforeAll(async () => {
      dataDir = freshDataDir('kp-e2e-tickets-');
      server = await ServerProcess.start({ dataDir });
    }, 20_000);
    afterAll(async () => {
      await server?.kill();
      if (dataDir) removeDir(dataDir);
    });

    it('gets an answer (201 or 400), not a request that never ends; the server still shuts down gracefully', async () => {
      const s = server!;
      const token = await s.signIn(testPersonalNumber(), { staff: true, name: 'Sam Staff' });
      const created = await s.request('POST', '/tickets', { token, body: tx.body() });
      expect(created.status).toBe(201);
      // A browser form with a description field placed before the file input.
      const { body, contentType } = multipartBody([
        { field: 'comment', content: 'see attached log' },
        { field: 'file', rawFilename: 'server.log', type: 'text/plain', content: 'ERROR 1234' },
      ]);
      const answer = await fetch(`${s.baseUrl}/tickets/${created.body.id}/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'x-min-position': created.body.position },
        body,
        signal: AbortSignal.timeout(3_000),
      }).then(
        (response) => response.status,
        (error: Error) => `no answer within 3 s (${error.name})`,
      );

      // SIGTERM: a graceful shutdown finishes well before the 5 s after which it is killed.
      const started = Date.now();
      await s.stop(5_000);
      const shutdown = Date.now() - started < 4_500 ? 'graceful' : 'hung until SIGKILL after 5 s';
      const wanted = answer === 201 || answer === 400 ? answer : '201 or 400';
      expect({ answer, shutdown }).toEqual({ answer: wanted, shutdown: 'graceful' });
    }, 15_000);
  });

  describe('timeline', () => {
    it('staff see every event in order with position, type, at, actor and data, internal notes included; others 403', async () => {
      const [rq, co] = await people('Tina Timeline', 'Tom Timeline');
      const created = await tx.create(rq.token, { subject: 'Timeline ticket' });
      const positions = [created.position];
      positions.push((await tx.post(rq.token, created.id, 'Customer message')).position);
      positions.push((await tx.post(staff, created.id, 'Staff reply')).position);
      positions.push((await tx.post(staff, created.id, 'Internal note', true)).position);
      const record = async (response: Promise<ApiResponse>) => {
        const r = await response;
        expect(r.status).toBeLessThan(300);
        positions.push(r.body.position);
      };
      await record(api.put(`/tickets/${created.id}/priority`, { priority: 'high' }, staff));
      await record(api.put(`/tickets/${created.id}/status`, { status: 'pending' }, staff));
      await record(api.post(`/tickets/${created.id}/collaborators`, { accountId: co.accountId }, rq.token));
      await record(tx.upload(co.token, created.id, { name: 'trace.log', content: 'trace', type: 'text/plain' }));
      await record(api.post(`/tickets/${created.id}/close`, {}, rq.token));

      const timeline = await api.get(`/tickets/${created.id}/timeline`, staff);
      expect(timeline.status).toBe(200);
      const items = timeline.body.items as Array<{ position: string; type: string; at: string; actor: { id: string; name: string; staff: boolean }; data: Record<string, any> }>;
      expect(items.map((e) => e.type)).toEqual([
        'TicketCreated',
        'TicketMessagePosted',
        'TicketMessagePosted',
        'TicketMessagePosted',
        'TicketPriorityChanged',
        'TicketStatusChanged',
        'TicketCollaboratorAdded',
        'TicketAttachmentAdded',
        'TicketClosed',
      ]);
      expect(items.map((e) => e.position)).toEqual(positions);
      for (let i = 1; i < items.length; i++) {
        expect(BigInt(items[i].position)).toBeGreaterThan(BigInt(items[i - 1].position));
        expect(Date.parse(items[i].at)).toBeGreaterThanOrEqual(Date.parse(items[i - 1].at));
      }
      for (const e of items) {
        expect(e).toEqual({
          position: expect.stringMatching(POSITION),
          type: expect.any(String),
          at: expect.stringMatching(ISO),
          actor: { id: expect.any(String), name: expect.any(String), staff: expect.any(Boolean) },
          data: expect.any(Object),
          ...(Object.prototype.hasOwnProperty.call(e, 'revision') ? { revision: expect.any(Number) } : {}),
        });
      }
      const actors = items.map((e) => [e.actor.name, e.actor.staff]);
      expect(actors).toEqual([
        [rq.name, false],
        [rq.name, false],
        ['Stina Staff', true],
        ['Stina Staff', true],
        ['Stina Staff', true],
        ['Stina Staff', true],
        [rq.name, false],
        [co.name, false],
        [rq.name, false],
      ]);
      expect(items[0].data).toMatchObject({ number: created.number, subject: 'Timeline ticket' });
      expect(items[3].data).toMatchObject({ body: 'Internal note', internal: true });
      expect(items[2].data).toMatchObject({ body: 'Staff reply', internal: false });
      expect(items[4].data).toMatchObject({ priority: 'high' });
      expect(items[5].data).toMatchObject({ status: 'pending' });
      expect(items[7].data).toMatchObject({ name: 'trace.log' });

      expectError(await api.get(`/tickets/${created.id}/timeline`, rq.token), 403, 'FORBIDDEN');
      expectError(await api.get(`/tickets/${created.id}/timeline`, co.token), 403, 'FORBIDDEN');
      expectError(await api.get(`/tickets/${created.id}/timeline`), 401, 'UNAUTHENTICATED');
      expectError(await api.get(`/tickets/${UNKNOWN_ID}/timeline`, staff), 404, 'NOT_FOUND');
    });

    it('an open-form ticket and a phone ticket start with TicketCreated too', async () => {
      const email = `timeline.${Date.now()}@skola.se`;
      const pub = await api.post('/public/tickets', { name: 'Pia Public', email, type: 'improvement-suggestion', subject: 'Dark mode', description: 'Please.' });
      const phone = await api.post('/tickets', tx.body({ onBehalfOfAccountId: requester.accountId }), staff);
      for (const [id, staffActor] of [[pub.body.id, false], [phone.body.id, true]] as const) {
        const timeline = await api.get(`/tickets/${id}/timeline`, staff);
        expect(timeline.status).toBe(200);
        expect(timeline.body.items).toHaveLength(1);
        expect(timeline.body.items[0]).toMatchObject({ type: 'TicketCreated', actor: { staff: staffActor } });
      }
    });
  });
});
