/** How the person acting signed in. `password` and `staff-console` are not e-ID. */
export type SignInMethod = 'bankid' | 'freja' | 'siths' | 'password';

/** Who caused an event: an account holder, a staff member, or an anonymous visitor. */
export interface Actor {
  /** Account id; for staff without an account, `staff:<subject>`; for visitors, `anonymous`. */
  id: string;
  name: string;
  method?: SignInMethod;
  staff?: boolean;
}

export const ANONYMOUS: Actor = { id: 'anonymous', name: 'Anonymous visitor' };
export const SYSTEM: Actor = { id: 'system', name: 'Kundportal' };

export interface EventMetadata {
  actor: Actor;
  correlationId: string;
  causationId: string;
  /** ISO-8601 UTC, from the injectable clock. */
  occurredAt: string;
  schemaVersion: number;
}

/** A domain event as deciders see it: an explicit stored type name and its data. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  type: TType;
  data: TData;
}

/** Context a command carries: who, when, and which request. */
export interface CommandContext {
  actor: Actor;
  now: Date;
  /** The request that started it all; shared by every command it causes. */
  correlationId: string;
  /** This command; becomes the causation id of the events it appends. */
  commandId: string;
  /** Set by the HTTP edge from `Idempotency-Key` so a retried command gets stable event ids. */
  idempotencyKey?: string;
}

/** What every command answers over HTTP: the affected entity and the log position after the write. */
export interface CommandAnswer {
  id: string;
  position: string;
  [extra: string]: unknown;
}

/** The answer to a command: the affected entity, the log position after the write (as a string), and any extras. */
export function commandAnswer(id: string, position: bigint, extra: Record<string, unknown> = {}): CommandAnswer {
  return { id, position: position.toString(), ...extra };
}
