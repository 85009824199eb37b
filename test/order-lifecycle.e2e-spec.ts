import { ApiHarness, ApiResponse } from './support/api-harness';
import { Customer, Organisation, OrganisationFixtures, Person } from './support/organisation-fixtures';
import { testOrganisationNumber, testPersonalNumber } from './support/swedish-ids';

const OFFERING = 'webcert-fristaende';

function expectError(response: ApiResponse, statusCode: number, code: string): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status: statusCode, body: { statusCode, code, message: expect.any(String) } });
}

function expectFields(response: ApiResponse, fields: string[]): void {
  expectError(response, 400, 'VALIDATION_FAILED');
  expect([...new Set(response.body.details.map((d: { field: string }) => d.field))]).toEqual(fields);
}

/** Waits for what a reactor does after a command answered (its writes come after the command's position). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * An order's life beyond the chain: withdrawn by its orderer, cancelled by staff, refused via an
 * agent that cannot act or whose record was merged away; what the agent hears at fulfilment; the
 * care units and start-up fee it keeps; how each step's actor signed in, apart from how it was attested.
 */
describe('Orders: withdrawal, cancellation, agents, care units, audit methods (HTTP)', () => {
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
    details: { careUnits: 2 },
    acceptTerms: true,
    ...extra,
  });
  async function submit(customer: Customer, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await api.post('/orders', orderBody(customer, extra), customer.orderer.token);
    expect(response.status).toBe(201);
    return response.body.id as string;
  }
  const approvals = async (person: Person) => (await api.get('/approvals', person.token)).body.items as Array<{ orderId: string }>;
  const badge = async (person: Person) => (await api.get('/me/notifications', person.token)).body.badge.approvals as number;
  const templatesAbout = async (person: Person, orderId: string) =>
    (await fx.mails(person.email)).filter((m) => typeof m.data.link === 'string' && m.data.link.endsWith(`/orders/${orderId}`)).map((m) => m.template);
  const mailAbout = async (person: Person, orderId: string, template: string) =>
    (await fx.mails(person.email)).find((m) => m.template === template && typeof m.data.link === 'string' && m.data.link.endsWith(`/orders/${orderId}`));

  describe('POST /orders/:id/withdraw', () => {
    it('the orderer who submitted it withdraws a waiting order: withdrawn everywhere, the attestant and the orderer e-mailed', async () => {
      const customer = await fx.customer();
      const otherOrderer = await fx.member(customer, ['orderer'], 'Oskar Orderer');
      const orderId = await submit(customer);
      expect(await approvals(customer.attestant)).toEqual([expect.objectContaining({ orderId })]);
      expect(await badge(customer.attestant)).toBe(1);

      // Only the submitter: the attestant, another orderer and staff are refused; an outsider sees nothing.
      expectError(await api.post(`/orders/${orderId}/withdraw`, {}, customer.attestant.token), 403, 'FORBIDDEN');
      expectError(await api.post(`/orders/${orderId}/withdraw`, {}, otherOrderer.token), 403, 'FORBIDDEN');
      expectError(await api.post(`/orders/${orderId}/withdraw`, {}, staff), 403, 'FORBIDDEN');
      expectError(await api.post(`/orders/${orderId}/withdraw`, {}, auditor), 403, 'FORBIDDEN');
      expectError(await api.post(`/orders/${orderId}/withdraw`, {}, (await fx.outsider()).token), 404, 'NOT_FOUND');
      expectFields(await api.post(`/orders/${orderId}/withdraw`, { reason: 'x'.repeat(2001) }, customer.orderer.token), ['reason']);

      const reason = 'Beställd av misstag; vi beställer igen med alla vårdenheter.';
      const withdrawn = await api.post(`/orders/${orderId}/withdraw`, { reason }, customer.orderer.token);
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body).toEqual({ id: orderId, position: expect.stringMatching(/^\d+$/), status: 'withdrawn' });

      // Nobody waits for it any more.
      expect(await approvals(customer.attestant)).toEqual([]);
      expect(await badge(customer.attestant)).toBe(0);
      const detail = await api.get(`/orders/${orderId}`, customer.attestant.token);
      expect(detail.body).toMatchObject({
        status: 'withdrawn',
        steps: [],
        withdrawal: { by: { accountId: customer.orderer.accountId, name: customer.orderer.name }, at: expect.any(String), signInMethod: 'bankid', reason },
        cancellation: null,
        fulfilment: null,
      });
      const list = await api.get(`/orders?organisationId=${customer.id}`, customer.orderer.token);
      expect(list.body.items).toEqual([expect.objectContaining({ id: orderId, status: 'withdrawn' })]);

      // The attestant who waited and the orderer hear of it, with the reason.
      for (const person of [customer.attestant, customer.orderer]) {
        const mail = await eventually(() => mailAbout(person, orderId, 'order-withdrawn'), Boolean, 'withdrawal mail');
        expect(mail?.text).toContain(reason);
      }
      expect(await templatesAbout(otherOrderer, orderId)).toEqual([]);

      // Audit: the event, its actor and the state after it.
      const history = await api.get(`/audit/orders/${orderId}/history`, auditor);
      expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['OrderSubmitted', 'OrderWithdrawn']);
      expect(history.body.events[1]).toMatchObject({
        actor: { id: customer.orderer.accountId, method: 'bankid' },
        data: { step: 'attestation', organisationId: customer.id, reason },
        state: { status: 'withdrawn' },
      });

      // Nothing more can happen to it.
      expectError(await api.post(`/orders/${orderId}/withdraw`, {}, customer.orderer.token), 409, 'ORDER_STATE_CONFLICT');
      expectError(await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, customer.attestant.token), 409, 'ORDER_STATE_CONFLICT');
      expectError(await api.post(`/orders/${orderId}/cancel`, { reason: 'Too late' }, staff), 409, 'ORDER_STATE_CONFLICT');
    });

    it('an order via an agent, withdrawn at the agent’s attestation without a reason (no body): the agent’s attestant is told', async () => {
      const { customer, agent } = await fx.customerWithAgent();
      const orderId = await submit(customer, { viaAgentOrganisationId: agent.id });
      expect((await api.post(`/orders/${orderId}/approve`, {}, agent.orderer.token)).status).toBe(200);
      expect(await approvals(agent.attestant)).toEqual([expect.objectContaining({ orderId })]);

      const withdrawn = await api.request('POST', `/orders/${orderId}/withdraw`, { token: customer.orderer.token });
      expect(withdrawn.status).toBe(200);
      expect(await approvals(agent.attestant)).toEqual([]);
      expect((await api.get(`/orders/${orderId}`, agent.orderer.token)).body).toMatchObject({ status: 'withdrawn', withdrawal: { reason: null } });
      await eventually(() => templatesAbout(agent.attestant, orderId), (t) => t.includes('order-withdrawn'), 'agent attestant told');
      // The agent's orderer acted already and waits for nothing: not told.
      expect(await templatesAbout(agent.orderer, orderId)).toEqual(['order-to-approve']);
    });

    it('409 once the order is attested: it waits for staff, not for the chain', async () => {
      const customer = await fx.customer();
      const orderId = await submit(customer);
      expect((await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, customer.attestant.token)).status).toBe(200);
      expectError(await api.post(`/orders/${orderId}/withdraw`, { reason: 'Changed our minds' }, customer.orderer.token), 409, 'ORDER_STATE_CONFLICT');
    });
  });

  describe('POST /orders/:id/cancel', () => {
    it('staff cancel a waiting order via an agent with a reason: the orderer, the attestant who waited and the agent are told', async () => {
      const { customer, agent } = await fx.customerWithAgent();
      const orderId = await submit(customer, { viaAgentOrganisationId: agent.id });
      expect((await api.post(`/orders/${orderId}/approve`, {}, agent.orderer.token)).status).toBe(200);
      expect((await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, agent.attestant.token)).status).toBe(200);
      expect(await badge(customer.attestant)).toBe(1);

      expectError(await api.post(`/orders/${orderId}/cancel`, { reason: 'No' }, customer.orderer.token), 403, 'FORBIDDEN');
      expectError(await api.post(`/orders/${orderId}/cancel`, { reason: 'No' }, agent.attestant.token), 403, 'FORBIDDEN');
      expectError(await api.post(`/orders/${orderId}/cancel`, { reason: 'No' }, auditor), 403, 'FORBIDDEN');
      expectError(await api.post(`/orders/${orderId}/cancel`, { reason: 'No' }, (await fx.outsider()).token), 404, 'NOT_FOUND');
      expectFields(await api.post(`/orders/${orderId}/cancel`, {}, staff), ['reason']);
      expectFields(await api.post(`/orders/${orderId}/cancel`, { reason: '  ' }, staff), ['reason']);

      const reason = 'Kunden ringde: beställningen ska inte genomföras.';
      const cancelled = await api.post(`/orders/${orderId}/cancel`, { reason }, staff);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toEqual({ id: orderId, position: expect.stringMatching(/^\d+$/), status: 'cancelled' });

      expect(await approvals(customer.attestant)).toEqual([]);
      expect(await badge(customer.attestant)).toBe(0);
      const detail = await api.get(`/orders/${orderId}`, customer.orderer.token);
      expect(detail.body).toMatchObject({ status: 'cancelled', cancellation: { by: { name: 'Stina Staff' }, reason }, withdrawal: null });
      expect(detail.body.steps.map((s: { step: string }) => s.step)).toEqual(['agent-approval', 'agent-attestation']);

      for (const person of [customer.orderer, customer.attestant, agent.orderer]) {
        const mail = await eventually(() => mailAbout(person, orderId, 'order-cancelled'), Boolean, 'cancellation mail');
        expect(mail?.text).toContain(reason);
      }

      const history = await api.get(`/audit/orders/${orderId}/history`, staff);
      expect(history.body.events.at(-1)).toMatchObject({ type: 'OrderCancelled', data: { step: 'attestation', organisationId: customer.id, reason }, state: { status: 'cancelled' } });
      expectError(await api.post(`/orders/${orderId}/cancel`, { reason }, staff), 409, 'ORDER_STATE_CONFLICT');
      expectError(await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, customer.attestant.token), 409, 'ORDER_STATE_CONFLICT');
    });

    it('staff cancel an attested order, never a fulfilled one; a cancelled order cannot be fulfilled', async () => {
      const customer = await fx.customer();
      const attested = await submit(customer);
      expect((await api.post(`/orders/${attested}/attest`, { method: 'bankid' }, customer.attestant.token)).status).toBe(200);
      expect((await api.post(`/orders/${attested}/cancel`, { reason: 'Dubbelbeställning' }, staff)).status).toBe(200);
      expectError(await api.post(`/orders/${attested}/fulfil`, { instructions: 'x' }, staff), 409, 'ORDER_STATE_CONFLICT');

      const fulfilled = await submit(customer);
      expect((await api.post(`/orders/${fulfilled}/attest`, { method: 'bankid' }, customer.attestant.token)).status).toBe(200);
      expect((await api.post(`/orders/${fulfilled}/fulfil`, { instructions: 'Klart.' }, staff)).status).toBe(200);
      expectError(await api.post(`/orders/${fulfilled}/cancel`, { reason: 'Too late' }, staff), 409, 'ORDER_STATE_CONFLICT');
    });
  });

  describe('agents', () => {
    it('422 AGENT_CANNOT_ACT via an agent with no orderer or no attestant, accepted once it has both', async () => {
      const customer = await fx.customer();
      const agent = await fx.organisation();
      await fx.linkAgent(customer, agent);
      expectError(await api.post('/orders', orderBody(customer, { viaAgentOrganisationId: agent.id }), customer.orderer.token), 422, 'AGENT_CANNOT_ACT');

      const agentOrderer = await fx.member(agent, ['orderer'], 'Agnes Agent');
      const refused = await api.post('/orders', orderBody(customer, { viaAgentOrganisationId: agent.id }), customer.orderer.token);
      expectError(refused, 422, 'AGENT_CANNOT_ACT');
      expect(refused.body.details).toEqual([{ field: 'viaAgentOrganisationId', message: 'ombudet har ingen attestant' }]);
      expect(refused.body.message).toBe('Ombudsorganisationen har ingen attestant som kan hantera beställningen. Den behöver utse en först.');

      await fx.setRoles(agent, agentOrderer, ['attestant']);
      expect((await api.post('/orders', orderBody(customer, { viaAgentOrganisationId: agent.id }), customer.orderer.token)).body.details).toEqual([
        { field: 'viaAgentOrganisationId', message: 'ombudet har ingen beställare' },
      ]);
      await fx.setRoles(agent, agentOrderer, ['orderer', 'attestant']);
      expect((await api.post('/orders', orderBody(customer, { viaAgentOrganisationId: agent.id }), customer.orderer.token)).status).toBe(201);
      // None of the refusals left an order behind.
      expect((await api.get(`/orders?organisationId=${customer.id}`, customer.orderer.token)).body.items).toHaveLength(1);
    });

    it('an agent record merged into another stops being an agent: the link moves to the kept record, whose people finish the orders in flight', async () => {
      const customer = await fx.customer();
      const [duplicateAgent, keptAgent] = await Promise.all([fx.customer({ name: 'Agent Duplicate AB' }), fx.customer({ name: 'Agent Kept AB' })]);
      await fx.linkAgent(customer, duplicateAgent);
      const inFlight = await submit(customer, { viaAgentOrganisationId: duplicateAgent.id });

      expect((await api.post(`/organisations/${keptAgent.id}/merge`, { duplicateOrganisationId: duplicateAgent.id }, staff)).status).toBe(200);
      // At once, before the link has moved: the merged record is nobody's agent.
      const refused = await api.post('/orders', orderBody(customer, { viaAgentOrganisationId: duplicateAgent.id }), customer.orderer.token);
      expectError(refused, 422, 'NOT_AN_AGENT_OF_ORGANISATION');
      expect(refused.body.details[0].message).toContain(keptAgent.id);

      const organisation = await eventually(
        () => api.get(`/organisations/${customer.id}`, customer.orderer.token),
        (r) => JSON.stringify(r.body.agentOrganisationIds) === JSON.stringify([keptAgent.id]),
        'agent link moved',
      );
      expect(organisation.body.agentOrganisationIds).toEqual([keptAgent.id]);
      expect((await api.post('/orders', orderBody(customer, { viaAgentOrganisationId: keptAgent.id }), customer.orderer.token)).status).toBe(201);
      // A merged record cannot be linked again.
      expectError(await api.post(`/organisations/${customer.id}/agents`, { agentOrganisationId: duplicateAgent.id }, staff), 409, 'ORGANISATION_MERGED');

      // The order in flight stays as it was; the kept record's orderer sees it waiting, and approves it.
      expect(await approvals(keptAgent.orderer)).toEqual(expect.arrayContaining([expect.objectContaining({ orderId: inFlight })]));
      expect((await api.post(`/orders/${inFlight}/approve`, {}, keptAgent.orderer.token)).status).toBe(200);
      // Whose turn it is next hears of it at the kept record too.
      await eventually(() => templatesAbout(keptAgent.attestant, inFlight), (t) => t.includes('order-to-attest'), 'kept agent attestant told');
      expect((await api.post(`/orders/${inFlight}/attest`, { method: 'bankid' }, keptAgent.attestant.token)).status).toBe(200);

      // The order's own history still names the record it was placed via.
      const history = await api.get(`/audit/orders/${inFlight}/history`, auditor);
      expect(history.body.events[0].data.viaAgentOrganisationId).toBe(duplicateAgent.id);
    });

    it('fulfilment of an order via an agent tells the agent’s orderers and attestants that the technical connection may start', async () => {
      const { customer, agent } = await fx.customerWithAgent();
      const orderId = await submit(customer, { viaAgentOrganisationId: agent.id });
      expect((await api.post(`/orders/${orderId}/approve`, {}, agent.orderer.token)).status).toBe(200);
      expect((await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, agent.attestant.token)).status).toBe(200);
      expect((await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, customer.attestant.token)).status).toBe(200);
      expect((await api.post(`/orders/${orderId}/fulfil`, { instructions: 'Anslut enligt guiden.' }, staff)).status).toBe(200);
      for (const person of [agent.orderer, agent.attestant]) {
        const mail = await eventually(() => mailAbout(person, orderId, 'order-fulfilled-agent'), Boolean, 'agent told');
        expect(mail).toMatchObject({ data: { agentOrganisationName: agent.name, customerOrganisationName: customer.name } });
        expect(mail?.text).toContain('ansluta');
        expect(mail?.subject).toContain('Den tekniska anslutningen kan börja');
        expect(mail?.text).toContain('Anslut enligt guiden.');
      }
      expect(await templatesAbout(customer.orderer, orderId)).toContain('order-fulfilled');
      expect(await templatesAbout(customer.orderer, orderId)).not.toContain('order-fulfilled-agent');
    });
  });

  describe('Webcert Fristående: the care units and the start-up fee', () => {
    const careUnitList = [
      { name: 'Vårdcentralen Norr', hsaId: 'SE2321000016-15CQ' },
      { name: 'Vårdcentralen Söder', hsaId: 'se162321000016-abc1' },
    ];

    it('keeps the named care units (HSA-ids in capitals) and the fee it was placed with; the count alone stays accepted', async () => {
      const customer = await fx.customer();
      const orderId = await submit(customer, { details: { careUnits: 2, careUnitList } });
      const detail = await api.get(`/orders/${orderId}`, customer.attestant.token);
      expect(detail.body.details).toEqual({
        careUnits: 2,
        careUnitList: [
          { name: 'Vårdcentralen Norr', hsaId: 'SE2321000016-15CQ' },
          { name: 'Vårdcentralen Söder', hsaId: 'SE162321000016-ABC1' },
        ],
      });
      expect(detail.body.startupFee).toEqual({ amount: 5000, currency: 'SEK' });
      const history = await api.get(`/audit/orders/${orderId}/history`, auditor);
      expect(history.body.events[0].state).toMatchObject({ startupFee: { amount: 5000, currency: 'SEK' }, details: detail.body.details });

      const countOnly = await submit(customer, { details: { careUnits: 4 } });
      expect((await api.get(`/orders/${countOnly}`, customer.orderer.token)).body.details).toEqual({ careUnits: 4 });
    });

    it('400 naming the list or the unit when the list does not match careUnits or a unit is malformed', async () => {
      const customer = await fx.customer();
      const post = (details: unknown) => api.post('/orders', orderBody(customer, { details }), customer.orderer.token);
      expectFields(await post({ careUnits: 3, careUnitList }), ['details.careUnitList']);
      expectFields(await post({ careUnits: 2, careUnitList: [careUnitList[0], { name: 'X', hsaId: '12345' }] }), ['details.careUnitList.1.hsaId']);
      expectFields(await post({ careUnits: 2, careUnitList: [careUnitList[0], { ...careUnitList[0], name: 'Same' }] }), ['details.careUnitList.1.hsaId']);
      expectFields(await post({ careUnits: 1, careUnitList: [{ hsaId: 'SE2321000016-15CQ' }] }), ['details.careUnitList.0.name']);
      expectFields(await post({ careUnits: 1, careUnitList: 'Vårdcentralen Norr' }), ['details.careUnitList']);
      expect((await api.get(`/orders?organisationId=${customer.id}`, customer.orderer.token)).body.items).toEqual([]);
    });

    it('an order keeps the fee it was placed with when the catalogue’s fee changes later', async () => {
      const customer = await fx.customer();
      const before = await submit(customer);
      const catalogue = await api.get('/catalogue', staff);
      const offering = catalogue.body.items.find((s: { id: string }) => s.id === 'webcert').offerings.find((o: { id: string }) => o.id === OFFERING);
      const republished = await api.post('/catalogue/services/webcert/offerings', { id: OFFERING, name: offering.name, startupFee: { amount: 7500, currency: 'SEK' }, fields: offering.fields }, staff);
      expect(republished.status).toBeLessThan(300);
      const after = await submit(customer);
      expect((await api.get(`/orders/${before}`, customer.orderer.token)).body.startupFee).toEqual({ amount: 5000, currency: 'SEK' });
      expect((await api.get(`/orders/${after}`, customer.orderer.token)).body.startupFee).toEqual({ amount: 7500, currency: 'SEK' });
    });
  });

  it('audit history names how each actor signed in apart from how the step was attested: sms-otp is never shown as bankid', async () => {
    const { customer, agent } = await fx.customerWithAgent();
    const orderId = await submit(customer, { viaAgentOrganisationId: agent.id });
    const agentOrdererByFreja = await api.signIn(agent.orderer.personalNumber, { method: 'freja', name: agent.orderer.name });
    expect((await api.post(`/orders/${orderId}/approve`, {}, agentOrdererByFreja)).status).toBe(200);
    expect((await api.post(`/orders/${orderId}/attest`, { method: 'sms-otp' }, agent.attestant.token)).status).toBe(200);
    expect((await api.post(`/orders/${orderId}/attest`, { method: 'bankid' }, customer.attestant.token)).status).toBe(200);

    const history = await api.get(`/audit/orders/${orderId}/history`, auditor);
    const view = history.body.events.map((e: { type: string; actor: { method: string }; attestationMethod: string | null }) => [e.type, e.actor.method, e.attestationMethod]);
    expect(view).toEqual([
      ['OrderSubmitted', 'bankid', null],
      ['OrderApprovedByAgent', 'freja', null],
      ['OrderAttested', 'bankid', 'sms-otp'],
      ['OrderAttested', 'bankid', 'bankid'],
    ]);
    expect(history.body.events[2].state.lastStep).toMatchObject({ step: 'agent-attestation', method: 'sms-otp', signInMethod: 'bankid' });

    const detail = await api.get(`/orders/${orderId}`, customer.orderer.token);
    expect(detail.body.steps.map((s: Record<string, unknown>) => [s.step, s.method, s.attestationMethod, s.signInMethod])).toEqual([
      ['agent-approval', null, null, 'freja'],
      ['agent-attestation', 'sms-otp', 'sms-otp', 'bankid'],
      ['attestation', 'bankid', 'bankid', 'bankid'],
    ]);
    const at = await api.get(`/audit/orders/${orderId}/state?at=${encodeURIComponent(new Date().toISOString())}`, auditor);
    expect(at.body.state.steps.map((s: { method: string | null; signInMethod: string }) => [s.method, s.signInMethod])).toEqual([
      [null, 'freja'],
      ['sms-otp', 'bankid'],
      ['bankid', 'bankid'],
    ]);
  });

  it('a rejected customer application e-mails its three contacts with the reason', async () => {
    const organisationNumber = testOrganisationNumber();
    const tag = organisationNumber.replace('-', '');
    const contacts = {
      administrator: { name: 'Anna Admin', email: `anna.rej.${tag}@region.se`, personalNumber: testPersonalNumber() },
      signatory: { name: 'Sven Signatory', email: `sven.rej.${tag}@region.se`, personalNumber: testPersonalNumber() },
      agreementContact: { name: 'Kim Contact', email: `kim.rej.${tag}@region.se` },
    };
    const submitted = await api.post('/customer-applications', { organisationNumber, organisationName: 'Bolaget Som Inte Är Kund AB', ...contacts });
    expect(submitted.status).toBe(201);
    const reason = 'Organisationen bedriver inte vård och kan inte bli kund.';
    expect((await api.post(`/customer-applications/${submitted.body.id}/reject`, { reason }, staff)).status).toBe(200);
    for (const contact of Object.values(contacts)) {
      const mails = await eventually(
        async () => (await fx.mails(contact.email)).filter((m) => m.template === 'customer-application-rejected'),
        (m) => m.length > 0,
        'rejection mail',
      );
      expect(mails).toHaveLength(1);
      expect(mails[0].text).toContain(reason);
      expect(mails[0].text).toContain('Bolaget Som Inte Är Kund AB');
      expect(mails[0].text).toContain(`Hej ${contact.name}`);
    }
  });
});
