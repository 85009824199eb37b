import { HttpException, HttpStatus } from '@nestjs/common';
import { AppError, DEFAULT_LANGUAGE, ErrorDetail, ErrorParams, Language, translate, translateMessage } from '@kundportal/kernel';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: ErrorDetail[];
}

const CODES: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  431: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * The one mapping from anything thrown to the contract's error body, in the caller's language.
 * Known errors keep their status and code; the message is their code's translation (with the
 * reason and parameters they carry), and `details` keep their fields with translated messages.
 * Anything else is a 500 that tells nothing about internals.
 */
export function toErrorBody(error: unknown, language: Language = DEFAULT_LANGUAGE): ErrorBody {
  if (error instanceof AppError) {
    const message = errorMessage(language, error.code, error.params, error.message);
    return { statusCode: error.statusCode, code: error.code, message, ...(error.details ? { details: error.details.map((d) => translateDetail(language, d)) } : {}) };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = CODES[status] ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL_ERROR');
    return { statusCode: status, code, message: errorMessage(language, code, status === 404 ? { thing: 'route' } : {}, error.message) };
  }
  // Fastify's own errors (body too large, malformed JSON, bad URL, unsupported media type) carry a statusCode.
  const status = (error as { statusCode?: unknown })?.statusCode;
  const code = (error as { code?: unknown })?.code;
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') {
    // An id that long names nothing.
    return { statusCode: 404, code: 'NOT_FOUND', message: errorMessage(language, 'NOT_FOUND', { thing: 'resource' }) };
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const ours = CODES[status] ?? 'BAD_REQUEST';
    return { statusCode: status, code: ours, message: errorMessage(language, ours, isBodyParseError(code, status) ? { context: 'json' } : {}, String((error as Error).message)) };
  }
  return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL_ERROR', message: errorMessage(language, 'INTERNAL_ERROR', {}) };
}

/** Fastify could not parse the body (as JSON). */
function isBodyParseError(code: unknown, status: number): boolean {
  return status === 400 && typeof code === 'string' && code.startsWith('FST_ERR_CTP_');
}

/** A code's message: `errors.CODE` (or `errors.CODE_reason`); the thing a NOT_FOUND names is itself translated. */
function errorMessage(language: Language, code: string, params: ErrorParams, fallback?: string): string {
  const values: Record<string, string | number> = { ...params };
  if (typeof params.thing === 'string') values.thing = translate(language, `things:${params.thing}`, { defaultValue: params.thing });
  return translate(language, `errors:${code}`, { ...values, defaultValue: fallback ?? code });
}

/**
 * A detail's message in the language: our own checks' texts by their English text, class-validator's
 * by the check's name and arguments; English as it was written otherwise. The field never changes.
 */
function translateDetail(language: Language, detail: ErrorDetail): ErrorDetail {
  if (language === 'en') return { field: detail.field, message: detail.message };
  const ours = translateMessage(language, detail.message);
  if (ours !== detail.message || !detail.constraint) return { field: detail.field, message: ours };
  const args = Object.fromEntries((detail.args ?? []).map((arg, i) => [String(i), Array.isArray(arg) ? arg.join(', ') : String(arg)]));
  return { field: detail.field, message: translate(language, `validation:${detail.constraint}`, { ...args, defaultValue: detail.message }) };
}
