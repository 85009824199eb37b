import 'reflect-metadata';
import { createRootLogger, loadConfig, unknownVariableWarnings } from '@kundportal/kernel';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createRootLogger(config.logLevel);
  for (const warning of unknownVariableWarnings()) logger.warn(warning);
  const app = await createApp(config, logger);
  await app.listen({ port: config.port, host: config.host });
  logger.info(
    { port: config.port, eventStore: config.eventStore.kind, readStore: config.readStore.kind, auth: config.auth.mode, projections: config.runProjections },
    'Kundportal API listening',
  );
}

main().catch((error) => {
  // Configuration and start-up failures: say why and stop.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
