import { DomainError } from '@kundportal/kernel';
import { DeciderSpecification } from '@kundportal/kernel/testing';
import { ReservationHeld, reservationDecider, Reservations } from './reservations';

const spec = DeciderSpecification.for(reservationDecider);
const key = Reservations.streamId('email', 'anna@region.se');
const now = new Date('2026-01-01T08:00:00.000Z');
const claimedAt = now.toISOString();
const claimed = (owner: string) => ({ type: 'ReservationClaimed' as const, data: { key, owner, claimedAt } });
const released = (owner: string) => ({ type: 'ReservationReleased' as const, data: { key, owner } });

describe('reservationDecider', () => {
  describe('Claim', () => {
    it('claims a free key', () => {
      spec.given([]).when({ type: 'Claim', key, owner: 'app-1', now }).then([claimed('app-1')]);
    });

    it('is a retry when the same owner claims again: no events', () => {
      spec.given([claimed('app-1')]).when({ type: 'Claim', key, owner: 'app-1', now }).thenNothing();
    });

    it('refuses another owner with ReservationHeld naming the kind and the holder', () => {
      const error = spec
        .given([claimed('app-1')])
        .when({ type: 'Claim', key, owner: 'app-2', now })
        .thenThrows(ReservationHeld, (e) => e.kind === 'email' && e.owner === 'app-1' && e.claimedAt === claimedAt);
      expect(error).toBeInstanceOf(DomainError);
      expect(error.statusCode).toBe(409);
      expect(error.code).toBe('RESERVATION_HELD');
    });

    it('takes the kind from the key prefix', () => {
      const pnrKey = Reservations.streamId('pnr', 'digest-1');
      DeciderSpecification.for(reservationDecider)
        .given([{ type: 'ReservationClaimed', data: { key: pnrKey, owner: 'acc-1', claimedAt } }])
        .when({ type: 'Claim', key: pnrKey, owner: 'acc-2', now })
        .thenThrows(ReservationHeld, (e) => e.kind === 'pnr' && e.claimedAt === claimedAt);
    });

    it('takes over an abandoned claim only from the holder named', () => {
      spec
        .given([claimed('app-1')])
        .when({ type: 'Claim', key, owner: 'app-2', now, takeOverFrom: 'app-1' })
        .then([{ type: 'ReservationClaimed', data: { key, owner: 'app-2', claimedAt, takenOverFrom: 'app-1' } }]);
      spec.given([claimed('app-1')]).when({ type: 'Claim', key, owner: 'app-2', now, takeOverFrom: 'app-3' }).thenThrows(ReservationHeld);
    });

    it('claims a key again after it was released, by anyone', () => {
      spec.given([claimed('app-1'), released('app-1')]).when({ type: 'Claim', key, owner: 'app-2', now }).then([claimed('app-2')]);
      spec.given([claimed('app-1'), released('app-1')]).when({ type: 'Claim', key, owner: 'app-1', now }).then([claimed('app-1')]);
    });
  });

  describe('Release', () => {
    it('releases a key held by the owner', () => {
      spec.given([claimed('app-1')]).when({ type: 'Release', key, owner: 'app-1' }).then([released('app-1')]);
    });

    it('does nothing when someone else holds the key', () => {
      spec.given([claimed('app-1')]).when({ type: 'Release', key, owner: 'app-2' }).thenNothing();
    });

    it('does nothing when the key is free or released already', () => {
      spec.given([]).when({ type: 'Release', key, owner: 'app-1' }).thenNothing();
      spec.given([claimed('app-1'), released('app-1')]).when({ type: 'Release', key, owner: 'app-1' }).thenNothing();
    });
  });

  describe('evolve', () => {
    it('tracks the holder through claims and releases', () => {
      const { evolve, initialState } = reservationDecider;
      expect(initialState()).toEqual({ owner: null, claimedAt: null });
      const held = evolve(initialState(), claimed('app-1'));
      expect(held).toEqual({ owner: 'app-1', claimedAt });
      expect(evolve(held, released('app-1'))).toEqual({ owner: null, claimedAt: null });
    });
  });
});
