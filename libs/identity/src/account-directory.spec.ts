import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { ACCOUNT_DIRECTORY, AccountDirectory, AccountDirectoryDoc, accountDirectoryProjection, accountSearch } from './account-directory';
import { AccountCreated, AccountImported, AccountVerified, PasswordSet } from './account.events';

const created = (accountId: string, name: string, email: string) =>
  recorded(
    'AccountCreated',
    { accountId, name, email, phone: null, organisationId: 'org-1', personalNumberDigest: 'd', method: 'bankid', createdAt: '2026-03-01T09:00:00.000Z' } satisfies AccountCreated['data'],
    `account-${accountId}`,
    0n,
  );
const imported = (accountId: string, name: string, email: string) =>
  recorded(
    'AccountImported',
    { accountId, username: 'old', name, email, organisationId: 'org-2', roles: [], verificationId: 'v', importedAt: '2026-02-01T09:00:00.000Z' } satisfies AccountImported['data'],
    `account-${accountId}`,
    0n,
  );
const verified = (accountId: string) =>
  recorded(
    'AccountVerified',
    { accountId, personalNumberDigest: 'd', method: 'freja', verificationId: 'v', verifiedAt: '2026-03-05T09:00:00.000Z' } satisfies AccountVerified['data'],
    `account-${accountId}`,
    1n,
  );
const passwordSet = (accountId: string) =>
  recorded('PasswordSet', { accountId, email: 'x@y.se', passwordHash: 'h', reason: 'reset', at: '2026-03-05T09:00:00.000Z' } satisfies PasswordSet['data'], `account-${accountId}`, 2n);

const docs = async (events: ReturnType<typeof recorded>[]) =>
  (await snapshot(accountDirectoryProjection, await project(accountDirectoryProjection, events)))[ACCOUNT_DIRECTORY] as AccountDirectoryDoc[];

describe('account directory projection', () => {
  it('an account is found by the words of its name and e-mail; the e-mail is kept in lower case', async () => {
    expect(await docs([created('acc-1', 'Åsa Öberg', 'Asa.Oberg@Region.se')])).toEqual([
      {
        _id: 'acc-1',
        name: 'Åsa Öberg',
        email: 'asa.oberg@region.se',
        organisationId: 'org-1',
        method: 'bankid',
        verified: true,
        createdAt: '2026-03-01T09:00:00.000Z',
        words: ['åsa', 'öberg', 'asa', 'oberg', 'region', 'se'],
      },
    ]);
  });

  it('an imported account is unverified until its owner verifies it with e-ID; a password changes nothing here', async () => {
    const [before] = await docs([imported('acc-2', 'Bo Berg', 'bo@kommun.se')]);
    expect(before).toMatchObject({ method: 'legacy', verified: false, organisationId: 'org-2' });
    const [after] = await docs([imported('acc-2', 'Bo Berg', 'bo@kommun.se'), verified('acc-2'), passwordSet('acc-2')]);
    expect(after).toMatchObject({ method: 'freja', verified: true, name: 'Bo Berg' });
  });

  it('replays change nothing', async () => {
    const history = [imported('acc-2', 'Bo Berg', 'bo@kommun.se'), verified('acc-2'), created('acc-1', 'Åsa Öberg', 'asa@region.se')];
    const once = await docs(history);
    expect(await docs(history.flatMap((e) => [e, e]))).toEqual(once);
    expect(await docs([...history, history[0]])).toEqual(once);
  });

  it('search: a whole e-mail as one, or every word of the name or e-mail, in any case', async () => {
    expect(accountSearch(undefined)).toEqual({});
    expect(accountSearch(' Asa.Oberg@Region.SE ')).toEqual({ email: 'asa.oberg@region.se' });
    expect(accountSearch('ÅSA öberg')).toEqual({ $and: [{ words: 'åsa' }, { words: 'öberg' }] });
    expect(accountSearch('--')).toBeNull();

    const store = await project(accountDirectoryProjection, [
      created('acc-1', 'Åsa Öberg', 'asa.oberg@region.se'),
      created('acc-3', 'Åsa Berg', 'asa.berg@kommun.se'),
      imported('acc-2', 'Bo Berg', 'bo@region.se'),
    ]);
    const directory = new AccountDirectory(store);
    const names = async (q?: string) => (await directory.search(q, { page: 1, pageSize: 20 })).items.map((a) => a.name);
    expect(await names('åsa')).toEqual(['Åsa Berg', 'Åsa Öberg']);
    expect(await names('berg')).toEqual(['Bo Berg', 'Åsa Berg']);
    expect(await names('region')).toEqual(['Bo Berg', 'Åsa Öberg']);
    expect(await names('bo@region.se')).toEqual(['Bo Berg']);
    expect(await names('bo@region')).toEqual([]);
    expect((await directory.search(undefined, { page: 1, pageSize: 2 })).total).toBe(3);
  });
});
