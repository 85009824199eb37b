import { HttpException, HttpStatus } from '@nestjs/common';
import { AppError, ErrorDetail } from '@kundportal/kernel';

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
 * The one mapping from anything thrown to the contract's error body. Known errors keep their
 * status and code; anything else is a 500 that tells nothing about internals.
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof AppError) {
    return { statusCode: error.statusCode, code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    return { statusCode: status, code: CODES[status] ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL_ERROR'), message: status >= 500 ? 'Something went wrong.' : message };
  }
  // Fastify's own errors (body too large, malformed JSON, bad URL, unsupported media type) carry a statusCode.
  const status = (error as { statusCode?: unknown })?.statusCode;
  const code = (error as { code?: unknown })?.code;
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') {
    // An id that long names nothing.
    return { statusCode: 404, code: 'NOT_FOUND', message: 'The resource was not found.' };
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message =
      typeof code === 'string' && code.startsWith('FST_ERR_CTP_') && status === 400
        ? 'The request body is not valid JSON.'
        : status === 400
          ? 'The request is not valid.'
          : String((error as Error).message);
    return { statusCode: status, code: CODES[status] ?? 'BAD_REQUEST', message };
  }
  return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL_ERROR', message: 'Something went wrong.' };
}
