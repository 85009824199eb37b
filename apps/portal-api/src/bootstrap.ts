import { NestFactory } from '@nestjs/core';
import { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import { randomUUID } from 'node:crypto';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'pino';
import { AppConfig, createRootLogger, loadConfig, METRICS, Metrics, PinoNestLogger } from '@kundportal/kernel';
import { AppModule } from './app.module';

/** Builds the HTTP application (also used by the end-to-end tests). */
export async function createApp(config: AppConfig = loadConfig(), logger: Logger = createRootLogger(config.logLevel)) {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
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
  // Multipart for attachments: the file is streamed to the blob store, so no whole-body limit applies here.
  await app.register(fastifyMultipart, { limits: { files: 1, fields: 5, parts: 6 } });
  await app.register(fastifyHelmet, { global: true });
  // Sign-in and the public forms are limited per client address; signed-in traffic is not.
  await app.register(fastifyRateLimit, {
    global: true,
    max: config.publicRateLimitPerMinute,
    timeWindow: 60_000,
    allowList: (request) => !isRateLimited(request.method, request.url),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'TOO_MANY_REQUESTS',
      message: `Too many requests from your address; try again in ${Math.ceil(context.ttl / 1000)} s.`,
    }),
  });
  countRequests(app.getHttpAdapter().getInstance(), app.get<Metrics>(METRICS));
  app.enableShutdownHooks();
  drainOnClose(app.getHttpAdapter().getInstance());
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
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });
}

/** Routes anyone can call without signing in (and sign-in itself): the ones worth limiting per address. */
function isRateLimited(method: string, url: string): boolean {
  const path = url.split('?')[0];
  if (path.startsWith('/auth/') || path.startsWith('/public/')) return true;
  return method === 'POST' && (path === '/customer-applications' || path === '/registrations');
}

/** Requests by route template and status, and their duration, for `/metrics`. */
function countRequests(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
}
