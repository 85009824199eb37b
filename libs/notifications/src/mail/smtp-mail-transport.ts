import { createTransport, type Transporter } from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool';
import type { MailTransport, OutgoingMail } from './mail-transport';

export const TEMPLATE_HEADER = 'X-Kundportal-Template';

export interface SmtpMailTransportOptions {
  /** Simultaneous SMTP connections in the pool (default 5). */
  maxConnections?: number;
  /** Messages sent over one connection before it is replaced (default 100). */
  maxMessages?: number;
  /** Milliseconds to wait for the TCP connection (default 10 000). */
  connectionTimeoutMs?: number;
  /** Milliseconds to wait for the server greeting (default 10 000). */
  greetingTimeoutMs?: number;
  /** Milliseconds of socket inactivity before giving up (default 30 000). */
  socketTimeoutMs?: number;
}

/**
 * Why a mail did not go out. `permanent` is true when the server answered with a 5xx
 * reply (for example an unknown recipient): retrying the same mail will not help.
 * Network failures, time-outs and 4xx replies are transient. The original error is `cause`.
 */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';

  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode: number | undefined,
    readonly rejected: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when retrying `error` (as thrown by a MailTransport) cannot succeed. */
export function isPermanentMailFailure(error: unknown): boolean {
  if (error instanceof MailDeliveryError) return error.permanent;
  const code = responseCodeOf(error);
  return code !== undefined && code >= 500 && code < 600;
}

/**
 * Sends plain-text mail over SMTP with a pooled nodemailer transport.
 *
 * `smtpUrl` is `smtp://[user:pass@]host[:port]` (STARTTLS when the server offers it) or
 * `smtps://...` (implicit TLS, port 465); nodemailer's URL query options
 * (e.g. `?requireTLS=true`, `?tls.rejectUnauthorized=false`) are honoured. A rejected
 * send rejects with a {@link MailDeliveryError}, so the outbox can keep the entry and retry.
 */
export class SmtpMailTransport implements MailTransport {
  private readonly transporter: Transporter<SMTPPool.SentMessageInfo>;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    options: SmtpMailTransportOptions = {},
  ) {
    assertSmtpUrl(smtpUrl);
    if (!from.trim()) throw new Error('SmtpMailTransport: a from-address is required (MAIL_FROM)');
    const pool = new SMTPPool({
      url: smtpUrl,
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      maxMessages: options.maxMessages ?? 100,
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      greetingTimeout: options.greetingTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 30_000,
      // The body is rendered from user-supplied data: never let it reach files or URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    this.transporter = createTransport(pool);
  }

  /** Builds the transport from `SMTP_URL` and `MAIL_FROM`. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, options?: SmtpMailTransportOptions): SmtpMailTransport {
    const url = env.SMTP_URL;
    const from = env.MAIL_FROM;
    if (!url) throw new Error('SMTP_URL is not set');
    if (!from) throw new Error('MAIL_FROM is not set');
    return new SmtpMailTransport(url, from, options);
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (this.closed) {
      // A closed nodemailer pool silently drops messages; fail loudly instead.
      throw new MailDeliveryError('SMTP transport is closed', false, undefined, []);
    }
    const sending = this.transporter.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      headers: { [TEMPLATE_HEADER]: mail.template.replace(/[\r\n]+/g, ' ') },
    });
    this.inFlight.add(sending);
    let info: SMTPPool.SentMessageInfo;
    try {
      info = await sending;
    } catch (error) {
      throw toDeliveryError(error, mail);
    } finally {
      this.inFlight.delete(sending);
    }
    const rejected = (info.rejected ?? []).map(addressText);
    if (rejected.length > 0) {
      // Some recipients were refused while others were accepted: report it rather than
      // pretend the mail went out.
      throw new MailDeliveryError(
        `SMTP server rejected recipient(s) ${rejected.join(', ')} of "${mail.template}" mail`,
        true,
        undefined,
        rejected,
      );
    }
  }

  /** Connects and authenticates once, to check the configuration (e.g. at start-up). */
  async verify(): Promise<void> {
    await this.transporter.verify();
  }

  /** Waits for sends in progress, then closes every pooled connection. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    this.transporter.close();
  }
}

function assertSmtpUrl(smtpUrl: string): void {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new Error('SMTP_URL is not a valid URL (expected smtp://[user:pass@]host[:port])');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must use smtp: or smtps:, not ${url.protocol}`);
  }
  if (!url.hostname) throw new Error('SMTP_URL has no host');
}

function toDeliveryError(error: unknown, mail: OutgoingMail): MailDeliveryError {
  const code = responseCodeOf(error);
  const permanent = code !== undefined && code >= 500 && code < 600;
  const rejected = rejectedOf(error);
  const reason = error instanceof Error ? error.message : String(error);
  return new MailDeliveryError(`Sending "${mail.template}" mail failed: ${reason}`, permanent, code, rejected, {
    cause: error,
  });
}

function responseCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' ? code : undefined;
}

function rejectedOf(error: unknown): string[] {
  if (typeof error !== 'object' || error === null) return [];
  const rejected = (error as { rejected?: unknown }).rejected;
  return Array.isArray(rejected) ? rejected.map(addressText) : [];
}

function addressText(address: unknown): string {
  if (typeof address === 'string') return address;
  if (typeof address === 'object' && address !== null && 'address' in address) {
    return String((address as { address: unknown }).address);
  }
  return String(address);
}
