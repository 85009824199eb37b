import type { RecordedEvent } from '@kundportal/eventstore';
import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { OrderStatus, StepRecord } from './order.decider';
import { OrderApprovedByAgent, OrderAttested, OrderCancelled, OrderFulfilled, OrderRejected, OrderSubmitted, orderStream, OrderWithdrawn } from './order.events';
import { AGENT, CUSTOMER, offering } from './testing/order-fixtures';
import { ApprovalDoc, APPROVALS, OrderDoc, ORDERS, ordersProjection } from './order.projections';

const olof = { accountId: 'acc-olof', name: 'Olof Beställare' };
const agnes = { accountId: 'acc-agnes', name: 'Agnes Agent' };
const arvid = { accountId: 'acc-arvid', name: 'Arvid Agentattestant' };
const astrid = { accountId: 'acc-astrid', name: 'Astrid Attestant' };
const kim = { accountId: null, name: 'Kim Kundservice' };
const time = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 9, minutes)).toISOString();

/** The events of one order's stream, each recorded at its revision as the log delivers them. */
function stream(orderId: string, viaAgent: boolean) {
  let revision = 0n;
  const next = <E extends { type: string; data: unknown }>(event: E): RecordedEvent => recorded(event.type, event.data, orderStream(orderId), revision++);
  const common = { orderId, customerOrganisationId: CUSTOMER };
  return {
    submitted: next<OrderSubmitted>({
      type: 'OrderSubmitted',
      data: {
        orderId,
        organisationId: CUSTOMER,
        organisationName: 'Region Exempel',
        offering,
        details: { careUnits: 3 },
        viaAgentOrganisationId: viaAgent ? AGENT : null,
        viaAgentOrganisationName: viaAgent ? 'Agent AB' : null,
        submittedBy: olof,
        termsAccepted: true,
        submittedAt: time(0),
      },
    }),
    next,
    approved: (): OrderApprovedByAgent => ({
      type: 'OrderApprovedByAgent',
      data: { ...common, step: 'agent-approval', organisationId: AGENT, by: agnes, at: time(10) },
    }),
    attested: (step: 'agent-attestation' | 'attestation'): OrderAttested => ({
      type: 'OrderAttested',
      data: step === 'agent-attestation'
        ? { ...common, step, organisationId: AGENT, method: 'sms-otp', by: arvid, signInMethod: 'freja', at: time(20) }
        : { ...common, step, organisationId: CUSTOMER, method: 'bankid', by: astrid, at: time(30) },
    }),
    rejected: (step: 'agent-approval' | 'attestation', reason: string): OrderRejected => ({
      type: 'OrderRejected',
      data: { ...common, step, organisationId: step === 'attestation' ? CUSTOMER : AGENT, reason, by: step === 'attestation' ? astrid : agnes, at: time(25) },
    }),
    fulfilled: (): OrderFulfilled => ({ type: 'OrderFulfilled', data: { orderId, instructions: 'Anslutning kan börja.', by: kim, at: time(40) } }),
    withdrawn: (step: 'agent-approval' | 'attestation', reason: string | null): OrderWithdrawn => ({
      type: 'OrderWithdrawn',
      data: { ...common, step, organisationId: step === 'attestation' ? CUSTOMER : AGENT, reason, by: olof, signInMethod: 'bankid', at: time(15) },
    }),
    cancelled: (step: 'agent-attestation' | null): OrderCancelled => ({
      type: 'OrderCancelled',
      data: { ...common, step, organisationId: step === null ? null : AGENT, reason: 'Kunden ringde', by: kim, signInMethod: 'siths', at: time(35) },
    }),
  };
}

/** Steps recorded before events named the sign-in method (and with metadata that does not either) have it null. */
const approvalStep: StepRecord = { step: 'agent-approval', organisationId: AGENT, by: agnes, at: time(10), method: null, signInMethod: null, outcome: 'approved' };
const agentAttestationStep: StepRecord = {
  step: 'agent-attestation',
  organisationId: AGENT,
  by: arvid,
  at: time(20),
  method: 'sms-otp',
  signInMethod: 'freja',
  outcome: 'attested',
};
const attestationStep: StepRecord = { step: 'attestation', organisationId: CUSTOMER, by: astrid, at: time(30), method: 'bankid', signInMethod: null, outcome: 'attested' };
const fulfilmentStep: StepRecord = { step: 'fulfilment', organisationId: null, by: kim, at: time(40), method: null, signInMethod: null, outcome: 'fulfilled' };
const STARTUP_FEE = { amount: 5000, currency: 'SEK' };

