import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { ORGANISATION_DIRECTORY, OrganisationDirectory, OrganisationDirectoryDoc, organisationDirectoryProjection, organisationSearch } from './organisation-directory';
import { AgreementSigned, MemberJoined, OrganisationMergedInto, OrganisationRegistered } from './organisation/organisation.events';

const person = { name: 'Anna Admin', email: 'anna@region.se', personalNumberDigest: 'd1' };
const registered = (organisationId: string, name: string, organisationNumber: string, revision = 0n) =>
  recorded(
    'OrganisationRegistered',
    {
      organisationId,
      applicationId: `app-${organisationId}`,
      organisationNumber,
      name,
      administrator: person,
      signatory: person,
      agreementContact: { name: 'Kim', email: 'kim@region.se' },
      registeredAt: '2026-03-01T09:00:00.000Z',
    } as unknown as OrganisationRegistered['data'],
    `organisation-${organisationId}`,
    revision,
  );
const signed = (organisationId: string) =>
  recorded('AgreementSigned', { organisationId, signedBy: { id: 'a', name: 'S' }, method: 'bankid', signedAt: '2026-03-02T09:00:00.000Z' } satisfies AgreementSigned['data'], `organisation-${organisationId}`, 1n);
const merged = (organisationId: string, into: string) =>
  recorded('OrganisationMergedInto', { organisationId, into, at: '2026-03-03T09:00:00.000Z' } satisfies OrganisationMergedInto['data'], `organisation-${organisationId}`, 2n);
const joined = (organisationId: string) =>
  recorded(
    'MemberJoined',
    { organisationId, accountId: 'acc-1', name: 'Bo', email: 'bo@region.se', personalNumberDigest: null, roles: [], joinedAt: '2026-03-02T10:00:00.000Z' } satisfies MemberJoined['data'],
    `organisation-${organisationId}`,
    1n,
  );

const docs = async (events: ReturnType<typeof recorded>[]) =>
  (await snapshot(organisationDirectoryProjection, await project(organisationDirectoryProjection, events)))[ORGANISATION_DIRECTORY] as OrganisationDirectoryDoc[];

describe('organisation directory projection', () => {
  it('an organisation registered is found by the words of its name and its number', async () => {
    expect(await docs([registered('org-1', 'Region Västra Götaland', '232100-0131')])).toEqual([
      {
        _id: 'org-1',
        name: 'Region Västra Götaland',
        organisationNumber: '232100-0131',
        agreementSigned: false,
        registeredAt: '2026-03-01T09:00:00.000Z',
        mergedInto: null,
        words: ['region', 'västra', 'götaland'],
      },
    ]);
  });

  it('follows the agreement and a merge; members change nothing here', async () => {
    const [doc] = await docs([registered('org-1', 'Region Skåne', '232100-0255'), signed('org-1'), joined('org-1'), merged('org-1', 'org-2')]);
    expect(doc).toMatchObject({ agreementSigned: true, mergedInto: 'org-2' });
  });

  it('replays change nothing: each event twice, and the registration again after the rest', async () => {
    const history = [registered('org-1', 'Region Skåne', '232100-0255'), signed('org-1'), merged('org-1', 'org-2')];
    const once = await docs(history);
    expect(await docs(history.flatMap((e) => [e, e]))).toEqual(once);
    expect(await docs([...history, history[0]])).toEqual(once);
  });

  it('search: by number with or without the dash, by every word of the name in any case, or nothing', async () => {
    expect(organisationSearch(undefined)).toEqual({});
    expect(organisationSearch('2321000131')).toEqual({ organisationNumber: '232100-0131' });
    expect(organisationSearch('232100-0131')).toEqual({ organisationNumber: '232100-0131' });
    expect(organisationSearch('VÄSTRA region')).toEqual({ $and: [{ words: 'västra' }, { words: 'region' }] });
    expect(organisationSearch('!!')).toBeNull();

    const store = await project(organisationDirectoryProjection, [
      registered('org-1', 'Region Västra Götaland', '232100-0131'),
      registered('org-2', 'Västra Kommun', '212000-1355'),
      registered('org-3', 'Region Skåne', '232100-0255'),
    ]);
    const directory = new OrganisationDirectory(store);
    const names = async (q?: string, page = 1, pageSize = 20) => {
      const { items, total } = await directory.search(q, { page, pageSize });
      return { names: items.map((o) => o.name), total };
    };
    expect(await names('västra')).toEqual({ names: ['Region Västra Götaland', 'Västra Kommun'], total: 2 });
    expect(await names('region västra')).toEqual({ names: ['Region Västra Götaland'], total: 1 });
    expect(await names('2321000255')).toEqual({ names: ['Region Skåne'], total: 1 });
    expect(await names('väst')).toEqual({ names: [], total: 0 });
    expect(await names(undefined, 2, 1)).toEqual({ names: ['Region Västra Götaland'], total: 3 });
  });
});
