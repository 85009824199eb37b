import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { APP_CONFIG, AppConfig, Clock, CLOCK, maskEmail } from '@kundportal/kernel';
import { LEASE_KEEPER, Leases, READ_STORE, ReadStore } from '@kundportal/readstore';
import { MAIL_TRANSPORT, MailTransport } from './mail/mail-transport';
import { isPermanentMailFailure } from './mail/smtp-mail-transport';
import type { RenderedMail } from './templates';

export const OUTBOX = 'mail_outbox';

export interface OutboxDoc {
  _id: string;
  to: string;
  subject: string;
  text: string;
  template: string;
  data: Record<string, unknown>;
  /** Time of the event that caused it, so replays write the same document. */
  createdAt: string;
  sentAt: string | null;
  attempts: number;
  lastError: string | null;
  [key: string]: unknown;
}

/** An outbox entry as a reactor queues it: its id comes from the event and recipient, so a replay finds it there. */
export function outboxEntry(id: string, to: string, mail: RenderedMail, createdAt: string) {
  return {
    filter: { _id: id },
    update: {
      $setOnInsert: { to, subject: mail.subject, text: mail.text, template: mail.template, data: mail.data, createdAt, sentAt: null, attempts: 0, lastError: null },
    },
  };
}

/** Data fields that hold a single-use secret (reset and verification tokens). */
const SECRET_DATA = /token$/i;
export const REMOVED_ONCE_SENT = '[removed once sent]';

/**
 * The mail as kept once it has been sent (or given up on): its single-use tokens, and every link
 * and line of text that holds one, are removed. What the mail was, to whom and when, stays.
 * Answers null when the mail holds no secret.
 */
export function withoutSecrets(mail: Pick<OutboxDoc, 'text' | 'data'>): Pick<OutboxDoc, 'text' | 'data'> | null {
  const secrets = Object.entries(mail.data)
    .filter(([key, value]) => SECRET_DATA.test(key) && typeof value === 'string' && value.length > 0)
    .flatMap(([, value]) => [value as string, encodeURIComponent(value as string)]);
  if (secrets.length === 0) return null;
  const scrub = (text: string) => secrets.reduce((out, secret) => out.split(secret).join(REMOVED_ONCE_SENT), text);
  const data = Object.fromEntries(
    Object.entries(mail.data).map(([key, value]) => [key, SECRET_DATA.test(key) ? REMOVED_ONCE_SENT : typeof value === 'string' ? scrub(value) : value]),
  );
  return { text: scrub(mail.text), data };
}

const POLL_MS = 250;
/** With a shared read store, one process at a time sends: the holder of this lease. */
const DISPATCHER_LEASE = 'outbox-dispatcher';
const MAX_ATTEMPTS = 10;
/**
 * Sent mail, and mail given up on, is kept this long, then removed, so the outbox does not grow
 * for ever. Far longer than any replay after a crash reaches back (the events between a reactor's
 * documents and its checkpoint), so no mail is sent twice for want of its entry.
 */
export const OUTBOX_RETENTION_DAYS = 30;
const PRUNE_EVERY_MS = 3_600_000;
/** The first removal waits this long after start: it reads the whole outbox, which a starting service has better uses for. */
const FIRST_PRUNE_AFTER_MS = 300_000;

/**
 * Sends what reactors queued, oldest first, and marks each sent. A failed send stays queued and
 * is retried with the next round (up to MAX_ATTEMPTS). Once an hour, the first time some minutes
 * after start, it removes what was settled more than OUTBOX_RETENTION_DAYS ago.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationShutdown {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private prunedAt = 0;

  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'auth'>,
    @Optional() @Inject(LEASE_KEEPER) private readonly leases: Leases | null = null,
  ) {}

  /**
   * Single-use tokens are dropped once a mail is settled, except with AUTH_MODE=dev: there
   * `/dev/outbox` stands in for the mailbox (tests and trials read their links from it), and
   * no real person's account is at stake.
   */
  private settled(mail: OutboxDoc): Partial<OutboxDoc> {
    return this.config.auth.mode === 'dev' ? {} : (withoutSecrets(mail) ?? {});
  }

  start(): void {
    this.prunedAt = this.clock.now().getTime() - PRUNE_EVERY_MS + FIRST_PRUNE_AFTER_MS;
    const tick = () => {
      this.round = this.sendPending()
        .then(async () => {
          if (this.clock.now().getTime() - this.prunedAt < PRUNE_EVERY_MS) return;
          if (this.leases && !this.leases.holds(DISPATCHER_LEASE)) return;
          this.prunedAt = this.clock.now().getTime();
          await this.prune();
        })
        .catch((error) => this.logger.warn({ err: (error as Error).message }, 'Outbox round failed'))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, POLL_MS);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async sendPending(): Promise<number> {
    if (this.leases && !(await this.leases.keep(DISPATCHER_LEASE))) return 0;
    const outbox = this.store.collection<OutboxDoc>(OUTBOX);
    const pending = await outbox.find({ sentAt: null, attempts: { $lt: MAX_ATTEMPTS } }, { sort: { createdAt: 1, _id: 1 }, limit: 50 });
    for (const mail of pending) {
      if (this.leases && !this.leases.holds(DISPATCHER_LEASE)) break;
      // Requests go first: a transport that answers at once (the log) would hold the event loop for the whole round.
      await yieldToRequests();
      try {
        await this.transport.send({ to: mail.to, subject: mail.subject, text: mail.text, template: mail.template, data: mail.data });
        await outbox.updateOne({ _id: mail._id }, { $set: { sentAt: this.clock.now().toISOString(), ...this.settled(mail) }, $inc: { attempts: 1 } });
      } catch (error) {
        // A recipient the server refuses for good is not retried; anything else is, next round.
        const permanent = isPermanentMailFailure(error);
        this.logger.warn({ to: maskEmail(mail.to), template: mail.template, permanent, err: (error as Error).message }, 'Sending mail failed');
        await outbox.updateOne(
          { _id: mail._id },
          permanent
            ? { $set: { lastError: (error as Error).message, attempts: MAX_ATTEMPTS, ...this.settled(mail) } }
            : {
                $set: { lastError: (error as Error).message, ...(mail.attempts + 1 >= MAX_ATTEMPTS ? this.settled(mail) : {}) },
                $inc: { attempts: 1 },
              },
        );
      }
    }
    return pending.length;
  }

  /** Removes mail sent, or given up on, more than OUTBOX_RETENTION_DAYS ago; answers how many. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - OUTBOX_RETENTION_DAYS * 86_400_000).toISOString();
    const outbox = this.store.collection<OutboxDoc>(OUTBOX);
    const sent = await outbox.deleteMany({ sentAt: { $ne: null, $lt: cutoff } });
    const givenUp = await outbox.deleteMany({ sentAt: null, attempts: { $gte: MAX_ATTEMPTS }, createdAt: { $lt: cutoff } });
    const removed = sent.deleted + givenUp.deleted;
    if (removed > 0) this.logger.log({ removed, cutoff }, 'Removed old mail from the outbox');
    return removed;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
    if (this.leases && this.round) await this.leases.release(DISPATCHER_LEASE).catch(() => undefined);
    await this.transport.close();
  }
}

/** Without SMTP_URL: the mail is only logged; `/dev/outbox` shows it. */
export class LogMailTransport implements MailTransport {
  private readonly logger = new Logger('Mail');
  async send(mail: { to: string; template: string; subject: string }): Promise<void> {
    this.logger.log({ to: maskEmail(mail.to), template: mail.template }, `Mail not sent (no SMTP_URL): ${mail.subject}`);
  }
  async close(): Promise<void> {}
}
