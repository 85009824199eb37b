import fc from 'fast-check';
import { DomainError, ErrorDetail, fold, Forbidden, NotFound, ValidationFailed } from '@kundportal/kernel';
import { ACCEPTED, asStored, DecidedStep, decideInTurn, Outcome, outcomeOf, refusal } from '@kundportal/kernel/testing';
import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { Acting, AgentForOrder, OrderCommand, orderDecider, OrderState, OrderStatus, stepOf, stepsOf } from './order.decider';
import { AttestationMethod, OrderEvent, orderStream, Step } from './order.events';
import { acting, AGENT, at, CUSTOMER, offering, organisation, orderId } from './testing/order-fixtures';
import { ApprovalDoc, APPROVALS, OrderDoc, ORDERS, ordersProjection } from './order.projections';

const agentOrganisation: AgentForOrder = { id: AGENT, name: 'Agent AB', mergedInto: null, hasOrderer: true, hasAttestant: true };
const notItsAgent: AgentForOrder = { ...agentOrganisation, id: 'org-other-agent', name: 'Annan Agent AB' };
const mergedAgent: AgentForOrder = { ...agentOrganisation, mergedInto: 'org-kept-agent' };
const agentWithoutAttestant: AgentForOrder = { ...agentOrganisation, hasAttestant: false };
const agentWithoutOrderer: AgentForOrder = { ...agentOrganisation, hasOrderer: false };

/** Members of the customer, of its agent, of both, of neither (another organisation's), staff and an auditor. */
const CALLERS = {
  customerOrderer: acting('olof', { customer: ['orderer'] }),
  customerAttestant: acting('astrid', { customer: ['attestant'] }),
  customerMember: acting('mona', { customer: [] }),
  customerEverything: acting('carl', { customer: ['orderer', 'attestant', 'administrator'] }),
  agentOrderer: acting('agnes', { agent: ['orderer'] }),
  agentAttestant: acting('arvid', { agent: ['attestant'] }),
  agentMember: acting('alma', { agent: [] }),
  agentBoth: acting('aron', { agent: ['orderer', 'attestant'] }),
  doubleAttestant: acting('dora', { customer: ['attestant'], agent: ['attestant'] }),
  doubleOrderer: acting('bea', { customer: ['orderer'], agent: ['orderer'] }),
  otherOrganisation: acting('stina', {}),
  staff: acting('Kim Kundservice', { staff: true }),
  auditor: acting('Ada Revisor', { auditor: true }),
  /** An auditor who also holds every role in both organisations: still acts on nothing. */
  auditorWithRoles: acting('Rut Revisor', { auditor: true, customer: ['orderer', 'attestant'], agent: ['orderer', 'attestant'] }),
} satisfies Record<string, Acting>;
type Caller = keyof typeof CALLERS;

/** What can be wrong with a submission besides who submits it. */
const FLAWS = ['no-offering', 'detail-problems', 'agreement-unsigned', 'no-attestant', 'not-its-agent', 'merged-agent', 'agent-without-attestant', 'agent-without-orderer'] as const;
type Flaw = (typeof FLAWS)[number];
const detailProblems: ErrorDetail[] = [{ field: 'details.careUnits', message: 'must be at least 1' }];

/** What a generated step means to do; turned into a command against the state it meets. */
type Intent =
  | { kind: 'submit'; caller: Caller; viaAgent: boolean; flaw: Flaw | null }
  | { kind: 'approve'; caller: Caller }
  | { kind: 'attest'; caller: Caller; method: AttestationMethod }
  | { kind: 'reject'; caller: Caller; reason: string }
  | { kind: 'fulfil'; caller: Caller }
  | { kind: 'withdraw'; caller: Caller; reason: string | null }
  | { kind: 'cancel'; caller: Caller; reason: string };

