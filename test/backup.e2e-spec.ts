import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { main as restoreCommand } from '../apps/portal-api/src/cli/restore-backup';
import { ApiHarness } from './support/api-harness';
import { OrganisationFixtures } from './support/organisation-fixtures';
import { readModelDigest } from './support/read-model-digest';
import { freshDataDir, removeDir } from './support/server-process';
import { testPersonalNumber } from './support/swedish-ids';
import { TicketFixtures } from './support/ticket-fixtures';

/** Backing up a running embedded deployment, and starting a new one from the backup. */
describe('Backup and restore (embedded deployment)', () => {
  const dirs: string[] = [];
  const dir = (prefix: string) => {
    const made = freshDataDir(prefix);
    dirs.push(made);
    return made;
  };
  afterAll(() => dirs.forEach(removeDir));

  it('restores a backup taken while the service runs: the same read models, the same people and tokens', async () => {
    const original = dir('kp-backup-');
    const api = await ApiHarness.start({}, original);
    let staff: string;
    let backup: string;
    let personalNumber: string;
    let customerToken: string;
    try {
      staff = await api.signIn(testPersonalNumber(), { staff: true });
      const fixtures = new OrganisationFixtures(api, staff);
      const org = await fixtures.organisation();
      personalNumber = org.admin.personalNumber;
      customerToken = org.admin.token;
      const tickets = new TicketFixtures(api);
      for (let i = 0; i < 3; i++) await tickets.create(org.admin.token, { organisationId: org.id });

      // Non-staff may not; staff get a new directory with the manifest written last.
      expect((await api.post('/admin/backups', {}, org.admin.token)).status).toBe(403);
      const answer = await api.post('/admin/backups', {}, staff);
      expect(answer.status).toBe(201);
      backup = answer.body.directory;
      expect(answer.body.files).toEqual(expect.arrayContaining(['readmodels.sqlite', 'secrets']));
      expect(readdirSync(backup)).toEqual(expect.arrayContaining(['backup.json', 'readmodels.sqlite', 'secrets']));
      // The service answers on.
      expect((await api.get('/me', customerToken)).status).toBe(200);
    } finally {
      await api.stop();
    }
    const before = readModelDigest(original);

    const restored = join(dir('kp-restore-'), 'data');
    const out: string[] = [];
    const err: string[] = [];
    expect(await restoreCommand(['--data-dir', restored, backup], (l) => out.push(l), (l) => err.push(l))).toBe(0);
    expect(err).toEqual([]);
    expect(out[0]).toMatch(/^restored the backup of .* into /);
    // Never over an existing deployment.
    expect(await restoreCommand(['--data-dir', restored, backup], () => undefined, (l) => err.push(l))).toBe(3);
    expect(err[0]).toMatch(/^restore stopped: .* already holds /);

    const again = await ApiHarness.start({}, restored);
    try {
      // The secrets came along: tokens made before still work, and the person is the same one.
      const me = await again.get('/me', customerToken);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ personalNumber, organisations: [expect.objectContaining({ roles: expect.arrayContaining(['administrator']) })] });
      expect((await again.get('/tickets', customerToken)).body.items).toHaveLength(3);
    } finally {
      await again.stop();
    }
    const after = readModelDigest(restored);
    expect(after.compared).toEqual(before.compared);
    expect(Object.keys(after.compared).length).toBeGreaterThan(3);
    expect(existsSync(join(restored, 'secrets'))).toBe(true);
  }, 60_000);
});
