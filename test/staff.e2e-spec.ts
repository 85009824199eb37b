import { randomBytes } from 'node:crypto';
import { ApiHarness, ApiResponse } from './support/api-harness';
import { Organisation, OrganisationFixtures, Person } from './support/organisation-fixtures';
import { testPersonalNumber } from './support/swedish-ids';
import { TicketFixtures } from './support/ticket-fixtures';

function expectError(response: ApiResponse, statusCode: number, code: string): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status: statusCode, body: { statusCode, code, message: expect.any(String) } });
}

function expectFields(response: ApiResponse, fields: string[]): void {
  expectError(response, 400, 'VALIDATION_FAILED');
  expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(fields));
}

/** A word no other ticket of the run has, so a search for it finds one test's tickets only. */
const uniqueWord = () => `ord${randomBytes(5).toString('hex')}`;

describe('Staff lists over HTTP', () => {
  let api: ApiHarness;
  let staff: string;
  let fx: OrganisationFixtures;
  let tx: TicketFixtures;
  let org: Organisation;
  let otherOrg: Organisation;
  let customer: Person;
  let colleague: Person;

  beforeAll(async () => {
    api = await ApiHarness.start();
    staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    fx = new OrganisationFixtures(api, staff);
    tx = new TicketFixtures(api);
    [org, otherOrg] = await Promise.all([fx.organisation({ name: 'Region Norrbotten' }), fx.organisation({ name: 'Kommun Kiruna', signed: false })]);
    customer = await fx.member(org, [], 'Rita Requester');
    colleague = await fx.member(otherOrg, [], 'Carl Colleague');
  });
  afterAll(() => api?.stop());

  const staffList = async (query: string) => {
    const response = await tx.list(staff, query);
    expect(response.status).toBe(200);
    return response.body as { items: Array<Record<string, any>>; total: number; page: number; pageSize: number };
  };
  const numbers = (list: { items: Array<Record<string, any>> }) => list.items.map((t) => t.number);
  const staffBadge = async () => {
    const response = await api.get('/me/notifications', staff);
    expect(response.status).toBe(200);
    return response.body.badge as Record<string, number>;
  };

  describe('needsReply on the staff ticket list', () => {
    it('a new ticket needs a reply; a staff reply answers it; the customer writing again makes it wait again', async () => {
      const word = uniqueWord();
      const ticket = await tx.create(customer.token, { subject: `Inloggning ${word}`, organisationId: org.id });
      const item = async () => (await staffList(`?q=${word}`)).items[0];
      expect(await item()).toMatchObject({
        id: ticket.id,
        number: ticket.number,
        needsReply: true,
        priority: 'normal',
        organisationId: org.id,
        requester: { accountId: customer.accountId, name: 'Rita Requester' },
        channel: 'portal',
      });
      await tx.post(staff, ticket.id, 'Vi tittar på det.', true);
      expect((await item()).needsReply).toBe(true);
      expect((await api.get(`/tickets/${ticket.id}`, staff)).body.needsReply).toBe(true);
      await tx.post(staff, ticket.id, 'Prova att logga in igen.');
      expect((await item()).needsReply).toBe(false);
      expect((await api.get(`/tickets/${ticket.id}`, staff)).body.needsReply).toBe(false);
      expect((await tx.open(customer.token, ticket.id)).body).not.toHaveProperty('needsReply');
      await tx.post(customer.token, ticket.id, 'Det fungerar fortfarande inte.');
      expect((await item()).needsReply).toBe(true);
      expect(await api.put(`/tickets/${ticket.id}/status`, { status: 'solved' }, staff)).toMatchObject({ status: 200 });
      expect((await item()).needsReply).toBe(false);
    });

    it('customers never see needsReply nor priority in their list', async () => {
      const ticket = await tx.create(customer.token);
      const mine = await tx.item(customer.token, ticket.id);
      expect(mine).toBeDefined();
      expect(mine).not.toHaveProperty('needsReply');
      expect(mine).not.toHaveProperty('priority');
    });

    it('staff have a needs-reply count in their badge, counted in the total; customers have none', async () => {
      const before = await staffBadge();
      expect(before.total).toBe(before.approvals + before.unreadTickets + before.agreementsToSign + before.needsReply);
      const ticket = await tx.create(customer.token);
      const waiting = await staffBadge();
      expect(waiting.needsReply).toBe(before.needsReply + 1);
      expect(waiting.total).toBe(before.total + 1);
      await tx.post(staff, ticket.id, 'Svar från supporten.');
      expect((await staffBadge()).needsReply).toBe(before.needsReply);
      const mine = (await api.get('/me/notifications', customer.token)).body.badge;
      expect(mine).not.toHaveProperty('needsReply');
    });
  });

  describe('filters', () => {
    let word: string;
    let urgent: { id: string; number: string };
    let question: { id: string; number: string };
    let elsewhere: { id: string; number: string };
    let answered: { id: string; number: string };

    beforeAll(async () => {
      word = uniqueWord();
      urgent = await tx.create(customer.token, { type: 'fault-report', subject: `Webcert ${word} nere`, organisationId: org.id });
      question = await tx.create(customer.token, { type: 'question', subject: `Fråga om ${word} och avtal`, organisationId: org.id });
      elsewhere = await tx.create(colleague.token, { type: 'question', subject: `Kiruna ${word}`, organisationId: otherOrg.id });
      answered = await tx.create(customer.token, { type: 'improvement-suggestion', subject: `Förslag ${word}`, organisationId: org.id });
      await api.put(`/tickets/${urgent.id}/priority`, { priority: 'urgent' }, staff);
      await tx.post(staff, answered.id, 'Tack för förslaget.');
    });

    it('q finds by whole words of the subject, in any case, all words given', async () => {
      expect(numbers(await staffList(`?q=${word}&pageSize=100`)).sort()).toEqual([urgent, question, elsewhere, answered].map((t) => t.number).sort());
      expect(numbers(await staffList(`?q=${encodeURIComponent(`FRÅGA ${word.toUpperCase()}`)}`))).toEqual([question.number]);
      expect(numbers(await staffList(`?q=${encodeURIComponent(`fråga ${word} saknas`)}`))).toEqual([]);
      // Whole words: a part of one finds nothing.
      expect((await staffList(`?q=${word.slice(0, -2)}`)).total).toBe(0);
    });

    it('q finds a ticket by its number, with or without the T-', async () => {
      const digits = urgent.number.slice(2);
      for (const q of [urgent.number, urgent.number.toLowerCase(), digits]) {
        const list = await staffList(`?q=${encodeURIComponent(q)}`);
        expect(numbers(list)).toContain(urgent.number);
      }
      expect(numbers(await staffList(`?q=${encodeURIComponent(urgent.number)}`))).toEqual([urgent.number]);
    });

    it('needsReply, priority, type, organisationId and status narrow the list, together too', async () => {
      const q = `q=${word}&pageSize=100`;
      expect(numbers(await staffList(`?${q}&needsReply=true`)).sort()).toEqual([urgent, question, elsewhere].map((t) => t.number).sort());
      expect(numbers(await staffList(`?${q}&needsReply=false`))).toEqual([answered.number]);
      expect(numbers(await staffList(`?${q}&priority=urgent`))).toEqual([urgent.number]);
      expect(numbers(await staffList(`?${q}&type=question`)).sort()).toEqual([question, elsewhere].map((t) => t.number).sort());
      expect(numbers(await staffList(`?${q}&organisationId=${otherOrg.id}`))).toEqual([elsewhere.number]);
      expect(numbers(await staffList(`?${q}&organisationId=${org.id}&type=question&needsReply=true`))).toEqual([question.number]);
      expect(numbers(await staffList(`?${q}&status=closed`))).toEqual([]);
      const filtered = await staffList(`?${q}&organisationId=${org.id}`);
      expect(filtered.total).toBe(3);
    });

    it('the default order is newest activity first', async () => {
      const list = await staffList(`?q=${word}&pageSize=100`);
      const times = list.items.map((t) => t.lastActivityAt as string);
      expect(times).toEqual([...times].sort().reverse());
      expect(list.items[0].number).toBe(answered.number);
    });

    it('sort=queue: waiting for an answer first, then urgent to low, then oldest first; pages split it', async () => {
      const low = await tx.create(customer.token, { subject: `Lågt ${word}` });
      await api.put(`/tickets/${low.id}/priority`, { priority: 'low' }, staff);
      const expected = [urgent.number, question.number, elsewhere.number, low.number, answered.number];
      expect(numbers(await staffList(`?q=${word}&sort=queue`))).toEqual(expected);
      const pages = [];
      for (let page = 1; page <= 3; page++) {
        const list = await staffList(`?q=${word}&sort=queue&pageSize=2&page=${page}`);
        expect(list.total).toBe(5);
        pages.push(...numbers(list));
      }
      expect(pages).toEqual(expected);
      expect(numbers(await staffList(`?q=${word}&sort=queue&needsReply=true`))).toEqual(expected.slice(0, 4));
    });

    it('customers may not use the staff filters: 403', async () => {
      for (const query of ['needsReply=true', 'priority=high', 'type=question', `organisationId=${org.id}`, 'q=webcert', 'sort=queue']) {
        expectError(await tx.list(customer.token, `?${query}`), 403, 'FORBIDDEN');
      }
    });

    it('bad filter values answer 400 naming them', async () => {
      expectFields(await tx.list(staff, '?needsReply=yes'), ['needsReply']);
      expectFields(await tx.list(staff, '?priority=asap'), ['priority']);
      expectFields(await tx.list(staff, '?type=complaint'), ['type']);
      expectFields(await tx.list(staff, '?organisationId=not-an-id'), ['organisationId']);
      expectFields(await tx.list(staff, '?sort=random'), ['sort']);
      expectFields(await tx.list(staff, `?q=${'x'.repeat(201)}`), ['q']);
      expectFields(await tx.list(staff, '?q=%20%20'), ['q']);
    });

    it('a search of punctuation only finds nothing', async () => {
      expect(await staffList(`?q=${encodeURIComponent('!!')}`)).toMatchObject({ items: [], total: 0 });
    });
  });

  describe('finding organisations and people (staff only, paged)', () => {
    type Page = { items: Array<Record<string, any>>; total: number; page: number; pageSize: number };
    const find = async (path: string) => {
      const response = await api.get(path, staff);
      expect(response.status).toBe(200);
      return response.body as Page;
    };

    it('organisations by number, with or without the dash, or by words of the name in any case', async () => {
      const word = uniqueWord();
      const first = await fx.organisation({ name: `Region ${word} Norra` });
      const second = await fx.organisation({ name: `Kommun ${word}` });
      const byWord = await find(`/staff/organisations?q=${word.toUpperCase()}`);
      expect(byWord).toMatchObject({ total: 2, page: 1, pageSize: 20 });
      expect(byWord.items.map((o) => o.id).sort()).toEqual([first.id, second.id].sort());
      expect(byWord.items.find((o) => o.id === first.id)).toEqual({
        id: first.id,
        name: `Region ${word} Norra`,
        organisationNumber: first.organisationNumber,
        agreementSigned: true,
        registeredAt: expect.any(String),
        mergedInto: null,
      });
      expect((await find(`/staff/organisations?q=${encodeURIComponent(`norra ${word}`)}`)).items.map((o) => o.id)).toEqual([first.id]);
      for (const q of [second.organisationNumber, second.organisationNumber.replace('-', '')]) {
        expect((await find(`/staff/organisations?q=${q}`)).items.map((o) => o.id)).toEqual([second.id]);
      }
      const paged = await find(`/staff/organisations?q=${word}&pageSize=1&page=2`);
      expect(paged).toMatchObject({ total: 2, page: 2, pageSize: 1 });
      expect(paged.items).toHaveLength(1);
      expect((await find('/staff/organisations')).total).toBeGreaterThanOrEqual(4);
    });

    it('people by name or e-mail words, or by the whole e-mail in any case', async () => {
      const word = uniqueWord();
      const person = await fx.member(org, [], `Greta ${word}`);
      const byName = await find(`/staff/accounts?q=${encodeURIComponent(`greta ${word}`)}`);
      expect(byName).toMatchObject({ total: 1 });
      expect(byName.items[0]).toEqual({
        accountId: person.accountId,
        name: `Greta ${word}`,
        email: person.email,
        organisationId: org.id,
        method: 'bankid',
        verified: true,
        createdAt: expect.any(String),
      });
      expect((await find(`/staff/accounts?q=${encodeURIComponent(person.email.toUpperCase())}`)).items.map((a) => a.accountId)).toEqual([person.accountId]);
      const local = person.email.split('@')[0].split('.')[0];
      expect((await find(`/staff/accounts?q=${encodeURIComponent(local)}&pageSize=100`)).items.map((a) => a.accountId)).toContain(person.accountId);
      expect((await find(`/staff/accounts?q=${word}x`)).total).toBe(0);
    });

    it('customers and auditors get 403; bad paging and queries 400 naming them', async () => {
      const auditor = await api.signIn(testPersonalNumber(), { auditor: true });
      for (const path of ['/staff/organisations?q=region', '/staff/accounts?q=anna']) {
        expectError(await api.get(path, customer.token), 403, 'FORBIDDEN');
        expectError(await api.get(path, auditor), 403, 'FORBIDDEN');
        expectError(await api.get(path), 401, 'UNAUTHENTICATED');
      }
      expectFields(await api.get('/staff/organisations?pageSize=101', staff), ['pageSize']);
      expectFields(await api.get('/staff/accounts?page=0', staff), ['page']);
      expectFields(await api.get(`/staff/accounts?q=${'a'.repeat(201)}`, staff), ['q']);
    });
  });
});
