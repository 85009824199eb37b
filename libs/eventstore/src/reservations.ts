import { Injectable } from '@nestjs/common';
import { CommandContext, Decider, DomainError } from '@kundportal/kernel';
import { CommandExecutor } from './command-executor';

/**
 * Uniqueness across aggregates (one account per personnummer, one per e-mail) kept by one small
 * stream per key: `<kind>-<key>`. Whoever claims it first holds it; the same owner claiming again
 * is a retry and succeeds.
 */
export type ReservationKind = 'pnr' | 'email';

type ReservationEvent =
  // Version 2: `claimedAt` always there (version 1 events get their own time, see upcasting.ts).
  | { type: 'ReservationClaimed'; data: { key: string; owner: string; claimedAt: string; takenOverFrom?: string } }
  | { type: 'ReservationReleased'; data: { key: string; owner: string } };

type ReservationCommand =
  | { type: 'Claim'; key: string; owner: string; now: Date; takeOverFrom?: string }
  | { type: 'Release'; key: string; owner: string };

interface ReservationState {
  owner: string | null;
  claimedAt: string | null;
}

export class ReservationHeld extends DomainError {
  constructor(readonly kind: ReservationKind, readonly owner: string, readonly claimedAt: string | null) {
    super(409, 'RESERVATION_HELD', `That ${kind} is already in use.`);
    this.params.kind = kind;
  }
}

export const reservationDecider: Decider<ReservationCommand, ReservationEvent, ReservationState> = {
  initialState: () => ({ owner: null, claimedAt: null }),
  decide(command, state) {
    switch (command.type) {
      case 'Claim': {
        if (state.owner === command.owner) return [];
        const takeOver = state.owner !== null && state.owner === command.takeOverFrom;
        if (state.owner !== null && !takeOver) throw new ReservationHeld(kindOf(command.key), state.owner, state.claimedAt);
        const data = { key: command.key, owner: command.owner, claimedAt: command.now.toISOString() };
        return [{ type: 'ReservationClaimed', data: takeOver ? { ...data, takenOverFrom: state.owner as string } : data }];
      }
      case 'Release':
        if (state.owner !== command.owner) return [];
        return [{ type: 'ReservationReleased', data: { key: command.key, owner: command.owner } }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ReservationClaimed':
        return { owner: event.data.owner, claimedAt: event.data.claimedAt };
      case 'ReservationReleased':
        return { owner: null, claimedAt: null };
    }
  },
};

function kindOf(key: string): ReservationKind {
  return key.slice(0, key.indexOf('-')) as ReservationKind;
}

@Injectable()
export class Reservations {
  constructor(private readonly executor: CommandExecutor) {}

  static streamId(kind: ReservationKind, key: string): string {
    return `${kind}-${key}`;
  }

  /**
   * Claims the key for `owner`; throws ReservationHeld when someone else holds it. `abandoned` tells
   * whether a holder's claim was left behind (its owner never came to exist, e.g. a crash between
   * the claim and the owner's first event); such a claim is taken over instead of blocking the key.
   */
  async claim(
    kind: ReservationKind,
    key: string,
    owner: string,
    context: CommandContext,
    abandoned?: (holder: string, claimedAt: Date | null) => Promise<boolean>,
  ): Promise<void> {
    const streamId = Reservations.streamId(kind, key);
    const claim = { type: 'Claim' as const, key: streamId, owner, now: context.now };
    try {
      await this.executor.execute(reservationDecider, streamId, claim, context);
    } catch (error) {
      if (!(error instanceof ReservationHeld) || !abandoned) throw error;
      if (!(await abandoned(error.owner, error.claimedAt ? new Date(error.claimedAt) : null))) throw error;
      await this.executor.execute(reservationDecider, streamId, { ...claim, takeOverFrom: error.owner }, context);
    }
  }

  async release(kind: ReservationKind, key: string, owner: string, context: CommandContext): Promise<void> {
    const streamId = Reservations.streamId(kind, key);
    await this.executor.execute(reservationDecider, streamId, { type: 'Release', key: streamId, owner }, context);
  }

  async holder(kind: ReservationKind, key: string): Promise<string | null> {
    const { state } = await this.executor.load(reservationDecider, Reservations.streamId(kind, key));
    return state.owner;
  }
}
