import { createHash } from 'node:crypto';
import { READ_STORE, ReadStore } from '@kundportal/readstore';
import { IDEMPOTENCY_KEYS } from '../apps/portal-api/src/http/idempotency';
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

describe('What the Idempotency-Key store keeps', () => {
  let api: ApiHarness;
  let staff: string;
  let fx: OrganisationFixtures;

  beforeAll(async () => {
    // Client addresses from X-Forwarded-For, so the test can speak as strangers at other addresses.
    api = await ApiHarness.start({ TRUST_PROXY: '127.0.0.1' });
    staff = await api.signIn(testPersonalNumber(), { staff: true });
    fx = new OrganisationFixtures(api, staff);
  });
  afterAll(() => api?.stop());

  const stored = () => api.app.get<ReadStore>(READ_STORE).collection(IDEMPOTENCY_KEYS).find({});
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  it('sign-in takes no key: each request runs on its own and nothing is kept', async () => {
    const before = (await stored()).length;
    const password = 'Secret#Password123';
    const org = await fx.organisation();
    const email = `kim.idem.${Date.now()}@region.se`;
    const registered = await api.post('/registrations', { name: 'Kim', email, password, organisationNumber: org.organisationNumber });
    await api.post(`/registrations/${registered.body.id}/approve`, {}, staff);
    const headers = { 'idempotency-key': 'sign-in-once' };
    const first = await api.post('/auth/password/sign-in', { email, password }, undefined, headers);
    const wrong = await api.post('/auth/password/sign-in', { email, password: 'Wrong#Password123' }, undefined, headers);
    expect([first.status, wrong.status]).toEqual([200, 401]);
    const a = await api.post('/auth/dev/sign-in', { personalNumber: testPersonalNumber(), method: 'bankid' }, undefined, headers);
    const b = await api.post('/auth/dev/sign-in', { personalNumber: testPersonalNumber(), method: 'bankid' }, undefined, headers);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.accessToken).not.toBe(b.body.accessToken);
    const reset = await api.post('/auth/password/reset-request', { email }, undefined, headers);
    expect(reset.status).toBe(202);
    expect(await stored()).toHaveLength(before);
  });

  it('keeps neither a password nor a plain digest of the body, only keyed fingerprints', async () => {
    const org = await fx.organisation();
    const password = 'Another#Secret456';
    const body = { name: 'Kim', email: `kim.fp.${Date.now()}@region.se`, password, organisationNumber: org.organisationNumber };
    const headers = { 'idempotency-key': `register-${Date.now()}` };
    const first = await api.post('/registrations', body, undefined, headers);
    expect(first.status).toBe(201);
    expect(await api.post('/registrations', body, undefined, headers)).toMatchObject({ status: 201, body: first.body });
    const docs = await stored();
    const text = JSON.stringify(docs);
    expect(text).not.toContain(password);
    expect(text).not.toMatch(/accessToken|eyJ/);
    const plain = [
      sha256(`POST /registrations\u0000${JSON.stringify(body)}`),
      sha256(`POST /registrations\u0000${JSON.stringify({ ...body, password: null })}`),
    ];
    for (const doc of docs) expect(plain).not.toContain(doc.fingerprint);
    expect(text).not.toContain(sha256(`anonymous\u0000${headers['idempotency-key']}`));
    expect(text).not.toContain(sha256(`anonymous\u0000127.0.0.1\u0000${headers['idempotency-key']}`));
  });

  it('anonymous callers do not share one key: strangers elsewhere choosing the same key are apart, a reuse from the same place is refused', async () => {
    const org = await fx.organisation();
    const register = (who: string, address: string) =>
      api.post(
        '/registrations',
        { name: who, email: `${who}.${Date.now()}@region.se`, password: 'Sommar-2026', organisationNumber: org.organisationNumber },
        undefined,
        { 'idempotency-key': 'my-first-key', 'x-forwarded-for': address },
      );
    const anna = await register('anna', '198.51.100.7');
    const bo = await register('bo', '203.0.113.9');
    expect([anna.status, bo.status]).toEqual([201, 201]);
    expect(anna.body.id).not.toBe(bo.body.id);
    const reused = await register('cissi', '198.51.100.7');
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
  });
});
