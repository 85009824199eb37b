import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { loadConfig, PinoNestLogger } from '@kundportal/kernel';
import { ProjectorModule } from '../apps/projector/src/projector.module';
import { EsdbEmulator } from './emulators/esdb/esdb-emulator';
import { MongoWireEmulator, startJongodbEmulator } from './emulators/mongo/jongodb-emulator';
import { ApiHarness } from './support/api-harness';
import { newSigningKey, signingKeysEnv } from './support/signing-keys';
import { testOrganisationNumber, testPersonalNumber } from './support/swedish-ids';

/**
 * The production wiring: the API with RUN_PROJECTIONS=false and a separate projector, both on
 * the EventStoreDB adapter and the MongoDB adapter. The servers here are EMULATORS (the
 * EventStoreDB wire emulator under test/emulators/esdb and the jongodb MongoDB-wire emulator),
 * not EventStoreDB and MongoDB; the same flow runs against real servers through their URLs.
 */
describe('Production wiring on the EventStoreDB wire emulator and the jongodb MongoDB-wire emulator', () => {
  let esdb: EsdbEmulator;
  let mongo: MongoWireEmulator;
  let api: ApiHarness;
  let projector: NestFastifyApplication;
  const dirs: string[] = [];

  beforeAll(async () => {
    esdb = await EsdbEmulator.start();
    mongo = await startJongodbEmulator();
    const env = {
      EVENTSTORE_CONNECTION_STRING: esdb.connectionString,
      MONGODB_URI: mongo.uri,
      MONGODB_DATABASE: `kp_${Date.now()}`,
      PERSONAL_NUMBER_KEY: 'test-key-shared-by-every-process',
      TOKEN_SIGNING_KEYS: signingKeysEnv(newSigningKey()),
      AUTH_MODE: 'dev',
      ALLOW_DEV_AUTH_WITH_PRODUCTION_STORES: 'true',
      LOG_LEVEL: 'silent',
    };
    const projectorDir = mkdtempSync(join(tmpdir(), 'kp-projector-'));
    dirs.push(projectorDir);
    const config = loadConfig({ ...env, DATA_DIR: projectorDir, RUN_PROJECTIONS: 'true' });
    const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    projector = await NestFactory.create<NestFastifyApplication>(ProjectorModule.forRoot(config), new FastifyAdapter({ loggerInstance: logger }), {
      logger: new PinoNestLogger(logger),
    });
    await projector.listen({ port: 0, host: '127.0.0.1' });
    api = await ApiHarness.start({ ...env, RUN_PROJECTIONS: 'false' });
  }, 30_000);

  afterAll(async () => {
    await api?.stop();
    await projector?.close();
    await mongo?.stop();
    await esdb?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the seed flow with projections in the projector and read-your-writes across processes', async () => {
    const health = await api.get('/health');
    expect(health.body).toMatchObject({ status: 'ok', eventStore: { status: 'up', adapter: 'esdb' }, readStore: { status: 'up', adapter: 'mongo' } });

    const staff = await api.signIn(testPersonalNumber(), { staff: true });
    const orgnr = testOrganisationNumber();
    const admin = { name: 'Anna', email: `anna.${orgnr}@region.se`, personalNumber: testPersonalNumber() };
    const signatory = { name: 'Sven', email: `sven.${orgnr}@region.se`, personalNumber: testPersonalNumber() };
    const submitted = await api.post('/customer-applications', {
      organisationNumber: orgnr,
      organisationName: 'Region Emulator',
      administrator: admin,
      signatory,
      agreementContact: { name: 'Kim', email: `kim.${orgnr}@region.se` },
    });
    expect(submitted.status).toBe(201);
    // The API does not project: X-Min-Position waits for the projector's checkpoints in MongoDB.
    const listed = await api.get('/customer-applications?status=submitted', staff);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: submitted.body.id })]);

    const approved = await api.post(`/customer-applications/${submitted.body.id}/approve`, {}, staff);
    expect(approved.status).toBe(200);
    const adminToken = await api.signIn(admin.personalNumber);
    const account = await api.post('/accounts', { name: admin.name, email: admin.email, organisationNumber: orgnr }, adminToken);
    expect(account.status).toBe(201);
    const signatoryToken = await api.signIn(signatory.personalNumber, { method: 'freja' });
    expect((await api.post(`/organisations/${approved.body.organisationId}/agreement/sign`, {}, signatoryToken)).status).toBe(200);
    expect(
      (await api.put(`/organisations/${approved.body.organisationId}/members/${account.body.id}/roles`, { roles: ['administrator', 'orderer', 'attestant'] }, adminToken)).status,
    ).toBe(200);
    const me = await api.get('/me', adminToken);
    expect(me.body.organisations).toEqual([expect.objectContaining({ id: approved.body.organisationId, agreementSigned: true, canOrder: true })]);
    const mails = await api.get(`/dev/outbox?to=${encodeURIComponent(signatory.email)}`, staff);
    expect(mails.body.items).toEqual([expect.objectContaining({ template: 'agreement-to-sign' })]);

    const apiHealth = await api.get('/health');
    expect(apiHealth.body.projections).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'organisations', state: 'elsewhere' })]));
    const projectorPort = (projector.getHttpServer().address() as { port: number }).port;
    const projectorHealth = (await (await fetch(`http://127.0.0.1:${projectorPort}/health`)).json()) as { projections: Array<{ state: string }> };
    expect(projectorHealth.projections.length).toBeGreaterThan(0);
    expect(projectorHealth.projections.every((p) => p.state === 'running')).toBe(true);
  }, 30_000);
});
