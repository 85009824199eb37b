import { rmSync } from 'node:fs';
import { ApiHarness, ApiResponse } from './support/api-harness';
import { Customer, OrganisationFixtures } from './support/organisation-fixtures';
import { testPersonalNumber } from './support/swedish-ids';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('Language over HTTP: Swedish first, English when asked for', () => {
  let api: ApiHarness;
  let staff: string;
  let fx: OrganisationFixtures;
  let customer: Customer;

  beforeAll(async () => {
    api = await ApiHarness.start();
    staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    fx = new OrganisationFixtures(api, staff);
    customer = await fx.customer();
  });
  afterAll(() => api.stop());

  const ask = (method: string, path: string, options: { token?: string; body?: unknown; language?: string } = {}) =>
    api.request(method, path, { token: options.token, body: options.body, headers: options.language ? { 'accept-language': options.language } : {}, minPosition: null });

  const error = (response: ApiResponse) => ({ status: response.status, code: response.body.code, message: response.body.message });

  describe('error messages', () => {
    it('are Swedish by default and English when Accept-Language prefers it; the code never changes', async () => {
      expect(error(await ask('GET', '/me'))).toEqual({ status: 401, code: 'UNAUTHENTICATED', message: 'Logga in först.' });
      expect(error(await ask('GET', '/me', { language: 'en-GB,en;q=0.9,sv;q=0.5' }))).toEqual({ status: 401, code: 'UNAUTHENTICATED', message: 'Sign in first.' });
      expect(error(await ask('GET', '/me', { language: 'de-DE' }))).toEqual({ status: 401, code: 'UNAUTHENTICATED', message: 'Logga in först.' });
      expect(error(await ask('GET', '/me', { language: 'sv-SE,en;q=0.8' }))).toEqual({ status: 401, code: 'UNAUTHENTICATED', message: 'Logga in först.' });
    });

    it('name what was not found in the language', async () => {
      expect(error(await ask('GET', `/orders/${UNKNOWN_ID}`, { token: staff }))).toEqual({ status: 404, code: 'NOT_FOUND', message: 'Beställningen hittades inte.' });
      expect(error(await ask('GET', `/orders/${UNKNOWN_ID}`, { token: staff, language: 'en' }))).toEqual({ status: 404, code: 'NOT_FOUND', message: 'The order was not found.' });
      expect(error(await ask('GET', `/organisations/${UNKNOWN_ID}`, { token: staff }))).toEqual({ status: 404, code: 'NOT_FOUND', message: 'Organisationen hittades inte.' });
      expect(error(await ask('GET', '/no-such-route', { token: staff }))).toEqual({ status: 404, code: 'NOT_FOUND', message: 'Adressen hittades inte.' });
    });

    it('translate business rules with their parameters and reasons', async () => {
      const body = {
        organisationNumber: customer.organisationNumber,
        organisationName: 'Again',
        administrator: { name: 'A', email: 'a@region.se', personalNumber: testPersonalNumber() },
        signatory: { name: 'S', email: 's@region.se', personalNumber: testPersonalNumber() },
        agreementContact: { name: 'K', email: 'k@region.se' },
      };
      expect(error(await ask('POST', '/customer-applications', { body }))).toEqual({
        status: 409,
        code: 'ORGANISATION_ALREADY_REGISTERED',
        message: 'Organisationen är redan registrerad eller har redan en ansökan.',
      });
      expect(error(await ask('PUT', `/organisations/${customer.id}/user-limit`, { token: staff, body: { limit: 1 } })).status).toBe(200);
      const registration = { name: 'Rut', email: `rut.${Date.now()}@region.se`, password: 'Sommar!2026x', organisationNumber: customer.organisationNumber };
      expect(error(await ask('POST', '/registrations', { body: registration, language: 'en' }))).toMatchObject({
        status: 422,
        code: 'ORGANISATION_USER_LIMIT_REACHED',
        message: 'The organisation allows at most 1 users.',
      });
      expect(error(await ask('POST', '/registrations', { body: { ...registration, email: `rut2.${Date.now()}@region.se` } }))).toMatchObject({
        status: 422,
        message: 'Organisationen får ha högst 1 användare.',
      });
      const order = await ask('POST', '/orders', { token: customer.orderer.token, body: { organisationId: customer.id, offeringId: 'webcert-fristaende', details: { careUnits: 2 }, acceptTerms: true } });
      expect(error(await ask('POST', `/orders/${order.body.id}/fulfil`, { token: staff, body: { instructions: 'Nu' } }))).toEqual({
        status: 409,
        code: 'ORDER_STATE_CONFLICT',
        message: 'Beställningen är awaiting-attestation. Bara en attesterad beställning kan levereras.',
      });
      expect(error(await ask('POST', '/customer-applications/x/approve', { token: customer.orderer.token }))).toEqual({
        status: 403,
        code: 'FORBIDDEN',
        message: 'Bara supporten får göra detta.',
      });
    });

    it('translate the details of a bad request, keeping every field name', async () => {
      const response = await ask('POST', '/registrations', { body: { name: '', email: 'not-an-address', password: 'short', organisationNumber: '123' } });
      expect(response.status).toBe(400);
      expect(response.body.message).toBe('Begäran är inte giltig.');
      const byField = (field: string) => response.body.details.filter((d: { field: string }) => d.field === field).map((d: { message: string }) => d.message);
      expect(byField('organisationNumber')).toContain('måste vara ett giltigt organisationsnummer (NNNNNN-NNNN med rätt kontrollsiffra)');
      expect(byField('email')).toContain('måste vara en e-postadress');
      expect(byField('password')).toContain('lösenordet måste ha minst 8 tecken med en liten och en stor bokstav, en siffra och ett specialtecken');
      expect(byField('name')).toContain('får inte vara tom');

      const english = await ask('POST', '/registrations', { body: { name: '', email: 'not-an-address', password: 'short', organisationNumber: '123' }, language: 'en' });
      expect(english.body.details.map((d: { field: string }) => d.field)).toEqual(response.body.details.map((d: { field: string }) => d.field));
      expect(english.body.details).toContainEqual({ field: 'organisationNumber', message: 'must be a valid organisationsnummer (NNNNNN-NNNN with a correct check digit)' });

      const paging = await ask('GET', '/orders?pageSize=500&colour=red', { token: customer.orderer.token });
      expect(paging.body.details).toEqual(
        expect.arrayContaining([
          { field: 'pageSize', message: 'får inte vara större än 100' },
          { field: 'colour', message: 'är inte en parameter för den här adressen' },
        ]),
      );
      const details = await ask('POST', '/orders', { token: customer.orderer.token, body: { organisationId: customer.id, offeringId: 'webcert-fristaende', details: { careUnits: 0 }, acceptTerms: true } });
      expect(details.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: 'Beställningens uppgifter passar inte erbjudandet.',
        details: [{ field: 'details.careUnits', message: 'måste vara minst 1' }],
      });
      const json = await api.request('POST', '/public/tickets', { body: '{"name":', minPosition: null });
      expect(error(json)).toEqual({ status: 400, code: 'VALIDATION_FAILED', message: 'Begäran är inte giltig.' });
    });
  });
  describe('PUT /me/preferences', () => {
    it('keeps a person’s language, which then wins over Accept-Language in every error message, and GET /me shows it', async () => {
      const person = await fx.outsider();
      expect((await api.get('/me', person.token)).body).toMatchObject({ language: 'sv', languageChosen: false });
      expect((await ask('GET', '/me', { token: person.token, language: 'en' })).body).toMatchObject({ language: 'en', languageChosen: false });

      const chosen = await api.put('/me/preferences', { language: 'en' }, person.token);
      expect(chosen.status).toBe(200);
      expect(chosen.body).toEqual({ id: expect.any(String), position: expect.stringMatching(/^\d+$/) });
      expect((await api.get('/me', person.token)).body).toMatchObject({ language: 'en', languageChosen: true });
      expect(error(await ask('GET', `/orders/${UNKNOWN_ID}`, { token: person.token }))).toMatchObject({ message: 'The order was not found.' });
      expect(error(await ask('GET', `/orders/${UNKNOWN_ID}`, { token: person.token, language: 'sv' }))).toMatchObject({ message: 'The order was not found.' });

      expect((await api.put('/me/preferences', { language: 'sv' }, person.token)).status).toBe(200);
      await api.get('/me', person.token);
      expect(error(await ask('GET', `/orders/${UNKNOWN_ID}`, { token: person.token, language: 'en' }))).toMatchObject({ message: 'Beställningen hittades inte.' });
    });

    it('also keeps the language of staff without an account', async () => {
      const support = await api.signIn(testPersonalNumber(), { staff: true, name: 'Sune Support' });
      expect((await api.put('/me/preferences', { language: 'en' }, support)).status).toBe(200);
      expect((await api.get('/me', support)).body).toMatchObject({ accountId: null, language: 'en', languageChosen: true });
      expect(error(await ask('GET', `/tickets/${UNKNOWN_ID}`, { token: support }))).toEqual({ status: 404, code: 'NOT_FOUND', message: 'The ticket was not found.' });
      // Another member of staff is not affected.
      expect(error(await ask('GET', `/tickets/${UNKNOWN_ID}`, { token: staff }))).toMatchObject({ message: 'Ärendet hittades inte.' });
    });

    it('refuses a language the service does not speak, and answers 401 to anonymous callers', async () => {
      const refused = await ask('PUT', '/me/preferences', { token: customer.orderer.token, body: { language: 'de' }, language: 'en' });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'language' })] });
      expect((await ask('PUT', '/me/preferences', { body: {} })).status).toBe(401);
      expect((await ask('PUT', '/me/preferences', { token: customer.orderer.token, body: {} })).status).toBe(400);
    });

    it('sends each person’s e-mails in their language, with the same template and data', async () => {
      const other = await fx.customer();
      expect((await api.put('/me/preferences', { language: 'en' }, other.attestant.token)).status).toBe(200);
      const order = await api.post('/orders', { organisationId: other.id, offeringId: 'webcert-fristaende', details: { careUnits: 1 }, acceptTerms: true }, other.orderer.token);
      expect(order.status).toBe(201);
      const toAttest = (await fx.mails(other.attestant.email)).filter((m) => m.template === 'order-to-attest');
      expect(toAttest).toHaveLength(1);
      expect(toAttest[0].subject).toBe(`Order from ${other.name} awaits your attestation: Webcert Fristående`);
      expect(toAttest[0].text.startsWith(`Hello ${other.attestant.name},`)).toBe(true);
      expect(toAttest[0].data).toMatchObject({ name: other.attestant.name, action: 'attest', customerOrganisationName: other.name });

      expect((await api.post(`/orders/${order.body.id}/reject`, { reason: 'Fel antal' }, other.attestant.token)).status).toBe(200);
      const rejected = (await fx.mails(other.orderer.email)).filter((m) => m.template === 'order-rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0].subject).toBe(`Beställningen avslogs: Webcert Fristående för ${other.name}`);
      expect(rejected[0].text).toContain('Skäl: Fel antal');
    });
  });

  it('keeps the choice across a restart: it is an event in the log', async () => {
    const own = await ApiHarness.start();
    const dataDir = own.dataDir;
    let again: ApiHarness | undefined;
    try {
      const personalNumber = testPersonalNumber();
      const support = await own.signIn(personalNumber, { staff: true });
      expect((await own.put('/me/preferences', { language: 'en' }, support)).status).toBe(200);
      await own.app.close();
      again = await ApiHarness.start({}, dataDir);
      const token = await again.signIn(personalNumber, { staff: true });
      const head = (await again.get('/health')).body.headPosition as string;
      expect((await again.request('GET', '/me', { token, minPosition: head })).body).toMatchObject({ language: 'en', languageChosen: true });
    } finally {
      await again?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
