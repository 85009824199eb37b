import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, Observable, switchMap } from 'rxjs';
import { parsePosition } from '@kundportal/eventstore';
import { ReadModelBehind, ValidationFailed } from '@kundportal/kernel';
import { ReadModelWaiter } from '@kundportal/readstore';

const HEADER = 'x-min-position';
const WAIT_MS = 5000;

/** `X-Min-Position`: hold the request until the read models have reached that position (up to 5 s). */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(private readonly waiter: ReadModelWaiter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const raw = context.switchToHttp().getRequest<FastifyRequest>().headers[HEADER];
    if (raw === undefined) return next.handle();
    const position = parsePosition(raw);
    if (position === null) throw ValidationFailed.field('X-Min-Position', 'must be a position returned by a command');
    return from(this.waiter.waitFor(position, WAIT_MS)).pipe(
      switchMap((reached) => {
        if (!reached) throw new ReadModelBehind(String(raw));
        return next.handle();
      }),
    );
  }
}