const directOrder = (() => {
  const s = stream('order-direct', false);
  return [s.submitted, s.next(s.attested('attestation')), s.next(s.fulfilled())];
})();
const agentOrder = (() => {
  const s = stream('order-agent', true);
  return [s.submitted, s.next(s.approved()), s.next(s.attested('agent-attestation')), s.next(s.attested('attestation')), s.next(s.fulfilled())];
})();

const state = async (events: RecordedEvent[]) => {
  const docs = await snapshot(ordersProjection, await project(ordersProjection, events));
  return { orders: docs[ORDERS] as OrderDoc[], approvals: docs[APPROVALS] as ApprovalDoc[] };
};
/** The order and approval documents after the first `n` events. */
const after = async (events: RecordedEvent[], n: number) => {
  const { orders, approvals } = await state(events.slice(0, n));
  expect(orders).toHaveLength(1);
  expect(approvals).toHaveLength(1);
  return { order: orders[0], approval: approvals[0] };
};

const approvalBase = {
  customerOrganisationId: CUSTOMER,
  customerOrganisationName: 'Region Exempel',
  offeringName: 'Webcert Fristående',
  submittedAt: time(0),
  submittedBy: { name: 'Olof Beställare' },
};
const notWaiting = { waiting: false, step: null, waitingOrganisationId: null, role: null };

