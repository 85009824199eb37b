import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TooManyRequests } from '@kundportal/kernel';
import { toErrorBody } from './error-body';
import { CallerLanguage } from './language';
import { EarlierAnswer } from './idempotency';

/** The one exception filter: every error leaves in the contract's shape. */
@Catch()
@Injectable()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly language: CallerLanguage) {}

  async catch(error: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    if (error instanceof EarlierAnswer) return void reply.status(error.statusCode).send(error.body);
    const body = toErrorBody(error, await this.language.of(request));
    if (body.statusCode >= 500) {
      this.logger.error({ err: error, reqId: request.id, url: request.routeOptions?.url }, 'Request failed');
    }
    if (body.statusCode === 503 && body.code === 'READ_MODEL_BEHIND') reply.header('Retry-After', '1');
    if (error instanceof TooManyRequests) reply.header('Retry-After', String(error.retryAfterSeconds));
    void reply.status(body.statusCode).send(body);
  }
}
