import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import { ApiHarness } from './support/api-harness';
import { decodePayload, oneCharChanged, OidcIssuer, tamperedPayload, unsignedToken } from './support/oidc-issuer';
import { testPersonalNumber } from './support/swedish-ids';

const AUDIENCE = 'kundportal';
const UNAUTHENTICATED = { statusCode: 401, code: 'UNAUTHENTICATED', message: expect.any(String) };

/** The claims an e-ID broker puts in its tokens, as the service reads them. */
function brokerClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    personal_number: testPersonalNumber(),
    name: 'Greta Gran',
    eid_method: 'bankid',
    kp_staff: false,
    kp_auditor: false,
    ...overrides,
  };
}

function expectUnauthenticated(response: { status: number; body: unknown }): void {
  expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: expect.objectContaining(UNAUTHENTICATED) });
}

describe('Sign-in over HTTP', () => {
  describe('OIDC mode (tokens from an e-ID broker, verified against its JWKS)', () => {
    let issuer: OidcIssuer;
    let api: ApiHarness;

    beforeAll(async () => {
      issuer = await OidcIssuer.start();
      api = await ApiHarness.start({
        AUTH_MODE: 'oidc',
        OIDC_ISSUER: issuer.issuer,
        OIDC_AUDIENCE: AUDIENCE,
        OIDC_STAFF_GROUPS: 'kundtjanst,drift',
        OIDC_AUDITOR_GROUPS: 'revision',
        TOKEN_MAX_AGE_SECONDS: '7200',
      });
    });
    afterAll(async () => {
      await api?.stop();
      await issuer?.stop();
    });

    /** GET /me with this token, no X-Min-Position. */
    const me = (token: string) => api.request('GET', '/me', { token, minPosition: null });

    it('finds the key set by discovery', () => {
      expect(issuer.requests).toContain('/.well-known/openid-configuration');
    });

    it("accepts the broker's token and shows the person at /me", async () => {
      const personalNumber = testPersonalNumber();
      const token = await issuer.mint({ subject: 'broker-subject-1', claims: brokerClaims({ personal_number: personalNumber, name: 'Greta Gran' }) });
      const response = await me(token);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        accountId: null,
        name: 'Greta Gran',
        email: null,
        emailVerified: false,
        personalNumber,
        method: 'bankid',
        staff: false,
        auditor: false,
        language: 'sv',
        languageChosen: false,
        organisations: [],
        pendingOrganisations: [],
      });
      expect(issuer.requests).toContain('/jwks');
    });

    it('carries the sign-in method through, and staff and auditor rights from the configured groups', async () => {
      const staffPnr = testPersonalNumber();
      const staff = await me(await issuer.mint({ subject: 'broker-staff', claims: brokerClaims({ personal_number: staffPnr, eid_method: 'freja', groups: ['alla', 'drift'] }) }));
      expect(staff.status).toBe(200);
      expect(staff.body).toMatchObject({ personalNumber: staffPnr, method: 'freja', staff: true, auditor: false });

      const auditorPnr = testPersonalNumber();
      const auditor = await me(await issuer.mint({ subject: 'broker-auditor', claims: brokerClaims({ personal_number: auditorPnr, eid_method: 'siths', groups: 'revision' }) }));
      expect(auditor.status).toBe(200);
      expect(auditor.body).toMatchObject({ personalNumber: auditorPnr, method: 'siths', staff: false, auditor: true });
    });

    it('grants nothing for our own claim names passed through by the broker, nor for other groups', async () => {
      for (const claims of [
        brokerClaims({ kp_staff: true, kp_auditor: true }),
        brokerClaims({ groups: ['alla', 'Drift'] }),
        brokerClaims({ groups: { drift: true } }),
        brokerClaims({ kp_staff: true, groups: [] }),
      ]) {
        const token = await issuer.mint({ subject: 'broker-pass-through', claims });
        const response = await me(token);
        expect({ claims, status: response.status, body: response.body }).toEqual({
          claims,
          status: 200,
          body: expect.objectContaining({ staff: false, auditor: false }),
        });
        // And a staff-only route says so.
        const staffRoute = await api.request('GET', '/customer-applications', { token, minPosition: null });
        expect(staffRoute.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      }
    });

    it('ignores an account id the broker passes through: its tokens name a person', async () => {
      const response = await me(await issuer.mint({ subject: 'broker-account', claims: brokerClaims({ kp_account: '0190a0b0-0000-7000-8000-000000000001' }) }));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ accountId: null });
    });

    it('lets a broker staff token reach staff routes', async () => {
      const token = await issuer.mint({ subject: 'broker-staff-2', claims: brokerClaims({ groups: ['kundtjanst'] }) });
      const response = await api.request('GET', '/customer-applications', { token, minPosition: null });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: expect.any(Array), total: expect.any(Number), page: 1, pageSize: 20 });
    });

    it('answers 404 to the dev sign-in', async () => {
      const response = await api.post('/auth/dev/sign-in', { personalNumber: testPersonalNumber(), method: 'bankid' });
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });

    describe('refuses with 401 UNAUTHENTICATED', () => {
      const now = () => Math.floor(Date.now() / 1000);

      it('an expired token', async () => {
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims(), expiresIn: -120 })));
      });

      it('a token not yet valid (nbf in the future)', async () => {
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims(), notBefore: 600 })));
      });

      it('a token from another issuer (same key)', async () => {
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims(), issuer: 'https://evil.example.com' })));
        // Close look-alikes too.
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims(), issuer: `${issuer.issuer}/` })));
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims(), issuer: `${issuer.issuer}/other` })));
      });

      it('a token for another audience', async () => {
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims(), audience: 'another-service' })));
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims(), audience: [] })));
      });

      it('an unsigned token (alg: none)', async () => {
        const payload = { iss: issuer.issuer, aud: AUDIENCE, sub: 's', iat: now(), exp: now() + 3600, ...brokerClaims({ kp_staff: true }) };
        expectUnauthenticated(await me(unsignedToken(payload)));
        // Also with an empty-but-present signature and with the signature of a genuine token.
        const genuine = await issuer.mint({ subject: 's', claims: brokerClaims() });
        expectUnauthenticated(await me(`${unsignedToken(payload)}${genuine.split('.')[2]}`));
      });

      it('a token whose payload was changed after signing', async () => {
        const genuine = await issuer.mint({ subject: 's', claims: brokerClaims() });
        expect((await me(genuine)).status).toBe(200);
        expectUnauthenticated(await me(oneCharChanged(genuine)));
        const escalated = tamperedPayload(genuine);
        expect(decodePayload(escalated).kp_staff).toBe(true);
        expectUnauthenticated(await me(escalated));
      });

      it('a token whose signature was changed', async () => {
        const genuine = await issuer.mint({ subject: 's', claims: brokerClaims() });
        const [header, payload, signature] = genuine.split('.');
        const i = Math.floor(signature.length / 2);
        const flipped = `${header}.${payload}.${signature.slice(0, i)}${signature[i] === 'A' ? 'B' : 'A'}${signature.slice(i + 1)}`;
        expectUnauthenticated(await me(flipped));
      });

      it('a token signed by another key', async () => {
        const { privateKey } = await generateKeyPair('RS256');
        // Claiming the broker's key id, and naming a key id the broker does not have.
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims(), key: privateKey })));
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims(), key: privateKey, kid: 'unknown-key' })));
      });

      it('a symmetric (HS256) token', async () => {
        const token = await new SignJWT(brokerClaims())
          .setProtectedHeader({ alg: 'HS256', kid: issuer.kid })
          .setIssuer(issuer.issuer)
          .setAudience(AUDIENCE)
          .setSubject('s')
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(JSON.stringify(issuer.jwks)));
        expectUnauthenticated(await me(token));
      });

      it('a token that names no person (neither personal_number nor an account)', async () => {
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims({ personal_number: undefined }) })));
      });

      it('a token with an invalid personnummer', async () => {
        const valid = testPersonalNumber();
        const badLuhn = valid.slice(0, 11) + String((Number(valid[11]) + 1) % 10);
        for (const personal_number of [badLuhn, '19900230' + valid.slice(8), '12345', '', Number(valid), null]) {
          const response = await me(await issuer.mint({ subject: 's', claims: brokerClaims({ personal_number }) }));
          expect({ personal_number, status: response.status, body: response.body }).toEqual({ personal_number, status: 401, body: expect.objectContaining(UNAUTHENTICATED) });
        }
      });

      it('a token without a subject or with an unknown sign-in method', async () => {
        expectUnauthenticated(await me(await issuer.mint({ claims: brokerClaims() })));
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims({ eid_method: undefined }) })));
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims({ eid_method: 'magic-link' }) })));
      });

      it('a token without exp, or without iat', async () => {
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims(), expiresIn: null })));
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims(), issuedAt: null })));
      });

      it('a token older than TOKEN_MAX_AGE_SECONDS, or claiming a longer life', async () => {
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims(), issuedAt: -7300 })));
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims(), expiresIn: 30 * 24 * 3600 })));
        expect((await me(await issuer.mint({ subject: 's', claims: brokerClaims(), issuedAt: -7000, expiresIn: 100 }))).status).toBe(200);
      });

      it('a token for a sign-in that is not an e-ID (the broker vouches for people with a personnummer)', async () => {
        expectUnauthenticated(await me(await issuer.mint({ subject: 's', claims: brokerClaims({ eid_method: 'password' }) })));
        expectUnauthenticated(
          await me(await issuer.mint({ subject: 's', claims: brokerClaims({ eid_method: 'password', personal_number: undefined, kp_account: 'a1' }) })),
        );
      });

      it('a request without an Authorization header', async () => {
        expectUnauthenticated(await api.request('GET', '/me', { minPosition: null }));
      });

      it('a malformed Authorization header', async () => {
        const token = await issuer.mint({ subject: 's', claims: brokerClaims() });
        for (const authorization of ['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNzd29yZA==', `Basic ${token}`, `Bearer ${token} extra`, 'Bearer not-a-jwt', 'Bearer a.b.c', token]) {
          const response = await api.request('GET', '/me', { headers: { authorization }, minPosition: null });
          expect({ authorization, status: response.status, body: response.body }).toEqual({ authorization, status: 401, body: expect.objectContaining(UNAUTHENTICATED) });
        }
      });
    });
  });

  describe('dev mode (the embedded issuer)', () => {
    let api: ApiHarness;

    beforeAll(async () => {
      api = await ApiHarness.start();
    });
    afterAll(() => api?.stop());

    const me = (token: string) => api.request('GET', '/me', { token, minPosition: null });

    it('mints tokens that /me accepts', async () => {
      const personalNumber = testPersonalNumber();
      const signIn = await api.post('/auth/dev/sign-in', { personalNumber, method: 'bankid', name: 'Dora Dev' });
      expect(signIn.status).toBe(200);
      expect(signIn.body).toEqual({ accessToken: expect.any(String), expiresIn: 3600 });
      const response = await me(signIn.body.accessToken);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        accountId: null,
        name: 'Dora Dev',
        email: null,
        emailVerified: false,
        personalNumber,
        method: 'bankid',
        staff: false,
        auditor: false,
        language: 'sv',
        languageChosen: false,
        organisations: [],
        pendingOrganisations: [],
      });
    });

    it('carries the staff and auditor flags through', async () => {
      const staff = await me(await api.signIn(testPersonalNumber(), { staff: true }));
      expect(staff.body).toMatchObject({ staff: true, auditor: false });
      const auditor = await me(await api.signIn(testPersonalNumber(), { auditor: true, method: 'freja' }));
      expect(auditor.body).toMatchObject({ staff: false, auditor: true, method: 'freja' });
      const both = await me(await api.signIn(testPersonalNumber(), { staff: true, auditor: true }));
      expect(both.body).toMatchObject({ staff: true, auditor: true });
    });

    it('signs in with SITHS', async () => {
      const personalNumber = testPersonalNumber();
      const response = await me(await api.signIn(personalNumber, { method: 'siths', name: 'Sara Siths' }));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ personalNumber, method: 'siths', name: 'Sara Siths', staff: false });
    });

    it('refuses its own tokens once changed, and unsigned look-alikes', async () => {
      const token = await api.signIn(testPersonalNumber());
      expectUnauthenticated(await me(tamperedPayload(token)));
      expectUnauthenticated(await me(oneCharChanged(token)));
      const { iat, exp, ...claims } = decodePayload(token);
      expectUnauthenticated(await me(unsignedToken({ ...claims, iat, exp, kp_staff: true })));
    });

    it('refuses a dev token at an app in OIDC mode with another DATA_DIR', async () => {
      const token = await api.signIn(testPersonalNumber(), { staff: true });
      expect((await me(token)).status).toBe(200);
      const issuer = await OidcIssuer.start();
      const oidc = await ApiHarness.start({ AUTH_MODE: 'oidc', OIDC_ISSUER: issuer.issuer, OIDC_AUDIENCE: AUDIENCE });
      try {
        expectUnauthenticated(await oidc.request('GET', '/me', { token, minPosition: null }));
      } finally {
        await oidc.stop();
        await issuer.stop();
      }
    });
  });

  describe('the token signing key', () => {
    let dataDir: string;

    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'kp-e2e-keys-'));
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('is kept in DATA_DIR: a restarted app accepts the tokens minted before', async () => {
      const personalNumber = testPersonalNumber();
      const first = await ApiHarness.start({}, dataDir);
      let token: string;
      try {
        token = await first.signIn(personalNumber, { staff: true, name: 'Per Persist' });
        expect((await first.request('GET', '/me', { token, minPosition: null })).status).toBe(200);
      } finally {
        await first.stop();
      }
      const second = await ApiHarness.start({}, dataDir);
      try {
        const response = await second.request('GET', '/me', { token, minPosition: null });
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ personalNumber, name: 'Per Persist', staff: true });
        // And tokens the second mints work as well.
        expect((await second.request('GET', '/me', { token: await second.signIn(testPersonalNumber()), minPosition: null })).status).toBe(200);
      } finally {
        await second.stop();
      }

      // The same key in OIDC mode still does not make a dev token valid: dev sign-in is off there.
      const issuer = await OidcIssuer.start();
      const oidc = await ApiHarness.start({ AUTH_MODE: 'oidc', OIDC_ISSUER: issuer.issuer, OIDC_AUDIENCE: AUDIENCE }, dataDir);
      try {
        expectUnauthenticated(await oidc.request('GET', '/me', { token, minPosition: null }));
      } finally {
        await oidc.stop();
        await issuer.stop();
      }
    });
  });
});

