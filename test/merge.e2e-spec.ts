import { ApiHarness } from './support/api-harness';
import { OrganisationFixtures } from './support/organisation-fixtures';
import { testPersonalNumber } from './support/swedish-ids';

/**
 * Two records of one organisation (the same region registered twice), merged by staff: members
 * and roles, orders and tickets follow to the record that lives on; the duplicate takes no more
 * changes and both histories stay.
 */
describe('Merging duplicate organisation records (staff)', () => {
  let api: ApiHarness;
  let staff: string;
  let fx: OrganisationFixtures;

  beforeAll(async () => {
    api = await ApiHarness.start();
    staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    fx = new OrganisationFixtures(api, staff);
  });
  afterAll(() => api.stop());

  it('moves members with their roles, and lets orders and tickets follow', async () => {
    const keep = await fx.customer({ name: 'Region Kept' });
    const duplicate = await fx.customer({ name: 'Region Duplicate' });
    const dupAttestant = duplicate.attestant;

    // Before the merge: an order and a ticket on the duplicate.
    const order = await api.post('/orders', { organisationId: duplicate.id, offeringId: 'webcert-fristaende', details: { careUnits: 2 }, acceptTerms: true }, duplicate.orderer.token);
    expect(order.status).toBe(201);
    const ticket = await api.post('/tickets', { type: 'question', subject: 'Duplicate question', description: 'Asked before the merge', organisationId: duplicate.id }, duplicate.orderer.token);
    expect(ticket.status).toBe(201);

    expect((await api.post(`/organisations/${keep.id}/merge`, { duplicateOrganisationId: duplicate.id }, keep.admin.token)).status).toBe(403);
    const merged = await api.post(`/organisations/${keep.id}/merge`, { duplicateOrganisationId: duplicate.id }, staff);
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: keep.id, duplicateOrganisationId: duplicate.id, position: expect.any(String) });
    // Running it again (a retry) changes nothing and answers the same way.
    expect((await api.post(`/organisations/${keep.id}/merge`, { duplicateOrganisationId: duplicate.id }, staff)).status).toBe(200);

    // Members of the duplicate are members of the kept record, with their roles.
    const members = (await api.get(`/organisations/${keep.id}/members`, keep.admin.token)).body.items;
    expect(members).toEqual(expect.arrayContaining([expect.objectContaining({ accountId: dupAttestant.accountId, roles: ['attestant'] })]));
    const me = await api.get('/me', dupAttestant.token);
    expect(me.body.organisations.map((o: { id: string }) => o.id)).toEqual([keep.id]);

    // The duplicate takes no more changes.
    const refused = await api.put(`/organisations/${duplicate.id}/members/${dupAttestant.accountId}/roles`, { roles: ['orderer'] }, staff);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('ORGANISATION_MERGED');
    expect((await api.get(`/organisations/${duplicate.id}`, staff)).body.mergedInto).toBe(keep.id);

    // The kept record's attestant now sees the duplicate's order waiting, and may attest it.
    const approvals = (await api.get('/approvals', keep.attestant.token)).body.items;
    expect(approvals).toEqual(expect.arrayContaining([expect.objectContaining({ orderId: order.body.id })]));
    const attested = await api.post(`/orders/${order.body.id}/attest`, { method: 'bankid' }, keep.attestant.token);
    expect(attested.status).toBe(200);
    expect((await api.get(`/orders?organisationId=${keep.id}`, keep.orderer.token)).status).toBe(200);
    expect((await api.get(`/orders/${order.body.id}`, keep.orderer.token)).status).toBe(200);

    // The kept record's administrator sees the duplicate's ticket as one of the organisation's.
    const list = (await api.get('/tickets', keep.admin.token)).body.items;
    expect(list).toEqual(expect.arrayContaining([expect.objectContaining({ id: ticket.body.id, viaOrganisation: true })]));

    // Both histories stay: the order's history still names the duplicate as its customer.
    const history = await api.get(`/audit/orders/${order.body.id}/history`, staff);
    expect(history.body.events[0].data.organisationId).toBe(duplicate.id);
  });

  it('refuses merging a record into itself, into a merged record, and unknown records', async () => {
    const a = await fx.organisation();
    const b = await fx.organisation();
    expect((await api.post(`/organisations/${a.id}/merge`, { duplicateOrganisationId: a.id }, staff)).body.code).toBe('INVALID_MERGE');
    expect((await api.post(`/organisations/${a.id}/merge`, { duplicateOrganisationId: '00000000-0000-4000-8000-000000000000' }, staff)).status).toBe(404);
    expect((await api.post(`/organisations/${a.id}/merge`, { duplicateOrganisationId: b.id }, staff)).status).toBe(200);
    expect((await api.post(`/organisations/${b.id}/merge`, { duplicateOrganisationId: a.id }, staff)).body.code).toBe('ORGANISATION_MERGED');
    expect((await api.post(`/organisations/${a.id}/merge`, { duplicateOrganisationId: 'nope' }, staff)).status).toBe(400);
  });
});