const caller = fc.constantFrom(...(Object.keys(CALLERS) as Caller[]));
const intent: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('submit' as const), caller, viaAgent: fc.boolean(), flaw: fc.option(fc.constantFrom(...FLAWS), { freq: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('approve' as const), caller }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('attest' as const), caller, method: fc.constantFrom<AttestationMethod>('bankid', 'sms-otp') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reject' as const), caller, reason: fc.string({ maxLength: 20 }) }) },
  // Only staff fulfil: they ask half the time, so attested orders are fulfilled often enough to check.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fulfil' as const), caller: fc.oneof(fc.constant<Caller>('staff'), caller) }) },
  // Withdrawing and cancelling end the order, so they come rarely, each half the time from the one who may.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), caller: fc.oneof(fc.constant<Caller>('customerOrderer'), caller), reason: fc.option(fc.string({ maxLength: 20 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), caller: fc.oneof(fc.constant<Caller>('staff'), caller), reason: fc.string({ minLength: 1, maxLength: 20 }) }) },
);
/**
 * Sequences open with the customer's orderer submitting, most often well-formed (after a flawed try or
 * two), so the later steps have something to act on and the flaws meet an order that does not exist yet.
 */
const submitByOrderer = (flaw: fc.Arbitrary<Flaw | null>) =>
  fc.record({ kind: fc.constant('submit' as const), caller: fc.constant<Caller>('customerOrderer'), viaAgent: fc.boolean(), flaw });
const opening = fc
  .tuple(fc.array(submitByOrderer(fc.constantFrom(...FLAWS)), { maxLength: 2 }), fc.option(submitByOrderer(fc.constant(null)), { freq: 6 }))
  .map(([flawed, wellFormed]): Intent[] => (wellFormed ? [...flawed, wellFormed] : flawed));
const intents = fc.tuple(opening, fc.array(intent, { maxLength: 40, size: 'max' })).map(([first, rest]) => [...first, ...rest]);

/**
 * The caller as the handlers present them: a member only of the organisations the order involves
 * (none at all for a step on an order that does not exist).
 */
const asSeenBy = (by: Acting, involves: { customer: boolean; agent: boolean }): Acting => {
  const noSide = { member: false, roles: [] };
  return { ...by, customer: involves.customer ? by.customer : noSide, agent: involves.agent ? by.agent : noSide };
};
const involved = (state: OrderState) =>
  state.exists ? { customer: true, agent: state.order.viaAgentOrganisationId !== null } : { customer: false, agent: false };

const commandFor = (i: Intent, state: OrderState, index: number): OrderCommand => {
  const now = at(index + 1);
  const by = CALLERS[i.caller];
  switch (i.kind) {
    case 'submit': {
      const FLAWED_AGENTS: Partial<Record<Flaw, AgentForOrder>> = {
        'not-its-agent': notItsAgent,
        'merged-agent': mergedAgent,
        'agent-without-attestant': agentWithoutAttestant,
        'agent-without-orderer': agentWithoutOrderer,
      };
      const viaAgent = (i.flaw && FLAWED_AGENTS[i.flaw]) || (i.viaAgent ? agentOrganisation : null);
      return {
        type: 'SubmitOrder',
        orderId,
        organisation: { ...organisation, agreementSigned: i.flaw !== 'agreement-unsigned', hasAttestant: i.flaw !== 'no-attestant' },
        by: asSeenBy(by, { customer: true, agent: viaAgent !== null && viaAgent.id === AGENT }),
        offering: i.flaw === 'no-offering' ? null : offering,
        detailProblems: i.flaw === 'detail-problems' ? detailProblems : [],
        details: i.flaw === 'detail-problems' ? {} : { careUnits: 3 },
        viaAgent,
        now,
      };
    }
    case 'approve':
      return { type: 'ApproveOrder', by: asSeenBy(by, involved(state)), now };
    case 'attest':
      return { type: 'AttestOrder', by: asSeenBy(by, involved(state)), method: i.method, now };
    case 'reject':
      return { type: 'RejectOrder', by: asSeenBy(by, involved(state)), reason: i.reason, now };
    case 'fulfil':
      return { type: 'FulfilOrder', by: asSeenBy(by, involved(state)), instructions: 'Vi kontaktar er om anslutning.', now };
    case 'withdraw':
      return { type: 'WithdrawOrder', by: asSeenBy(by, involved(state)), reason: i.reason, now };
    case 'cancel':
      return { type: 'CancelOrder', by: asSeenBy(by, involved(state)), reason: i.reason, now };
  }
};

