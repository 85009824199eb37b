import { ApiHarness } from './support/api-harness';
import { testOrganisationNumber, testPersonalNumber } from './support/swedish-ids';

function application() {
  const orgnr = testOrganisationNumber();
  return {
    organisationNumber: orgnr,
    organisationName: `Region ${orgnr}`,
    administrator: { name: 'A', email: `a.${orgnr}@region.se`, personalNumber: testPersonalNumber() },
    signatory: { name: 'S', email: `s.${orgnr}@region.se`, personalNumber: testPersonalNumber() },
    agreementContact: { name: 'K', email: `k.${orgnr}@region.se` },
  };
}

describe('Graceful shutdown', () => {
  it('answers what it accepted, then closes the stores; every 2xx is there after a restart', async () => {
    const first = await ApiHarness.start();
    let answered = 0;
    let closeWhenSome: () => void = () => undefined;
    const someAnswered = new Promise<void>((resolve) => (closeWhenSome = resolve));
    const inFlight = Array.from({ length: 80 }, application).map((body) =>
      first
        .request('POST', '/customer-applications', { body, minPosition: null })
        .then((r) => ({ status: r.status, id: r.body?.id as string | undefined, code: r.body?.code as string | undefined }))
        .catch(() => ({ status: 0, id: undefined, code: undefined }))
        .finally(() => ++answered >= 10 && closeWhenSome()),
    );
    // Close in the middle of the burst.
    await someAnswered;
    await first.app.close();
    const results = await Promise.all(inFlight);
    const acknowledged = results.filter((r) => r.status === 201);
    // Accepted requests were answered in full; the rest were refused (503 while closing, or not let in).
    for (const r of results) expect([201, 503, 0]).toContain(r.status);
    expect(acknowledged.length).toBeGreaterThanOrEqual(10);

    const second = await ApiHarness.start({}, first.dataDir);
    try {
      const staff = await second.signIn(testPersonalNumber(), { staff: true });
      const head = (await second.get('/health')).body.headPosition as string;
      const listed = await second.request('GET', '/customer-applications', { token: staff, minPosition: head });
      const ids = new Set(listed.body.items.map((a: { id: string }) => a.id));
      for (const r of acknowledged) expect(ids.has(r.id)).toBe(true);
    } finally {
      await second.stop();
    }
  }, 30_000);
});
