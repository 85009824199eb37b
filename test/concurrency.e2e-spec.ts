import { ApiHarness } from './support/api-harness';
import { OrganisationFixtures } from './support/organisation-fixtures';
import { testPersonalNumber } from './support/swedish-ids';

describe('Parallel commands on one aggregate', () => {
  it('50 messages and a close at once: log and read model agree on what was accepted; the rest answer 409', async () => {
    const api = await ApiHarness.start();
    try {
      const staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina' });
      const org = await new OrganisationFixtures(api, staff).organisation();
      const ticket = await api.post('/tickets', { type: 'question', subject: 'Busy', description: 'Many at once' }, org.admin.token);
      const id = ticket.body.id as string;
      const sends = Array.from({ length: 50 }, (_, i) =>
        api.request('POST', `/tickets/${id}/messages`, { token: i % 2 ? staff : org.admin.token, body: { body: `message ${i}` }, minPosition: null }),
      );
      const close = api.request('POST', `/tickets/${id}/close`, { token: org.admin.token, minPosition: null });
      const [closed, ...answers] = await Promise.all([close, ...sends]);
      expect(closed.status).toBe(200);
      const accepted = answers.filter((a) => a.status === 201);
      const refused = answers.filter((a) => a.status !== 201);
      for (const r of refused) expect(r.body).toMatchObject({ statusCode: 409, code: 'TICKET_CLOSED' });
      expect(accepted.length + refused.length).toBe(50);

      const head = (await api.get('/health')).body.headPosition as string;
      const detail = await api.request('GET', `/tickets/${id}`, { token: staff, minPosition: head });
      const timeline = await api.get(`/tickets/${id}/timeline`, staff);
      const loggedMessages = timeline.body.items.filter((e: { type: string }) => e.type === 'TicketMessagePosted');
      expect(loggedMessages).toHaveLength(accepted.length);
      expect(detail.body.messages).toHaveLength(accepted.length);
      expect(new Set(detail.body.messages.map((m: { id: string }) => m.id))).toEqual(new Set(accepted.map((a) => a.body.messageId)));
      // Nothing after the close.
      const types = timeline.body.items.map((e: { type: string }) => e.type);
      expect(types.slice(types.indexOf('TicketClosed') + 1)).toEqual([]);
    } finally {
      await api.stop();
    }
  }, 30_000);
});
