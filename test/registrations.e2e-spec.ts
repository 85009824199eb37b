import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { ApiHarness, ApiResponse } from './support/api-harness';
import { Mail, Organisation, OrganisationFixtures, Person } from './support/organisation-fixtures';
import { testOrganisationNumber, testPersonalNumber } from './support/swedish-ids';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const PASSWORD = 'Sommar-2026';
const NEW_PASSWORD = 'Vinter#2027x';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function expectError(response: ApiResponse, statusCode: number, code: string): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status: statusCode, body: { statusCode, code, message: expect.any(String) } });
}

function expectFields(response: ApiResponse, fields: string[]): void {
  expectError(response, 400, 'VALIDATION_FAILED');
  expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(fields));
}

// argon2 costs ~100-200 ms a call here; the timing scenario alone makes some 20 sign-ins.
jest.setTimeout(20_000);

let serial = 0;
/** A fresh employer address (lower case, as the service stores it). */
const workEmail = (who = 'kim') => `${who}.${++serial}.${Date.now().toString(36)}@skola.se`;

describe('Registration with password over HTTP', () => {
  let api: ApiHarness;
  let staff: string;
  let fx: OrganisationFixtures;
  let org: Organisation;
  let member: Person;

  beforeAll(async () => {
    // The client address comes from X-Forwarded-For so each scenario has an address of its own:
    // the per-address limit (30 failures) would otherwise couple the scenarios through 127.0.0.1.
    api = await ApiHarness.start({ TRUST_PROXY: '127.0.0.1' });
    staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    fx = new OrganisationFixtures(api, staff);
    org = await fx.organisation();
    member = await fx.member(org, [], 'Mona Member');
  });
  afterAll(() => api?.stop());

  let addressSerial = 0;
  const freshAddress = () => `10.${Math.floor(++addressSerial / 250)}.${addressSerial % 250}.7`;

  const register = (body: Partial<Record<'name' | 'email' | 'password' | 'organisationNumber', unknown>>, headers?: Record<string, string>) =>
    api.post('/registrations', { name: 'Kim Svensson', email: workEmail(), password: PASSWORD, organisationNumber: org.organisationNumber, ...body }, undefined, headers);

  /** Registers and expects 201 pending; answers the registration's id. */
  async function registered(email: string, password = PASSWORD, organisation: Organisation = org, name = 'Kim Svensson'): Promise<string> {
    const response = await register({ name, email, password, organisationNumber: organisation.organisationNumber });
    expect({ status: response.status, body: response.body }).toMatchObject({
      status: 201,
      body: { id: expect.any(String), position: expect.stringMatching(/^\d+$/), status: 'pending' },
    });
    return response.body.id as string;
  }

  /** A registration approved by staff: its account id. */
  async function approvedAccount(email: string, password = PASSWORD): Promise<string> {
    const id = await registered(email, password);
    const approved = await api.post(`/registrations/${id}/approve`, {}, staff);
    expect(approved.status).toBe(200);
    return approved.body.accountId as string;
  }

  const signIn = (email: string, password: string, address = freshAddress()) =>
    api.post('/auth/password/sign-in', { email, password }, undefined, { 'x-forwarded-for': address });

  /** The outbox for an address, waiting (up to 5 s) until `template` shows `count` times: the mail reactor runs behind the write. */
  async function mailsOf(email: string, template: string, count = 1): Promise<Mail[]> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const mails = (await fx.mails(email)).filter((m) => m.template === template);
      if (mails.length >= count || Date.now() > deadline) return mails;
      await pause(50);
    }
  }

  const pending = async () => {
    const response = await api.get('/registrations?status=pending&pageSize=100', staff);
    expect(response.status).toBe(200);
    return response.body.items as Array<Record<string, unknown>>;
  };

  describe('the rules of POST /registrations', () => {
    it.each([
      ['too short', 'Ab1!xyz'],
      ['no lower-case letter', 'SOMMAR-2026'],
      ['no upper-case letter', 'sommar-2026'],
      ['no digit', 'Sommar-tjugo'],
      ['no special character', 'Sommar2026'],
    ])('400 VALIDATION_FAILED naming password: %s', async (_rule, password) => {
      const response = await register({ password });
      expectFields(response, ['password']);
      expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(['password']);
    });

    it('400 VALIDATION_FAILED naming every bad field', async () => {
      expectFields(await api.post('/registrations', { name: '', email: 'not-an-email', password: 'x', organisationNumber: '123' }), [
        'name',
        'email',
        'password',
        'organisationNumber',
      ]);
    });

    it.each(['kim@gmail.com', 'kim@hotmail.se', 'Kim@Mail.GMAIL.com'])('422 PRIVATE_EMAIL_DOMAIN for %s', async (email) => {
      expectError(await register({ email }), 422, 'PRIVATE_EMAIL_DOMAIN');
    });

    it('422 ORGANISATION_NOT_REGISTERED for a valid organisationsnummer nobody registered', async () => {
      expectError(await register({ organisationNumber: testOrganisationNumber() }), 422, 'ORGANISATION_NOT_REGISTERED');
    });

    it('an e-mail already registered (any case) or held by an e-ID account gets the answer a new one gets, and nothing is recorded (as password reset tells nothing either)', async () => {
      const email = workEmail();
      const first = await registered(email);
      const pendingWith = async (address: string) =>
        (await api.get('/registrations?status=pending', staff)).body.items.filter((r: { email: string }) => r.email === address.toLowerCase());
      for (const again of [email, email.toUpperCase(), org.admin.email]) {
        const response = await register({ email: again });
        expect({ again, status: response.status, body: response.body }).toEqual({
          again,
          status: 201,
          body: { id: expect.any(String), position: expect.stringMatching(/^\d+$/), status: 'pending' },
        });
        expect(response.body.id).not.toBe(first);
      }
      expect((await pendingWith(email)).map((r: { id: string }) => r.id)).toEqual([first]);
      expect(await pendingWith(org.admin.email)).toEqual([]);
    });

    it('the same Idempotency-Key answers the first answer again and registers once', async () => {
      const email = workEmail();
      const headers = { 'Idempotency-Key': `registration-${email}` };
      const first = await register({ email }, headers);
      expect(first.status).toBe(201);
      const again = await register({ email }, headers);
      expect({ status: again.status, body: again.body }).toEqual({ status: first.status, body: first.body });
      expect((await pending()).filter((r) => r.email === email)).toHaveLength(1);
    });
  });

  describe('PUT /organisations/:orgId/user-limit', () => {
    let limited: Organisation;
    let limitedMember: Person;
    let outsider: Person;

    beforeAll(async () => {
      limited = await fx.organisation({ signed: false });
      limitedMember = await fx.member(limited, [], 'Lars Limited');
      outsider = await fx.outsider();
    });

    const setLimit = (limit: unknown, token: string) => api.put(`/organisations/${limited.id}/user-limit`, { limit }, token);

    it('403 for a member without the administrator role, 404 for an outsider, 401 without sign-in', async () => {
      expectError(await setLimit(5, limitedMember.token), 403, 'FORBIDDEN');
      expectError(await setLimit(5, outsider.token), 404, 'NOT_FOUND');
      expectError(await api.put(`/organisations/${limited.id}/user-limit`, { limit: 5 }), 401, 'UNAUTHENTICATED');
      expectError(await api.put(`/organisations/${UNKNOWN_ID}/user-limit`, { limit: 5 }, staff), 404, 'NOT_FOUND');
    });

    it.each<[string, unknown]>([
      ['0', 0],
      ['-1', -1],
      ['"x"', 'x'],
      ['1.5', 1.5],
      ['missing', undefined],
    ])('400 VALIDATION_FAILED naming limit for %s', async (_label, limit) => {
      expectFields(await setLimit(limit, limited.admin.token), ['limit']);
    });

    it('the administrator caps the users: registrations are refused at the cap (pending ones count); null lifts it', async () => {
      // Two members now (the administrator and one more): room for one pending registration.
      const capped = await setLimit(3, limited.admin.token);
      expect({ status: capped.status, body: capped.body }).toMatchObject({ status: 200, body: { id: limited.id, position: expect.stringMatching(/^\d+$/) } });
      const first = await registered(workEmail('first'), PASSWORD, limited);
      expectError(await register({ organisationNumber: limited.organisationNumber }), 422, 'ORGANISATION_USER_LIMIT_REACHED');

      // Lowered below what is pending: the waiting registration cannot be approved either.
      expect((await setLimit(2, limited.admin.token)).status).toBe(200);
      expectError(await register({ organisationNumber: limited.organisationNumber }), 422, 'ORGANISATION_USER_LIMIT_REACHED');
      expectError(await api.post(`/registrations/${first}/approve`, {}, staff), 422, 'ORGANISATION_USER_LIMIT_REACHED');

      expect((await setLimit(null, limited.admin.token)).status).toBe(200);
      await registered(workEmail('second'), PASSWORD, limited);
      expect((await api.post(`/registrations/${first}/approve`, {}, staff)).status).toBe(200);
    });

    it('staff may set it too', async () => {
      expect((await setLimit(100, staff)).status).toBe(200);
      expect((await setLimit(null, staff)).status).toBe(200);
    });
  });

  describe('pending, approved, rejected', () => {
    it('GET /registrations?status=pending is for staff only', async () => {
      expectError(await api.get('/registrations?status=pending', member.token), 403, 'FORBIDDEN');
      expectError(await api.get('/registrations?status=pending'), 401, 'UNAUTHENTICATED');
      expectFields(await api.get('/registrations?status=lost', staff), ['status']);
    });

    it('pending: listed for staff, sign-in 403 REGISTRATION_PENDING with the right password, 401 with a wrong one; approve → account-activated, sign-in, /me', async () => {
      const email = workEmail();
      const id = await registered(email.toUpperCase(), PASSWORD, org, 'Kim Pending');

      const items = await pending();
      const listed = items.find((r) => r.id === id);
      expect(listed).toMatchObject({ id, name: 'Kim Pending', email, organisationNumber: org.organisationNumber, status: 'pending', submittedAt: expect.stringMatching(ISO) });

      expectError(await signIn(email, PASSWORD), 403, 'REGISTRATION_PENDING');
      expectError(await signIn(email.toUpperCase(), PASSWORD), 403, 'REGISTRATION_PENDING');
      expectError(await signIn(email, 'Wrong-2026'), 401, 'INVALID_CREDENTIALS');
      expectError(await signIn(workEmail('nobody'), PASSWORD), 401, 'INVALID_CREDENTIALS');

      expectError(await api.post(`/registrations/${id}/approve`, {}, member.token), 403, 'FORBIDDEN');
      expectError(await api.post(`/registrations/${UNKNOWN_ID}/approve`, {}, staff), 404, 'NOT_FOUND');
      const approved = await api.post(`/registrations/${id}/approve`, {}, staff);
      expect({ status: approved.status, body: approved.body }).toMatchObject({
        status: 200,
        body: { id, position: expect.stringMatching(/^\d+$/), accountId: expect.any(String) },
      });
      const accountId = approved.body.accountId as string;
      expect((await pending()).map((r) => r.id)).not.toContain(id);
      expect((await api.get('/registrations?status=approved&pageSize=100', staff)).body.items).toContainEqual(expect.objectContaining({ id, status: 'approved' }));

      const activated = await mailsOf(email, 'account-activated');
      expect(activated).toEqual([expect.objectContaining({ to: email, template: 'account-activated' })]);
      expect(activated[0].text).toContain(email);
      expect(activated[0].text).not.toContain(PASSWORD);

      const signedIn = await signIn(email, PASSWORD);
      expect({ status: signedIn.status, body: signedIn.body }).toEqual({ status: 200, body: { accessToken: expect.any(String), expiresIn: expect.any(Number) } });
      const me = await api.get('/me', signedIn.body.accessToken);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        accountId,
        name: 'Kim Pending',
        email,
        personalNumber: null,
        method: 'password',
        staff: false,
        auditor: false,
        organisations: [{ id: org.id, name: org.name, organisationNumber: org.organisationNumber, roles: [], agreementSigned: true, canOrder: false }],
      });
      // The organisation lists the new member without roles.
      const members = await api.get(`/organisations/${org.id}/members`, org.admin.token);
      expect(members.body.items).toContainEqual(expect.objectContaining({ accountId, name: 'Kim Pending', email, roles: [] }));
    });

    it('approving twice answers 200 with the same account and changes nothing (the approval is idempotent)', async () => {
      const email = workEmail();
      const id = await registered(email);
      const first = await api.post(`/registrations/${id}/approve`, {}, staff);
      expect(first.status).toBe(200);
      const second = await api.post(`/registrations/${id}/approve`, {}, staff);
      expect({ status: second.status, body: second.body }).toMatchObject({ status: 200, body: { id, accountId: first.body.accountId } });
      expect(await mailsOf(email, 'account-activated')).toHaveLength(1);
      // No second mail comes later either.
      await pause(200);
      expect((await fx.mails(email)).filter((m) => m.template === 'account-activated')).toHaveLength(1);
      expectError(await api.post(`/registrations/${id}/reject`, { reason: 'Too late' }, staff), 409, 'REGISTRATION_NOT_PENDING');
    });

    it('two approvals at once: both answer 200 with the same account, one account-activated mail', async () => {
      const email = workEmail();
      const id = await registered(email);
      const answers = await Promise.all([0, 1].map(() => api.post(`/registrations/${id}/approve`, {}, staff)));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(answers[0].body.accountId).toBe(answers[1].body.accountId);
      expect(await mailsOf(email, 'account-activated')).toHaveLength(1);
      await pause(200);
      expect((await fx.mails(email)).filter((m) => m.template === 'account-activated')).toHaveLength(1);
    });

    it('two registrations of one e-mail at once: both answered alike, one registration recorded', async () => {
      const email = workEmail();
      const answers = await Promise.all([0, 1].map(() => register({ email })));
      expect(answers.map((a) => a.status)).toEqual([201, 201]);
      const pending = (await api.get('/registrations?status=pending', staff)).body.items.filter((r: { email: string }) => r.email === email);
      expect(pending).toHaveLength(1);
      expect(answers.map((a) => a.body.id)).toContain(pending[0].id);
    });

    it('reject: registration-rejected with the reason, sign-in 401, the e-mail may register again; a rejected one cannot be approved or rejected again', async () => {
      const email = workEmail();
      const id = await registered(email);
      expectFields(await api.post(`/registrations/${id}/reject`, {}, staff), ['reason']);
      expectError(await api.post(`/registrations/${id}/reject`, { reason: 'No' }, member.token), 403, 'FORBIDDEN');

      const reason = 'Use the address your school gave you.';
      const rejected = await api.post(`/registrations/${id}/reject`, { reason }, staff);
      expect({ status: rejected.status, body: rejected.body }).toMatchObject({ status: 200, body: { id, position: expect.stringMatching(/^\d+$/) } });
      const mails = await mailsOf(email, 'registration-rejected');
      expect(mails).toEqual([expect.objectContaining({ to: email, template: 'registration-rejected', data: expect.objectContaining({ reason }) })]);
      expect(mails[0].text).toContain(reason);
      expect(await mailsOf(email, 'account-activated', 0)).toEqual([]);

      expectError(await signIn(email, PASSWORD), 401, 'INVALID_CREDENTIALS');
      expectError(await api.post(`/registrations/${id}/approve`, {}, staff), 409, 'REGISTRATION_NOT_PENDING');
      expectError(await api.post(`/registrations/${id}/reject`, { reason }, staff), 409, 'REGISTRATION_NOT_PENDING');
      expect((await api.get('/registrations?status=rejected&pageSize=100', staff)).body.items).toContainEqual(expect.objectContaining({ id, status: 'rejected' }));

      const again = await registered(email, NEW_PASSWORD);
      expect(again).not.toBe(id);
      expectError(await signIn(email, NEW_PASSWORD), 403, 'REGISTRATION_PENDING');
      expectError(await signIn(email, PASSWORD), 401, 'INVALID_CREDENTIALS');
    });
  });

  describe('password sign-in', () => {
    it('answers an unknown e-mail in about the time of a known one (the decoy hash runs)', async () => {
      const email = workEmail('timed');
      await approvedAccount(email);
      const address = freshAddress();
      const known: number[] = [];
      const unknown: number[] = [];
      const timed = async (into: number[], emailTried: string) => {
        const started = performance.now();
        const response = await signIn(emailTried, 'Wrong-2026', address);
        into.push(performance.now() - started);
        expectError(response, 401, 'INVALID_CREDENTIALS');
      };
      for (let i = 0; i < 10; i++) {
        // Two failures, then the right password clears the count before the third would bring a pause.
        if (i > 0 && i % 2 === 0) expect((await signIn(email, PASSWORD, address)).status).toBe(200);
        await timed(known, email);
        await timed(unknown, workEmail('nobody'));
      }
      const [knownMedian, unknownMedian] = [median(known), median(unknown)];
      console.log(`password sign-in, median of 10 each: known e-mail ${knownMedian.toFixed(1)} ms, unknown e-mail ${unknownMedian.toFixed(1)} ms`);
      expect(unknownMedian).toBeGreaterThanOrEqual(knownMedian / 2);
    });

    it('failures from one address make that address wait longer each time, while the owner signs in from theirs', async () => {
      const email = workEmail('guessed');
      await approvedAccount(email);
      const owner = freshAddress();
      expect((await signIn(email, PASSWORD, owner)).status).toBe(200);
      const guesser = freshAddress();
      for (let i = 0; i < 3; i++) expectError(await signIn(email, `Wrong-${i}-2026`, guesser), 401, 'INVALID_CREDENTIALS');

      // A pause, not a lock: 429 with Retry-After of a second, even with the right password, from this address.
      const refused = await signIn(email, PASSWORD, guesser);
      expectError(refused, 429, 'TOO_MANY_REQUESTS');
      expect(refused.headers.get('retry-after')).toBe('1');
      expectError(await signIn(email.toUpperCase(), 'Wrong-3-2026', guesser), 429, 'TOO_MANY_REQUESTS');

      // The owner, from their usual address or a new one, is not held up by the guesser.
      expect((await signIn(email, PASSWORD, owner)).status).toBe(200);
      expect((await signIn(email, PASSWORD, freshAddress())).status).toBe(200);
      // Other accounts from the guesser's address are not either.
      expectError(await signIn(workEmail('other'), 'Wrong-2026', guesser), 401, 'INVALID_CREDENTIALS');

      // Once the pause has passed the guesser may try again, and the next pause is longer.
      await new Promise((r) => setTimeout(r, 1_100));
      expectError(await signIn(email, 'Wrong-4-2026', guesser), 401, 'INVALID_CREDENTIALS');
      const longer = await signIn(email, 'Wrong-5-2026', guesser);
      expectError(longer, 429, 'TOO_MANY_REQUESTS');
      // Two seconds from that failure (the unit spec of GrowingDelay pins the doubling to the millisecond).
      expect(['1', '2']).toContain(longer.headers.get('retry-after'));
    });
  });

  describe('password reset', () => {
    it('a known e-mail gets a single-use link: it sets the password once; forged and replaced tokens are refused; an unknown e-mail gets 202 and no mail', async () => {
      const email = workEmail('reset');
      const accountId = await approvedAccount(email);
      const unknownEmail = workEmail('nobody');
      const eidEmail = member.email;

      // Unknown, e-ID-only and known e-mails all answer the same.
      const forUnknown = await api.post('/auth/password/reset-request', { email: unknownEmail });
      const forEid = await api.post('/auth/password/reset-request', { email: eidEmail });
      const first = await api.post('/auth/password/reset-request', { email: email.toUpperCase() });
      expect(first.status).toBe(202);
      expect({ status: forUnknown.status, body: forUnknown.body }).toEqual({ status: first.status, body: first.body });
      expect({ status: forEid.status, body: forEid.body }).toEqual({ status: first.status, body: first.body });
      expectFields(await api.post('/auth/password/reset-request', { email: 'nope' }), ['email']);

      const firstMail = (await mailsOf(email, 'password-reset'))[0];
      expect(firstMail).toMatchObject({ to: email, template: 'password-reset', data: { resetToken: expect.any(String) } });
      const firstToken = firstMail.data.resetToken as string;
      expect(firstMail.text).toContain(encodeURIComponent(firstToken));

      // A newer request replaces the first link.
      expect((await api.post('/auth/password/reset-request', { email })).status).toBe(202);
      const mails = await mailsOf(email, 'password-reset', 2);
      expect(mails).toHaveLength(2);
      const token = mails[1].data.resetToken as string;
      expect(token).not.toBe(firstToken);
      expectError(await api.post('/auth/password/reset', { token: firstToken, password: NEW_PASSWORD }), 422, 'INVALID_TOKEN');

      // Forged: the mac changed, or no mac at all, or nonsense.
      const [resetId, mac] = [token.slice(0, token.lastIndexOf('.')), token.slice(token.lastIndexOf('.') + 1)];
      const flipped = `${resetId}.${mac.slice(0, -1)}${mac.endsWith('0') ? '1' : '0'}`;
      for (const forged of [flipped, resetId, `${accountId}~00000000000000000000000000000000.${mac}`, 'forged-token']) {
        expectError(await api.post('/auth/password/reset', { token: forged, password: NEW_PASSWORD }), 422, 'INVALID_TOKEN');
      }
      expectFields(await api.post('/auth/password/reset', { token, password: 'weak' }), ['password']);

      const reset = await api.post('/auth/password/reset', { token, password: NEW_PASSWORD });
      expect({ status: reset.status, body: reset.body }).toMatchObject({ status: 200, body: { id: accountId, position: expect.stringMatching(/^\d+$/) } });
      expectError(await signIn(email, PASSWORD), 401, 'INVALID_CREDENTIALS');
      expect((await signIn(email, NEW_PASSWORD)).status).toBe(200);
      expectError(await api.post('/auth/password/reset', { token, password: 'Tredje!2028' }), 422, 'INVALID_TOKEN');
      expect((await signIn(email, NEW_PASSWORD)).status).toBe(200);

      // Nothing was sent to the unknown or the e-ID-only address (their requests came before the known one's mails).
      expect(await fx.mails(unknownEmail)).toEqual([]);
      expect((await fx.mails(eidEmail)).filter((m) => m.template === 'password-reset')).toEqual([]);
      // A pending registration has no account yet: no link either.
      const pendingEmail = workEmail('pending');
      await registered(pendingEmail);
      expect((await api.post('/auth/password/reset-request', { email: pendingEmail })).status).toBe(202);

      // What the stored events hold: the reset ids and hashes, never a password or a usable token.
      // (There is no HTTP way to read an account's stream, so the embedded store's file is read directly.)
      const db = new Database(join(api.dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
      let stored: Array<{ stream_id: string; type: string; data: string; metadata: string }>;
      try {
        stored = db.prepare('SELECT stream_id, type, data, metadata FROM events').all() as typeof stored;
      } finally {
        db.close();
      }
      const log = stored.map((e) => `${e.stream_id} ${e.type} ${e.data} ${e.metadata}`).join('\n');
      expect(stored.filter((e) => e.stream_id === `account-${accountId}`).map((e) => e.type)).toEqual([
        'AccountCreated',
        'PasswordSet',
        'PasswordResetRequested',
        'PasswordResetRequested',
        'PasswordSet',
      ]);
      expect(log).toContain(resetId);
      expect(log).toContain('$argon2id$');
      for (const secret of [PASSWORD, NEW_PASSWORD, 'Wrong-2026', token, firstToken, mac]) expect(log).not.toContain(secret);
      // No file in DATA_DIR (event log, read models, outbox) holds a password in clear.
      for (const file of filesUnder(api.dataDir)) {
        const bytes = readFileSync(file);
        for (const secret of [PASSWORD, NEW_PASSWORD]) expect({ file, holds: bytes.includes(secret) }).toEqual({ file, holds: false });
      }
      expect(await fx.mails(pendingEmail)).toEqual([]);
    });

    it('the API never shows a hash or a password: registrations list and /me', async () => {
      const email = workEmail('shown');
      await approvedAccount(email);
      const listed = JSON.stringify((await api.get('/registrations', staff)).body);
      const me = JSON.stringify((await api.get('/me', (await signIn(email, PASSWORD)).body.accessToken)).body);
      for (const text of [listed, me]) {
        expect(text).not.toContain('argon2');
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toMatch(/passwordHash/i);
      }
    });
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
