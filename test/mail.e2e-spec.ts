import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiHarness } from './support/api-harness';
import { ReceivedMail, sleep, SmtpSink } from './support/smtp-sink';
import { testOrganisationNumber, testPersonalNumber } from './support/swedish-ids';

const PUBLIC_BASE_URL = 'https://kundportal.example.se';
const TEMPLATE_HEADER = 'x-kundportal-template';

function application(orgnr = testOrganisationNumber()) {
  return {
    organisationNumber: orgnr,
    organisationName: `Region ${orgnr}`,
    administrator: { name: 'Anna Admin', email: `anna.${orgnr}@region.se`, personalNumber: testPersonalNumber() },
    signatory: { name: 'Sven Signatory', email: `sven.${orgnr}@region.se`, personalNumber: testPersonalNumber() },
    agreementContact: { name: 'Kim Contact', email: `kim.${orgnr}@region.se` },
  };
}

describe('E-mail over SMTP (a local smtp-server)', () => {
  let sink: SmtpSink;
  let dataDir: string;
  let api: ApiHarness | undefined;
  const env = () => ({ SMTP_URL: sink.url, PUBLIC_BASE_URL });

  beforeAll(async () => {
    sink = await SmtpSink.start();
    dataDir = mkdtempSync(join(tmpdir(), 'kp-e2e-mail-'));
  });
  afterAll(async () => {
    await api?.stop();
    await sink?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends the three approval mails once, and not again after a restart', async () => {
    api = await ApiHarness.start(env(), dataDir);
    const staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    const body = application();
    const submitted = await api.post('/customer-applications', body);
    expect(submitted.status).toBe(201);
    const approved = await api.post(`/customer-applications/${submitted.body.id}/approve`, {}, staff);
    expect(approved.status).toBe(200);
    const organisationId: string = approved.body.organisationId;
    expect(organisationId).toEqual(expect.any(String));

    // Three mails arrive: one to each contact, each naming the organisation.
    const received = await sink.waitFor(3, 5000);
    expect(received.map((m) => m.rcptTo)).toHaveLength(3);
    const to = (address: string): ReceivedMail => {
      const found = received.filter((m) => m.rcptTo.includes(address.toLowerCase()));
      expect({ address, count: found.length }).toEqual({ address, count: 1 });
      return found[0];
    };
    const admin = to(body.administrator.email);
    const signatory = to(body.signatory.email);
    const contact = to(body.agreementContact.email);

    expect(admin.headers.get(TEMPLATE_HEADER)).toBe('organisation-approved-administrator');
    expect(signatory.headers.get(TEMPLATE_HEADER)).toBe('agreement-to-sign');
    expect(contact.headers.get(TEMPLATE_HEADER)).toBe('agreement-contact-information');
    for (const mail of [admin, signatory, contact]) {
      expect(mail.rcptTo).toHaveLength(1);
      expect(mail.headers.get('to')).toBe(mail.rcptTo[0]);
      expect(mail.headers.get('subject')).toContain(body.organisationName);
      expect(mail.headers.get('from')).toBe('Kundportal <no-reply@kundportal.local>');
      expect(mail.mailFrom).toBe('no-reply@kundportal.local');
      expect(mail.headers.get('content-type')).toMatch(/^text\/plain/i);
      expect(mail.text).toContain(body.organisationName);
    }
    expect(admin.text).toContain(body.administrator.name);
    expect(signatory.text).toContain(body.signatory.name);
    expect(contact.text).toContain(body.agreementContact.name);
    // The signatory is sent to the agreement, at the public address of the portal.
    expect(signatory.text).toContain(`/organisations/${organisationId}/agreement`);
    expect(signatory.text).toContain(`${PUBLIC_BASE_URL}/organisations/${organisationId}/agreement`);

    // The outbox marks them sent (the mark follows the SMTP reply, so allow it a moment).
    const outbox = async () => (await api!.request('GET', '/dev/outbox', { token: staff, minPosition: null })).body.items as Array<Record<string, unknown>>;
    let items = await outbox();
    for (let deadline = Date.now() + 2000; items.some((m) => m.sentAt === null) && Date.now() < deadline; items = await outbox()) await sleep(50);
    expect(items).toHaveLength(3);
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ to: body.administrator.email.toLowerCase(), template: 'organisation-approved-administrator', sentAt: expect.any(String) }),
        expect.objectContaining({ to: body.signatory.email.toLowerCase(), template: 'agreement-to-sign', sentAt: expect.any(String) }),
        expect.objectContaining({ to: body.agreementContact.email.toLowerCase(), template: 'agreement-contact-information', sentAt: expect.any(String) }),
      ]),
    );
    for (const item of items) expect(Number.isNaN(Date.parse(item.sentAt as string))).toBe(false);
    const sentAt = new Map(items.map((m) => [m.to, m.sentAt]));

    // Restart on the same DATA_DIR and the same SMTP server: nothing is sent again.
    await api.stop();
    api = undefined;
    expect(sink.received).toHaveLength(3);
    api = await ApiHarness.start(env(), dataDir);
    await sleep(1500);
    expect(sink.received.map((m) => m.rcptTo[0])).toHaveLength(3);
    const after = await outbox();
    expect(after).toHaveLength(3);
    expect(new Map(after.map((m) => [m.to, m.sentAt]))).toEqual(sentAt);
  });
});
