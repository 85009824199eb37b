import { CallHandler, ExecutionContext, HttpStatus, Inject, Injectable, NestInterceptor, OnModuleInit, RequestMethod, Type, UseInterceptors } from '@nestjs/common';
import { HTTP_CODE_METADATA, INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { catchError, from, Observable, of, switchMap, tap } from 'rxjs';
import { APP_CONFIG, AppConfig, AppError, Clock, CLOCK, DomainError, ValidationFailed } from '@kundportal/kernel';
import { DuplicateKeyError, READ_STORE, ReadStore } from '@kundportal/readstore';
import type { AuthenticatedRequest } from './auth';
import { IDEMPOTENCY_HEADER } from './caller.service';
import { toErrorBody } from './error-body';

export const IDEMPOTENCY_KEYS = 'idempotency_keys';
const TTL_MS = 24 * 3600 * 1000;
const WAIT_FOR_FIRST_MS = 10_000;
/** A claim still pending after this was left by a process that died mid-request; a repeat takes it over. */
const ABANDONED_AFTER_MS = 60_000;

interface KeyDoc {
  _id: string;
  fingerprint: string;
  state: 'pending' | 'done';
  statusCode: number | null;
  body: unknown;
  createdAt: string;
  [key: string]: unknown;
}

/**
 * `Idempotency-Key` on a command: the same caller repeating the key within 24 h gets the first
 * answer again and causes no second change. The key is claimed before the command runs (a unique
 * insert), so concurrent repeats wait for the first instead of running twice.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor, OnModuleInit {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The embedded read store belongs to one process at a time (its file is locked), so a claim still
   * pending at start was left by the previous process: free it for the client's retry. A retry runs
   * the command again with the same key, whose derived event ids make a repeat of a stored decision
   * harmless.
   */
  async onModuleInit(): Promise<void> {
    if (this.config.readStore.kind === 'embedded') {
      await this.store.collection<KeyDoc>(IDEMPOTENCY_KEYS).deleteMany({ state: 'pending' });
    }
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (typeof key !== 'string' || (request.method !== 'POST' && request.method !== 'PUT')) return next.handle();
    if (key.length === 0 || key.length > 200) throw ValidationFailed.field('Idempotency-Key', 'must be 1 to 200 characters');
    const reply = http.getResponse<FastifyReply>();
    const id = createHash('sha256').update(`${request.principal?.subject ?? 'anonymous'}\u0000${key}`).digest('hex');
    const fingerprint = createHash('sha256').update(`${request.method} ${request.url}\u0000${JSON.stringify(request.body ?? null)}`).digest('hex');
    const status = successStatus(context);

    return from(this.claim(id, fingerprint)).pipe(
      switchMap((earlier) => {
        if (earlier) {
          void reply.status(earlier.statusCode ?? 200);
          return of(earlier.body);
        }
        return next.handle().pipe(
          switchMap((body) => from(this.finish(id, status, body)).pipe(switchMap(() => of(body)))),
          catchError((error: unknown) => {
            const answer = toErrorBody(error);
            // Refusals are answers too; failures of ours leave the key free for a retry.
            const settle = error instanceof AppError && answer.statusCode < 500 ? this.finish(id, answer.statusCode, answer, true) : this.forget(id);
            return from(settle).pipe(tap(() => { throw error; }));
          }),
        );
      }),
    );
  }

  /** Claims the key, or returns the earlier answer; waits while a first request is still running. */
  private async claim(id: string, fingerprint: string): Promise<{ statusCode: number | null; body: unknown } | null> {
    const keys = this.store.collection<KeyDoc>(IDEMPOTENCY_KEYS);
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
      const now = this.clock.now();
      try {
        await keys.insertOne({ _id: id, fingerprint, state: 'pending', statusCode: null, body: null, createdAt: now.toISOString() });
        return null;
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
      }
      const existing = await keys.findOne({ _id: id });
      if (!existing) continue;
      const age = now.getTime() - Date.parse(existing.createdAt);
      if (age > TTL_MS || (existing.state === 'pending' && age > ABANDONED_AFTER_MS)) {
        await keys.deleteOne({ _id: id, createdAt: existing.createdAt });
        continue;
      }
      if (existing.fingerprint !== fingerprint) {
        throw DomainError.rule('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request.');
      }
      if (existing.state === 'done') return { statusCode: existing.statusCode, body: existing.body };
      if (Date.now() + pause > deadline) {
        throw DomainError.conflict('IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still being handled.');
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  private async finish(id: string, statusCode: number, body: unknown, isError = false): Promise<void> {
    await this.store.collection<KeyDoc>(IDEMPOTENCY_KEYS).updateOne(
      { _id: id },
      { $set: { state: 'done', statusCode, body: body ?? null, error: isError } },
    );
  }

  private async forget(id: string): Promise<void> {
    await this.store.collection<KeyDoc>(IDEMPOTENCY_KEYS).deleteOne({ _id: id, state: 'pending' });
  }
}

/** Route methods whose requests can be commands (the interceptor itself acts on POST and PUT requests). */
const COMMAND_METHODS = new Set<RequestMethod>([RequestMethod.POST, RequestMethod.PUT, RequestMethod.ALL]);

/**
 * Puts the IdempotencyInterceptor on every route of these controllers that takes POST or PUT
 * requests, and on no other: as a global interceptor it passed reads straight through, but still
 * put Nest's interceptor chain (tens of microseconds of observables and async-context binding)
 * on every one of them. Call it when the module is defined, before Nest scans the controllers.
 */
export function interceptCommands(controllers: Type[]): void {
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
      const handler = descriptor?.value as object | undefined;
      if (key === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      if (!COMMAND_METHODS.has(Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod)) continue;
      const existing = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
      if (!existing.includes(IdempotencyInterceptor)) UseInterceptors(IdempotencyInterceptor)(prototype, key, descriptor as PropertyDescriptor);
    }
  }
}

function successStatus(context: ExecutionContext): number {
  const handler = context.getHandler();
  const explicit = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
  if (explicit) return explicit;
  return Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST ? HttpStatus.CREATED : HttpStatus.OK;
}
