import { randomUUID } from 'node:crypto';

/** Opaque entity and event ids (UUID v4: EventStoreDB requires event ids to be UUIDs). */
export function newId(): string {
  return randomUUID();
}
