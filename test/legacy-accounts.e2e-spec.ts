import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './support/free-port';
import { importLegacyAccounts, main as importCommand } from '../apps/portal-api/src/cli/import-legacy-accounts';
import { ApiHarness } from './support/api-harness';
import { Organisation, OrganisationFixtures } from './support/organisation-fixtures';
import { testPersonalNumber } from './support/swedish-ids';

const run = promisify(execFile);

describe('Accounts from the old portal', () => {
  let api: ApiHarness;
  let staff: string;
  let fx: OrganisationFixtures;
  let org: Organisation;

  beforeAll(async () => {
    api = await ApiHarness.start();
    staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    fx = new OrganisationFixtures(api, staff);
    org = await fx.organisation();
  });
  afterAll(() => api.stop());

  async function verificationToken(email: string): Promise<string> {
    for (let i = 0; i < 50; i++) {
      const mail = (await fx.mails(email)).find((m) => m.template === 'account-verification');
      if (mail) return mail.data.verificationToken as string;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no verification mail for ${email}`);
  }

  it('imports an account with its roles; its owner verifies once with BankID or Freja and keeps them', async () => {
    const body = { username: 'kisve01', name: 'Kim Svensson', email: 'kim.svensson@region.se', organisationNumber: org.organisationNumber, roles: ['orderer', 'attestant'] };
    expect((await api.post('/legacy-accounts', body, org.admin.token)).status).toBe(403);
    const imported = await api.post('/legacy-accounts', body, staff);
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ id: expect.any(String), position: expect.any(String) });
    const members = (await api.get(`/organisations/${org.id}/members`, org.admin.token)).body.items;
    expect(members).toEqual(expect.arrayContaining([expect.objectContaining({ accountId: imported.body.id, name: 'Kim Svensson', roles: ['orderer', 'attestant'] })]));

    const token = await verificationToken(body.email);
    const siths = await api.signIn(testPersonalNumber(), { method: 'siths' });
    const bySiths = await api.post('/accounts/verify', { token }, siths);
    expect(bySiths.status).toBe(422);
    expect(bySiths.body.code).toBe('EID_METHOD_NOT_ALLOWED');

    const kim = await api.signIn(testPersonalNumber(), { method: 'freja', name: 'Kim Svensson' });
    const forged = await api.post('/accounts/verify', { token: `${token.split('.')[0]}.forged` }, kim);
    expect(forged.status).toBe(422);
    expect(forged.body.code).toBe('INVALID_TOKEN');
    const verified = await api.post('/accounts/verify', { token }, kim);
    expect(verified.status).toBe(200);
    expect(verified.body.id).toBe(imported.body.id);
    const again = await api.post('/accounts/verify', { token }, kim);
    expect(again.body.code).toBe('INVALID_TOKEN');

    const me = await api.get('/me', kim);
    expect(me.body).toMatchObject({
      accountId: imported.body.id,
      method: 'freja',
      organisations: [expect.objectContaining({ id: org.id, roles: ['orderer', 'attestant'], canOrder: true })],
    });
    // The same person cannot also create an e-ID account.
    const second = await api.post('/accounts', { name: 'Kim', email: 'kim.other@region.se', organisationNumber: org.organisationNumber }, kim);
    expect(second.status).toBe(409);
  });

  it('verified by a person who has an e-ID account already: the old roles and membership move into that account', async () => {
    const other = await fx.organisation({ signed: true });
    // Lisa has an e-ID account in another organisation, and an orderer account in the old portal of this one.
    const lisa = await fx.member(other, ['attestant'], 'Lisa Larsson');
    const body = { username: 'lilar01', name: 'Lisa Larsson', email: 'lisa.larsson@region.se', organisationNumber: org.organisationNumber, roles: ['orderer'] };
    const imported = await api.post('/legacy-accounts', body, staff);
    expect(imported.status).toBe(201);
    const token = await verificationToken(body.email);

    const merged = await api.post('/accounts/verify', { token }, lisa.token);
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: lisa.accountId, mergedFrom: imported.body.id, organisationId: org.id });
    const me = await api.get('/me', lisa.token);
    expect(me.body.accountId).toBe(lisa.accountId);
    expect(me.body.organisations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: other.id, roles: ['attestant'] }),
        expect.objectContaining({ id: org.id, roles: ['orderer'], canOrder: true }),
      ]),
    );
    // The old account is closed: gone from the members, its link used up.
    const members = (await api.get(`/organisations/${org.id}/members`, org.admin.token)).body.items.map((m: { accountId: string }) => m.accountId);
    expect(members).toContain(lisa.accountId);
    expect(members).not.toContain(imported.body.id);
    expect((await api.post('/accounts/verify', { token }, lisa.token)).status).toBe(200);
    const someoneElse = await api.signIn(testPersonalNumber(), { method: 'bankid' });
    expect((await api.post('/accounts/verify', { token }, someoneElse)).body.code).toBe('INVALID_TOKEN');
  });

  it('refuses unknown organisations, taken e-mails and bad bodies', async () => {
    const base = { username: 'x1', name: 'X', email: 'x1@region.se', organisationNumber: org.organisationNumber, roles: [] };
    expect((await api.post('/legacy-accounts', { ...base, organisationNumber: '212000-0142' }, staff)).body.code).toBe('ORGANISATION_NOT_REGISTERED');
    expect((await api.post('/legacy-accounts', { ...base, email: org.admin.email }, staff)).body.code).toBe('ACCOUNT_EXISTS');
    const bad = await api.post('/legacy-accounts', { ...base, roles: ['king'], email: 'nope' }, staff);
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['roles', 'email']));
  });

  it('imports a CSV file through the API; running it again changes nothing', async () => {
    const file = join(api.dataDir, 'legacy.csv');
    writeFileSync(
      file,
      [
        'username,name,email,organisationNumber,roles',
        `anan02,Anna Andersson,anna.andersson@region.se,${org.organisationNumber},administrator`,
        `bobe03,Bo Bengtsson,bo.bengtsson@region.se,${org.organisationNumber},orderer;attestant`,
        `cece04,Cecilia,cecilia@region.se,212000-0142,orderer`,
      ].join('\n'),
    );
    const logs: string[] = [];
    const first = await importLegacyAccounts({ api: api.baseUrl, token: staff, file, log: (l) => logs.push(l) });
    expect(first).toMatchObject({ rows: 3, imported: 2, unchanged: 0 });
    expect(first.refused).toEqual([expect.objectContaining({ line: 4, username: 'cece04', status: 422, code: 'ORGANISATION_NOT_REGISTERED' })]);
    expect(logs.pop()).toBe('3 rows: 2 imported, 0 already there, 1 refused');
    const second = await importLegacyAccounts({ api: api.baseUrl, token: staff, file, log: () => undefined });
    expect(second).toMatchObject({ rows: 3, imported: 0, unchanged: 2 });
    await verificationToken('bo.bengtsson@region.se');
  });

  it('runs as a command, signing in as dev staff itself, and exits non-zero when rows are refused', async () => {
    const file = join(api.dataDir, 'cli.csv');
    writeFileSync(file, `username,name,email,organisationNumber,roles\ndada05,Dag,dag@region.se,${org.organisationNumber},orderer\n`);
    const { stdout } = await run(process.execPath, ['-r', '@swc-node/register', 'apps/portal-api/src/cli/import-legacy-accounts.ts', '--api', api.baseUrl, '--dev-staff', testPersonalNumber(), file], {
      env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.json' },
    });
    expect(stdout).toContain('1 rows: 1 imported, 0 already there, 0 refused');
    writeFileSync(file, `username,name,email,organisationNumber,roles\neded06,Ed,ed@region.se,212000-0142,orderer\n`);
    await expect(
      run(process.execPath, ['-r', '@swc-node/register', 'apps/portal-api/src/cli/import-legacy-accounts.ts', '--api', api.baseUrl, '--dev-staff', testPersonalNumber(), file], {
        env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.json' },
      }),
    ).rejects.toMatchObject({ code: 1 });
  }, 30_000);

  describe('the command, in one line each when it cannot run', () => {
    const HEADER = 'username,name,email,organisationNumber,roles';
    async function command(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
      const out: string[] = [];
      const err: string[] = [];
      const code = await importCommand(args, (l) => out.push(l), (l) => err.push(l));
      return { code, out, err };
    }

    it('reports each row as it goes, a refused one with its reason and fields', async () => {
      const file = join(api.dataDir, 'progress.csv');
      writeFileSync(
        file,
        [HEADER, `fifi07,Fia,fia@region.se,${org.organisationNumber},orderer`, `gugu08,Gus,not-an-email,${org.organisationNumber},king`].join('\n'),
      );
      const { code, out, err } = await command(['--api', api.baseUrl, '--token', staff, file]);
      expect({ code, err }).toEqual({ code: 1, err: [] });
      expect(out[0]).toBe('line 2 (fifi07): imported');
      expect(out[1]).toMatch(/^line 3 \(gugu08\): refused, 400 VALIDATION_FAILED .*\(.*email .*roles .*\)$/);
      expect(out[2]).toBe('2 rows: 1 imported, 0 already there, 1 refused');
    });

    it.each([
      ['a missing file', (f: string) => [f.replace('.csv', '-missing.csv')], /^import stopped: cannot read .*-missing\.csv \(ENOENT\)$/],
      ['a wrong header', () => [], /^import stopped: .*: the header row lacks organisationNumber, roles \(expected /],
    ])('%s: one line, exit code 3', async (_what, extra, message) => {
      const file = join(api.dataDir, 'header.csv');
      writeFileSync(file, `username,name,email,orgnr\nhoho09,Ho,ho@region.se,${org.organisationNumber}\n`);
      const args = extra(file);
      const { code, out, err } = await command(['--api', api.baseUrl, '--token', staff, ...(args.length ? args : [file])]);
      expect({ code, out, lines: err.length }).toEqual({ code: 3, out: [], lines: 1 });
      expect(err[0]).toMatch(message);
    });

    it('a bad token or an unreachable API: one line, no row tried twice', async () => {
      const file = join(api.dataDir, 'many.csv');
      writeFileSync(file, [HEADER, ...Array.from({ length: 5 }, (_, i) => `ii${i},I,i${i}@region.se,${org.organisationNumber},orderer`)].join('\n'));
      const badToken = await command(['--api', api.baseUrl, '--token', 'not-a-token', file]);
      expect({ code: badToken.code, out: badToken.out, lines: badToken.err.length }).toEqual({ code: 3, out: [], lines: 1 });
      expect(badToken.err[0]).toMatch(/^import stopped: the API refused the token \(401 UNAUTHENTICATED\)/);
      const gone = `http://127.0.0.1:${await freePort()}`;
      const unreachable = await command(['--api', gone, '--token', staff, file]);
      expect({ code: unreachable.code, out: unreachable.out, err: unreachable.err }).toEqual({
        code: 3,
        out: [],
        err: [`import stopped: cannot reach the API at ${gone} (ECONNREFUSED); stopped at line 2`],
      });
    });

    it('wrong usage: exit code 2 with the usage line', async () => {
      expect(await command(['--bogus', 'x.csv'])).toMatchObject({ code: 2, err: [expect.stringContaining('usage: import-legacy-accounts')] });
      expect(await command(['--token', 't'])).toMatchObject({ code: 2, err: [expect.stringContaining('give exactly one CSV file')] });
    });
  });
});
