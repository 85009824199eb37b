import { Injectable } from '@nestjs/common';
import { CommandContext, Decider, DomainError } from '@kundportal/kernel';
import { CommandExecutor } from './command-executor';

/**
 * Uniqueness across aggregates (one organisation per organisationsnummer, one account per
 * personnummer and per e-mail) kept by one small stream per key: `<kind>-<key>`. Whoever claims
 * it first holds it; the same owner claiming again is a retry and succeeds.
 */
export type ReservationKind = 'orgnr' | 'pnr' | 'email';

type ReservationEvent =
  | { type: 'ReservationClaimed'; data: { key: string; owner: string } }
  | { type: 'ReservationReleased'; data: { key: string; owner: string } };

type ReservationCommand = { type: 'Claim'; key: string; owner: string } | { type: 'Release'; key: string; owner: string };

interface ReservationState {
  owner: string | null;
}

export class ReservationHeld extends DomainError {
  constructor(readonly kind: ReservationKind, readonly owner: string) {
    super(409, 'RESERVATION_HELD', `That ${kind} is already in use.`);
  }
}

export const reservationDecider: Decider<ReservationCommand, ReservationEvent, ReservationState> = {
  initialState: () => ({ owner: null }),
  decide(command, state) {
    switch (command.type) {
      case 'Claim':
        if (state.owner === command.owner) return [];
        if (state.owner !== null) throw new ReservationHeld(kindOf(command.key), state.owner);
        return [{ type: 'ReservationClaimed', data: { key: command.key, owner: command.owner } }];
      case 'Release':
        if (state.owner !== command.owner) return [];
        return [{ type: 'ReservationReleased', data: { key: command.key, owner: command.owner } }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ReservationClaimed':
        return { owner: event.data.owner };
      case 'ReservationReleased':
        return { owner: null };
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

  /** Claims the key for `owner`; throws ReservationHeld when someone else holds it. */
  async claim(kind: ReservationKind, key: string, owner: string, context: CommandContext): Promise<void> {
    const streamId = Reservations.streamId(kind, key);
    await this.executor.execute(reservationDecider, streamId, { type: 'Claim', key: streamId, owner }, context);
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
