import { MongoClient } from 'mongodb';
import { eventually } from '@kundportal/kernel/testing';
import { LEASES, LeaseDoc } from '@kundportal/readstore';
import { EsdbEmulator } from './emulators/esdb/esdb-emulator';
import { MongoWireEmulator, startJongodbEmulator } from './emulators/mongo/jongodb-emulator';
import { ApiClient } from './support/api-harness';
import { Customer, OrganisationFixtures } from './support/organisation-fixtures';
import { mongoReadModelDigest } from './support/read-model-digest';
import { freshDataDir, removeDir, ServerProcess } from './support/server-process';
import { newSigningKey, signingKeysEnv } from './support/signing-keys';
import { testPersonalNumber } from './support/swedish-ids';

/**
 * Scale-out in the production wiring: two projector processes and two API processes (RUN_PROJECTIONS=false)
 * as separate OS processes, on one event log and one read store. The servers are EMULATORS (the
 * EventStoreDB wire emulator under test/emulators/esdb and the jongodb MongoDB-wire emulator), not
 * EventStoreDB and MongoDB.
 *
 * - Each projection, and the mail dispatcher, is active in exactly one projector at a time (a lease
 *   in the read store); the other keeps it on standby.
 * - When the projector running them is killed (SIGKILL, no hand-over), the other takes over within
 *   10 s of the kill, and the read models then equal a full rebuild from the log (a hash of every
 *   read model, compared with a third projector's rebuild into an empty database).
 * - The two API processes, behind a round-robin client, give the same answers to the same reads.
 */

const TAKEOVER_LIMIT_MS = 10_000;

interface ProjectionHealth {
  name: string;
  state: string;
  position: string;
  lag: string | null;
}

