import { connect } from 'node:net';
import { ApiHarness } from './support/api-harness';
import { freePort } from './support/free-port';
import { testOrganisationNumber, testPersonalNumber } from './support/swedish-ids';

describe('Operations: metrics, security headers, rate limits', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await ApiHarness.start({ PUBLIC_RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => api.stop());

  it('exposes Prometheus metrics: requests by route and status, command and append latency, projection lag and parking', async () => {
    const staff = await api.signIn(testPersonalNumber(), { staff: true });
    await api.get('/customer-applications', staff);
    await api.post('/customer-applications', {
      organisationNumber: testOrganisationNumber(),
      organisationName: 'Region Metrics',
      administrator: { name: 'A', email: 'a@region.se', personalNumber: testPersonalNumber() },
      signatory: { name: 'S', email: 's@region.se', personalNumber: testPersonalNumber() },
      agreementContact: { name: 'K', email: 'k@region.se' },
    });
    const response = await fetch(`${api.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/kundportal_http_requests_total\{method="GET",route="\/customer-applications",status="200"\} 1/);
    expect(text).toMatch(/kundportal_command_duration_seconds_count\{aggregate="application",outcome="ok"\} 1/);
    expect(text).toMatch(/kundportal_event_store_append_duration_seconds_count \d+/);
    expect(text).toMatch(/kundportal_projection_lag_events\{projection="organisations"\} \d+/);
    expect(text).toMatch(/kundportal_projection_parked\{projection="mail-reactor"\} 0/);
    expect(text).toContain('kundportal_process_resident_memory_bytes');
  });

  it('sends security headers', async () => {
    const response = await fetch(`${api.baseUrl}/health`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('limits sign-in and public forms per address with 429 and Retry-After, in the contract shape', async () => {
    const signedIn = await api.signIn(testPersonalNumber());
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 8; i++) {
      const response = await fetch(`${api.baseUrl}/public/tickets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited?.json()).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS', message: expect.any(String) });
    // Signing in again is limited too; signed-in traffic is not.
    expect((await api.post('/auth/dev/sign-in', { personalNumber: testPersonalNumber(), method: 'bankid' })).status).toBe(429);
    for (let i = 0; i < 8; i++) expect((await api.get('/me', signedIn)).status).toBe(200);
  });

  it('lets staff see projections and refuses to resume one that is not parked', async () => {
    // This suite's harness has spent its sign-in budget on purpose: another one, without the limit.
    const fresh = await ApiHarness.start();
    try {
      const token = await fresh.signIn(testPersonalNumber(), { staff: true });
      const member = await fresh.signIn(testPersonalNumber());
      const list = await fresh.get('/admin/projections', token);
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'tickets', state: 'running' })]));
      expect((await fresh.get('/admin/projections', member)).status).toBe(403);
      expect((await fresh.post('/admin/projections/tickets/resume', {}, token)).body.code).toBe('PROJECTION_NOT_PARKED');
      expect((await fresh.post('/admin/projections/nope/resume', {}, token)).status).toBe(404);
    } finally {
      await fresh.stop();
    }
  });
});

