import type { EventMetadata } from '@kundportal/kernel';
import type { RecordedEvent } from './event-store.port';

/**
 * One step of an event type's history: data stored at `fromVersion` becomes the shape of
 * `fromVersion + 1`. Events are never rewritten in the log; they are read up to the current
 * version as they leave the store, so deciders and projections see one shape per type.
 */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: Record<string, unknown>, metadata: EventMetadata): Record<string, unknown>;
}

/**
 * `ReservationClaimed` 1 → 2: the first claims did not say when they were made (`claimedAt` came
 * later, and was read as "unknown"). The event's own time is when it was claimed.
 */
const reservationClaimedTimed: Upcaster = {
  type: 'ReservationClaimed',
  fromVersion: 1,
  upcast: (data, metadata) => ({ ...data, claimedAt: typeof data.claimedAt === 'string' ? data.claimedAt : metadata.occurredAt }),
};

/** Every upcaster, the one list both adapters read through. A type's steps must follow on (1 → 2 → 3 …). */
export const UPCASTERS: readonly Upcaster[] = [reservationClaimedTimed];

/** The version new events of each type are written at: one past its last upcaster. */
export function currentVersion(type: string, upcasters: readonly Upcaster[] = UPCASTERS): number {
  return upcasters.reduce((version, u) => (u.type === type ? Math.max(version, u.fromVersion + 1) : version), 1);
}

/** The event as its type looks now: its data passed through each step from its stored version on. */
export function upcast(event: RecordedEvent, upcasters: readonly Upcaster[] = UPCASTERS): RecordedEvent {
  const stored = event.metadata?.schemaVersion ?? 1;
  if (stored >= currentVersion(event.type, upcasters)) return event;
  let version = stored;
  let data = event.data as Record<string, unknown>;
  for (let step = upcasters.find((u) => u.type === event.type && u.fromVersion === version); step; step = upcasters.find((u) => u.type === event.type && u.fromVersion === version)) {
    data = step.upcast(data, event.metadata);
    version += 1;
  }
  return { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
}
