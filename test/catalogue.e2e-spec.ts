import { ApiHarness } from './support/api-harness';
import { testPersonalNumber } from './support/swedish-ids';

const fee = { amount: 1200, currency: 'SEK' };
const usersField = { name: 'users', label: 'Number of users', type: 'integer', required: true, min: 1 };

describe('Catalogue over HTTP', () => {
  let api: ApiHarness;
  let staff: string;
  let customer: string;
  let serial = 0;
  const freshServiceId = () => `tjanst-${Date.now().toString(36)}-${++serial}`;

  beforeAll(async () => {
    api = await ApiHarness.start();
    staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    customer = await api.signIn(testPersonalNumber(), { name: 'Kim Customer' });
  });
  afterAll(() => api.stop());

  const catalogue = async (token: string) => {
    const response = await api.get('/catalogue', token);
    expect(response.status).toBe(200);
    return response.body.items as Array<{ id: string; name: string; offerings: Array<{ id: string; name: string; version: number; startupFee: unknown; fields: unknown[] }> }>;
  };

  it('shows the seeded Webcert Fristående to any signed-in caller', async () => {
    // The seed is appended at start: wait until the read models have passed the log's head.
    const head = (await api.get('/health')).body.headPosition as string;
    const response = await api.request('GET', '/catalogue', { token: customer, minPosition: head });
    expect(response.status).toBe(200);
    expect(response.body.items).toContainEqual({
      id: 'webcert',
      name: 'Webcert',
      description: expect.any(String),
      offerings: [
        {
          id: 'webcert-fristaende',
          name: 'Webcert Fristående',
          version: 1,
          startupFee: { amount: 5000, currency: 'SEK' },
          fields: [
            { name: 'careUnits', label: 'Number of care units (vårdenheter)', type: 'integer', required: true, min: 1 },
            { name: 'careUnitList', label: 'The care units to connect, each with its HSA-id', type: 'care-unit-list', required: false, countField: 'careUnits' },
          ],
        },
      ],
    });
    const auditor = await api.signIn(testPersonalNumber(), { auditor: true });
    expect((await catalogue(auditor)).map((s) => s.id)).toContain('webcert');
  });

  it('answers 401 to anonymous callers', async () => {
    const response = await api.get('/catalogue');
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
  });

  it('lets staff publish a service and an offering, a new version, and retire it', async () => {
    const serviceId = freshServiceId();
    const published = await api.post('/catalogue/services', { id: serviceId, name: 'E-tjänst', description: 'A service' }, staff);
    expect(published.status).toBe(201);
    expect(published.body).toEqual({ id: serviceId, position: expect.stringMatching(/^\d+$/) });

    const offeringId = `${serviceId}-bas`;
    const offering = await api.post(`/catalogue/services/${serviceId}/offerings`, { id: offeringId, name: 'Bas', startupFee: fee, fields: [usersField] }, staff);
    expect(offering.status).toBe(201);
    expect(offering.body).toEqual({ id: offeringId, position: expect.any(String), serviceId, version: 1 });

    let service = (await catalogue(customer)).find((s) => s.id === serviceId);
    expect(service).toEqual({
      id: serviceId,
      name: 'E-tjänst',
      description: 'A service',
      offerings: [{ id: offeringId, name: 'Bas', version: 1, startupFee: fee, fields: [usersField] }],
    });

    const noteField = { name: 'note', label: 'Note', type: 'string', required: false, maxLength: 200 };
    const v2 = await api.post(
      `/catalogue/services/${serviceId}/offerings`,
      { id: offeringId, name: 'Bas 2', startupFee: { amount: 1500, currency: 'SEK' }, fields: [usersField, noteField] },
      staff,
    );
    expect(v2.body).toMatchObject({ id: offeringId, version: 2 });
    service = (await catalogue(customer)).find((s) => s.id === serviceId);
    expect(service?.offerings).toEqual([{ id: offeringId, name: 'Bas 2', version: 2, startupFee: { amount: 1500, currency: 'SEK' }, fields: [usersField, noteField] }]);

    const retired = await api.post(`/catalogue/offerings/${offeringId}/retire`, {}, staff);
    expect(retired.status).toBe(200);
    expect(retired.body).toEqual({ id: offeringId, position: expect.any(String), serviceId });
    service = (await catalogue(customer)).find((s) => s.id === serviceId);
    expect(service?.offerings).toEqual([]);

    const again = await api.post(`/catalogue/offerings/${offeringId}/retire`, {}, staff);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ statusCode: 409, code: 'OFFERING_NOT_ACTIVE' });
  });

  it('refuses non-staff with 403 and anonymous callers with 401, changing nothing', async () => {
    const serviceId = freshServiceId();
    const asCustomer = await api.post('/catalogue/services', { id: serviceId, name: 'X' }, customer);
    expect(asCustomer.status).toBe(403);
    expect(asCustomer.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect((await api.post('/catalogue/services/webcert/offerings', { id: 'webcert-x', name: 'X', startupFee: fee, fields: [] }, customer)).status).toBe(403);
    expect((await api.post('/catalogue/offerings/webcert-fristaende/retire', {}, customer)).status).toBe(403);
    expect((await api.post('/catalogue/services', { id: serviceId, name: 'X' })).status).toBe(401);
    expect((await api.post('/catalogue/offerings/webcert-fristaende/retire', {})).status).toBe(401);

    // Staff publish something so the next read waits for the log: the refusals left no trace.
    await api.post('/catalogue/services', { id: freshServiceId(), name: 'Marker' }, staff);
    const items = await catalogue(customer);
    expect(items.map((s) => s.id)).not.toContain(serviceId);
    expect(items.find((s) => s.id === 'webcert')?.offerings.map((o) => o.id)).toEqual(['webcert-fristaende']);
  });

  it('answers 400 VALIDATION_FAILED naming every bad field', async () => {
    const service = await api.post('/catalogue/services', { id: 'Not A Slug', name: '', description: 5, extra: true }, staff);
    expect(service.status).toBe(400);
    expect(service.body.code).toBe('VALIDATION_FAILED');
    const serviceFields = service.body.details.map((d: { field: string }) => d.field);
    expect(serviceFields).toEqual(expect.arrayContaining(['id', 'name', 'description']));
    expect(serviceFields).not.toContain('extra');

    const offering = await api.post(
      '/catalogue/services/webcert/offerings',
      {
        id: 'webcert_x',
        name: '  ',
        startupFee: { amount: -1, currency: 'EUR' },
        fields: [{ name: '1st', label: '', type: 'date', required: 'yes', min: 1.5 }],
      },
      staff,
    );
    expect(offering.status).toBe(400);
    expect(offering.body.code).toBe('VALIDATION_FAILED');
    expect(offering.body.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining([
        'id',
        'name',
        'startupFee.amount',
        'startupFee.currency',
        'fields.0.name',
        'fields.0.label',
        'fields.0.type',
        'fields.0.required',
        'fields.0.min',
      ]),
    );

    // Amounts with more than two decimals, also written with an exponent, are refused (not a 500).
    for (const amount of [1e-320, 12.345, 1e-7]) {
      const tiny = await api.post('/catalogue/services/webcert/offerings', { id: 'webcert-t', name: 'T', startupFee: { amount, currency: 'SEK' }, fields: [usersField] }, staff);
      expect(tiny.status).toBe(400);
      expect(tiny.body.details).toEqual([{ field: 'startupFee.amount', message: expect.any(String) }]);
    }

    const missing = await api.post('/catalogue/services/webcert/offerings', { id: 'webcert-y', name: 'Y' }, staff);
    expect(missing.status).toBe(400);
    expect(missing.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['startupFee', 'fields']));

    // Rules across fields of the form: repeated names, min above max, bounds on a text.
    const form = await api.post(
      '/catalogue/services/webcert/offerings',
      {
        id: 'webcert-z',
        name: 'Z',
        startupFee: fee,
        fields: [usersField, { ...usersField, label: 'Again' }, { ...usersField, name: 'seats', min: 5, max: 1 }, { name: 'note', label: 'Note', type: 'string', required: false, min: 1 }],
      },
      staff,
    );
    expect(form.status).toBe(400);
    expect(form.body.code).toBe('VALIDATION_FAILED');
    expect(form.body.details.map((d: { field: string }) => d.field)).toEqual(['fields.1.name', 'fields.2.max', 'fields.3.min']);
  });

  it('refuses offering ids of another service (422), unknown services (404) and unknown offerings (409)', async () => {
    const wrongPrefix = await api.post('/catalogue/services/webcert/offerings', { id: 'other-x', name: 'X', startupFee: fee, fields: [] }, staff);
    expect(wrongPrefix.status).toBe(422);
    expect(wrongPrefix.body).toMatchObject({ code: 'INVALID_OFFERING_ID', details: [expect.objectContaining({ field: 'id' })] });

    const unknownService = await api.post('/catalogue/services/no-such-service/offerings', { id: 'no-such-service-x', name: 'X', startupFee: fee, fields: [] }, staff);
    expect(unknownService.status).toBe(404);
    expect(unknownService.body.code).toBe('NOT_FOUND');
    expect((await api.post('/catalogue/services/Not_A_Slug/offerings', { id: 'x-y', name: 'X', startupFee: fee, fields: [] }, staff)).status).toBe(404);

    const unknownOffering = await api.post('/catalogue/offerings/webcert-unknown/retire', {}, staff);
    expect(unknownOffering.status).toBe(409);
    expect(unknownOffering.body.code).toBe('OFFERING_NOT_ACTIVE');
    expect((await api.post('/catalogue/offerings/NOPE/retire', {}, staff)).status).toBe(404);

    const existing = await api.post('/catalogue/services', { id: 'webcert', name: 'Another Webcert' }, staff);
    expect(existing.status).toBe(409);
    expect(existing.body.code).toBe('SERVICE_ALREADY_EXISTS');
  });

  it('documents the catalogue routes', async () => {
    const docs = await api.get('/docs-json');
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/catalogue', '/catalogue/services', '/catalogue/services/{serviceId}/offerings', '/catalogue/offerings/{offeringId}/retire']),
    );
  });
});
