import { assertNever, Decider, DomainError, ErrorDetail, Forbidden, NotFound, ValidationFailed } from '@kundportal/kernel';
import {
  AttestationMethod,
  OrderedOffering,
  OrderEvent,
  OrderSubmitted,
  PersonRef,
  SignInMethod,
  Step,
} from './order.events';

export const ORDER_STATUSES = [
  'awaiting-agent-approval',
  'awaiting-agent-attestation',
  'awaiting-attestation',
  'attested',
  'fulfilled',
  'rejected',
  'withdrawn',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses in which the order waits for someone in the chain. */
export const WAITING_STATUSES: readonly OrderStatus[] = ['awaiting-agent-approval', 'awaiting-agent-attestation', 'awaiting-attestation'];

export interface StepRecord {
  step: Step | 'fulfilment' | 'withdrawal' | 'cancellation';
  organisationId: string | null;
  by: PersonRef;
  at: string;
  /** How the step was attested (BankID or a one-time SMS code); null for steps that are not attestations. */
  method: AttestationMethod | null;
  /** How the person taking the step signed in; null when the event does not say. Never the attestation method. */
  signInMethod: SignInMethod | null;
  outcome: 'approved' | 'attested' | 'rejected' | 'fulfilled' | 'withdrawn' | 'cancelled';
  reason?: string;
}

/**
 * The steps taken, newest first. Each event puts one in front of the ones before without copying
 * them, so folding an order costs the same per event however long its history is.
 */
export interface StepTrail {
  readonly latest: StepRecord;
  readonly count: number;
  readonly earlier: StepTrail | null;
}

export type OrderState =
  | { exists: false }
  | { exists: true; status: OrderStatus; order: OrderSubmitted['data']; trail: StepTrail | null; instructions: string | null };

/** The steps taken, oldest first (none before the order exists). */
export function stepsOf(state: OrderState): StepRecord[] {
  if (!state.exists || state.trail === null) return [];
  const steps = new Array<StepRecord>(state.trail.count);
  for (let t: StepTrail | null = state.trail; t !== null; t = t.earlier) steps[t.count - 1] = t.latest;
  return steps;
}

/** What the caller may do in each organisation of the order, read from the log at decision time. */
export interface Acting {
  person: PersonRef;
  /** How the caller signed in, recorded with each step they take. */
  signInMethod: SignInMethod | null;
  staff: boolean;
  /** Sees every order (like staff) and may act on none. */
  auditor: boolean;
  /** Roles held in the customer organisation and in the agent organisation (empty when not a member). */
  customer: { member: boolean; roles: string[] };
  agent: { member: boolean; roles: string[] };
}

export interface OrganisationForOrder {
  id: string;
  name: string;
  agreementSigned: boolean;
  hasAttestant: boolean;
  agentOrganisationIds: string[];
}

/** The agent an order goes via, as the log has it at submission. */
export interface AgentForOrder {
  id: string;
  name: string;
  /** Set when this record was merged into another: it is nobody's agent any more. */
  mergedInto: string | null;
  /** Whether someone there may approve (an orderer) and attest (an attestant) the order. */
  hasOrderer: boolean;
  hasAttestant: boolean;
}

export type OrderCommand =
  | {
      type: 'SubmitOrder';
      orderId: string;
      organisation: OrganisationForOrder;
      by: Acting;
      offering: OrderedOffering | null;
      detailProblems: ErrorDetail[];
      details: Record<string, unknown>;
      viaAgent: AgentForOrder | null;
      now: Date;
    }
  | { type: 'ApproveOrder'; by: Acting; now: Date }
  | { type: 'AttestOrder'; by: Acting; method: AttestationMethod; now: Date }
  | { type: 'RejectOrder'; by: Acting; reason: string; now: Date }
  | { type: 'FulfilOrder'; by: Acting; instructions: string; now: Date }
  | { type: 'WithdrawOrder'; by: Acting; reason: string | null; now: Date }
  | { type: 'CancelOrder'; by: Acting; reason: string; now: Date };


/** Who acts at each waiting step: the organisation's side and the role. */
const TURNS: Record<Step, { side: 'customer' | 'agent'; role: string; status: OrderStatus }> = {
  'agent-approval': { side: 'agent', role: 'orderer', status: 'awaiting-agent-approval' },
  'agent-attestation': { side: 'agent', role: 'attestant', status: 'awaiting-agent-attestation' },
  attestation: { side: 'customer', role: 'attestant', status: 'awaiting-attestation' },
};

export function stepOf(status: OrderStatus): Step | null {
  switch (status) {
    case 'awaiting-agent-approval':
      return 'agent-approval';
    case 'awaiting-agent-attestation':
      return 'agent-attestation';
    case 'awaiting-attestation':
      return 'attestation';
    default:
      return null;
  }
}

/** The steps of this order (a direct order has only the customer's attestation). */
function stepsFor(order: OrderSubmitted['data']): Step[] {
  return order.viaAgentOrganisationId ? ['agent-approval', 'agent-attestation', 'attestation'] : ['attestation'];
}

/** Auditors review the chain, so they take no part in it, whatever roles they also hold. */
const auditorsDoNotAct = () => new Forbidden('auditorsDoNotAct');

function mayAct(by: Acting, step: Step): boolean {
  const turn = TURNS[step];
  return by[turn.side].roles.includes(turn.role);
}

type Existing = Extract<OrderState, { exists: true }>;

/** The trail with one more step in front. */
function withStep(state: Existing, step: StepRecord): StepTrail {
  return { latest: step, count: (state.trail?.count ?? 0) + 1, earlier: state.trail };
}

/** Staff and auditors see every order; members see their organisations' orders; anyone else is told it does not exist. */
function sees(by: Acting): boolean {
  return by.staff || by.auditor || by.customer.member || by.agent.member;
}

/**
 * The order's turn rules: the caller must see the order (404), may act at some step of it with a
 * role (403), and it must be that step's turn now (409 ORDER_STATE_CONFLICT).
 */
function requireTurn(state: OrderState, by: Acting, steps: Step[]): { order: Existing; step: Step } {
  if (!state.exists || !sees(by)) throw new NotFound('order');
  if (by.auditor) throw auditorsDoNotAct();
  const own = stepsFor(state.order).filter((s) => steps.includes(s));
  const mine = own.filter((s) => mayAct(by, s));
  if (mine.length === 0) throw new Forbidden('noRoleForStep');
  const current = stepOf(state.status);
  if (current === null || !mine.includes(current)) {
    throw DomainError.conflict('ORDER_STATE_CONFLICT', `The order is ${state.status}; it is not your turn.`).withParams({ status: state.status });
  }
  return { order: state, step: current };
}

function orgAt(order: OrderSubmitted['data'], step: Step): string {
  return TURNS[step].side === 'agent' ? (order.viaAgentOrganisationId as string) : order.organisationId;
}

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  initialState: () => ({ exists: false }),

  decide(command, state) {
    switch (command.type) {
      case 'SubmitOrder': {
        if (state.exists) throw DomainError.conflict('ORDER_EXISTS', 'The order exists already.');
        const { organisation, by } = command;
        // Staff and auditors see the organisation but order for none; anyone else outside it is told it does not exist.
        if (!by.customer.member && !by.staff && !by.auditor) throw new NotFound('organisation');
        if (by.auditor) throw auditorsDoNotAct();
        if (!by.customer.roles.includes('orderer')) throw new Forbidden('orderersOnly');
        if (!command.offering) {
          throw DomainError.rule('OFFERING_NOT_AVAILABLE', 'That offering is not in the catalogue.', [
            { field: 'offeringId', message: 'not an offering in the catalogue' },
          ]);
        }
        if (command.detailProblems.length > 0) throw new ValidationFailed(command.detailProblems, 'orderDetails');
        if (!organisation.agreementSigned) {
          throw DomainError.rule('AGREEMENT_NOT_SIGNED', 'The customer agreement must be signed before ordering.');
        }
        if (!organisation.hasAttestant) {
          throw DomainError.rule('NO_ATTESTANT', 'The organisation has no attestant to attest the order; an administrator must appoint one.');
        }
        const { viaAgent } = command;
        if (viaAgent && (!organisation.agentOrganisationIds.includes(viaAgent.id) || viaAgent.mergedInto !== null)) {
          const why = viaAgent.mergedInto ? `merged into ${viaAgent.mergedInto}, which is the agent now` : 'not an agent of the organisation';
          throw DomainError.rule('NOT_AN_AGENT_OF_ORGANISATION', 'That organisation is not an agent of yours.', [{ field: 'viaAgentOrganisationId', message: why }]);
        }
        // An order nobody at the agent can approve or attest would wait for ever.
        if (viaAgent && (!viaAgent.hasOrderer || !viaAgent.hasAttestant)) {
          const missing = [...(viaAgent.hasOrderer ? [] : ['orderer']), ...(viaAgent.hasAttestant ? [] : ['attestant'])].join(' and no ');
          const context = viaAgent.hasOrderer ? 'noAttestant' : viaAgent.hasAttestant ? 'noOrderer' : 'noOrdererNorAttestant';
          throw DomainError.rule('AGENT_CANNOT_ACT', `The agent organisation has no ${missing} to handle the order; it must appoint one first.`, [
            { field: 'viaAgentOrganisationId', message: `the agent has no ${missing}` },
          ]).withParams({ context });
        }
        return [
          {
            type: 'OrderSubmitted',
            data: {
              orderId: command.orderId,
              organisationId: organisation.id,
              organisationName: organisation.name,
              offering: command.offering,
              details: command.details,
              viaAgentOrganisationId: command.viaAgent?.id ?? null,
              viaAgentOrganisationName: command.viaAgent?.name ?? null,
              submittedBy: by.person,
              termsAccepted: true,
              submittedAt: command.now.toISOString(),
            },
          },
        ];
      }

      case 'ApproveOrder': {
        const { order, step } = requireTurn(state, command.by, ['agent-approval']);
        return [
          {
            type: 'OrderApprovedByAgent',
            data: {
              orderId: order.order.orderId,
              customerOrganisationId: order.order.organisationId,
              step: 'agent-approval',
              organisationId: orgAt(order.order, step),
              by: command.by.person,
              signInMethod: command.by.signInMethod,
              at: command.now.toISOString(),
            },
          },
        ];
      }

      case 'AttestOrder': {
        const { order, step } = requireTurn(state, command.by, ['agent-attestation', 'attestation']);
        return [
          {
            type: 'OrderAttested',
            data: {
              orderId: order.order.orderId,
              customerOrganisationId: order.order.organisationId,
              step: step as 'agent-attestation' | 'attestation',
              organisationId: orgAt(order.order, step),
              method: command.method,
              by: command.by.person,
              signInMethod: command.by.signInMethod,
              at: command.now.toISOString(),
            },
          },
        ];
      }

      case 'RejectOrder': {
        const { order, step } = requireTurn(state, command.by, ['agent-approval', 'agent-attestation', 'attestation']);
        return [
          {
            type: 'OrderRejected',
            data: {
              orderId: order.order.orderId,
              customerOrganisationId: order.order.organisationId,
              step,
              organisationId: orgAt(order.order, step),
              reason: command.reason,
              by: command.by.person,
              signInMethod: command.by.signInMethod,
              at: command.now.toISOString(),
            },
          },
        ];
      }

      case 'FulfilOrder': {
        const { by } = command;
        if (!state.exists || !sees(by)) throw new NotFound('order');
        if (!by.staff) throw new Forbidden('staffFulfil');
        if (state.status !== 'attested') {
          throw DomainError.conflict('ORDER_STATE_CONFLICT', `The order is ${state.status}; only an attested order can be fulfilled.`).withParams({
            context: 'fulfil',
            status: state.status,
          });
        }
        return [
          {
            type: 'OrderFulfilled',
            data: {
              orderId: state.order.orderId,
              instructions: command.instructions,
              by: command.by.person,
              signInMethod: command.by.signInMethod,
              at: command.now.toISOString(),
            },
          },
        ];
      }

      case 'WithdrawOrder': {
        const { by } = command;
        if (!state.exists || !sees(by)) throw new NotFound('order');
        if (by.auditor) throw auditorsDoNotAct();
        const submitter = state.order.submittedBy.accountId;
        if (!by.customer.member || submitter === null || by.person.accountId !== submitter) {
          throw new Forbidden('submitterWithdraws');
        }
        const step = stepOf(state.status);
        if (step === null) {
          throw DomainError.conflict('ORDER_STATE_CONFLICT', `The order is ${state.status}; only a waiting order can be withdrawn.`).withParams({ context: 'withdraw', status: state.status });
        }
        return [
          {
            type: 'OrderWithdrawn',
            data: {
              orderId: state.order.orderId,
              customerOrganisationId: state.order.organisationId,
              step,
              organisationId: orgAt(state.order, step),
              reason: command.reason,
              by: by.person,
              signInMethod: by.signInMethod,
              at: command.now.toISOString(),
            },
          },
        ];
      }

      case 'CancelOrder': {
        const { by } = command;
        if (!state.exists || !sees(by)) throw new NotFound('order');
        if (!by.staff) throw new Forbidden('staffCancel');
        const step = stepOf(state.status);
        if (step === null && state.status !== 'attested') {
          throw DomainError.conflict('ORDER_STATE_CONFLICT', `The order is ${state.status}; only an order not yet fulfilled can be cancelled.`).withParams({ context: 'cancel', status: state.status });
        }
        return [
          {
            type: 'OrderCancelled',
            data: {
              orderId: state.order.orderId,
              customerOrganisationId: state.order.organisationId,
              step,
              organisationId: step === null ? null : orgAt(state.order, step),
              reason: command.reason,
              by: by.person,
              signInMethod: by.signInMethod,
              at: command.now.toISOString(),
            },
          },
        ];
      }

      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    if (event.type === 'OrderSubmitted') {
      return {
        exists: true,
        status: event.data.viaAgentOrganisationId ? 'awaiting-agent-approval' : 'awaiting-attestation',
        order: event.data,
        trail: null,
        instructions: null,
      };
    }
    if (!state.exists) return state;
    const { status, step } = transitionOf(event);
    return {
      ...state,
      status,
      trail: withStep(state, step),
      ...(event.type === 'OrderFulfilled' ? { instructions: event.data.instructions } : {}),
    };
  },
};

/** The status an event after submission leaves the order in, and the step it records: for the write side and the read models alike. */
export function transitionOf(event: Exclude<OrderEvent, OrderSubmitted>): { status: OrderStatus; step: StepRecord } {
  const { by, at } = event.data;
  const signInMethod = event.data.signInMethod ?? null;
  switch (event.type) {
    case 'OrderApprovedByAgent':
      return {
        status: 'awaiting-agent-attestation',
        step: { step: 'agent-approval', organisationId: event.data.organisationId, by, at, method: null, signInMethod, outcome: 'approved' },
      };
    case 'OrderAttested':
      return {
        status: event.data.step === 'agent-attestation' ? 'awaiting-attestation' : 'attested',
        step: { step: event.data.step, organisationId: event.data.organisationId, by, at, method: event.data.method, signInMethod, outcome: 'attested' },
      };
    case 'OrderRejected':
      return {
        status: 'rejected',
        step: { step: event.data.step, organisationId: event.data.organisationId, by, at, method: null, signInMethod, outcome: 'rejected', reason: event.data.reason },
      };
    case 'OrderFulfilled':
      return { status: 'fulfilled', step: { step: 'fulfilment', organisationId: null, by, at, method: null, signInMethod, outcome: 'fulfilled' } };
    case 'OrderWithdrawn':
      return {
        status: 'withdrawn',
        step: {
          step: 'withdrawal',
          organisationId: event.data.customerOrganisationId,
          by,
          at,
          method: null,
          signInMethod,
          outcome: 'withdrawn',
          ...(event.data.reason ? { reason: event.data.reason } : {}),
        },
      };
    case 'OrderCancelled':
      return {
        status: 'cancelled',
        step: { step: 'cancellation', organisationId: null, by, at, method: null, signInMethod, outcome: 'cancelled', reason: event.data.reason },
      };
    default:
      return assertNever(event);
  }
}
