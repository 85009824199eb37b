import { CanActivate, ExecutionContext, Inject, Injectable, OnModuleInit, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHmac } from 'node:crypto';
import {
  APP_CONFIG,
  AppConfig,
  Clock,
  CLOCK,
  DomainError,
  PERSONAL_NUMBER_DIGEST,
  PersonalNumberDigest,
  ValidationFailed,
} from '@kundportal/kernel';
import { DuplicateKeyError, READ_STORE, ReadStore } from '@kundportal/readstore';
import type { AuthenticatedRequest } from './auth';
import { IDEMPOTENCY_HEADER } from './caller.service';

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

/** The answer a repeated key gets: the first request's, status and body. */
export class EarlierAnswer extends Error {
  constructor(readonly statusCode: number, readonly body: unknown) {
    super('The answer to an earlier request with this Idempotency-Key');
  }
}

const NO_IDEMPOTENCY_KEY = 'kp:no-idempotency-key';
/**
 * Routes whose answers must not be kept (sign-in hands out tokens, reset takes a secret): an
 * Idempotency-Key sent to them is ignored, and each request runs on its own.
 */
export const NoIdempotencyKey = () => SetMetadata(NO_IDEMPOTENCY_KEY, true);

/** Body fields never put into a fingerprint: a stored digest of a password could be guessed offline. */
const SECRET_FIELD = /password|token|secret/i;

/** The body as fingerprinted: secret fields' values left out (their names stay, so a request without one still differs). */
function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, SECRET_FIELD.test(key) ? null : withoutSecrets(child)]));
}

/** The key a request claimed, kept on the request until its answer is stored. */
const CLAIMED = Symbol('idempotency-claim');
type ClaimingRequest = FastifyRequest & { [CLAIMED]?: string };

/** The idempotency store: one document per caller and key, claimed before the command runs. */
@Injectable()
export class IdempotencyKeys implements OnModuleInit {
  /** Keyed digests: ids and fingerprints in the store reveal nothing about the keys or bodies without the service's secret. */
  private readonly digestKey: Buffer;

  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PERSONAL_NUMBER_DIGEST) digest: PersonalNumberDigest,
  ) {
    this.digestKey = createHmac('sha256', digest.secret).update('kundportal:idempotency').digest();
  }

  /**
   * The stored id and the fingerprint of a request. A signed-in caller's keys are theirs alone; an
   * anonymous caller's are scoped by the client address (as TRUST_PROXY defines it), so strangers
   * choosing the same key neither see each other's answers nor block each other, while a retry
   * from the same place still gets the first answer (or IDEMPOTENCY_KEY_REUSED for another body).
   */
  identify(caller: { subject: string } | { address: string }, key: string, method: string, url: string, body: unknown): { id: string; fingerprint: string } {
    const fingerprint = this.digest(`${method} ${url}\u0000${JSON.stringify(withoutSecrets(body ?? null))}`);
    const id = this.digest('subject' in caller ? `caller\u0000${caller.subject}\u0000${key}` : `anonymous\u0000${caller.address}\u0000${key}`);
    return { id, fingerprint };
  }

  private digest(text: string): string {
    return createHmac('sha256', this.digestKey).update(text).digest('hex');
  }

  /**
   * The embedded read store belongs to one process at a time (its file is locked), so a claim still
   * pending at start was left by the previous process: free it for the client's retry. A retry runs
   * the command again with the same key, whose derived event ids make a repeat of a stored decision
   * harmless.
   */
  async onModuleInit(): Promise<void> {
    if (this.config.readStore.kind === 'embedded') {
      await this.keys().deleteMany({ state: 'pending' });
    }
  }

  /** Claims the key, or returns the earlier answer; waits while a first request is still running. */
  async claim(id: string, fingerprint: string): Promise<{ statusCode: number | null; body: unknown } | null> {
    const keys = this.keys();
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

  async finish(id: string, statusCode: number, body: unknown): Promise<void> {
    await this.keys().updateOne({ _id: id }, { $set: { state: 'done', statusCode, body: body ?? null, error: statusCode >= 400 } });
  }

  async forget(id: string): Promise<void> {
    await this.keys().deleteOne({ _id: id, state: 'pending' });
  }

  private keys() {
    return this.store.collection<KeyDoc>(IDEMPOTENCY_KEYS);
  }
}

/**
 * `Idempotency-Key` on a command (POST or PUT): the same caller repeating the key within 24 h gets
 * the first answer again and causes no second change. The key is claimed before the command runs
 * (a unique insert), so concurrent repeats wait for the first instead of running twice; a repeat
 * is answered through `EarlierAnswer`.
 *
 * A guard, after the AuthGuard (the key belongs to the caller) and the X-Min-Position wait, rather
 * than an interceptor: a request without the header pays nothing, where an interceptor puts Nest's
 * interceptor chain (observables and async-context binding) on every command. The answer is stored
 * by `storeAnswers`, before it leaves.
 */
@Injectable()
export class IdempotencyGuard implements CanActivate {
  constructor(private readonly keys: IdempotencyKeys, private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & ClaimingRequest>();
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (typeof key !== 'string' || (request.method !== 'POST' && request.method !== 'PUT')) return true;
    if (this.reflector.getAllAndOverride<boolean>(NO_IDEMPOTENCY_KEY, [context.getHandler(), context.getClass()])) return true;
    if (key.length === 0 || key.length > 200) throw ValidationFailed.field('Idempotency-Key', 'must be 1 to 200 characters');
    const caller = request.principal ? { subject: request.principal.subject } : { address: request.ip };
    const { id, fingerprint } = this.keys.identify(caller, key, request.method, request.url, request.body);
    return this.keys.claim(id, fingerprint).then((earlier) => {
      if (earlier) throw new EarlierAnswer(earlier.statusCode ?? 200, earlier.body);
      request[CLAIMED] = id;
      return true;
    });
  }
}

/**
 * Stores the answer of every request that claimed a key before it is sent, so a repeat sent the
 * moment the first answer arrives finds it. Refusals (4xx) are answers too; a failure of ours (5xx)
 * frees the key for a retry.
 */
export function storeAnswers(fastify: FastifyInstance, keys: IdempotencyKeys): void {
  // A callback hook: the answers of requests without a key (nearly all) pass without a promise each.
  fastify.addHook('onSend', (request: ClaimingRequest, reply, payload, done) => {
    const id = request[CLAIMED];
    if (id === undefined) return done(null, payload);
    delete request[CLAIMED];
    const body = reply.statusCode < 500 && typeof payload === 'string' && payload.length > 0 ? JSON.parse(payload) : null;
    // An answer that holds a secret is never kept: the key is freed, and a repeat runs on its own.
    const stored = reply.statusCode >= 500 || holdsSecret(body) ? keys.forget(id) : keys.finish(id, reply.statusCode, body);
    stored.then(() => done(null, payload), (error: Error) => done(error));
  });
}

function holdsSecret(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, child]) => SECRET_FIELD.test(key) || holdsSecret(child));
}
