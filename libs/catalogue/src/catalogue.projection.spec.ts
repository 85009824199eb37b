import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { catalogueProjection } from './catalogue.projection';

const careUnits = { name: 'careUnits', label: 'Number of care units (vårdenheter)', type: 'integer', required: true, min: 1 };
const fee = { amount: 5000, currency: 'SEK' };

/** Events of one service stream, with their revisions as the log would give them. */
function stream(serviceId: string) {
  let revision = -1n;
  const next = (type: string, data: Record<string, unknown>) => recorded(type, { serviceId, ...data }, `service-${serviceId}`, ++revision);
  return {
    published: (name: string) => next('ServicePublished', { name, publishedAt: '2026-01-01T08:00:00.000Z' }),
    offering: (offeringId: string, version: number, name: string) =>
      next('OfferingPublished', { offeringId, version, name, startupFee: fee, fields: [careUnits], publishedAt: `2026-01-0${version}T09:00:00.000Z` }),
    retired: (offeringId: string, version: number) => next('OfferingRetired', { offeringId, version, retiredAt: '2026-02-01T08:00:00.000Z' }),
  };
}

const offeringDoc = (id: string, version: number, name: string) => ({
  id,
  name,
  version,
  startupFee: fee,
  fields: [careUnits],
  publishedAt: `2026-01-0${version}T09:00:00.000Z`,
});

describe('catalogue projection', () => {
  const webcert = stream('webcert');
  const history = [
    webcert.published('Webcert'),
    webcert.offering('webcert-fristaende', 1, 'Webcert Fristående'),
    webcert.offering('webcert-integrerad', 1, 'Webcert Integrerad'),
    webcert.offering('webcert-fristaende', 2, 'Webcert Fristående 2'),
  ];

  it('keeps one document per service with its active offerings, a new version replacing the old in place', async () => {
    const state = await snapshot(catalogueProjection, await project(catalogueProjection, history));
    expect(state.catalogue_services).toEqual([
      {
        _id: 'webcert',
        name: 'Webcert',
        description: null,
        offerings: [offeringDoc('webcert-fristaende', 2, 'Webcert Fristående 2'), offeringDoc('webcert-integrerad', 1, 'Webcert Integrerad')],
        publishedAt: '2026-01-01T08:00:00.000Z',
        revision: 3,
      },
    ]);
  });

  it('removes a retired offering from the list, and brings it back when published again', async () => {
    const retired = webcert.retired('webcert-fristaende', 2);
    const store = await project(catalogueProjection, [...history, retired]);
    let state = await snapshot(catalogueProjection, store);
    expect(state.catalogue_services[0].offerings).toEqual([offeringDoc('webcert-integrerad', 1, 'Webcert Integrerad')]);
    await project(catalogueProjection, [webcert.offering('webcert-fristaende', 3, 'Webcert Fristående 3')], store);
    state = await snapshot(catalogueProjection, store);
    expect((state.catalogue_services[0].offerings as { id: string; version: number }[]).map((o) => [o.id, o.version])).toEqual([
      ['webcert-integrerad', 1],
      ['webcert-fristaende', 3],
    ]);
  });

  it('keeps services apart', async () => {
    const other = stream('e-tjanst');
    const state = await snapshot(
      catalogueProjection,
      await project(catalogueProjection, [...history, other.published('E-tjänst'), other.offering('e-tjanst-bas', 1, 'Bas')]),
    );
    expect(state.catalogue_services.map((s) => [s._id, (s.offerings as unknown[]).length])).toEqual([
      ['e-tjanst', 1],
      ['webcert', 2],
    ]);
  });

  it('changes nothing when events are replayed (each event twice, or the whole history again)', async () => {
    const all = [...history, webcert.retired('webcert-integrerad', 1)];
    const once = await snapshot(catalogueProjection, await project(catalogueProjection, all));
    const twice = await snapshot(catalogueProjection, await project(catalogueProjection, all.flatMap((e) => [e, e])));
    const store = await project(catalogueProjection, all);
    const replayed = await snapshot(catalogueProjection, await project(catalogueProjection, all, store));
    expect(twice).toEqual(once);
    expect(replayed).toEqual(once);
  });

  it('does not bring a retired offering back when its publication is replayed', async () => {
    const published = webcert.offering('webcert-x', 1, 'X');
    const retired = webcert.retired('webcert-x', 1);
    const store = await project(catalogueProjection, [...history, published, retired]);
    const before = await snapshot(catalogueProjection, store);
    await project(catalogueProjection, [published], store);
    expect(await snapshot(catalogueProjection, store)).toEqual(before);
    expect(before.catalogue_services[0].offerings).toHaveLength(2);
  });
});