describe('Security headers everywhere, and 415 for bodies that are not JSON', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await ApiHarness.start();
  });
  afterAll(() => api.stop());

  const expectSecurityHeaders = (headers: Headers | Record<string, string | string[] | undefined>, what: string) => {
    const get = (name: string) => (headers instanceof Headers ? headers.get(name) : (headers[name] as string | undefined)) ?? null;
    expect({ what, nosniff: get('x-content-type-options'), csp: get('content-security-policy')?.includes("default-src 'self'") ?? false }).toEqual({
      what,
      nosniff: 'nosniff',
      csp: true,
    });
  };

  /** One raw exchange over a socket: what Node answers before Fastify sees the request. */
  const raw = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(api.baseUrl).port), '127.0.0.1', () => socket.end(request));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });

  it('sends security headers on every answer: raw 400 and 431, framework errors and 404 included', async () => {
    expectSecurityHeaders((await fetch(`${api.baseUrl}/nowhere`)).headers, '404');
    expectSecurityHeaders((await fetch(`${api.baseUrl}/tickets/%E0%A4%A`)).headers, 'bad URL');
    for (const [what, request, status] of [
      ['malformed HTTP', 'GARBAGE\r\n\r\n', 400],
      ['headers too large', `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ] as const) {
      const answer = await raw(request);
      expect(answer.split('\r\n')[0]).toContain(String(status));
      const headers = Object.fromEntries(
        answer
          .split('\r\n\r\n')[0]
          .split('\r\n')
          .slice(1)
          .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      expectSecurityHeaders(headers, what);
    }
  });

  it('answers 415 to a form, plain text or multipart where JSON is expected', async () => {
    const send = (contentType: string, body: string) =>
      fetch(`${api.baseUrl}/customer-applications`, { method: 'POST', headers: { 'content-type': contentType }, body });
    for (const [contentType, body] of [
      ['application/x-www-form-urlencoded', 'organisationNumber=2120000142&organisationName=Region'],
      ['text/plain', '{"organisationNumber":"2120000142"}'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="organisationName"\r\n\r\nRegion\r\n--x--\r\n'],
    ]) {
      const response = await send(contentType, body);
      expect({ contentType, status: response.status, body: await response.json() }).toEqual({
        contentType,
        status: 415,
        body: expect.objectContaining({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' }),
      });
    }
  });
});

describe('TRUST_PROXY: whose X-Forwarded-For is believed', () => {
  /** Sign-in attempts, each claiming another client address; answers the statuses. */
  async function attempts(env: Record<string, string>): Promise<number[]> {
    const api = await ApiHarness.start({ PUBLIC_RATE_LIMIT_PER_MINUTE: '3', ...env });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await api.post('/auth/dev/sign-in', { personalNumber: testPersonalNumber(), method: 'bankid' }, undefined, {
          'x-forwarded-for': `203.0.113.${i + 1}`,
        });
        statuses.push(response.status);
      }
      return statuses;
    } finally {
      await api.stop();
    }
  }

  it('a client that is not a trusted proxy cannot choose its address: the limit holds', async () => {
    expect(await attempts({ TRUST_PROXY: '10.0.0.0/8' })).toEqual([200, 200, 200, 429, 429]);
    expect(await attempts({})).toEqual([200, 200, 200, 429, 429]);
  });

  it('behind a trusted proxy (by range or hop count) the forwarded address is the client', async () => {
    expect(await attempts({ TRUST_PROXY: '127.0.0.0/8' })).toEqual([200, 200, 200, 200, 200]);
    expect(await attempts({ TRUST_PROXY: '1' })).toEqual([200, 200, 200, 200, 200]);
  });
});

describe('Probes, health details and metrics exposure', () => {
  let api: ApiHarness;
  let metricsPort: number;
  beforeAll(async () => {
    metricsPort = await freePort();
    api = await ApiHarness.start({ METRICS_PORT: String(metricsPort) });
  });
  afterAll(() => api.stop());

  it('splits liveness (the process) from readiness (the stores)', async () => {
    expect(await api.get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await api.get('/health/ready')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('shows the public no paths or store messages, and staff the details', async () => {
    const open = await api.get('/health');
    expect(open.status).toBe(200);
    expect(JSON.stringify(open.body)).not.toContain(api.dataDir);
    expect(open.body).toMatchObject({ status: 'ok', eventStore: { status: 'up', adapter: 'embedded' }, readStore: { status: 'up', adapter: 'embedded' } });
    expect(open.body.eventStore).toEqual({ status: 'up', adapter: 'embedded' });
    const staff = await api.get('/health', await api.signIn(testPersonalNumber(), { staff: true }));
    expect(staff.body.eventStore).toEqual({ status: 'up', adapter: 'embedded', detail: expect.stringContaining(api.dataDir) });
    const customer = await api.get('/health', await api.signIn(testPersonalNumber()));
    expect(customer.body.eventStore).toEqual({ status: 'up', adapter: 'embedded' });
  });

  it('serves /metrics on METRICS_PORT only', async () => {
    expect((await fetch(`${api.baseUrl}/metrics`)).status).toBe(404);
    const apart = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(apart.status).toBe(200);
    expect(await apart.text()).toContain('kundportal_http_requests_total');
    expect((await fetch(`http://127.0.0.1:${metricsPort}/health`)).status).toBe(404);
  });

  it('does not serve /metrics on the public port in production', async () => {
    const production = await ApiHarness.start({ NODE_ENV: 'production', AUTH_MODE: 'dev' });
    try {
      expect((await fetch(`${production.baseUrl}/metrics`)).status).toBe(404);
    } finally {
      await production.stop();
    }
  });

  it('gives Swagger UI a CSP it can load under on plain HTTP: no upgrade-insecure-requests, no inline script', async () => {
    const docs = await fetch(`${api.baseUrl}/docs`);
    expect(docs.status).toBe(200);
    const csp = docs.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    const html = await docs.text();
    expect([...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => m[2].trim() !== '').map((m) => m[0].slice(0, 80))).toEqual([]);
  });
});