/** The chain of steps, in order: who acts at each, from which side. */
const TURNS: Record<Step, { side: 'customer' | 'agent'; role: string }> = {
  'agent-approval': { side: 'agent', role: 'orderer' },
  'agent-attestation': { side: 'agent', role: 'attestant' },
  attestation: { side: 'customer', role: 'attestant' },
};
const chainOf = (viaAgent: boolean): Step[] => (viaAgent ? ['agent-approval', 'agent-attestation', 'attestation'] : ['attestation']);
const STEPS_OF: Record<string, Step[]> = {
  ApproveOrder: ['agent-approval'],
  AttestOrder: ['agent-attestation', 'attestation'],
  RejectOrder: ['agent-approval', 'agent-attestation', 'attestation'],
};
const holds = (by: Acting, step: Step) => by[TURNS[step].side].roles.includes(TURNS[step].role);
const seesOrder = (by: Acting) => by.staff || by.auditor || by.customer.member || by.agent.member;

const NEXT: Record<OrderStatus | 'none', readonly OrderStatus[]> = {
  none: ['awaiting-agent-approval', 'awaiting-attestation'],
  'awaiting-agent-approval': ['awaiting-agent-attestation', 'rejected', 'withdrawn', 'cancelled'],
  'awaiting-agent-attestation': ['awaiting-attestation', 'rejected', 'withdrawn', 'cancelled'],
  'awaiting-attestation': ['attested', 'rejected', 'withdrawn', 'cancelled'],
  attested: ['fulfilled', 'cancelled'],
  fulfilled: [],
  rejected: [],
  withdrawn: [],
  cancelled: [],
};
/** The order's end outside the chain: its last step, if any. */
const ENDINGS = ['fulfilment', 'withdrawal', 'cancellation'];
const statusOf = (state: OrderState): OrderStatus | 'none' => (state.exists ? state.status : 'none');

const NOT_FOUND = refusal(NotFound, 'NOT_FOUND');
const FORBIDDEN = refusal(Forbidden, 'FORBIDDEN');

/** What the domain says should come of a command on this state: accepted, or which refusal. */
const expectedOutcome = (command: OrderCommand, state: OrderState): Outcome => {
  const by = command.by;
  switch (command.type) {
    case 'SubmitOrder': {
      if (state.exists) return refusal(DomainError, 'ORDER_EXISTS');
      if (!by.customer.member && !by.staff && !by.auditor) return NOT_FOUND;
      if (by.auditor || !by.customer.roles.includes('orderer')) return FORBIDDEN;
      if (!command.offering) return refusal(DomainError, 'OFFERING_NOT_AVAILABLE');
      if (command.detailProblems.length > 0) return refusal(ValidationFailed, 'VALIDATION_FAILED');
      if (!command.organisation.agreementSigned) return refusal(DomainError, 'AGREEMENT_NOT_SIGNED');
      if (!command.organisation.hasAttestant) return refusal(DomainError, 'NO_ATTESTANT');
      if (command.viaAgent && (!command.organisation.agentOrganisationIds.includes(command.viaAgent.id) || command.viaAgent.mergedInto !== null)) {
        return refusal(DomainError, 'NOT_AN_AGENT_OF_ORGANISATION');
      }
      if (command.viaAgent && (!command.viaAgent.hasOrderer || !command.viaAgent.hasAttestant)) return refusal(DomainError, 'AGENT_CANNOT_ACT');
      return ACCEPTED;
    }
    case 'FulfilOrder':
      if (!state.exists || !seesOrder(by)) return NOT_FOUND;
      if (!by.staff) return FORBIDDEN;
      return state.status === 'attested' ? ACCEPTED : refusal(DomainError, 'ORDER_STATE_CONFLICT');
    case 'WithdrawOrder':
      if (!state.exists || !seesOrder(by)) return NOT_FOUND;
      // Only the submitter, still a member of the customer organisation, and never as an auditor.
      if (by.auditor || !by.customer.member || by.person.accountId !== state.order.submittedBy.accountId) return FORBIDDEN;
      return stepOf(state.status) !== null ? ACCEPTED : refusal(DomainError, 'ORDER_STATE_CONFLICT');
    case 'CancelOrder':
      if (!state.exists || !seesOrder(by)) return NOT_FOUND;
      if (!by.staff) return FORBIDDEN;
      return stepOf(state.status) !== null || state.status === 'attested' ? ACCEPTED : refusal(DomainError, 'ORDER_STATE_CONFLICT');
    default: {
      if (!state.exists || !seesOrder(by)) return NOT_FOUND;
      if (by.auditor) return FORBIDDEN;
      const mine = chainOf(state.order.viaAgentOrganisationId !== null).filter((s) => STEPS_OF[command.type].includes(s) && holds(by, s));
      if (mine.length === 0) return FORBIDDEN;
      const now = stepOf(state.status);
      return now !== null && mine.includes(now) ? ACCEPTED : refusal(DomainError, 'ORDER_STATE_CONFLICT');
    }
  }
};