describe('OIDC issuer failures at start', () => {
  it('name the issuer, the address asked and what failed', async () => {
    const issuer = await OidcIssuer.start();
    const gone = issuer.issuer;
    await issuer.stop();
    const failure = await ApiHarness.start({ AUTH_MODE: 'oidc', OIDC_ISSUER: gone }).then(
      async (api) => {
        await api.stop();
        return null;
      },
      (error: Error) => error.message,
    );
    expect(failure).toBe(`OIDC_ISSUER ${gone}: discovery at ${gone}/.well-known/openid-configuration could not be reached (ECONNREFUSED)`);
  });

  it('an issuer whose discovery names another issuer is refused at start', async () => {
    const issuer = await OidcIssuer.start();
    try {
      // The same server under another name: its discovery document names 127.0.0.1.
      const other = issuer.issuer.replace('127.0.0.1', 'localhost');
      const failure = await ApiHarness.start({ AUTH_MODE: 'oidc', OIDC_ISSUER: other }).then(
        async (api) => {
          await api.stop();
          return null;
        },
        (error: Error) => error.message,
      );
      expect(failure).toContain(`OIDC_ISSUER ${other}: discovery at ${other}/.well-known/openid-configuration names another issuer (${issuer.issuer})`);
    } finally {
      await issuer.stop();
    }
  });
});
