import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, RecordedEvent } from '@kundportal/eventstore';
import { NotFound } from '@kundportal/kernel';
import { OrganisationFactsReader } from '@kundportal/organisations';
import { orderDecider, OrderState, stepsOf } from './order.decider';
import { orderEventOf, orderStream, OrderSubmitted } from './order.events';

/**
 * The order as auditors see it: the write side's own state, folded with the same `evolve`. In a
 * history each event's state leaves out the steps (the events before it are the steps), so the
 * answer grows with the events, not with their square.
 */
export function orderStateView(state: OrderState, withSteps = true) {
  if (!state.exists) return null;
  const o = state.order;
  return {
    id: o.orderId,
    status: state.status,
    organisationId: o.organisationId,
    organisationName: o.organisationName,
    viaAgentOrganisationId: o.viaAgentOrganisationId,
    offering: o.offering,
    /** Recorded at submission from the catalogue: the fee this order carries whatever the catalogue says later. */
    startupFee: o.offering.startupFee,
    details: o.details,
    submittedBy: o.submittedBy,
    submittedAt: o.submittedAt,
    ...(withSteps ? { steps: stepsOf(state) } : { stepCount: state.trail?.count ?? 0, lastStep: state.trail?.latest ?? null }),
    instructions: state.instructions,
  };
}

/**
 * Audit replay. By design the one read that folds an aggregate instead of reading a projection:
 * auditors want the order exactly as the write side knew it, event by event.
 */
@Injectable()
export class OrderHistory {
  constructor(
    private readonly organisations: OrganisationFactsReader,
    @Inject(EVENT_STORE) private readonly log: EventStore,
  ) {}

  /** The order's events as stored; each reader folds them as it needs. */
  private async events(orderId: string): Promise<RecordedEvent[]> {
    const recorded = await this.log.readStream(orderStream(orderId));
    if (recorded.length === 0) throw new NotFound('order');
    return recorded;
  }

  /**
   * What was ordered, by whom, for which organisation: the order's first event, which nothing
   * after it changes. Null when there is no such order. For reactors, which must not wait on read
   * models, and need not fold a long order to learn this.
   */
  async submission(orderId: string): Promise<OrderSubmitted['data'] | null> {
    const [first] = await this.log.readStream(orderStream(orderId), { maxCount: 1 });
    return first?.type === 'OrderSubmitted' ? (first.data as OrderSubmitted['data']) : null;
  }

  async history(orderId: string) {
    let state = orderDecider.initialState();
    const events = (await this.events(orderId)).map((e) => {
      const event = orderEventOf(e);
      state = orderDecider.evolve(state, event);
      return {
        revision: Number(e.revision),
        position: e.position.toString(),
        type: e.type,
        at: e.metadata.occurredAt,
        // How the actor signed in, and (for an attestation) how the step was attested: two different things.
        actor: { id: e.metadata.actor.id, name: e.metadata.actor.name, method: e.metadata.actor.method ?? null },
        attestationMethod: event.type === 'OrderAttested' ? event.data.method : null,
        correlationId: e.metadata.correlationId,
        data: e.data,
        state: orderStateView(state, false),
      };
    });
    return { orderId, events };
  }

  /** The order as it stood at `at`, and who held which role then in its organisations. */
  async stateAt(orderId: string, at: Date) {
    let state = orderDecider.initialState();
    let revision: number | null = null;
    for (const e of await this.events(orderId)) {
      if (Date.parse(e.metadata.occurredAt) > at.getTime()) break;
      state = orderDecider.evolve(state, orderEventOf(e));
      revision = Number(e.revision);
    }
    if (!state.exists) return { revision: null, state: null, roles: null };
    const rolesAt = async (organisationId: string | null) => {
      if (!organisationId) return null;
      const facts = await this.organisations.readAt(organisationId, at);
      if (!facts) return null;
      return { organisationId, attestants: facts.holders('attestant'), orderers: facts.holders('orderer') };
    };
    return {
      revision,
      state: orderStateView(state),
      roles: { customer: await rolesAt(state.order.organisationId), agent: await rolesAt(state.order.viaAgentOrganisationId) },
    };
  }
}