describe('orders projection', () => {
  describe('a direct order', () => {
    it('is visible to the customer, waiting for the customer’s attestant', async () => {
      const { order, approval } = await after(directOrder, 1);
      expect(order).toEqual({
        _id: 'order-direct',
        organisationId: CUSTOMER,
        organisationName: 'Region Exempel',
        offeringId: 'webcert-fristaende',
        offeringName: 'Webcert Fristående',
        details: { careUnits: 3 },
        startupFee: STARTUP_FEE,
        status: 'awaiting-attestation',
        viaAgentOrganisationId: null,
        viaAgentOrganisationName: null,
        submittedBy: olof,
        submittedAt: time(0),
        lastChangedAt: time(0),
        steps: [],
        instructions: null,
        visibleTo: [CUSTOMER],
        revision: 0,
      });
      expect(approval).toEqual({
        _id: 'order-direct',
        ...approvalBase,
        waiting: true,
        step: 'attestation',
        waitingOrganisationId: CUSTOMER,
        role: 'attestant',
        revision: 0,
      });
    });

    it('is attested, then fulfilled, and waits for nobody', async () => {
      const attested = await after(directOrder, 2);
      expect(attested.order).toMatchObject({ status: 'attested', lastChangedAt: time(30), steps: [attestationStep], revision: 1, instructions: null });
      expect(attested.approval).toEqual({ _id: 'order-direct', ...approvalBase, ...notWaiting, revision: 1 });

      const fulfilled = await after(directOrder, 3);
      expect(fulfilled.order).toMatchObject({
        status: 'fulfilled',
        lastChangedAt: time(40),
        steps: [attestationStep, fulfilmentStep],
        instructions: 'Anslutning kan börja.',
        visibleTo: [CUSTOMER],
        revision: 2,
      });
      expect(fulfilled.approval).toEqual(attested.approval);
    });

    it('is rejected by the customer’s attestant with a reason', async () => {
      const s = stream('order-rejected', false);
      const { order, approval } = await after([s.submitted, s.next(s.rejected('attestation', 'För dyrt'))], 2);
      expect(order).toMatchObject({
        status: 'rejected',
        lastChangedAt: time(25),
        steps: [{ step: 'attestation', organisationId: CUSTOMER, by: astrid, at: time(25), method: null, signInMethod: null, outcome: 'rejected', reason: 'För dyrt' }],
      });
      expect(approval).toMatchObject(notWaiting);
    });
  });

  describe('an order via an agent', () => {
    const expectations: { status: OrderStatus; lastChangedAt: string; steps: StepRecord[]; turn: Partial<ApprovalDoc> }[] = [
      {
        status: 'awaiting-agent-approval',
        lastChangedAt: time(0),
        steps: [],
        turn: { waiting: true, step: 'agent-approval', waitingOrganisationId: AGENT, role: 'orderer' },
      },
      {
        status: 'awaiting-agent-attestation',
        lastChangedAt: time(10),
        steps: [approvalStep],
        turn: { waiting: true, step: 'agent-attestation', waitingOrganisationId: AGENT, role: 'attestant' },
      },
      {
        status: 'awaiting-attestation',
        lastChangedAt: time(20),
        steps: [approvalStep, agentAttestationStep],
        turn: { waiting: true, step: 'attestation', waitingOrganisationId: CUSTOMER, role: 'attestant' },
      },
      { status: 'attested', lastChangedAt: time(30), steps: [approvalStep, agentAttestationStep, attestationStep], turn: notWaiting },
      {
        status: 'fulfilled',
        lastChangedAt: time(40),
        steps: [approvalStep, agentAttestationStep, attestationStep, fulfilmentStep],
        turn: notWaiting,
      },
    ];

    it.each(expectations.map((e, i) => [e.status, i + 1, e] as const))('after %s: status, steps, visibility and whose turn it is', async (_, n, expected) => {
      const { order, approval } = await after(agentOrder, n);
      expect(order).toEqual({
        _id: 'order-agent',
        organisationId: CUSTOMER,
        organisationName: 'Region Exempel',
        offeringId: 'webcert-fristaende',
        offeringName: 'Webcert Fristående',
        details: { careUnits: 3 },
        startupFee: STARTUP_FEE,
        status: expected.status,
        viaAgentOrganisationId: AGENT,
        viaAgentOrganisationName: 'Agent AB',
        submittedBy: olof,
        submittedAt: time(0),
        lastChangedAt: expected.lastChangedAt,
        steps: expected.steps,
        instructions: expected.status === 'fulfilled' ? 'Anslutning kan börja.' : null,
        visibleTo: [CUSTOMER, AGENT],
        revision: n - 1,
      });
      // The approval keeps the revision of the last step it followed; fulfilment is not a step of it.
      expect(approval).toEqual({ _id: 'order-agent', ...approvalBase, ...expected.turn, revision: Math.min(n - 1, 3) });
    });

    it('is rejected at the agent’s approval and then waits for nobody', async () => {
      const s = stream('order-agent-rejected', true);
      const { order, approval } = await after([s.submitted, s.next(s.rejected('agent-approval', 'Okänd kund'))], 2);
      expect(order).toMatchObject({
        status: 'rejected',
        visibleTo: [CUSTOMER, AGENT],
        steps: [{ step: 'agent-approval', organisationId: AGENT, by: agnes, at: time(25), method: null, signInMethod: null, outcome: 'rejected', reason: 'Okänd kund' }],
      });
      expect(approval).toMatchObject({ ...notWaiting, customerOrganisationId: CUSTOMER, revision: 1 });
    });
  });

  describe('withdrawn and cancelled orders', () => {
    it('withdrawn by its orderer while waiting for the agent: waits for nobody, the withdrawal recorded with its reason', async () => {
      const s = stream('order-withdrawn', true);
      const { order, approval } = await after([s.submitted, s.next(s.withdrawn('agent-approval', 'Fel tjänst'))], 2);
      expect(order).toMatchObject({
        status: 'withdrawn',
        lastChangedAt: time(15),
        visibleTo: [CUSTOMER, AGENT],
        steps: [{ step: 'withdrawal', organisationId: CUSTOMER, by: olof, at: time(15), method: null, signInMethod: 'bankid', outcome: 'withdrawn', reason: 'Fel tjänst' }],
        revision: 1,
      });
      expect(approval).toEqual({ _id: 'order-withdrawn', ...approvalBase, ...notWaiting, revision: 1 });
    });

    it('withdrawn without a reason: the step has none', async () => {
      const s = stream('order-withdrawn-quietly', false);
      const { order } = await after([s.submitted, s.next(s.withdrawn('attestation', null))], 2);
      expect(order.steps).toEqual([{ step: 'withdrawal', organisationId: CUSTOMER, by: olof, at: time(15), method: null, signInMethod: 'bankid', outcome: 'withdrawn' }]);
    });

    it('cancelled by staff at the agent’s attestation, or once attested: waits for nobody', async () => {
      const s = stream('order-cancelled', true);
      const waiting = await after([s.submitted, s.next(s.approved()), s.next(s.cancelled('agent-attestation'))], 3);
      expect(waiting.order).toMatchObject({
        status: 'cancelled',
        lastChangedAt: time(35),
        steps: [approvalStep, { step: 'cancellation', organisationId: null, by: kim, at: time(35), method: null, signInMethod: 'siths', outcome: 'cancelled', reason: 'Kunden ringde' }],
      });
      expect(waiting.approval).toEqual({ _id: 'order-cancelled', ...approvalBase, ...notWaiting, revision: 2 });

      const d = stream('order-cancelled-attested', false);
      const attested = await after([d.submitted, d.next(d.attested('attestation')), d.next(d.cancelled(null))], 3);
      expect(attested.order).toMatchObject({ status: 'cancelled', steps: [attestationStep, expect.objectContaining({ step: 'cancellation' })] });
      expect(attested.approval).toMatchObject({ ...notWaiting, revision: 2 });
    });

    it('a replayed withdrawal changes nothing, and an older step replayed after it does not bring the approval back', async () => {
      const s = stream('order-withdrawn-replayed', true);
      const history = [s.submitted, s.next(s.withdrawn('agent-approval', null))];
      const once = await state(history);
      expect(await state([...history, ...history])).toEqual(once);
      expect(once.approvals[0]).toMatchObject(notWaiting);
    });
  });

  it('takes the sign-in method of a step recorded before events named it from the event’s metadata', async () => {
    const s = stream('order-old', false);
    const old = s.next(s.attested('attestation'));
    const withMethod = { ...old, metadata: { ...old.metadata, actor: { ...old.metadata.actor, method: 'bankid' as const } } };
    const { order } = await after([s.submitted, withMethod], 2);
    expect(order.steps).toEqual([{ ...attestationStep, signInMethod: 'bankid' }]);
  });

  it('keeps orders apart', async () => {
    const { orders, approvals } = await state([...directOrder.slice(0, 1), ...agentOrder.slice(0, 2)]);
    expect(orders.map((o) => [o._id, o.status])).toEqual([
      ['order-agent', 'awaiting-agent-attestation'],
      ['order-direct', 'awaiting-attestation'],
    ]);
    expect(approvals.map((a) => [a._id, a.waitingOrganisationId, a.role])).toEqual([
      ['order-agent', AGENT, 'attestant'],
      ['order-direct', CUSTOMER, 'attestant'],
    ]);
  });

  describe('replays change nothing', () => {
    const histories = { direct: directOrder, 'via agent': agentOrder, both: [...directOrder, ...agentOrder] };

    it.each(Object.entries(histories))('%s: each event twice', async (_, history) => {
      expect(await state(history.flatMap((e) => [e, e]))).toEqual(await state(history));
    });

    it.each(Object.entries(histories))('%s: the whole history again on the same store', async (_, history) => {
      const store = await project(ordersProjection, history);
      const once = await snapshot(ordersProjection, store);
      await project(ordersProjection, history, store);
      expect(await snapshot(ordersProjection, store)).toEqual(once);
    });

    it.each(Object.entries(histories))('%s: every prefix again after the whole history', async (_, history) => {
      const store = await project(ordersProjection, history);
      const once = await snapshot(ordersProjection, store);
      for (let n = 1; n <= history.length; n++) await project(ordersProjection, history.slice(0, n), store);
      expect(await snapshot(ordersProjection, store)).toEqual(once);
    });

    it('an older event after a newer one, in the same batch or a later one', async () => {
      const [submitted, approved, agentAttested, attested] = agentOrder;
      const expected = await state([submitted, approved, agentAttested, attested]);
      expect(await state([submitted, approved, agentAttested, attested, approved, agentAttested])).toEqual(expected);

      const store = await project(ordersProjection, [submitted, approved, agentAttested, attested]);
      await project(ordersProjection, [agentAttested], store);
      await project(ordersProjection, [approved], store);
      await project(ordersProjection, [submitted], store);
      const docs = await snapshot(ordersProjection, store);
      expect({ orders: docs[ORDERS], approvals: docs[APPROVALS] }).toEqual(expected);
    });

    it('the approval stays done when its step is replayed after fulfilment', async () => {
      const store = await project(ordersProjection, directOrder);
      await project(ordersProjection, [directOrder[0], directOrder[1]], store);
      const docs = await snapshot(ordersProjection, store);
      expect(docs[APPROVALS]).toEqual([expect.objectContaining({ _id: 'order-direct', ...notWaiting })]);
      expect(docs[ORDERS]).toEqual([expect.objectContaining({ status: 'fulfilled', steps: [attestationStep, fulfilmentStep] })]);
    });
  });
});
