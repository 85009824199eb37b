import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describeInBrowser, WEB_DIR } from './support/portal-browser';

/** The first load of the portal: every script that index.html loads or preloads, gzipped. */
const FIRST_LOAD_JS_LIMIT = 200 * 1024;

describeInBrowser('The portal bundle', () => {
  it(`first load of JavaScript is at most ${FIRST_LOAD_JS_LIMIT / 1024} KB gzipped`, () => {
    const index = readFileSync(join(WEB_DIR, 'index.html'), 'utf8');
    const scripts = [...index.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\brel="modulepreload"[^>]*\bhref)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(WEB_DIR, file)), { level: 9 }).length, 0);
    expect(gzipped).toBeLessThanOrEqual(FIRST_LOAD_JS_LIMIT);
  });
});
