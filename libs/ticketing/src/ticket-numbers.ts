import { Injectable } from '@nestjs/common';
import { CommandExecutor } from '@kundportal/eventstore';
import { CommandContext, Decider, DomainError } from '@kundportal/kernel';

/**
 * Short, unique, roughly increasing ticket numbers (T-1001, T-1002, …) without a hot stream: each
 * process takes a block of numbers from the `ticket-numbers` stream (one append per block, with
 * optimistic concurrency across processes) and hands them out from memory. A crash wastes the rest
 * of a block, never repeats a number.
 */
const BLOCK = 100;
const FIRST = 1001;
const STREAM = 'ticket-numbers';

type BlockEvent = { type: 'TicketNumberBlockAllocated'; data: { first: number; last: number } };
type BlockCommand = { type: 'AllocateBlock'; size: number };

const blockDecider: Decider<BlockCommand, BlockEvent, { next: number }> = {
  initialState: () => ({ next: FIRST }),
  decide: (command, state) => [{ type: 'TicketNumberBlockAllocated', data: { first: state.next, last: state.next + command.size - 1 } }],
  evolve: (_state, event) => ({ next: event.data.last + 1 }),
};

@Injectable()
export class TicketNumbers {
  private next = 0;
  private last = -1;
  private refill: Promise<void> | null = null;

  constructor(private readonly executor: CommandExecutor) {}

  async allocate(context: CommandContext): Promise<string> {
    for (let failures = 0; this.next > this.last; ) {
      this.refill ??= this.allocateBlock(context).finally(() => (this.refill = null));
      try {
        await this.refill;
      } catch (error) {
        // Other processes took the blocks we raced for: try again rather than refuse every waiting caller.
        if (!(error instanceof DomainError && error.code === 'CONCURRENCY_CONFLICT') || ++failures > 20) throw error;
      }
    }
    return `T-${this.next++}`;
  }

  private async allocateBlock(context: CommandContext): Promise<void> {
    const { events } = await this.executor.execute(blockDecider, STREAM, { type: 'AllocateBlock', size: BLOCK }, context);
    const block = (events[0] as BlockEvent).data;
    this.next = block.first;
    this.last = block.last;
  }
}
