import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { accountsProjection } from './account.projection';

describe('accounts projection', () => {
  const created = recorded('AccountCreated', {
    accountId: 'acc-1',
    name: 'Anna',
    email: 'anna@region.se',
    phone: null,
    organisationId: 'org-1',
    personalNumberDigest: 'digest-anna',
    method: 'bankid',
    createdAt: '2026-01-01T08:00:00.000Z',
  });

  it('keeps one document per account, found by digest, and replays change nothing', async () => {
    const store = await project(accountsProjection, [created]);
    const once = await snapshot(accountsProjection, store);
    expect(once.accounts).toEqual([expect.objectContaining({ _id: 'acc-1', personalNumberDigest: 'digest-anna', email: 'anna@region.se' })]);
    await project(accountsProjection, [created, created], store);
    expect(await snapshot(accountsProjection, store)).toEqual(once);
  });
});
