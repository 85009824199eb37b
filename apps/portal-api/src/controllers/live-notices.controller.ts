import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Principal } from '@kundportal/identity';
import { Badge, BadgeSink, LiveNotices } from '@kundportal/notifications';
import { CurrentPrincipal } from '../http/auth';
import { CallerService } from '../http/caller.service';
import { bearerExpiresAt } from '../http/query-token';

/** How long a browser waits before reconnecting after the stream ends (the service restarting, the sign-in expired). */
const RETRY_MS = 5_000;
/** setTimeout's longest delay (about 24 days): a token living longer ends its stream then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/notifications')
export class LiveNoticesController {
  constructor(
    private readonly callers: CallerService,
    private readonly live: LiveNotices,
  ) {}

  /**
   * Server-sent events on the raw response: the stream is hijacked from Fastify once it starts, so
   * no answer hook (idempotency, metrics) waits for its end. Until then (sign-in, limits) errors
   * answer in the contract's shape as on any route.
   */
  @Get('stream')
  @ApiOperation({
    summary:
      'The badge, live (server-sent events): event `badge` with the same object as `GET /me/notifications`’ badge, on connect and whenever it changes; a comment every 15 s keeps proxies from closing it. The token may come as `?access_token=` (browsers’ EventSource)',
  })
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'access_token', required: false, description: 'The access token, for clients that cannot send an Authorization header' })
  async stream(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const caller = await this.callers.resolve(principal);
    const raw = reply.raw;
    const write = (chunk: string) => {
      if (!raw.writableEnded && !raw.destroyed) raw.write(chunk);
    };
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx and its kind pass each event on at once instead of buffering the answer.
        'x-accel-buffering': 'no',
      });
      write(`retry: ${RETRY_MS}\n\n`);
    };
    const sink: BadgeSink = {
      badge: (badge: Badge) => {
        start();
        write(`event: badge\ndata: ${JSON.stringify(badge)}\n\n`);
      },
      heartbeat: () => write(': heartbeat\n\n'),
      close: () => raw.end(),
    };
    // Accounts are created and change (a person joins an organisation): looked up at each change.
    let account = caller.account;
    const notified = async () => {
      if (!account) account = (await this.callers.resolve(principal)).account;
      return { personalNumber: principal.personalNumber, accountId: account?._id ?? null, staff: principal.staff };
    };
    const unsubscribe = await this.live.subscribe(principal.subject, notified, sink);
    start();
    if (request.raw.destroyed || raw.destroyed) return unsubscribe();
    // The stream ends with the sign-in: the browser reconnects, is refused, and signs in again.
    const expiresAt = bearerExpiresAt(request.headers.authorization);
    const expiry = expiresAt === null ? undefined : setTimeout(() => raw.end(), Math.min(Math.max(0, expiresAt - Date.now()), MAX_TIMER_MS)).unref();
    raw.on('close', () => {
      clearTimeout(expiry);
      unsubscribe();
    });
  }
}