describe('Scale-out: two projectors and two API processes on the EventStoreDB wire emulator and the jongodb MongoDB-wire emulator', () => {
  let esdb: EsdbEmulator;
  let mongo: MongoWireEmulator;
  let client: MongoClient;
  const database = `kp_scale_${Date.now()}`;
  const rebuildDatabase = `${database}_rebuild`;
  const processes: ServerProcess[] = [];
  const dirs: string[] = [];
  let projectors: ServerProcess[];
  let apis: ServerProcess[];
  let api: ApiClient;
  let staff: string;
  let env: Record<string, string>;
  let customer: Customer;

  const projectorHealth = async (p: ServerProcess): Promise<ProjectionHealth[]> => (await p.request('GET', '/health', { timeoutMs: 5_000 })).body.projections;
  const leases = async (): Promise<Map<string, LeaseDoc>> => {
    const docs = await client.db(database).collection<LeaseDoc>(LEASES).find({ expiresAt: { $gte: Date.now() } }).toArray();
    return new Map(docs.map((d) => [d._id, d]));
  };
  const ownerPid = (lease: LeaseDoc | undefined): number | undefined => (lease ? Number(lease.owner.split(':')[1]) : undefined);
  const start = async (app: 'api' | 'projector', extra: Record<string, string> = {}, dataDir?: string) => {
    const dir = dataDir ?? freshDataDir('kp-scale-');
    if (!dataDir) dirs.push(dir);
    const server = await ServerProcess.start({ app, dataDir: dir, env: { ...env, ...extra }, readyTimeoutMs: 60_000 });
    processes.push(server);
    return server;
  };
  const until = <T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> =>
    eventually(probe, { timeoutMs, what, pollMs: 100, retryOnError: true });

  beforeAll(async () => {
    esdb = await EsdbEmulator.start();
    mongo = await startJongodbEmulator();
    client = await MongoClient.connect(mongo.uri);
    env = {
      EVENTSTORE_CONNECTION_STRING: esdb.connectionString,
      MONGODB_URI: mongo.uri,
      MONGODB_DATABASE: database,
      PERSONAL_NUMBER_KEY: 'test-key-shared-by-every-process',
      TOKEN_SIGNING_KEYS: signingKeysEnv(newSigningKey()),
      AUTH_MODE: 'dev',
      ALLOW_DEV_AUTH_WITH_PRODUCTION_STORES: 'true',
    };
    projectors = [await start('projector'), await start('projector')];
    // Each API process has a DATA_DIR of its own, as each pod has its own emptyDir: the signing keys they share come from TOKEN_SIGNING_KEYS.
    apis = [await start('api', { RUN_PROJECTIONS: 'false' })];
    apis.push(await start('api', { RUN_PROJECTIONS: 'false' }));
    api = new ApiClient(apis.map((a) => a.baseUrl));
    staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Sam Staff' });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await client?.close();
    await mongo?.stop();
    await esdb?.stop();
    for (const dir of dirs) removeDir(dir);
  }, 60_000);

  it('runs each projection and the mail dispatcher in exactly one projector, the other on standby', async () => {
    const names = (await projectorHealth(projectors[0])).map((p) => p.name);
    expect(names.length).toBeGreaterThan(5);
    const held = await until(
      async () => {
        const current = await leases();
        return [...names, 'outbox-dispatcher'].every((n) => current.has(n)) ? current : undefined;
      },
      15_000,
      'every lease held',
    );
    const pids = projectors.map((p) => p.pid);
    const states = await Promise.all(projectors.map(projectorHealth));
    for (const name of names) {
      const owner = ownerPid(held.get(name));
      expect(pids).toContain(owner);
      // Running where the lease is held, on standby ('elsewhere') in the other projector.
      const byProcess = states.map((s, i) => `${pids[i] === owner ? 'holder' : 'other'}:${s.find((p) => p.name === name)?.state}`).sort();
      expect({ name, states: byProcess }).toEqual({ name, states: ['holder:running', 'other:elsewhere'] });
    }
    expect(pids).toContain(ownerPid(held.get('outbox-dispatcher')));
  }, 30_000);

  it('gives the same answers from either API process', async () => {
    customer = await new OrganisationFixtures(api, staff).customer({ name: 'Region Skalning' });
    const ticket = await api.post('/tickets', { type: 'question', subject: 'Two processes', description: 'Which one answers?', organisationId: customer.id }, customer.orderer.token);
    expect(ticket.status).toBe(201);
    expect((await api.post(`/tickets/${ticket.body.id}/messages`, { body: 'Both, the same.' }, staff)).status).toBe(201);
    const position = api.lastPosition!;

    const reads: Array<[string, string]> = [
      ['/me', customer.orderer.token],
      ['/me/notifications', customer.orderer.token],
      ['/tickets', customer.orderer.token],
      [`/tickets/${ticket.body.id}`, staff],
      [`/organisations/${customer.id}`, customer.admin.token],
      [`/organisations/${customer.id}/members`, customer.admin.token],
      ['/customer-applications?status=approved', staff],
      ['/catalogue', customer.orderer.token],
      ['/approvals', customer.attestant.token],
    ];
    for (const [path, token] of reads) {
      const answers = await Promise.all(apis.map((a) => a.request('GET', path, { token, minPosition: position })));
      expect({ path, status: answers[0].status }).toEqual({ path, status: 200 });
      expect({ path, second: answers[1].body }).toEqual({ path, second: answers[0].body });
    }
  }, 60_000);

  it('takes over within 10 s when the projector running the projections is killed, and the read models then equal a full rebuild', async () => {
    const before = await leases();
    const ticketsHolder = ownerPid(before.get('tickets'));
    const victim = projectors.find((p) => p.pid === ticketsHolder)!;
    const survivor = projectors.find((p) => p !== victim)!;
    const names = (await projectorHealth(survivor)).map((p) => p.name);
    const taken = names.filter((n) => ownerPid(before.get(n)) === victim.pid);

    await victim.kill();
    const killedAt = Date.now();
    // Writes go on while nobody projects the victim's projections; the survivor must catch them up.
    const member = customer.orderer.token;
    const during = await api.post('/tickets', { type: 'fault-report', subject: 'Written during the takeover', description: 'Still here?' }, member);
    expect(during.status).toBe(201);
    const head = BigInt(during.body.position);

    const tookOver = await until(
      async () => {
        const health = await projectorHealth(survivor);
        return health.every((p) => p.state === 'running' && BigInt(p.position) >= head) ? Date.now() - killedAt : undefined;
      },
      30_000,
      'the survivor runs every projection, caught up',
    );
    console.log(`Scale-out: projector ${victim.pid} killed holding ${taken.length} of ${names.length} projections; the other ran them all, caught up, ${tookOver} ms after the kill`);
    expect(tookOver).toBeLessThanOrEqual(TAKEOVER_LIMIT_MS);
    const after = await leases();
    for (const name of names) expect({ name, owner: ownerPid(after.get(name)) }).toEqual({ name, owner: survivor.pid });

    // Read-your-writes through either API while the survivor projects.
    const listed = await api.request('GET', '/tickets', { token: member, minPosition: head.toString() });
    expect(listed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: during.body.id })]));

    // A third projector rebuilds every read model from the log into an empty database.
    const rebuild = await start('projector', { MONGODB_DATABASE: rebuildDatabase });
    await until(
      async () => ((await projectorHealth(rebuild)).every((p) => p.state === 'running' && BigInt(p.position) >= head) ? true : undefined),
      60_000,
      'the rebuild caught up',
    );
    await rebuild.stop();
    const served = await mongoReadModelDigest(client.db(database));
    const rebuilt = await mongoReadModelDigest(client.db(rebuildDatabase));
    console.log(`Scale-out: read models equal a full rebuild: ${Object.keys(served.compared).length} collections, ${served.documents} documents hashed`);
    expect(served.documents).toBeGreaterThan(0);
    expect(rebuilt.compared).toEqual(served.compared);
  }, 150_000);
});
