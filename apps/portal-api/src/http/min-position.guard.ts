import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { parsePosition } from '@kundportal/eventstore';
import { ReadModelBehind, ValidationFailed } from '@kundportal/kernel';
import { ReadModelWaiter } from '@kundportal/readstore';

const HEADER = 'x-min-position';
const WAIT_MS = 5000;

/**
 * `X-Min-Position`: hold the request until the read models have reached that position (up to 5 s).
 * A guard rather than an interceptor: it runs after the AuthGuard and before any interceptor, pipe
 * or handler, as the wait must, and a request without the header pays for nothing else (an
 * interceptor puts Nest's interceptor chain on every request, tens of microseconds each).
 */
@Injectable()
export class MinPositionGuard implements CanActivate {
  constructor(private readonly waiter: ReadModelWaiter) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const raw = context.switchToHttp().getRequest<FastifyRequest>().headers[HEADER];
    if (raw === undefined) return true;
    const position = parsePosition(raw);
    if (position === null) throw ValidationFailed.field('X-Min-Position', 'must be a position returned by a command');
    return this.waiter.waitFor(position, WAIT_MS).then((reached) => {
      if (!reached) throw new ReadModelBehind(String(raw));
      return true;
    });
  }
}
