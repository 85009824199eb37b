import type { FastifyRequest } from 'fastify';
import { Language, preferredLanguage } from '@kundportal/kernel';

/** The language to answer a request in: its `Accept-Language`, Swedish when it names neither of ours. */
export function languageOf(request: FastifyRequest): Language {
  return preferredLanguage(request.headers['accept-language']);
}
