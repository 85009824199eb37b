import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { prefersHtml } from '../apps/portal-api/src/http/portal-web';
import { ApiHarness } from './support/api-harness';
import { testPersonalNumber } from './support/swedish-ids';

/** What Chromium and Firefox send when a person opens a link. */
const NAVIGATION = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const PAGE = '<!doctype html><html lang="sv"><title>Kundportalen</title><div id="root"></div></html>';

describe('The portal web UI beside the API (content negotiation on the same paths)', () => {
  let api: ApiHarness;
  let webDir: string;
  let staff: string;

  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'kp-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), PAGE);
    writeFileSync(join(webDir, 'assets', 'index-abc123.js'), 'console.log("portal");');
    api = await ApiHarness.start({ WEB_DIR: webDir });
    staff = await api.signIn(testPersonalNumber(), { staff: true });
  });

  afterAll(async () => {
    await api.stop();
    rmSync(webDir, { recursive: true, force: true });
  });

  const get = (path: string, accept?: string, token?: string) =>
    fetch(api.baseUrl + path, { headers: { ...(accept ? { accept } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) } });

  it.each(['/', '/orders/some-order', '/tickets/some-ticket', '/organisations/some-org/agreement', '/reset-password?token=abc', '/verify-account?token=abc', '/no/such/page'])(
    'a browser navigation to %s gets the page',
    async (path) => {
      const response = await get(path, NAVIGATION);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('vary')).toContain('Accept');
      expect(await response.text()).toBe(PAGE);
    },
  );

  it('the same path asked for JSON, for anything, or with no Accept reaches the API as before', async () => {
    const { id } = (await api.post('/public/tickets', { name: 'Eva', email: 'eva@example.se', type: 'question', subject: 'S', description: 'D' })).body;
    for (const accept of ['application/json', '*/*', undefined, 'application/json, text/html;q=0.9', 'text/html;q=0.5, application/json']) {
      const response = await get(`/tickets/${id}`, accept, staff);
      expect({ accept, status: response.status, type: response.headers.get('content-type') }).toEqual({ accept, status: 200, type: expect.stringContaining('application/json') });
      expect(((await response.json()) as { id: string }).id).toBe(id);
    }
    const anonymous = await get(`/tickets/${id}`, 'application/json');
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
  });

  it('an unknown API path without text/html still answers the contract 404', async () => {
    for (const accept of ['application/json', '*/*', undefined]) {
      const response = await get('/no/such/route', accept);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    }
  });

  it('commands are never the page, whatever they accept', async () => {
    const response = await fetch(`${api.baseUrl}/public/tickets`, { method: 'POST', headers: { accept: NAVIGATION, 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
  });

  it('/docs-json, /health, /metrics and assets are never the page', async () => {
    expect((await get('/docs-json', NAVIGATION)).headers.get('content-type')).toContain('application/json');
    expect((await get('/health', NAVIGATION)).headers.get('content-type')).toContain('application/json');
    expect(await (await get('/docs', NAVIGATION)).text()).toContain('swagger');
    expect((await get('/metrics', NAVIGATION)).headers.get('content-type')).toContain('text/plain');
    const asset = await get('/assets/index-abc123.js', NAVIGATION);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log("portal");');
    expect((await get('/assets/missing.js', NAVIGATION)).status).toBe(404);
  });

  it('HEAD of a page answers like its GET, without a body', async () => {
    const response = await fetch(`${api.baseUrl}/tickets/x`, { method: 'HEAD', headers: { accept: NAVIGATION } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
  });

  it('the OpenAPI document is valid OpenAPI', async () => {
    const document = (await api.get('/docs-json')).body;
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeDefined();
  });
});

describe('prefersHtml', () => {
  it.each([
    [NAVIGATION, true],
    ['text/html', true],
    ['application/json', false],
    ['*/*', false],
    [undefined, false],
    ['', false],
    ['text/html;q=0', false],
    ['application/json, text/html', false],
    ['text/html, application/json;q=0.9', true],
    ['application/*;q=0.5, text/html;q=0.8', true],
    ['text/html;q=abc', false],
  ])('%s → %s', (accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });
});

describe('without a built UI', () => {
  it('the API serves alone and a navigation gets the API answer', async () => {
    const api = await ApiHarness.start({ WEB_DIR: join(tmpdir(), 'kp-no-such-web-dir') });
    try {
      const response = await fetch(`${api.baseUrl}/tickets/x`, { headers: { accept: NAVIGATION } });
      expect(response.status).toBe(401);
    } finally {
      await api.stop();
    }
  });
});
