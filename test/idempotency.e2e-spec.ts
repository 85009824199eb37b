import { ApiHarness } from './support/api-harness';
import { OrganisationFixtures } from './support/organisation-fixtures';
import { testPersonalNumber } from './support/swedish-ids';

describe('Idempotency-Key under load', () => {
  it('the same request 1,000 times, many at once: one effect, the same answer every time', async () => {
    const api = await ApiHarness.start();
    try {
      const staff = await api.signIn(testPersonalNumber(), { staff: true });
      const org = await new OrganisationFixtures(api, staff).organisation();
      const body = { type: 'question', subject: 'Once only', description: 'Sent many times with one key', organisationId: org.id };
      const headers = { 'idempotency-key': `once-${Date.now()}` };
      const answers: Array<{ status: number; body: unknown }> = [];
      for (let round = 0; round < 20; round++) {
        const batch = await Promise.all(
          Array.from({ length: 50 }, () => api.request('POST', '/tickets', { token: org.admin.token, body, headers, minPosition: null })),
        );
        answers.push(...batch.map((r) => ({ status: r.status, body: r.body })));
      }
      expect(answers).toHaveLength(1000);
      const statuses = new Set(answers.map((a) => a.status));
      expect([...statuses]).toEqual([201]);
      const distinct = new Set(answers.map((a) => JSON.stringify(a.body)));
      expect(distinct.size).toBe(1);
      const { id, position } = answers[0].body as { id: string; position: string };
      const list = await api.request('GET', '/tickets', { token: org.admin.token, minPosition: position });
      expect(list.body.items.filter((t: { subject: string }) => t.subject === 'Once only').map((t: { id: string }) => t.id)).toEqual([id]);
      const timeline = await api.get(`/tickets/${id}/timeline`, staff);
      expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(['TicketCreated']);
    } finally {
      await api.stop();
    }
  }, 60_000);

  it('a refusal is an answer too: the same key gets it again, and a malformed key is refused', async () => {
    const api = await ApiHarness.start();
    try {
      const staff = await api.signIn(testPersonalNumber(), { staff: true });
      const fixtures = new OrganisationFixtures(api, staff);
      const org = await fixtures.organisation();
      const outsider = (await fixtures.organisation()).admin;
      const ticket = await api.request('POST', '/tickets', { token: org.admin.token, body: { type: 'question', subject: 'Ours', description: 'Our question' }, minPosition: null });
      const post = (key: string) =>
        api.request('POST', `/tickets/${ticket.body.id}/messages`, { token: outsider.token, body: { body: 'Me too.' }, headers: { 'idempotency-key': key }, minPosition: null });
      // Not on the ticket: refused with 404.
      const first = await post('refused-once');
      expect(first.status).toBe(404);
      // Now they are on it; the same key still gets the first answer, a new key is let through.
      const added = await api.request('POST', `/tickets/${ticket.body.id}/collaborators`, { token: staff, body: { accountId: outsider.accountId }, minPosition: null });
      expect(added.status).toBeLessThan(300);
      const again = await post('refused-once');
      expect([again.status, again.body]).toEqual([first.status, first.body]);
      expect((await post('after-the-change')).status).toBe(201);

      const body = { type: 'question', subject: 'Keyed', description: 'With a key too long' };
      const tooLong = await api.request('POST', '/tickets', { token: org.admin.token, body, headers: { 'idempotency-key': 'k'.repeat(201) }, minPosition: null });
      expect([tooLong.status, tooLong.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    } finally {
      await api.stop();
    }
  }, 60_000);
});