/** Whether `by` holds what the event's step asks for. */
const mayHaveCaused = (event: OrderEvent, by: Acting): boolean => {
  switch (event.type) {
    case 'OrderSubmitted':
      return by.customer.roles.includes('orderer');
    case 'OrderApprovedByAgent':
    case 'OrderAttested':
    case 'OrderRejected':
      return holds(by, event.data.step);
    case 'OrderFulfilled':
    case 'OrderCancelled':
      return by.staff;
    case 'OrderWithdrawn':
      return by.customer.member && by.person.accountId !== null && by.person.accountId === event.data.by.accountId;
  }
};

/** Tallies of what the sequences reached, so a generator that stops reaching something is noticed. */
const reached = { statuses: new Set<string>(), refusals: new Set<string>() };

/** Every invariant, checked on each step as it is taken. */
const checkStep = (step: DecidedStep<OrderCommand, OrderEvent, OrderState>) => {
  const { command, before, after } = step;
  // Accepted or refused as the turn rules say, a refusal with the error the API answers with.
  expect(outcomeOf(step)).toBe(expectedOutcome(command, before));
  if (!step.accepted) {
    reached.refusals.add(`${step.error.statusCode} ${step.error.code}`);
    // Someone who sees nothing of an order learns nothing of its turns.
    if (command.type !== 'SubmitOrder' && !seesOrder(command.by)) expect(step.error).toBeInstanceOf(NotFound);
    return;
  }
  // One event per accepted command, caused by someone holding the role for it; auditors never act.
  expect(step.events).toHaveLength(1);
  const [event] = step.events;
  expect(mayHaveCaused(event, command.by)).toBe(true);
  expect(command.by.auditor && !command.by.staff).toBe(false);
  // Rejected and fulfilled are final; the status only moves forward along the chain.
  if (!after.exists) throw new Error(`no order after ${event.type}`);
  expect(NEXT[statusOf(before)]).toContain(after.status);
  reached.statuses.add(after.status);
  // Each step names the order, its customer, and the organisation whose turn it was.
  if (event.type !== 'OrderSubmitted') expect(event.data.orderId).toBe(orderId);
  if (event.type === 'OrderApprovedByAgent' || event.type === 'OrderAttested' || event.type === 'OrderRejected' || event.type === 'OrderWithdrawn') {
    expect(event.data.customerOrganisationId).toBe(CUSTOMER);
    expect(event.data.organisationId).toBe(TURNS[event.data.step].side === 'agent' ? AGENT : CUSTOMER);
    expect(event.data.step).toBe(before.exists ? stepOf(before.status) : null);
  }
  // A withdrawal or cancellation names where the order waited, so whoever waited can be told.
  if (event.type === 'OrderCancelled') {
    expect(event.data.step).toBe(before.exists ? stepOf(before.status) : undefined);
    expect(event.data.organisationId).toBe(event.data.step === null ? null : TURNS[event.data.step].side === 'agent' ? AGENT : CUSTOMER);
  }
  // Each step records how its actor signed in, apart from how it was attested.
  expect(stepsOf(after).at(-1)?.signInMethod ?? command.by.signInMethod).toBe(command.by.signInMethod);
  // The steps taken are the chain's, in its order, each once, then at most one ending: an order is attested at most once per step.
  const chain = chainOf(after.order.viaAgentOrganisationId !== null) as string[];
  const steps = stepsOf(after);
  const ending = steps.filter((s) => ENDINGS.includes(s.step));
  expect(ending.length).toBeLessThanOrEqual(1);
  if (ending.length === 1) expect(steps.at(-1)).toBe(ending[0]);
  const chainSteps = steps.filter((s) => !ENDINGS.includes(s.step));
  expect(chainSteps.map((s) => s.step)).toEqual(chain.slice(0, chainSteps.length));
  // Only an attested order is fulfilled: every step of its chain taken.
  if (ending[0]?.step === 'fulfilment') expect(chainSteps.map((s) => s.step)).toEqual(chain);
  for (const s of steps.slice(0, -1)) expect(['approved', 'attested']).toContain(s.outcome);
  const attested = steps.filter((s) => s.outcome === 'attested').map((s) => s.step);
  expect(new Set(attested).size).toBe(attested.length);
};

