import { ApiHarness, ApiResponse } from './support/api-harness';
import { Customer, OrganisationFixtures } from './support/organisation-fixtures';
import { testPersonalNumber } from './support/swedish-ids';

function expectFields(response: ApiResponse, fields: string[]): void {
  expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  expect([...new Set(response.body.details.map((d: { field: string }) => d.field))].sort()).toEqual([...fields].sort());
}

describe('Lists over HTTP: pages, totals, and parameters the route does not know', () => {
  let api: ApiHarness;
  let staff: string;
  let fx: OrganisationFixtures;
  let customer: Customer;
  let ticketId: string;
  const orderIds: string[] = [];

  beforeAll(async () => {
    api = await ApiHarness.start();
    staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    fx = new OrganisationFixtures(api, staff);
    customer = await fx.customer();
    for (let i = 0; i < 3; i++) {
      const order = await api.post('/orders', { organisationId: customer.id, offeringId: 'webcert-fristaende', details: { careUnits: 1 + i }, acceptTerms: true }, customer.orderer.token);
      expect(order.status).toBe(201);
      orderIds.push(order.body.id);
    }
    const attested = await api.post(`/orders/${orderIds[0]}/attest`, { method: 'bankid' }, customer.attestant.token);
    expect(attested.status).toBe(200);
    const ticket = await api.post('/tickets', { type: 'question', subject: 'Paging', description: 'A ticket with a few messages' }, customer.orderer.token);
    ticketId = ticket.body.id;
    for (let i = 0; i < 3; i++) expect((await api.post(`/tickets/${ticketId}/messages`, { body: `Message ${i}` }, staff)).status).toBe(201);
  });
  afterAll(() => api.stop());

  const lists = () => [
    { path: '/customer-applications', token: staff },
    { path: '/registrations', token: staff },
    { path: `/organisations/${customer.id}/members`, token: customer.admin.token },
    { path: '/orders', token: customer.orderer.token },
    { path: '/approvals', token: customer.attestant.token },
    { path: '/tickets', token: customer.orderer.token },
    { path: `/tickets/${ticketId}/timeline`, token: staff },
    { path: '/catalogue', token: customer.orderer.token },
    { path: '/dev/outbox', token: staff },
    { path: `/organisations/${customer.id}/join-requests`, token: customer.admin.token },
    { path: '/staff/organisations', token: staff },
    { path: '/staff/accounts', token: staff },
  ];

  it('answers every list with its total and the page asked for (default 20, at most 100)', async () => {
    for (const { path, token } of lists()) {
      const first = await api.get(path, token);
      expect({ path, status: first.status }).toEqual({ path, status: 200 });
      expect({ path, page: first.body.page, pageSize: first.body.pageSize, total: typeof first.body.total }).toEqual({ path, page: 1, pageSize: 20, total: 'number' });
      expect(first.body.items.length).toBe(Math.min(first.body.total, 20));

      const one = await api.get(`${path}${path.includes('?') ? '&' : '?'}page=2&pageSize=1`, token);
      expect({ path, status: one.status, page: one.body.page, pageSize: one.body.pageSize, total: one.body.total }).toEqual({
        path,
        status: 200,
        page: 2,
        pageSize: 1,
        total: first.body.total,
      });
      expect({ path, items: one.body.items }).toEqual({ path, items: first.body.items.slice(1, 2) });

      expectFields(await api.get(`${path}?pageSize=101`, token), ['pageSize']);
      expectFields(await api.get(`${path}?page=0&pageSize=x`, token), ['page', 'pageSize']);
    }
  });

  it('counts the whole list while answering one page of it', async () => {
    const timeline = await api.get(`/tickets/${ticketId}/timeline?pageSize=2`, staff);
    expect(timeline.body.total).toBe(4);
    expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(['TicketCreated', 'TicketMessagePosted']);
    const last = await api.get(`/tickets/${ticketId}/timeline?pageSize=2&page=2`, staff);
    expect(last.body.items.map((e: { data: { body: string } }) => e.data.body)).toEqual(['Message 1', 'Message 2']);
    const beyond = await api.get(`/tickets/${ticketId}/timeline?page=9`, staff);
    expect(beyond.body).toMatchObject({ items: [], total: 4, page: 9 });

    const orders = await api.get(`/orders?organisationId=${customer.id}&pageSize=2`, customer.orderer.token);
    expect(orders.body).toMatchObject({ total: 3, pageSize: 2 });
    expect(orders.body.items).toHaveLength(2);
  });

  it('filters orders by status, and refuses a status orders do not have', async () => {
    const attested = await api.get('/orders?status=attested', customer.orderer.token);
    expect(attested.status).toBe(200);
    expect(attested.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: orderIds[0], status: 'attested' })] });
    const waiting = await api.get(`/orders?organisationId=${customer.id}&status=awaiting-attestation`, customer.orderer.token);
    expect(waiting.body.items.map((o: { id: string }) => o.id).sort()).toEqual(orderIds.slice(1).sort());
    expectFields(await api.get('/orders?status=done', customer.orderer.token), ['status']);
    expectFields(await api.get('/orders?status=attested&status=fulfilled', customer.orderer.token), ['status']);
  });

  it('names every query parameter a route does not know, on list routes and on all others', async () => {
    expectFields(await api.get('/orders?statuss=attested', customer.orderer.token), ['statuss']);
    expectFields(await api.get('/tickets?status=open&sort=subject', customer.orderer.token), ['sort']);
    expectFields(await api.get('/customer-applications?status=lost&x=1', staff), ['status', 'x']);
    expectFields(await api.get('/registrations?status=lost', staff), ['status']);
    expectFields(await api.get('/dev/outbox?from=someone', staff), ['from']);
    // Routes that take no query at all.
    expectFields(await api.get('/me?verbose=true', customer.orderer.token), ['verbose']);
    expectFields(await api.get(`/orders/${orderIds[0]}?fields=id`, customer.orderer.token), ['fields']);
    expectFields(await api.get(`/organisations/${customer.id}?a=1&b=2`, customer.admin.token), ['a', 'b']);
    expectFields(await api.get(`/audit/orders/${orderIds[0]}/state?at=2026-01-01T00:00:00Z&when=now`, staff), ['when']);
    expectFields(await api.post(`/orders/${orderIds[1]}/reject?force=true`, { reason: 'No' }, customer.attestant.token), ['force']);
    // The parameters a route knows still work, and an unknown caller hears 401 first.
    expect((await api.get(`/audit/orders/${orderIds[0]}/state?at=2030-01-01T00:00:00Z`, staff)).status).toBe(200);
    expect((await api.get('/me?verbose=true')).status).toBe(401);
  });

  it('takes the staff filters and sort of tickets, the stream’s access_token, and nothing else unknown', async () => {
    const queue = await api.get('/tickets?sort=queue&needsReply=true&priority=normal&pageSize=5', staff);
    expect(queue.status).toBe(200);
    expect(queue.body).toMatchObject({ page: 1, pageSize: 5 });
    expectFields(await api.get('/tickets?sort=oldest', staff), ['sort']);
    const notStaff = await api.get('/tickets?priority=high&q=login', customer.orderer.token);
    expect({ status: notStaff.status, code: notStaff.body.code, message: notStaff.body.message }).toEqual({
      status: 403,
      code: 'FORBIDDEN',
      message: 'Bara supporten filtrerar ärenden på priority, q.',
    });
    expectFields(await api.get('/staff/organisations?q=region&order=name', staff), ['order']);
    expectFields(await api.get('/staff/accounts?pageSize=500', staff), ['pageSize']);
    expectFields(await api.get(`/organisations/${customer.id}/join-requests?status=pending`, customer.admin.token), ['status']);
    // The token in the URL is taken as the sign-in; any other parameter is still refused.
    expectFields(await api.get(`/me/notifications/stream?access_token=${encodeURIComponent(customer.orderer.token)}&since=0`), ['since']);
  });

  it('filters orders by the statuses of withdrawn and cancelled orders', async () => {
    expect((await api.post(`/orders/${orderIds[2]}/withdraw`, { reason: 'Ordered twice' }, customer.orderer.token)).status).toBe(200);
    expect((await api.post(`/orders/${orderIds[1]}/cancel`, { reason: 'The customer called' }, staff)).status).toBe(200);
    for (const [status, id] of [['withdrawn', orderIds[2]], ['cancelled', orderIds[1]]]) {
      const found = await api.get(`/orders?organisationId=${customer.id}&status=${status}`, customer.orderer.token);
      expect({ status, code: found.status, total: found.body.total, ids: found.body.items.map((o: { id: string }) => o.id) }).toEqual({ status, code: 200, total: 1, ids: [id] });
    }
  });
});
