import { sv, translate, TranslationParams } from './i18n';

/** A field-level problem reported in an error body's `details`. */
export interface ErrorDetail {
  field: string;
  message: string;
  /** The class-validator check that failed, and its arguments: how the message is translated when our own text has no translation. */
  constraint?: string;
  args?: readonly unknown[];
}

/**
 * What a translated message needs besides its code: its `{{parameters}}`, and `context`, the
 * reason that picks `errors.CODE_context` over `errors.CODE` (see libs/kernel/src/i18n).
 */
export type ErrorParams = { context?: string } & Record<string, string | number>;

/** The reasons a code has messages for: `FORBIDDEN_staffOnly` makes `staffOnly` a reason of FORBIDDEN. */
export type ReasonOf<Code extends string, Key = keyof typeof sv.errors> = Key extends `${Code}_${infer Reason}` ? Reason : never;
/** What a NOT_FOUND may name: a key of `things` in the translations. */
export type Thing = keyof typeof sv.things;

/**
 * Every error the service answers with on purpose. The one exception filter maps it to
 * `{ statusCode, code, message, details }`; anything else becomes a 500 without internals.
 */
export class AppError extends Error {
  readonly params: ErrorParams = {};

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The message's parameters and reason, for its translations: `DomainError.rule(CODE, '…').withParams({ limit: 3 })`. */
  withParams(params: ErrorParams): this {
    Object.assign(this.params, params);
    return this;
  }
}

/** The English message of a code (and reason), for errors whose thrower names only the reason. */
const english = (code: string, params: TranslationParams = {}) => translate('en', `errors:${code}`, params);

/** A business rule refused the command (422) or the state forbids it now (409). */
export class DomainError extends AppError {
  static rule(code: string, message: string, details?: ErrorDetail[]): DomainError {
    return new DomainError(422, code, message, details);
  }
  static conflict(code: string, message: string): DomainError {
    return new DomainError(409, code, message);
  }
}

export class ValidationFailed extends AppError {
  /** `reason` picks one of VALIDATION_FAILED's messages (e.g. `orderDetails`). */
  constructor(details: ErrorDetail[], reason?: ReasonOf<'VALIDATION_FAILED'>) {
    super(400, 'VALIDATION_FAILED', english('VALIDATION_FAILED', { context: reason }), details);
    if (reason) this.params.context = reason;
  }
  static field(field: string, message: string): ValidationFailed {
    return new ValidationFailed([{ field, message }]);
  }
}

/** `reason` picks one of UNAUTHENTICATED's messages (`errors.UNAUTHENTICATED_<reason>`). */
export class Unauthenticated extends AppError {
  constructor(reason?: ReasonOf<'UNAUTHENTICATED'>) {
    super(401, 'UNAUTHENTICATED', english('UNAUTHENTICATED', { context: reason }));
    if (reason) this.params.context = reason;
  }
}

/** `reason` picks one of FORBIDDEN's messages (`errors.FORBIDDEN_<reason>`, e.g. `staffOnly`). */
export class Forbidden extends AppError {
  constructor(reason?: ReasonOf<'FORBIDDEN'>) {
    super(403, 'FORBIDDEN', english('FORBIDDEN', { context: reason }));
    if (reason) this.params.context = reason;
  }
}

/**
 * Does not exist, or is not visible to the caller: both answer the same. `thing` is what the
 * message names, a key of `things` in the translations (`order`, `organisation`…).
 */
export class NotFound extends AppError {
  constructor(thing: Thing = 'resource') {
    super(404, 'NOT_FOUND', english('NOT_FOUND', { thing: translate('en', `things:${thing}`, { defaultValue: thing }) }));
    this.params.thing = thing;
  }
}

export class ReadModelBehind extends AppError {
  constructor(position: string) {
    super(503, 'READ_MODEL_BEHIND', english('READ_MODEL_BEHIND', { position }));
    this.params.position = position;
  }
}

/** Too many attempts: try again after `retryAfterSeconds` (sent as Retry-After). */
export class TooManyRequests extends AppError {
  constructor(readonly retryAfterSeconds: number, message = 'Too many attempts; wait a while and try again.') {
    super(429, 'TOO_MANY_REQUESTS', message);
  }
}
