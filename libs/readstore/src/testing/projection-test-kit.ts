import type { RecordedEvent } from '@kundportal/eventstore';
import { EmbeddedReadStore } from '../embedded/embedded-read-store';
import type { Projection } from '../projections/projection';
import { ProjectionBatch } from '../projections/projection-batch';
import type { Doc, ReadStore } from '../read-store.port';

let position = 0n;

/** A recorded event as the log would deliver it, for projection specs. */
export function recorded(type: string, data: unknown, streamId = 'test-stream', revision = 0n): RecordedEvent {
  position += 1n;
  return {
    id: `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`,
    streamId,
    revision,
    position,
    type,
    data,
    metadata: {
      actor: { id: 'actor', name: 'Actor' },
      correlationId: 'c',
      causationId: 'c',
      occurredAt: new Date(Date.UTC(2026, 0, 1) + Number(position) * 1000).toISOString(),
      schemaVersion: 1,
    },
  };
}

/** Applies events to a projection as the runner does (one batch), on an in-memory store. */
export async function project(projection: Projection, events: RecordedEvent[], store: ReadStore = EmbeddedReadStore.inMemory()) {
  const batch = new ProjectionBatch(store, new Set(Object.keys(projection.collections)));
  for (const event of events) {
    if (projection.eventTypes.includes(event.type)) await projection.apply(event, batch);
  }
  await batch.flush();
  return store;
}

/** Every document of the projection's collections, sorted by id: comparable across runs. */
export async function snapshot(projection: Projection, store: ReadStore): Promise<Record<string, Doc[]>> {
  const result: Record<string, Doc[]> = {};
  for (const name of Object.keys(projection.collections)) {
    result[name] = await store.collection(name).find({}, { sort: { _id: 1 } });
  }
  return result;
}
