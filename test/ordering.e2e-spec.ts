import { performance } from 'node:perf_hooks';
import { ApiHarness, ApiResponse } from './support/api-harness';
import { Customer, Organisation, OrganisationFixtures, Person } from './support/organisation-fixtures';
import { testPersonalNumber } from './support/swedish-ids';

const OFFERING = 'webcert-fristaende';
const OFFERING_NAME = 'Webcert Fristående';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectError(response: ApiResponse, statusCode: number, code: string): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status: statusCode, body: { statusCode, code, message: expect.any(String) } });
}

function expectFields(response: ApiResponse, fields: string[]): void {
  expectError(response, 400, 'VALIDATION_FAILED');
  expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(fields));
}

describe('Ordering over HTTP', () => {
  let api: ApiHarness;
  let staff: string;
  let auditor: string;
  let fx: OrganisationFixtures;

  beforeAll(async () => {
    api = await ApiHarness.start();
    staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    auditor = await api.signIn(testPersonalNumber(), { auditor: true, name: 'Rut Revisor' });
    fx = new OrganisationFixtures(api, staff);
  });
  afterAll(() => api.stop());

  const orderBody = (customer: Organisation, extra: Record<string, unknown> = {}) => ({
    organisationId: customer.id,
    offeringId: OFFERING,
    details: { careUnits: 3 },
    acceptTerms: true,
    ...extra,
  });

  async function submit(customer: Customer, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await api.post('/orders', orderBody(customer, extra), customer.orderer.token);
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  const approvals = async (person: Person) => {
    const response = await api.get('/approvals', person.token);
    expect(response.status).toBe(200);
    return response.body.items as Array<Record<string, unknown>>;
  };
  const mailsAbout = async (person: Person, orderId: string) =>
    (await fx.mails(person.email)).filter((m) => typeof m.data.link === 'string' && m.data.link.endsWith(`/orders/${orderId}`));
  const templatesOf = async (person: Person, orderId: string) => (await mailsAbout(person, orderId)).map((m) => m.template);

  it('offers webcert / webcert-fristaende with careUnits (integer, min 1)', async () => {
    const head = (await api.get('/health')).body.headPosition as string;
    const response = await api.request('GET', '/catalogue', { token: staff, minPosition: head });
    expect(response.status).toBe(200);
    const webcert = response.body.items.find((s: { id: string }) => s.id === 'webcert');
    expect(webcert).toMatchObject({ id: 'webcert', name: 'Webcert' });
    expect(webcert.offerings).toContainEqual(
      expect.objectContaining({
        id: OFFERING,
        name: OFFERING_NAME,
        startupFee: expect.anything(),
        fields: expect.arrayContaining([expect.objectContaining({ name: 'careUnits', label: expect.any(String), type: 'integer', required: true, min: 1 })]),
      }),
    );
  });

  describe('a direct order', () => {
    it('submitted → approvals and badge → attested by SMS code → fulfilled with instructions e-mailed to the orderer', async () => {
      const customer = await fx.customer();
      const submitted = await api.post('/orders', orderBody(customer), customer.orderer.token);
      expect(submitted.status).toBe(201);
      expect(submitted.body).toMatchObject({ id: expect.any(String), position: expect.stringMatching(/^\d+$/), status: 'awaiting-attestation' });
      const orderId = submitted.body.id as string;

      // The attestant sees it waiting, with the customer's name, and the badge counts it.
      expect(await approvals(customer.attestant)).toEqual([
        {
          orderId,
          step: 'attestation',
          customerOrganisationId: customer.id,
          customerOrganisationName: customer.name,
          offeringName: OFFERING_NAME,
          submittedAt: expect.stringMatching(ISO),
          submittedBy: { name: customer.orderer.name },
        },
      ]);
      const notices = await api.get('/me/notifications', customer.attestant.token);
      expect(notices.status).toBe(200);
      expect(notices.body.badge).toEqual({ total: 1, approvals: 1, unreadTickets: 0, agreementsToSign: 0, joinRequests: 0 });
      expect(notices.body.items).toEqual([{ kind: 'approval', refId: orderId, title: `Attestera beställningen av Webcert Fristående från ${customer.name}`, at: expect.stringMatching(ISO) }]);
      // The titles follow the caller's language: Swedish by default, English when asked for.
      const inEnglish = await api.request('GET', '/me/notifications', { token: customer.attestant.token, headers: { 'accept-language': 'en' } });
      expect(inEnglish.body.items[0].title).toBe(`Attest the order of Webcert Fristående from ${customer.name}`);
      // The orderer has nothing to act on.
      expect(await approvals(customer.orderer)).toEqual([]);
      expect((await api.get('/me/notifications', customer.orderer.token)).body.badge.approvals).toBe(0);

      // The attestant was e-mailed a link to the order.
      const toAttest = await mailsAbout(customer.attestant, orderId);
      expect(toAttest).toEqual([expect.objectContaining({ template: 'order-to-attest', to: customer.attestant.email })]);
      expect(toAttest[0].text).toContain(`/orders/${orderId}`);

      // Staff cannot fulfil before attestation; a bad method is refused.
      expectError(await api.post(`/orders/${orderId}/fulfil`, { instructions: 'Too early' }, staff), 409, 'ORDER_STATE_CONFLICT');
      expectFields(await api.post(`/orders/${orderId}/attest`, { method: 'fax' }, customer.attestant.token), ['method']);

      const attested = await api.post(`/orders/${orderId}/attest`, { method: 'sms-otp' }, customer.attestant.token);
      expect(attested.status).toBe(200);
      expect(attested.body).toMatchObject({ id: orderId, position: expect.stringMatching(/^\d+$/) });
      expect(await approvals(customer.attestant)).toEqual([]);
      expect((await api.get('/me/notifications', customer.attestant.token)).body.badge).toEqual({ total: 0, approvals: 0, unreadTickets: 0, agreementsToSign: 0, joinRequests: 0 });

      // Only staff fulfil, with instructions.
      const instructions = 'Vi kontaktar er på måndag för att ansluta era vårdenheter.';
      expectError(await api.post(`/orders/${orderId}/fulfil`, { instructions }, customer.orderer.token), 403, 'FORBIDDEN');
      expectFields(await api.post(`/orders/${orderId}/fulfil`, { instructions: '  ' }, staff), ['instructions']);
      const fulfilled = await api.post(`/orders/${orderId}/fulfil`, { instructions }, staff);
      expect(fulfilled.status).toBe(200);
      expect(fulfilled.body).toMatchObject({ id: orderId, position: expect.stringMatching(/^\d+$/) });
      expectError(await api.post(`/orders/${orderId}/fulfil`, { instructions }, staff), 409, 'ORDER_STATE_CONFLICT');

      const fulfilledMail = (await mailsAbout(customer.orderer, orderId)).filter((m) => m.template === 'order-fulfilled');
      expect(fulfilledMail).toHaveLength(1);
      expect(fulfilledMail[0].text).toContain(instructions);

      // The order with who/when/how of each step.
      const detail = await api.get(`/orders/${orderId}`, customer.orderer.token);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({
        id: orderId,
        organisationId: customer.id,
        organisationName: customer.name,
        offeringId: OFFERING,
        offeringName: OFFERING_NAME,
        details: { careUnits: 3 },
        status: 'fulfilled',
        viaAgentOrganisationId: null,
        submittedBy: { accountId: customer.orderer.accountId, name: customer.orderer.name },
        submittedAt: expect.stringMatching(ISO),
      });
      const chain = detail.body.steps.filter((s: { step: string }) => ['agent-approval', 'agent-attestation', 'attestation'].includes(s.step));
      expect(chain).toEqual([
        expect.objectContaining({
          step: 'attestation',
          organisationId: customer.id,
          by: { accountId: customer.attestant.accountId, name: customer.attestant.name },
          at: expect.stringMatching(ISO),
          method: 'sms-otp',
        }),
      ]);
      expect(Date.parse(chain[0].at)).toBeGreaterThanOrEqual(Date.parse(detail.body.submittedAt));

      // The organisation's list.
      const list = await api.get(`/orders?organisationId=${customer.id}`, customer.attestant.token);
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({
          id: orderId,
          organisationId: customer.id,
          organisationName: customer.name,
          offeringId: OFFERING,
          offeringName: OFFERING_NAME,
          status: 'fulfilled',
          submittedAt: detail.body.submittedAt,
          lastChangedAt: expect.stringMatching(ISO),
        }),
      ]);
      expect(Date.parse(list.body.items[0].lastChangedAt)).toBeGreaterThan(Date.parse(detail.body.submittedAt));
    });
  });

  describe('refusals', () => {
    it('422 AGREEMENT_NOT_SIGNED, NO_ATTESTANT, NOT_AN_AGENT_OF_ORGANISATION, OFFERING_NOT_AVAILABLE', async () => {
      const unsigned = await fx.customer({ signed: false });
      expectError(await api.post('/orders', orderBody(unsigned), unsigned.orderer.token), 422, 'AGREEMENT_NOT_SIGNED');

      const noAttestant = await fx.organisation();
      const lonelyOrderer = await fx.member(noAttestant, ['orderer']);
      expectError(await api.post('/orders', orderBody(noAttestant), lonelyOrderer.token), 422, 'NO_ATTESTANT');

      const customer = await fx.customer();
      const notAnAgent = await fx.organisation();
      expectError(await api.post('/orders', orderBody(customer, { viaAgentOrganisationId: notAnAgent.id }), customer.orderer.token), 422, 'NOT_AN_AGENT_OF_ORGANISATION');
      expectError(await api.post('/orders', orderBody(customer, { viaAgentOrganisationId: UNKNOWN_ID }), customer.orderer.token), 422, 'NOT_AN_AGENT_OF_ORGANISATION');
      // The link goes one way: a customer is not the agent of its own agent.
      const agent = await fx.customer();
      await fx.linkAgent(customer, agent);
      expectError(await api.post('/orders', orderBody(agent, { viaAgentOrganisationId: customer.id }), agent.orderer.token), 422, 'NOT_AN_AGENT_OF_ORGANISATION');

      expectError(await api.post('/orders', orderBody(customer, { offeringId: 'webcert-unknown' }), customer.orderer.token), 422, 'OFFERING_NOT_AVAILABLE');

      // None of the refusals left an order behind: the next accepted one is the only one.
      const accepted = await submit(customer);
      expect((await api.get(`/orders?organisationId=${customer.id}`, customer.orderer.token)).body.items.map((o: { id: string }) => o.id)).toEqual([accepted]);
      expect((await api.get(`/orders?organisationId=${unsigned.id}`, unsigned.orderer.token)).body.items).toEqual([]);
    });

    it('403 for a member without the orderer role, 404 for a non-member or an unknown organisation', async () => {
      const customer = await fx.customer();
      const plainMember = await fx.member(customer, []);
      expectError(await api.post('/orders', orderBody(customer), customer.attestant.token), 403, 'FORBIDDEN');
      expectError(await api.post('/orders', orderBody(customer), plainMember.token), 403, 'FORBIDDEN');
      expectError(await api.post('/orders', orderBody(customer), customer.admin.token), 403, 'FORBIDDEN');

      const outsider = await fx.outsider();
      expectError(await api.post('/orders', orderBody(customer), outsider.token), 404, 'NOT_FOUND');
      const noAccount = await api.signIn(testPersonalNumber());
      expectError(await api.post('/orders', orderBody(customer), noAccount), 404, 'NOT_FOUND');
      expectError(await api.post('/orders', { ...orderBody(customer), organisationId: UNKNOWN_ID }, customer.orderer.token), 404, 'NOT_FOUND');
      expectError(await api.post('/orders', orderBody(customer), undefined), 401, 'UNAUTHENTICATED');
    });

    it('400 VALIDATION_FAILED when the terms are not accepted or the details do not fit careUnits', async () => {
      const customer = await fx.customer();
      const post = (body: unknown) => api.post('/orders', body, customer.orderer.token);

      for (const acceptTerms of [false, 'true', 1, null, undefined]) {
        expectFields(await post({ ...orderBody(customer), acceptTerms }), ['acceptTerms']);
      }
      const fieldsOf = async (details: unknown) => {
        const response = await post({ ...orderBody(customer), details });
        expectError(response, 400, 'VALIDATION_FAILED');
        return response.body.details.map((d: { field: string }) => d.field) as string[];
      };
      expect(await fieldsOf({ careUnits: 0 })).toEqual(['details.careUnits']);
      expect(await fieldsOf({ careUnits: -2 })).toEqual(['details.careUnits']);
      expect(await fieldsOf({ careUnits: '3' })).toEqual(['details.careUnits']);
      expect(await fieldsOf({ careUnits: 2.5 })).toEqual(['details.careUnits']);
      expect(await fieldsOf({})).toEqual(['details.careUnits']);
      expect(await fieldsOf({ careUnits: 3, colour: 'red' })).toEqual(['details.colour']);
      expect(await fieldsOf({ careUnits: 0, colour: 'red' })).toEqual(expect.arrayContaining(['details.careUnits', 'details.colour']));
      expect(await fieldsOf('3 care units')).toEqual(['details']);

      // Every bad field at once is named.
      expectFields(await post({ organisationId: 'nope', offeringId: 'Not An Id', details: 3, acceptTerms: 'yes' }), ['organisationId', 'offeringId', 'details', 'acceptTerms']);

      const accepted = await submit(customer);
      expect((await api.get(`/orders?organisationId=${customer.id}`, customer.orderer.token)).body.items.map((o: { id: string }) => o.id)).toEqual([accepted]);
    });
  });

  describe('an order via an agent', () => {
    it('agent orderer approves → agent attestant attests → customer attestant attests, each e-mailed in turn', async () => {
      const { customer, agent } = await fx.customerWithAgent();
      const submitted = await api.post('/orders', orderBody(customer, { viaAgentOrganisationId: agent.id }), customer.orderer.token);
      expect(submitted.status).toBe(201);
      expect(submitted.body).toMatchObject({ id: expect.any(String), position: expect.any(String), status: 'awaiting-agent-approval' });
      const orderId = submitted.body.id as string;

      // The agent's orderer sees the customer's name, and was e-mailed; nobody else has anything to do yet.
      expect(await approvals(agent.orderer)).toEqual([
        expect.objectContaining({ orderId, step: 'agent-approval', customerOrganisationId: customer.id, customerOrganisationName: customer.name, offeringName: OFFERING_NAME }),
      ]);
      expect((await api.get('/me/notifications', agent.orderer.token)).body.badge.approvals).toBe(1);
      expect(await approvals(agent.attestant)).toEqual([]);
      expect(await approvals(customer.attestant)).toEqual([]);
      expect(await templatesOf(agent.orderer, orderId)).toEqual(['order-to-approve']);
      expect((await mailsAbout(agent.orderer, orderId))[0].text).toContain(`/orders/${orderId}`);
      expect(await templatesOf(agent.attestant, orderId)).toEqual([]);
      expect(await templatesOf(customer.attestant, orderId)).toEqual([]);

      // Out of turn: 409; without the role for any step: 403.
      expectError(await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, customer.attestant.token), 409, 'ORDER_STATE_CONFLICT');
      expectError(await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, agent.attestant.token), 409, 'ORDER_STATE_CONFLICT');
      expectError(await api.post(`/orders/${orderId}/approve`, {}, customer.orderer.token), 403, 'FORBIDDEN');
      expectError(await api.post(`/orders/${orderId}/approve`, {}, customer.attestant.token), 403, 'FORBIDDEN');
      expectError(await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, agent.orderer.token), 403, 'FORBIDDEN');
      expectError(await api.post(`/orders/${orderId}/reject`, { reason: 'Not mine' }, customer.orderer.token), 403, 'FORBIDDEN');

      const approved = await api.post(`/orders/${orderId}/approve`, {}, agent.orderer.token);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ id: orderId, position: expect.any(String) });
      expectError(await api.post(`/orders/${orderId}/approve`, {}, agent.orderer.token), 409, 'ORDER_STATE_CONFLICT');
      expect(await approvals(agent.orderer)).toEqual([]);
      expect(await approvals(agent.attestant)).toEqual([expect.objectContaining({ orderId, step: 'agent-attestation', customerOrganisationId: customer.id, customerOrganisationName: customer.name })]);
      expect(await templatesOf(agent.attestant, orderId)).toEqual(['order-to-attest']);
      expect(await templatesOf(customer.attestant, orderId)).toEqual([]);
      expectError(await api.post(`/orders/${orderId}/attest`, { method: 'sms-otp' }, customer.attestant.token), 409, 'ORDER_STATE_CONFLICT');

      expect((await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, agent.attestant.token)).status).toBe(200);
      expectError(await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, agent.attestant.token), 409, 'ORDER_STATE_CONFLICT');
      expect(await approvals(agent.attestant)).toEqual([]);
      expect(await approvals(customer.attestant)).toEqual([expect.objectContaining({ orderId, step: 'attestation', customerOrganisationName: customer.name })]);
      const customerMail = await mailsAbout(customer.attestant, orderId);
      expect(customerMail.map((m) => m.template)).toEqual(['order-to-attest']);
      expect(customerMail[0].text).toContain(`/orders/${orderId}`);

      const attested = await api.post(`/orders/${orderId}/attest`, { method: 'sms-otp' }, customer.attestant.token);
      expect(attested.status).toBe(200);
      expect(await approvals(customer.attestant)).toEqual([]);
      expectError(await api.post(`/orders/${orderId}/attest`, { method: 'sms-otp' }, customer.attestant.token), 409, 'ORDER_STATE_CONFLICT');

      // Members of both organisations, staff and auditors read it; an outsider does not see it.
      const expected = {
        id: orderId,
        organisationId: customer.id,
        organisationName: customer.name,
        status: 'attested',
        viaAgentOrganisationId: agent.id,
        submittedBy: { accountId: customer.orderer.accountId, name: customer.orderer.name },
        steps: [
          expect.objectContaining({ step: 'agent-approval', organisationId: agent.id, by: { accountId: agent.orderer.accountId, name: agent.orderer.name }, at: expect.stringMatching(ISO) }),
          expect.objectContaining({ step: 'agent-attestation', organisationId: agent.id, by: { accountId: agent.attestant.accountId, name: agent.attestant.name }, method: 'bankid' }),
          expect.objectContaining({ step: 'attestation', organisationId: customer.id, by: { accountId: customer.attestant.accountId, name: customer.attestant.name }, method: 'sms-otp' }),
        ],
      };
      for (const token of [customer.orderer.token, customer.admin.token, agent.orderer.token, agent.attestant.token, staff, auditor]) {
        const read = await api.get(`/orders/${orderId}`, token);
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject(expected);
      }
      for (const [organisation, reader] of [
        [customer, customer.attestant],
        [agent, agent.orderer],
      ] as const) {
        const list = await api.get(`/orders?organisationId=${organisation.id}`, reader.token);
        expect(list.status).toBe(200);
        expect(list.body.items).toEqual([expect.objectContaining({ id: orderId, organisationId: customer.id, organisationName: customer.name, status: 'attested' })]);
      }
      for (const token of [staff, auditor]) {
        expect((await api.get(`/orders?organisationId=${customer.id}`, token)).body.items.map((o: { id: string }) => o.id)).toEqual([orderId]);
      }
      const outsider = await fx.outsider();
      expectError(await api.get(`/orders/${orderId}`, outsider.token), 404, 'NOT_FOUND');
      expectError(await api.get(`/orders?organisationId=${customer.id}`, outsider.token), 404, 'NOT_FOUND');
      expect((await api.get('/orders', outsider.token)).body.items).toEqual([]);
      expectError(await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, outsider.token), 404, 'NOT_FOUND');
      expectError(await api.post(`/orders/${orderId}/approve`, {}, outsider.token), 404, 'NOT_FOUND');
      expectError(await api.get(`/orders/${UNKNOWN_ID}`, staff), 404, 'NOT_FOUND');

      // Fulfilled: the orderer hears of it, and the agent's orderers and attestants that the technical connection may start (seed 001).
      expect((await api.post(`/orders/${orderId}/fulfil`, { instructions: 'Teknisk anslutning kan påbörjas.' }, staff)).status).toBe(200);
      for (const [person, template] of [
        [customer.orderer, 'order-fulfilled'],
        [agent.orderer, 'order-fulfilled-agent'],
        [agent.attestant, 'order-fulfilled-agent'],
      ] as const) {
        const mail = (await mailsAbout(person, orderId)).filter((m) => m.template === template);
        expect(mail).toHaveLength(1);
        expect(mail[0].text).toContain('Teknisk anslutning kan påbörjas.');
      }
      const toAgent = (await mailsAbout(agent.orderer, orderId)).find((m) => m.template === 'order-fulfilled-agent');
      expect(toAgent?.text).toContain(`nu börja ansluta ${customer.name} tekniskt`);
      expect(toAgent?.subject).toContain(customer.name);
    });
  });

  describe('rejection', () => {
    it('a direct order rejected by the attestant with a reason: status rejected, the orderer e-mailed, nothing more possible', async () => {
      const customer = await fx.customer();
      const orderId = await submit(customer);
      expectFields(await api.post(`/orders/${orderId}/reject`, { reason: '   ' }, customer.attestant.token), ['reason']);
      expectError(await api.post(`/orders/${orderId}/reject`, { reason: 'Not mine to reject' }, customer.orderer.token), 403, 'FORBIDDEN');

      const reason = 'Fel antal vårdenheter';
      const rejected = await api.post(`/orders/${orderId}/reject`, { reason }, customer.attestant.token);
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({ id: orderId, position: expect.any(String) });

      const detail = await api.get(`/orders/${orderId}`, customer.orderer.token);
      expect(detail.body.status).toBe('rejected');
      expect(detail.body.steps).toEqual([expect.objectContaining({ step: 'attestation', organisationId: customer.id, by: { accountId: customer.attestant.accountId, name: customer.attestant.name } })]);
      expect(await approvals(customer.attestant)).toEqual([]);

      const mails = (await mailsAbout(customer.orderer, orderId)).filter((m) => m.template === 'order-rejected');
      expect(mails).toHaveLength(1);
      expect(mails[0].text).toContain(reason);

      expectError(await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, customer.attestant.token), 409, 'ORDER_STATE_CONFLICT');
      expectError(await api.post(`/orders/${orderId}/reject`, { reason: 'Again' }, customer.attestant.token), 409, 'ORDER_STATE_CONFLICT');
      expectError(await api.post(`/orders/${orderId}/fulfil`, { instructions: 'No' }, staff), 409, 'ORDER_STATE_CONFLICT');
    });

    it('an agent order rejected at the agent’s attestation: rejected, the customer’s attestant is never asked', async () => {
      const { customer, agent } = await fx.customerWithAgent();
      const orderId = await submit(customer, { viaAgentOrganisationId: agent.id });
      expect((await api.post(`/orders/${orderId}/approve`, {}, agent.orderer.token)).status).toBe(200);
      const reason = 'Kunden har redan Webcert';
      expect((await api.post(`/orders/${orderId}/reject`, { reason }, agent.attestant.token)).status).toBe(200);

      const detail = await api.get(`/orders/${orderId}`, customer.orderer.token);
      expect(detail.body.status).toBe('rejected');
      expect(detail.body.steps.map((s: { step: string }) => s.step)).toEqual(['agent-approval', 'agent-attestation']);
      const mails = (await mailsAbout(customer.orderer, orderId)).filter((m) => m.template === 'order-rejected');
      expect(mails).toHaveLength(1);
      expect(mails[0].text).toContain(reason);
      expect(await approvals(agent.attestant)).toEqual([]);
      expect(await approvals(customer.attestant)).toEqual([]);
      expect(await templatesOf(customer.attestant, orderId)).toEqual([]);

      expectError(await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, agent.attestant.token), 409, 'ORDER_STATE_CONFLICT');
      expectError(await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, customer.attestant.token), 409, 'ORDER_STATE_CONFLICT');
      expectError(await api.post(`/orders/${orderId}/approve`, {}, agent.orderer.token), 409, 'ORDER_STATE_CONFLICT');
      expectError(await api.post(`/orders/${orderId}/reject`, { reason: 'Again' }, agent.orderer.token), 409, 'ORDER_STATE_CONFLICT');
    });
  });

  it('two attestants attesting at the same moment: exactly one 200, the other 409, one OrderAttested', async () => {
    const customer = await fx.customer();
    const second = await fx.member(customer, ['attestant'], 'Bo Attestant');
    for (let round = 0; round < 6; round++) {
      const orderId = await submit(customer);
      const [first, other] = round % 2 === 0 ? [customer.attestant, second] : [second, customer.attestant];
      const answers = await Promise.all([
        api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, first.token),
        api.post(`/orders/${orderId}/attest`, { method: 'sms-otp' }, other.token),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const loser = answers.find((a) => a.status === 409) as ApiResponse;
      expectError(loser, 409, 'ORDER_STATE_CONFLICT');

      const history = await api.get(`/audit/orders/${orderId}/history`, staff);
      expect(history.status).toBe(200);
      const attestations = history.body.events.filter((e: { type: string }) => e.type === 'OrderAttested');
      expect(attestations).toHaveLength(1);
      expect(attestations[0].data).toMatchObject({ step: 'attestation' });
      const winner = answers[0].status === 200 ? first : other;
      expect(attestations[0].actor).toMatchObject({ id: winner.accountId, name: winner.name });
      expect((await api.get(`/orders/${orderId}`, customer.orderer.token)).body.steps).toHaveLength(1);
    }
  });

  it('attesting and rejecting at the same moment: exactly one wins, the other 409', async () => {
    const customer = await fx.customer();
    const second = await fx.member(customer, ['attestant'], 'Bo Attestant');
    for (let round = 0; round < 4; round++) {
      const orderId = await submit(customer);
      const [attester, rejecter] = round % 2 === 0 ? [customer.attestant, second] : [second, customer.attestant];
      const answers = await Promise.all([
        api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, attester.token),
        api.post(`/orders/${orderId}/reject`, { reason: 'Nej' }, rejecter.token),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expectError(answers.find((a) => a.status === 409) as ApiResponse, 409, 'ORDER_STATE_CONFLICT');
      const history = await api.get(`/audit/orders/${orderId}/history`, auditor);
      expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['OrderSubmitted', answers[0].status === 200 ? 'OrderAttested' : 'OrderRejected']);
    }
  });

  it('answers a repeated Idempotency-Key on POST /orders with the first answer and one order', async () => {
    const customer = await fx.customer();
    const key = `order-${Date.now()}`;
    const headers = { 'idempotency-key': key };
    const first = await api.post('/orders', orderBody(customer), customer.orderer.token, headers);
    expect(first.status).toBe(201);
    const again = await Promise.all([1, 2, 3].map(() => api.post('/orders', orderBody(customer), customer.orderer.token, headers)));
    for (const response of again) {
      expect(response.status).toBe(201);
      expect(response.body.id).toBe(first.body.id);
    }
    expect((await api.get(`/orders?organisationId=${customer.id}`, customer.orderer.token)).body.items.map((o: { id: string }) => o.id)).toEqual([first.body.id]);
    expect((await api.get(`/audit/orders/${first.body.id}/history`, staff)).body.events).toHaveLength(1);
  });

  describe('audit', () => {
    it('replays the history event by event and answers the state at any moment', async () => {
      const { customer, agent } = await fx.customerWithAgent();
      // Each command, then a moment strictly after it and before the next one.
      const moments: string[] = [];
      const step = async (action: () => Promise<ApiResponse>, status: number) => {
        const response = await action();
        expect(response.status).toBe(status);
        await pause(20);
        moments.push(new Date().toISOString());
        await pause(20);
        return response;
      };
      await pause(20);
      const before = new Date().toISOString();
      await pause(20);
      const orderId = (await step(() => api.post('/orders', orderBody(customer, { viaAgentOrganisationId: agent.id }), customer.orderer.token), 201)).body.id as string;
      await step(() => api.post(`/orders/${orderId}/approve`, {}, agent.orderer.token), 200);
      await step(() => api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, agent.attestant.token), 200);
      await step(() => api.post(`/orders/${orderId}/attest`, { method: 'sms-otp' }, customer.attestant.token), 200);
      await step(() => api.post(`/orders/${orderId}/fulfil`, { instructions: 'Anslutningen kan börja.' }, staff), 200);

      const history = await api.get(`/audit/orders/${orderId}/history`, auditor);
      expect(history.status).toBe(200);
      expect(history.body.orderId).toBe(orderId);
      const events = history.body.events as Array<{ revision: number; type: string; at: string; actor: { id: string; name: string }; data: Record<string, unknown>; state: { status: string } }>;
      expect(events.map((e) => e.type)).toEqual(['OrderSubmitted', 'OrderApprovedByAgent', 'OrderAttested', 'OrderAttested', 'OrderFulfilled']);
      expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      expect(events.map((e) => e.state.status)).toEqual(['awaiting-agent-approval', 'awaiting-agent-attestation', 'awaiting-attestation', 'attested', 'fulfilled']);
      expect(events.map((e) => e.actor)).toEqual([
        expect.objectContaining({ id: customer.orderer.accountId, name: customer.orderer.name }),
        expect.objectContaining({ id: agent.orderer.accountId, name: agent.orderer.name }),
        expect.objectContaining({ id: agent.attestant.accountId, name: agent.attestant.name }),
        expect.objectContaining({ id: customer.attestant.accountId, name: customer.attestant.name }),
        expect.objectContaining({ id: expect.any(String), name: 'Stina Staff' }),
      ]);
      expect(events[0].data).toMatchObject({ organisationId: customer.id, viaAgentOrganisationId: agent.id, details: { careUnits: 3 } });
      expect(events[2].data).toMatchObject({ step: 'agent-attestation', method: 'bankid' });
      expect(events[3].data).toMatchObject({ step: 'attestation', method: 'sms-otp' });
      expect(events[4].data).toMatchObject({ instructions: 'Anslutningen kan börja.' });
      expect(events[3].state).toMatchObject({ id: orderId, organisationId: customer.id, viaAgentOrganisationId: agent.id, status: 'attested' });
      // Times: each event between the moments captured around it.
      events.forEach((e, i) => {
        expect(e.at).toMatch(ISO);
        expect(Date.parse(e.at)).toBeGreaterThan(Date.parse(i === 0 ? before : moments[i - 1]));
        expect(Date.parse(e.at)).toBeLessThan(Date.parse(moments[i]));
      });
      const asStaff = await api.get(`/audit/orders/${orderId}/history`, staff);
      expect(asStaff.status).toBe(200);
      expect(asStaff.body.events.map((e: { type: string }) => e.type)).toEqual(events.map((e) => e.type));

      // The state as it stood after each event.
      const statuses = ['awaiting-agent-approval', 'awaiting-agent-attestation', 'awaiting-attestation', 'attested', 'fulfilled'];
      for (let i = 0; i < moments.length; i++) {
        const at = await api.get(`/audit/orders/${orderId}/state?at=${encodeURIComponent(moments[i])}`, i % 2 === 0 ? auditor : staff);
        expect(at.status).toBe(200);
        expect(at.body).toMatchObject({ revision: i, state: { id: orderId, status: statuses[i] } });
        expect(at.body.state.steps).toHaveLength(i);
      }
      // Before the order existed (the contract leaves the shape open): no state, or 404.
      const early = await api.get(`/audit/orders/${orderId}/state?at=${encodeURIComponent(before)}`, auditor);
      if (early.status === 200) expect(early.body).toMatchObject({ revision: null, state: null });
      else expectError(early, 404, 'NOT_FOUND');
      // Other ISO spellings of the same moment.
      const offset = new Date(Date.parse(moments[1])).toISOString().replace('Z', '+00:00');
      expect((await api.get(`/audit/orders/${orderId}/state?at=${encodeURIComponent(offset)}`, auditor)).body).toMatchObject({ revision: 1, state: { status: statuses[1] } });

      // Bad input, unknown orders, and who may ask.
      for (const bad of ['?at=yesterday', '?at=2026-13-45T00:00:00Z', '?at=', '']) {
        expectFields(await api.get(`/audit/orders/${orderId}/state${bad}`, auditor), ['at']);
      }
      expectError(await api.get(`/audit/orders/${UNKNOWN_ID}/history`, auditor), 404, 'NOT_FOUND');
      expectError(await api.get(`/audit/orders/${UNKNOWN_ID}/state?at=${encodeURIComponent(moments[0])}`, staff), 404, 'NOT_FOUND');
      expectError(await api.get(`/audit/orders/${orderId}/history`, customer.orderer.token), 403, 'FORBIDDEN');
      expectError(await api.get(`/audit/orders/${orderId}/state?at=${encodeURIComponent(moments[0])}`, agent.attestant.token), 403, 'FORBIDDEN');
      expectError(await api.get(`/audit/orders/${orderId}/history`), 401, 'UNAUTHENTICATED');
    });

    it('measures GET /audit/orders/:id/history latency (p50 over 50 calls)', async () => {
      const customer = await fx.customer();
      const orderId = await submit(customer);
      expect((await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, customer.attestant.token)).status).toBe(200);
      expect((await api.post(`/orders/${orderId}/fulfil`, { instructions: 'Klart.' }, staff)).status).toBe(200);
      const times: number[] = [];
      for (let i = 0; i < 50; i++) {
        const started = performance.now();
        const response = await api.request('GET', `/audit/orders/${orderId}/history`, { token: auditor, minPosition: null });
        times.push(performance.now() - started);
        expect(response.status).toBe(200);
        expect(response.body.events).toHaveLength(3);
      }
      times.sort((a, b) => a - b);
      console.log(`GET /audit/orders/:id/history, 3 events: p50 ${times[24].toFixed(2)} ms, p90 ${times[44].toFixed(2)} ms over 50 calls`);
    });
  });
});
