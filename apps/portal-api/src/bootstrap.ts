import { NestFactory } from '@nestjs/core';
import { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import { randomUUID } from 'node:crypto';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'pino';
import { AppConfig, createRootLogger, loadConfig, PinoNestLogger } from '@kundportal/kernel';
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
