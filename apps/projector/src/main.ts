import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRootLogger, loadConfig, unknownVariableWarnings, PinoNestLogger } from '@kundportal/kernel';
import { ProjectorModule } from './projector.module';

/** Runs the projections and reactors alone (production: the API runs with RUN_PROJECTIONS=false). */
async function main(): Promise<void> {
  // This process exists to run them, whatever RUN_PROJECTIONS says for the API.
  process.env.RUN_PROJECTIONS = 'true';
  const config = loadConfig();
  const logger = createRootLogger(config.logLevel);
  for (const warning of unknownVariableWarnings()) logger.warn(warning);
  const app = await NestFactory.create<NestFastifyApplication>(ProjectorModule.forRoot(config), new FastifyAdapter({ loggerInstance: logger }), {
    logger: new PinoNestLogger(logger),
  });
  app.enableShutdownHooks();
  await app.listen({ port: config.port, host: config.host });
  logger.info({ port: config.port, eventStore: config.eventStore.kind, readStore: config.readStore.kind }, 'Kundportal projector running');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
