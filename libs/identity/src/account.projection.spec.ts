import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { accountsProjection } from './account.projection';

describe('accounts projection', () => {
  const account = {
    accountId: 'acc-1',
    name: 'Anna',
    email: 'anna@region.se',
    phone: null,
    organisationId: 'org-1',
    personalNumberDigest: 'digest-anna',
    method: 'bankid',
    createdAt: '2026-01-01T08:00:00.000Z',
  };
  const created = recorded('AccountCreated', account);

  it('keeps one document per account, found by digest, and replays change nothing', async () => {
    const store = await project(accountsProjection, [created]);
    const once = await snapshot(accountsProjection, store);
    expect(once.accounts).toEqual([expect.objectContaining({ _id: 'acc-1', personalNumberDigest: 'digest-anna', email: 'anna@region.se' })]);
    await project(accountsProjection, [created, created], store);
    expect(await snapshot(accountsProjection, store)).toEqual(once);
  });

  it('marks the e-mail verified once its link is used, and unverified again when it changes', async () => {
    const at = '2026-01-02T08:00:00.000Z';
    const verified = (email: string) => recorded('EmailVerified', { accountId: 'acc-1', email, verificationId: 'acc-1~1', at });
    const changed = recorded('EmailChanged', { accountId: 'acc-1', email: 'anna.ny@region.se', previous: 'anna@region.se', at });
    const flags = async (events: ReturnType<typeof recorded>[]) => {
      const [doc] = (await snapshot(accountsProjection, await project(accountsProjection, events))).accounts as unknown as Array<{ email: string; emailVerified: boolean }>;
      return { email: doc.email, emailVerified: doc.emailVerified };
    };
    expect(await flags([created])).toEqual({ email: 'anna@region.se', emailVerified: false });
    expect(await flags([created, verified('anna@region.se')])).toEqual({ email: 'anna@region.se', emailVerified: true });
    expect(await flags([created, verified('anna@region.se'), changed])).toEqual({ email: 'anna.ny@region.se', emailVerified: false });
    // A verification of the address before the change does not verify the new one.
    expect(await flags([created, changed, verified('anna@region.se')])).toEqual({ email: 'anna.ny@region.se', emailVerified: false });
    expect(await flags([created, changed, verified('anna.ny@region.se'), verified('anna.ny@region.se')])).toEqual({ email: 'anna.ny@region.se', emailVerified: true });
  });

  it('a password account’s e-mail is verified by the registration’s approval', async () => {
    const password = recorded('AccountCreated', { ...account, method: 'password', personalNumberDigest: null });
    const [doc] = (await snapshot(accountsProjection, await project(accountsProjection, [password]))).accounts as unknown as Array<{ emailVerified: boolean }>;
    expect(doc.emailVerified).toBe(true);
  });
});
