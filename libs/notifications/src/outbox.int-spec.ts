import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedReadStore } from '@kundportal/readstore';
import { MailTransport, OutgoingMail } from './mail/mail-transport';
import { OUTBOX, OUTBOX_RETENTION_DAYS, OutboxDispatcher, OutboxDoc, REMOVED_ONCE_SENT } from './outbox';

const NOW = new Date('2026-06-30T12:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

const mail = (id: string, fields: Partial<OutboxDoc>): OutboxDoc => ({
  _id: id,
  to: `${id}@region.se`,
  subject: 'Subject',
  text: 'Text',
  template: 'ticket-reply',
  data: {},
  createdAt: daysAgo(40),
  sentAt: null,
  attempts: 0,
  lastError: null,
  ...fields,
});

describe('OutboxDispatcher (embedded read store)', () => {
  let dir: string;
  let store: EmbeddedReadStore;
  const sent: OutgoingMail[] = [];
  const transport: MailTransport = { send: async (m) => void sent.push(m), close: async () => undefined };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kp-outbox-'));
    store = await EmbeddedReadStore.open({ dataDir: dir });
    sent.length = 0;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`sends what is queued once, then removes mail settled more than ${OUTBOX_RETENTION_DAYS} days ago and keeps the rest`, async () => {
    const outbox = store.collection<OutboxDoc>(OUTBOX);
    await outbox.bulkWrite(
      [
        mail('pending-old', {}),
        mail('sent-old', { sentAt: daysAgo(OUTBOX_RETENTION_DAYS + 1), attempts: 1 }),
        mail('sent-recent', { sentAt: daysAgo(OUTBOX_RETENTION_DAYS - 1), attempts: 1 }),
        mail('given-up-old', { attempts: 10, lastError: '550 no such user' }),
        mail('given-up-recent', { attempts: 10, lastError: '550 no such user', createdAt: daysAgo(2) }),
      ].map((document) => ({ insertOne: { document } })),
    );
    const dispatcher = new OutboxDispatcher(store, transport, { now: () => NOW }, { auth: { mode: 'oidc' } as never });

    expect(await dispatcher.sendPending()).toBe(1);
    expect(sent.map((m) => m.to)).toEqual(['pending-old@region.se']);
    expect(await dispatcher.sendPending()).toBe(0);

    expect(await dispatcher.prune()).toBe(2);
    const left = (await outbox.find({}, { sort: { _id: 1 } })).map((d) => d._id);
    // The mail just sent is settled now, not 40 days ago: it stays for its own retention.
    expect(left).toEqual(['given-up-recent', 'pending-old', 'sent-recent']);
  });

  describe('single-use tokens', () => {
    const token = '0190a0b0-0000-7000-8000-00000000abcd.mac-Of_the-id';
    const link = `https://kundportal.example.se/reset-password?token=${encodeURIComponent(token)}`;
    const reset = () =>
      mail('reset', {
        template: 'password-reset',
        createdAt: daysAgo(0),
        text: `Hej Kim! Välj ett nytt lösenord: ${link}`,
        data: { name: 'Kim', resetToken: token, link, expiresAt: daysAgo(-1) },
      });
    const failing: MailTransport = { send: async () => Promise.reject(Object.assign(new Error('550 no such user'), { responseCode: 550 })), close: async () => undefined };

    it.each([
      ['sent', transport],
      ['given up on', failing],
    ])('are dropped once the mail is %s, with every link and line that held them; the rest stays', async (_what, via) => {
      const outbox = store.collection<OutboxDoc>(OUTBOX);
      await outbox.insertOne(reset());
      await new OutboxDispatcher(store, via, { now: () => NOW }, { auth: { mode: 'oidc' } as never }).sendPending();
      if (via === transport) expect(sent.map((m) => m.data.resetToken)).toEqual([token]);
      const kept = (await outbox.findOne({ _id: 'reset' })) as OutboxDoc;
      expect(JSON.stringify(kept)).not.toContain(token);
      expect(JSON.stringify(kept)).not.toContain(encodeURIComponent(token));
      expect(kept).toMatchObject({
        to: 'reset@region.se',
        template: 'password-reset',
        text: `Hej Kim! Välj ett nytt lösenord: https://kundportal.example.se/reset-password?token=${REMOVED_ONCE_SENT}`,
        data: { name: 'Kim', resetToken: REMOVED_ONCE_SENT },
      });
    });

    it('are kept with AUTH_MODE=dev, where /dev/outbox stands in for the mailbox', async () => {
      const outbox = store.collection<OutboxDoc>(OUTBOX);
      await outbox.insertOne(reset());
      await new OutboxDispatcher(store, transport, { now: () => NOW }, { auth: { mode: 'dev' } as never }).sendPending();
      expect(await outbox.findOne({ _id: 'reset' })).toMatchObject({ sentAt: NOW.toISOString(), data: { resetToken: token, link } });
    });
  });
});
