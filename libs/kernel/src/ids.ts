import { v7 } from 'uuid';

/**
 * Opaque entity and event ids: UUIDs (EventStoreDB requires them for events), version 7, so ids
 * made one after another sort together. The log's and the read models' indexes then grow at their
 * end, where a random id would dirty a different index page with every insert.
 */
export function newId(): string {
  return v7();
}
