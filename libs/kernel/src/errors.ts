/** A field-level problem reported in an error body's `details`. */
export interface ErrorDetail {
  field: string;
  message: string;
}

/**
 * Every error the service answers with on purpose. The one exception filter maps it to
 * `{ statusCode, code, message, details }`; anything else becomes a 500 without internals.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

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
  constructor(details: ErrorDetail[], message = 'The request is not valid.') {
    super(400, 'VALIDATION_FAILED', message, details);
  }
  static field(field: string, message: string): ValidationFailed {
    return new ValidationFailed([{ field, message }]);
  }
}

export class Unauthenticated extends AppError {
  constructor(message = 'Sign in first.') {
    super(401, 'UNAUTHENTICATED', message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'You may not do this.') {
    super(403, 'FORBIDDEN', message);
  }
}

/** Does not exist, or is not visible to the caller: both answer the same. */
export class NotFound extends AppError {
  constructor(what = 'The resource') {
    super(404, 'NOT_FOUND', `${what} was not found.`);
  }
}

export class ReadModelBehind extends AppError {
  constructor(position: string) {
    super(503, 'READ_MODEL_BEHIND', `The read models have not reached position ${position} in time; try again.`);
  }
}

/** Too many attempts: try again after `retryAfterSeconds` (sent as Retry-After). */
export class TooManyRequests extends AppError {
  constructor(readonly retryAfterSeconds: number, message = 'Too many attempts; wait a while and try again.') {
    super(429, 'TOO_MANY_REQUESTS', message);
  }
}
