import { Injectable } from '@nestjs/common';
import { CommandExecutor } from '@kundportal/eventstore';
import { NotFound } from '@kundportal/kernel';
import { Ticket, ticketDecider } from './ticket.decider';
import { ticketStream } from './ticket.events';

/** The ticket as its stream has it: every event for staff's timeline, and the current state for reactors. */
@Injectable()
export class TicketTimeline {
  constructor(private readonly executor: CommandExecutor) {}

  async timeline(ticketId: string) {
    const { recorded } = await this.executor.load(ticketDecider, ticketStream(ticketId));
    if (recorded.length === 0) throw new NotFound('ticket');
    return recorded.map((e) => ({
      position: e.position.toString(),
      revision: Number(e.revision),
      type: e.type,
      at: e.metadata.occurredAt,
      actor: { id: e.metadata.actor.id, name: e.metadata.actor.name, staff: e.metadata.actor.staff === true },
      data: e.data,
    }));
  }

  /** Null when there is no such ticket. */
  async current(ticketId: string): Promise<Ticket | null> {
    const { state } = await this.executor.load(ticketDecider, ticketStream(ticketId));
    return state.exists ? state : null;
  }
}
