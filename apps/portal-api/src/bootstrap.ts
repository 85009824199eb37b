import { NestFactory } from '@nestjs/core';
import { createServer, IncomingMessage } from 'node:http';
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import { randomUUID } from 'node:crypto';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'pino';
import { AppConfig, createRootLogger, loadConfig, METRICS, Metrics, PinoNestLogger } from '@kundportal/kernel';
import { AppModule } from './app.module';
import { toErrorBody } from './http/error-body';
import { IdempotencyKeys, storeAnswers } from './http/idempotency';
import { tokenFromQuery } from './http/query-token';
import { servePortalWeb } from './http/portal-web';
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
      for (const [name, value] of SECURITY_HEADERS) void reply.header(name, value);
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
          SECURITY_HEADERS.map(([name, value]) => `${name}: ${value}\r\n`).join('') +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
    // EventSource sends its token in the URL: moved to the Authorization header before routing and logging.
    rewriteUrl: tokenFromQuery,
    // A caller's correlation id is kept (when it is a plain token); otherwise each request gets one.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-correlation-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // Fastify's own JSON parser only: Nest would add form-urlencoded, which no route takes.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // JSON is what the contract speaks (multipart for attachments): plain text is refused with 415 like any other type.
  fastify.removeContentTypeParser('text/plain');
  // Multipart for attachments: the file is streamed to the blob store, so no whole-body limit applies here.
  await app.register(fastifyMultipart, { limits: { files: 1, fields: 5, parts: 6 } });
  securityHeaders(fastify);
  refuseMultipartElsewhere(fastify);
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
  if (config.metricsPort !== undefined) await serveMetricsApart(fastify, app.get<Metrics>(METRICS), config.metricsPort, config.host);
  storeAnswers(fastify, app.get(IdempotencyKeys));
  refuseHostileBodies(fastify);
  await servePortalWeb(app, config.webDir, logger);
  app.enableShutdownHooks();
  drainOnClose(fastify);
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** The OpenAPI document served at `/docs-json`; the portal web UI's client types are generated from it. */
export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Kundportal API')
      .setDescription('Customer portal back end: organisations, accounts, roles, orders and tickets.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
}

/**
 * Helmet's default security headers, worked out once: they do not depend on the request. The same
 * list goes on every answer, the raw 400/431 that Node sends before Fastify sees a request included.
 */
const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = (() => {
  const headers: Array<[string, string]> = [];
  const collect = { setHeader: (name: string, value: unknown) => void headers.push([name, String(value)]), removeHeader: () => undefined };
  // No upgrade-insecure-requests: on a plain-HTTP address other than localhost it makes the browser
  // ask for Swagger UI's (and the web UI's) scripts over HTTPS, which is not served, and the page stays blank.
  // HTTPS is enforced by HSTS and the ingress instead.
  helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } })({} as IncomingMessage, collect as never, () => undefined);
  return headers;
})();

function securityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of SECURITY_HEADERS) reply.raw.setHeader(name, value);
    done();
  });
}

/** A multipart body is for the attachment upload; elsewhere it is a type we do not take (415, as form-urlencoded and plain text are). */
function refuseMultipartElsewhere(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (request.isMultipart() && !MULTIPART_ROUTE.test(request.routeOptions.url ?? '')) {
      return done(Object.assign(new Error('Send the body as application/json.'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }));
    }
    done();
  });
}

const MULTIPART_ROUTE = /\/attachments$/;

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

/** `/metrics` on a port of its own, for the scraper inside the cluster: the public port does not serve them. */
async function serveMetricsApart(fastify: FastifyInstance, metrics: Metrics, port: number, host: string): Promise<void> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') return void response.writeHead(404).end();
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  server.listen(port, host);
  await once(server, 'listening');
  fastify.addHook('onClose', (_instance, done) => {
    server.closeAllConnections();
    server.close(() => done());
  });
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