const RUNS = 300;

/** The invariants after every step, and folding the events (as stored) gives the state reached step by step. */
const keepsItsInvariants = (decider: typeof orderDecider) =>
  fc.property(intents, (sequence) => {
    const { history, state } = decideInTurn(decider, sequence, commandFor, checkStep);
    expect(history.filter((e) => e.type === 'OrderSubmitted')).toHaveLength(history.length > 0 ? 1 : 0);
    if (history.length > 0) expect(history[0].type).toBe('OrderSubmitted');
    expect(fold(decider, history)).toEqual(state);
    expect(fold(decider, asStored(history))).toEqual(state);
    if (state.exists) expect(stepsOf(state)).toHaveLength(history.length - 1);
  });

const recordedAs = (history: readonly OrderEvent[]) => history.map((e, revision) => recorded(e.type, e.data, orderStream(orderId), BigInt(revision)));
const readModel = async (history: readonly OrderEvent[], replayFrom = history.length) => {
  const events = recordedAs(history);
  const docs = await snapshot(ordersProjection, await project(ordersProjection, [...events, ...events.slice(replayFrom)]));
  return { orders: docs[ORDERS] as OrderDoc[], approvals: docs[APPROVALS] as ApprovalDoc[] };
};

describe('orderDecider under random command sequences', () => {
  it('keeps its invariants after every step: turns in the chain’s order, one attestation per step, the right refusals', () => {
    fc.assert(keepsItsInvariants(orderDecider), { numRuns: RUNS });
    // The sequences reach every status and every kind of refusal, or they prove little.
    for (const status of Object.keys(NEXT).filter((s) => s !== 'none')) expect(reached.statuses).toContain(status);
    for (const refusal of [
      '403 FORBIDDEN',
      '404 NOT_FOUND',
      '409 ORDER_STATE_CONFLICT',
      '409 ORDER_EXISTS',
      '422 OFFERING_NOT_AVAILABLE',
      '400 VALIDATION_FAILED',
      '422 AGREEMENT_NOT_SIGNED',
      '422 NO_ATTESTANT',
      '422 NOT_AN_AGENT_OF_ORGANISATION',
      '422 AGENT_CANNOT_ACT',
    ]) {
      expect(reached.refusals).toContain(refusal);
    }
  });

  it('the read model agrees with the folded events, also when a tail of them is delivered again', async () => {
    await fc.assert(
      fc.asyncProperty(intents, fc.nat(), async (sequence, cut) => {
        const { history, state } = decideInTurn(orderDecider, sequence, commandFor);
        const { orders, approvals } = await readModel(history, history.length === 0 ? 0 : cut % (history.length + 1));
        if (!state.exists) {
          expect(orders).toEqual([]);
          expect(approvals).toEqual([]);
          return;
        }
        const via = state.order.viaAgentOrganisationId;
        expect(orders).toEqual([
          expect.objectContaining({
            _id: orderId,
            organisationId: state.order.organisationId,
            offeringId: state.order.offering.offeringId,
            status: state.status,
            viaAgentOrganisationId: via,
            submittedBy: state.order.submittedBy,
            steps: stepsOf(state),
            instructions: state.instructions,
            visibleTo: via ? [CUSTOMER, via] : [CUSTOMER],
            revision: history.length - 1,
          }),
        ]);
        const step = stepOf(state.status);
        const waitingOrganisationId = step === null ? null : TURNS[step].side === 'agent' ? via : CUSTOMER;
        expect(approvals).toEqual([
          expect.objectContaining({ _id: orderId, waiting: step !== null, step, waitingOrganisationId, role: step === null ? null : TURNS[step].role }),
        ]);
      }),
      { numRuns: 100 },
    );
  });

  it('would catch a decider that breaks them', () => {
    const attested = (by: Acting): OrderEvent => ({
      type: 'OrderAttested',
      data: { orderId, customerOrganisationId: CUSTOMER, step: 'attestation', organisationId: CUSTOMER, method: 'bankid', by: by.person, at: at(0).toISOString() },
    });
    const secondAttestation: typeof orderDecider = {
      ...orderDecider,
      decide: (command, state) =>
        command.type === 'AttestOrder' && state.exists && state.status === 'attested' && command.by.customer.roles.includes('attestant')
          ? [attested(command.by)]
          : orderDecider.decide(command, state),
    };
    const twoEvents: typeof orderDecider = {
      ...orderDecider,
      decide: (command, state) => {
        const events = orderDecider.decide(command, state);
        return command.type === 'ApproveOrder' ? [...events, ...events] : events;
      },
    };
    const fulfilWithoutAttestation: typeof orderDecider = {
      ...orderDecider,
      decide: (command, state) =>
        command.type === 'FulfilOrder' && command.by.staff && state.exists
          ? [{ type: 'OrderFulfilled', data: { orderId, instructions: 'x', by: command.by.person, at: at(0).toISOString() } }]
          : orderDecider.decide(command, state),
    };
    const auditorAttests: typeof orderDecider = {
      ...orderDecider,
      decide: (command, state) =>
        orderDecider.decide(command.type === 'AttestOrder' && command.by.auditor ? { ...command, by: { ...command.by, auditor: false, customer: { member: true, roles: ['attestant'] } } } : command, state),
    };
    const withdrawnByAnyone: typeof orderDecider = {
      ...orderDecider,
      decide: (command, state) =>
        orderDecider.decide(
          command.type === 'WithdrawOrder' && state.exists ? { ...command, by: { ...command.by, customer: { member: true, roles: [] }, person: state.order.submittedBy } } : command,
          state,
        ),
    };
    const cancelAfterFulfilment: typeof orderDecider = {
      ...orderDecider,
      decide: (command, state) =>
        command.type === 'CancelOrder' && command.by.staff && state.exists && state.status === 'fulfilled'
          ? [{ type: 'OrderCancelled', data: { orderId, customerOrganisationId: CUSTOMER, step: null, organisationId: null, reason: 'x', by: command.by.person, signInMethod: null, at: at(0).toISOString() } }]
          : orderDecider.decide(command, state),
    };
    const agentWhoCannotAct: typeof orderDecider = {
      ...orderDecider,
      decide: (command, state) =>
        orderDecider.decide(command.type === 'SubmitOrder' && command.viaAgent ? { ...command, viaAgent: { ...command.viaAgent, hasOrderer: true, hasAttestant: true } } : command, state),
    };
    for (const broken of [agentWhoCannotAct, secondAttestation, twoEvents, fulfilWithoutAttestation, auditorAttests, withdrawnByAnyone, cancelAfterFulfilment]) {
      expect(fc.check(keepsItsInvariants(broken), { numRuns: RUNS, endOnFailure: true }).failed).toBe(true);
    }
  });
});
