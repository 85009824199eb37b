import pino from 'pino';
import { Writable } from 'node:stream';
import { ApiHarness } from './support/api-harness';
import { OrganisationFixtures } from './support/organisation-fixtures';
import { testPersonalNumber } from './support/swedish-ids';

/**
 * Everything the service logs at its most verbose level, through a full flow with e-ID, passwords,
 * reset links and failures, must hold no token, password or full personnummer.
 */
describe('Log hygiene', () => {
  it('logs no access token, password, reset or verification token, or full personnummer', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const api = await ApiHarness.start({}, undefined, pino({ level: 'trace' }, sink));
    const secrets: string[] = [];
    try {
      const staffPnr = testPersonalNumber();
      const staff = await api.signIn(staffPnr, { staff: true });
      secrets.push(staff, staffPnr);
      const fx = new OrganisationFixtures(api, staff);
      const org = await fx.organisation();
      secrets.push(org.admin.token, org.admin.personalNumber);
      const password = 'Secret#Password123';
      secrets.push(password);
      const registered = await api.post('/registrations', { name: 'Kim', email: 'kim.log@region.se', password, organisationNumber: org.organisationNumber });
      await api.post(`/registrations/${registered.body.id}/approve`, {}, staff);
      const signedIn = await api.post('/auth/password/sign-in', { email: 'kim.log@region.se', password });
      secrets.push(signedIn.body.accessToken);
      await api.post('/auth/password/sign-in', { email: 'kim.log@region.se', password: 'Wrong#Password123' });
      await api.post('/auth/password/reset-request', { email: 'kim.log@region.se' });
      await new Promise((r) => setTimeout(r, 300));
      const reset = (await fx.mails('kim.log@region.se')).find((m) => m.template === 'password-reset');
      const resetToken = reset?.data.resetToken as string;
      secrets.push(resetToken);
      await api.post('/auth/password/reset', { token: resetToken, password: 'Another#Password456' });
      secrets.push('Another#Password456');
      // Failures and bad input are logged too.
      await api.get('/me', 'Bearer.broken.token');
      await api.post('/auth/dev/sign-in', { personalNumber: '199001012381', method: 'bankid' });
    } finally {
      await api.stop();
    }
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    for (const secret of secrets) {
      expect({ secret: secret.slice(0, 12), found: log.includes(secret) }).toEqual({ secret: secret.slice(0, 12), found: false });
    }
    // No 12-digit personnummer in any form (the fraction of a logged responseTime is not one).
    expect(log).not.toMatch(/(?<![\d.])(19|20)\d{10}(?!\d)/);
  });
});
