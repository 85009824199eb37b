import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AccountQueries, PreferenceQueries, Principal } from '@kundportal/identity';
import { Language, preferredLanguage } from '@kundportal/kernel';
import type { AuthenticatedRequest } from './auth';

/** The language a request's `Accept-Language` prefers: Swedish when it names neither of ours. */
export function languageOf(request: FastifyRequest): Language {
  return preferredLanguage(request.headers['accept-language']);
}

/**
 * The language to answer a caller in: the one they chose (`PUT /me/preferences`), else their
 * request's `Accept-Language`. Looked up only when an answer needs words (an error), never on the
 * way of a request that succeeds.
 */
@Injectable()
export class CallerLanguage {
  private readonly logger = new Logger(CallerLanguage.name);

  constructor(private readonly accounts: AccountQueries, private readonly preferences: PreferenceQueries) {}

  /** `accountId`, when the caller's account is known already, spares looking it up again. */
  async of(request: FastifyRequest, accountId?: string | null): Promise<Language> {
    const principal = (request as AuthenticatedRequest).principal;
    if (!principal) return languageOf(request);
    try {
      return (await this.chosen(principal, accountId)) ?? languageOf(request);
    } catch (error) {
      // The read store being down is no reason to answer without words.
      this.logger.warn({ err: (error as Error).message }, 'Language preference not read');
      return languageOf(request);
    }
  }

  /** The language the principal chose, with their account or before they had one; null when they chose none. */
  async chosen(principal: Principal, accountId?: string | null): Promise<Language | null> {
    const account = accountId !== undefined ? accountId : ((await this.accounts.ofPrincipal(principal))?._id ?? null);
    return this.preferences.languageOfHolder({ accountId: account, subject: principal.subject });
  }
}
