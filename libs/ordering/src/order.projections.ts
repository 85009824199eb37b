import { RecordedEvent } from '@kundportal/eventstore';
import { IndexSpec, Projection, ProjectionContext } from '@kundportal/readstore';
import { OrderStatus, StepRecord, transitionOf } from './order.decider';
import { ORDER_EVENT_TYPES, orderEventOf, PersonRef, Step } from './order.events';

export const ORDERS = 'orders';
export const APPROVALS = 'order_approvals';

export interface OrderDoc {
  _id: string;
  organisationId: string;
  organisationName: string;
  offeringId: string;
  offeringName: string;
  details: Record<string, unknown>;
  /** The start-up fee the order was placed with, as the catalogue had it at submission. */
  startupFee: unknown;
  status: OrderStatus;
  viaAgentOrganisationId: string | null;
  viaAgentOrganisationName: string | null;
  submittedBy: PersonRef;
  submittedAt: string;
  lastChangedAt: string;
  steps: StepRecord[];
  instructions: string | null;
  /** The organisations whose members see the order. */
  visibleTo: string[];
  /** Stream revision this document reflects: older events are ignored, so replays change nothing. */
  revision: number;
  [key: string]: unknown;
}

export interface ApprovalDoc {
  _id: string;
  waiting: boolean;
  step: Step | null;
  /** Whose turn it is: members of this organisation holding `role`. */
  waitingOrganisationId: string | null;
  role: 'orderer' | 'attestant' | null;
  customerOrganisationId: string;
  customerOrganisationName: string;
  offeringName: string;
  submittedAt: string;
  submittedBy: { name: string };
  revision: number;
  [key: string]: unknown;
}

/** Whose turn it is in each waiting status: members of which side's organisation, with which role. */
const TURN: Partial<Record<OrderStatus, { step: Step; side: 'agent' | 'customer'; role: 'orderer' | 'attestant' }>> = {
  'awaiting-agent-approval': { step: 'agent-approval', side: 'agent', role: 'orderer' },
  'awaiting-agent-attestation': { step: 'agent-attestation', side: 'agent', role: 'attestant' },
  'awaiting-attestation': { step: 'attestation', side: 'customer', role: 'attestant' },
};

function turn(status: OrderStatus, customerOrganisationId: string, agentOrganisationId: string | null) {
  const t = TURN[status];
  if (!t) return { waiting: false, step: null, waitingOrganisationId: null, role: null };
  return { waiting: true, step: t.step, waitingOrganisationId: t.side === 'agent' ? agentOrganisationId : customerOrganisationId, role: t.role };
}

/**
 * Orders for their lists and detail pages, and the approvals overview: per order, whose turn it is.
 * Each document carries the stream revision it reflects and ignores older events; approvals that
 * are done are kept as `waiting: false` rather than deleted, so a replay cannot bring them back.
 */
export const ordersProjection: Projection = {
  name: 'orders',
  // 2: the start-up fee, withdrawals and cancellations, and each step's sign-in method.
  version: 2,
  collections: {
    [ORDERS]: [{ keys: { visibleTo: 1, lastChangedAt: -1 } }],
    [APPROVALS]: [{ keys: { waitingOrganisationId: 1, waiting: 1 } }],
  } as Record<string, IndexSpec[]>,
  eventTypes: ORDER_EVENT_TYPES,
  apply(recorded: RecordedEvent, ctx: ProjectionContext) {
    const event = orderEventOf(recorded);
    const revision = Number(recorded.revision);
    const orders = ctx.collection<OrderDoc>(ORDERS);
    const approvals = ctx.collection<ApprovalDoc>(APPROVALS);

    if (event.type === 'OrderSubmitted') {
      const d = event.data;
      const status: OrderStatus = d.viaAgentOrganisationId ? 'awaiting-agent-approval' : 'awaiting-attestation';
      orders.updateOne(
        { _id: d.orderId },
        {
          $setOnInsert: {
            organisationId: d.organisationId,
            organisationName: d.organisationName,
            offeringId: d.offering.offeringId,
            offeringName: d.offering.name,
            details: d.details,
            startupFee: d.offering.startupFee,
            status,
            viaAgentOrganisationId: d.viaAgentOrganisationId,
            viaAgentOrganisationName: d.viaAgentOrganisationName,
            submittedBy: d.submittedBy,
            submittedAt: d.submittedAt,
            lastChangedAt: d.submittedAt,
            steps: [],
            instructions: null,
            visibleTo: d.viaAgentOrganisationId ? [d.organisationId, d.viaAgentOrganisationId] : [d.organisationId],
            revision,
          },
        },
        { upsert: true },
      );
      approvals.updateOne(
        { _id: d.orderId },
        {
          $setOnInsert: {
            ...turn(status, d.organisationId, d.viaAgentOrganisationId),
            customerOrganisationId: d.organisationId,
            customerOrganisationName: d.organisationName,
            offeringName: d.offering.name,
            submittedAt: d.submittedAt,
            submittedBy: { name: d.submittedBy.name },
            revision,
          },
        },
        { upsert: true },
      );
      return;
    }

    const { status, step } = transitionOf(event);
    const newer = { _id: event.data.orderId, revision: { $lt: revision } };
    // The agent acted at agent steps; only the agent's approval leads to another agent step.
    const agent = event.type === 'OrderApprovedByAgent' ? event.data.organisationId : null;
    orders.updateOne(newer, {
      $set: { status, lastChangedAt: event.data.at, revision, ...(event.type === 'OrderFulfilled' ? { instructions: event.data.instructions } : {}) },
      $push: { steps: step },
    });
    if (event.type !== 'OrderFulfilled') {
      approvals.updateOne(newer, { $set: { ...turn(status, event.data.customerOrganisationId, agent), revision } });
    }
  },
};
