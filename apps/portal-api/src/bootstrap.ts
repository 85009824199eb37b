import { NestFactory } from '@nestjs/core';
import { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import { randomUUID } from 'node:crypto';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'pino';
import { AppConfig, createRootLogger, loadConfig, METRICS, Metrics, PinoNestLogger } from '@kundportal/kernel';
import { AppModule } from './app.module';
import { toErrorBody } from './http/error-body';
import { IdempotencyKeys, storeAnswers } from './http/idempotency';
import { DEFAULT_LANGUAGE, preferredLanguage, translate, ValidationFailed } from '@kundportal/kernel';

/** Builds the HTTP application (also used by the end-to-end tests). */
export async function createApp(config: AppConfig = loadConfig(), logger: Logger = createRootLogger(config.logLevel)) {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // A client that stops sending (a form never finished) is cut off instead of holding the request open.
    connectionTimeout: 30_000,
    // Errors raised before routing (a malformed URL, an over-long id) leave in the contract's shape too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const body = toErrorBody(error, preferredLanguage(request.headers['accept-language']));
      void reply.status(body.statusCode).send(body);
    },
    // Requests Node refuses before Fastify sees them (headers too large, malformed HTTP).
    clientErrorHandler: (error: NodeJS.ErrnoException, socket: Duplex) => {
      if (!socket.writable) return void socket.destroy();
      const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
      const status = tooLarge ? 431 : 400;
      // The headers were not read, so the message is in the default language.
      const code = tooLarge ? 'REQUEST_HEADER_FIELDS_TOO_LARGE' : 'VALIDATION_FAILED';
      const body = JSON.stringify({ statusCode: status, code, message: translate(DEFAULT_LANGUAGE, `errors:${code}`, tooLarge ? {} : { context: 'http' }) });
      socket.end(
        `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
    // A caller's correlation id is kept (when it is a plain token); otherwise each request gets one.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-correlation-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Multipart for attachments: the file is streamed to the blob store, so no whole-body limit applies here.
  await app.register(fastifyMultipart, { limits: { files: 1, fields: 5, parts: 6 } });
  securityHeaders(fastify);
  // Sign-in and the public forms are limited per client address; signed-in traffic is not: those
  // routes are marked so that the plugin puts no hook on them at all.
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((method) => isRateLimited(method, route.url))) route.config = { ...route.config, rateLimit: false };
  });
  await app.register(fastifyRateLimit, {
    global: true,
    max: config.publicRateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (request, context) => ({
      statusCode: 429,
      code: 'TOO_MANY_REQUESTS',
      message: translate(preferredLanguage(request.headers['accept-language']), 'errors:TOO_MANY_REQUESTS_address', { seconds: Math.ceil(context.ttl / 1000) }),
    }),
  });
  countRequests(fastify, app.get<Metrics>(METRICS));
  storeAnswers(fastify, app.get(IdempotencyKeys));
  refuseHostileBodies(fastify);
  app.enableShutdownHooks();
  drainOnClose(fastify);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Kundportal API')
      .setDescription('Customer portal back end: organisations, accounts, roles, orders and tickets.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/**
 * Helmet's default security headers on every answer. The middleware is built once: the headers
 * do not depend on the request (@fastify/helmet builds helmet anew on each request, and adds an
 * async hook besides, a good part of a small request's time).
 */
function securityHeaders(fastify: FastifyInstance): void {
  const setHeaders = helmet();
  fastify.addHook('onRequest', (request, reply, done) => {
    setHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
}

/**
 * Graceful shutdown: once closing starts, every answer (requests in flight finish normally) says
 * `Connection: close`, so keep-alive connections end with their last answer and the server can
 * close instead of waiting for idle clients.
 */
function drainOnClose(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
}

/** Routes anyone can call without signing in (and sign-in itself): the ones worth limiting per address. */
function isRateLimited(method: string, path: string): boolean {
  if (path.startsWith('/auth/') || path.startsWith('/public/')) return true;
  return method === 'POST' && (path === '/customer-applications' || path === '/registrations');
}

/** Requests by route template and status, and their duration, for `/metrics`. */
function countRequests(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });
}

const MAX_BODY_DEPTH = 32;

/**
 * Before any validation: a JSON body nested deeper than any real request (validators recurse and
 * would overflow the stack), or holding text that is not well-formed Unicode (a lone surrogate
 * breaks e-mail and URL checks), is refused as a 400 naming the field.
 */
function refuseHostileBodies(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      checkBody(request.body);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}

function checkBody(body: unknown): void {
  if (body === null || typeof body !== 'object') return;
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === 'string') {
      if (!value.isWellFormed()) throw ValidationFailed.field(path || 'body', 'must be well-formed text');
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) throw ValidationFailed.field(path || 'body', `is nested too deeply (at most ${MAX_BODY_DEPTH} levels)`);
    for (const [key, child] of Object.entries(value)) {
      if (!key.isWellFormed()) throw ValidationFailed.field(path || 'body', 'has a key that is not well-formed text');
      pending.push({ value: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
}
