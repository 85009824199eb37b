import { ApiHarness } from './support/api-harness';
import { freshDataDir, removeDir, ServerProcess } from './support/server-process';
import { newSigningKey, signingKeysEnv } from './support/signing-keys';
import { testPersonalNumber } from './support/swedish-ids';

/**
 * Replicas share their signing keys (TOKEN_SIGNING_KEYS), so a token one API process mints is
 * accepted by every other, whatever its DATA_DIR; a new key is rolled in ahead of the old one.
 */
describe('Signing keys shared by API processes', () => {
  const current = newSigningKey();
  const next = newSigningKey();
  const dirs: string[] = [];
  const processes: ServerProcess[] = [];
  let a: ServerProcess;
  let b: ServerProcess;
  let rotated: ServerProcess;

  const start = async (keys: string) => {
    const dataDir = freshDataDir('kp-keys-');
    dirs.push(dataDir);
    const server = await ServerProcess.start({ dataDir, env: { TOKEN_SIGNING_KEYS: keys } });
    processes.push(server);
    return server;
  };
  const me = (server: { request: ServerProcess['request'] }, token: string) => server.request('GET', '/me', { token });

  beforeAll(async () => {
    [a, b, rotated] = await Promise.all([start(signingKeysEnv(current)), start(signingKeysEnv(current)), start(signingKeysEnv(next, current))]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    for (const dir of dirs) removeDir(dir);
  });

  it('two API processes with their own DATA_DIR accept each other\'s tokens', async () => {
    const personalNumber = testPersonalNumber();
    const fromA = await a.signIn(personalNumber, { staff: true, name: 'Anna Replica' });
    const fromB = await b.signIn(testPersonalNumber());
    expect(await me(b, fromA)).toMatchObject({ status: 200, body: { personalNumber, staff: true, name: 'Anna Replica' } });
    expect((await me(a, fromB)).status).toBe(200);
  });

  it('a process with a key of its own (DATA_DIR) refuses them, and they refuse its tokens', async () => {
    const alone = await ApiHarness.start();
    try {
      const fromA = await a.signIn(testPersonalNumber());
      expect((await alone.request('GET', '/me', { token: fromA, minPosition: null })).status).toBe(401);
      expect((await me(a, await alone.signIn(testPersonalNumber()))).status).toBe(401);
    } finally {
      await alone.stop();
    }
  });

  it('rotation: the new key signs, the old key\'s tokens stay valid until they expire', async () => {
    const old = await a.signIn(testPersonalNumber());
    const fresh = await rotated.signIn(testPersonalNumber());
    expect((await me(rotated, old)).status).toBe(200);
    expect(JSON.parse(Buffer.from(fresh.split('.')[0], 'base64url').toString()).kid).toBe(next.kid);
    // A process still on the old key alone does not know the new one yet: roll the new key out to all first.
    expect((await me(a, fresh)).status).toBe(401);
  });

  it('serves the public keys as JWKS, the signing one first, with no private part', async () => {
    const jwks = await rotated.request('GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toEqual([next.kid, current.kid]);
    for (const key of jwks.body.keys) {
      expect(key).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: expect.any(String), alg: 'ES256', use: 'sig' });
    }
  });
});
