/**
 * Writes the service's OpenAPI document to a file without listening on any port, from an app on
 * embedded stores in a temporary DATA_DIR, in dev sign-in mode so that every route is in it. The
 * portal web UI's client types are generated from this file at build time, so an API change that
 * breaks the UI fails the build.
 *
 *   node dist/apps/portal-api/src/cli/write-openapi.js OUT.json
 */
import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '@kundportal/kernel';
import { createApp, openApiDocument } from '../bootstrap';

export async function writeOpenApi(out: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kp-openapi-'));
  try {
    const config = loadConfig({ DATA_DIR: dataDir, AUTH_MODE: 'dev', LOG_LEVEL: 'silent', RUN_PROJECTIONS: 'false', WEB_DIR: join(dataDir, 'no-web') });
    const app = await createApp(config, pino({ level: 'silent' }));
    try {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: write-openapi OUT.json');
    process.exit(2);
  }
  writeOpenApi(out).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
