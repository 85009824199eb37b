import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';

/** Paths that are never the portal's page, whatever the client accepts. */
const NOT_PAGES = [/^\/docs(?:[/-]|$)/, /^\/health(?:\/|$)/, /^\/metrics(?:\/|$)/, /^\/assets\//];

/**
 * The portal web UI, same origin as the API. Every e-mail link is both a portal page and an API
 * path (`/orders/<id>`, `/tickets/<id>`…), and API paths never move, so the page is chosen by
 * content negotiation: a GET or HEAD that prefers `text/html` to JSON (a browser navigation) gets
 * the UI's `index.html`, which routes on the client; every other request reaches the API as before.
 */
export async function servePortalWeb(app: NestFastifyApplication, webDir: string, logger: Logger): Promise<void> {
  const indexFile = join(webDir, 'index.html');
  if (!existsSync(indexFile)) {
    logger.warn({ webDir }, 'No built portal web UI here (npm run build makes it): serving the API alone');
    return;
  }
  const page = readFileSync(indexFile);
  // Asset names carry a hash of their content, so they can be cached for good.
  await app.register(fastifyStatic, { root: join(webDir, 'assets'), prefix: '/assets/', immutable: true, maxAge: '365d', decorateReply: false });
  const fastify: FastifyInstance = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !prefersHtml(request.headers.accept)) return done();
    const path = request.url.split('?', 1)[0];
    if (NOT_PAGES.some((pattern) => pattern.test(path))) return done();
    void reply.status(200).type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('vary', 'Accept').send(page);
  });
}

/**
 * True when the Accept header names `text/html` with a higher quality than JSON:
 * a wildcard alone, no header, or `application/json` keep the API's answer.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  let html = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (type === 'text/html') html = Math.max(html, q);
    else if (type === 'application/json' || type === 'application/*') json = Math.max(json, q);
  }
  return html > 0 && html > json;
}
