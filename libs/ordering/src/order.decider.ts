import { assertNever, Decider, DomainError, ErrorDetail, Forbidden, NotFound, ValidationFailed } from '@kundportal/kernel';
import {
  AttestationMethod,
  OrderedOffering,
  OrderEvent,
  OrderSubmitted,
  PersonRef,
  Step,
} from './order.events';

export const ORDER_STATUSES = [
  'awaiting-agent-approval',
  'awaiting-agent-attestation',
  'awaiting-attestation',
  'attested',
  'fulfilled',
  'rejected',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface StepRecord {
  step: Step | 'fulfilment';
  organisationId: string | null;
  by: PersonRef;
  at: string;
  method: AttestationMethod | null;
  outcome: 'approved' | 'attested' | 'rejected' | 'fulfilled';
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

export type OrderCommand =
  | {
      type: 'SubmitOrder';
      orderId: string;
      organisation: OrganisationForOrder;
      by: Acting;
      offering: OrderedOffering | null;
      detailProblems: ErrorDetail[];
      details: Record<string, unknown>;
      viaAgent: { id: string; name: string } | null;
      now: Date;
    }
  | { type: 'ApproveOrder'; by: Acting; now: Date }
  | { type: 'AttestOrder'; by: Acting; method: AttestationMethod; now: Date }
  | { type: 'RejectOrder'; by: Acting; reason: string; now: Date }
  | { type: 'FulfilOrder'; by: Acting; instructions: string; now: Date };


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
        if (command.viaAgent && !organisation.agentOrganisationIds.includes(command.viaAgent.id)) {
          throw DomainError.rule('NOT_AN_AGENT_OF_ORGANISATION', 'That organisation is not an agent of yours.', [
            { field: 'viaAgentOrganisationId', message: 'not an agent of the organisation' },
          ]);
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
          { type: 'OrderFulfilled', data: { orderId: state.order.orderId, instructions: command.instructions, by: command.by.person, at: command.now.toISOString() } },
        ];
      }

      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'OrderSubmitted':
        return {
          exists: true,
          status: event.data.viaAgentOrganisationId ? 'awaiting-agent-approval' : 'awaiting-attestation',
          order: event.data,
          trail: null,
          instructions: null,
        };
      case 'OrderApprovedByAgent':
        if (!state.exists) return state;
        return {
          ...state,
          status: 'awaiting-agent-attestation',
          trail: withStep(state, { step: 'agent-approval', organisationId: event.data.organisationId, by: event.data.by, at: event.data.at, method: null, outcome: 'approved' }),
        };
      case 'OrderAttested':
        if (!state.exists) return state;
        return {
          ...state,
          status: event.data.step === 'agent-attestation' ? 'awaiting-attestation' : 'attested',
          trail: withStep(state, {
            step: event.data.step,
            organisationId: event.data.organisationId,
            by: event.data.by,
            at: event.data.at,
            method: event.data.method,
            outcome: 'attested',
          }),
        };
      case 'OrderRejected':
        if (!state.exists) return state;
        return {
          ...state,
          status: 'rejected',
          trail: withStep(state, {
            step: event.data.step,
            organisationId: event.data.organisationId,
            by: event.data.by,
            at: event.data.at,
            method: null,
            outcome: 'rejected',
            reason: event.data.reason,
          }),
        };
      case 'OrderFulfilled':
        if (!state.exists) return state;
        return {
          ...state,
          status: 'fulfilled',
          instructions: event.data.instructions,
          trail: withStep(state, { step: 'fulfilment', organisationId: null, by: event.data.by, at: event.data.at, method: null, outcome: 'fulfilled' }),
        };
      default:
        return assertNever(event);
    }
  },
};
