import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const openApiFile = fileURLToPath(new URL('../../dist/openapi.json', import.meta.url));
const openApi = existsSync(openApiFile) ? (JSON.parse(readFileSync(openApiFile, 'utf8')) as { paths?: Record<string, unknown> }) : {};

// The API process serves the build at `/` (index.html to browser navigations, /assets/* as files).
export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/portal-web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    rolldownOptions: {
      // React Server Components' "use client" markers mean nothing in a browser-only bundle.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  // The live badge (server-sent events) is used as soon as the service's document offers it.
  define: { __NOTIFICATION_STREAM__: JSON.stringify(Boolean(openApi.paths?.['/me/notifications/stream'])) },
});
