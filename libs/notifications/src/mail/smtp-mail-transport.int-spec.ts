import type { AddressInfo } from 'node:net';
import { freePort } from '../../../../test/support/free-port';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { parseMessage } from '../../../../test/support/smtp-sink';
import type { OutgoingMail } from './mail-transport';
import {
  MailDeliveryError,
  SmtpMailTransport,
  TEMPLATE_HEADER,
  isPermanentMailFailure,
} from './smtp-mail-transport';

interface ReceivedMail {
  mailFrom: string;
  rcptTo: string[];
  user: string | undefined;
  headers: Map<string, string>;
  body: string;
}

interface TestServer {
  url: (credentials?: string) => string;
  received: ReceivedMail[];
  connections: () => number;
  close: () => Promise<void>;
}

type ServerHooks = Pick<SMTPServerOptions, 'onRcptTo' | 'onAuth' | 'authOptional' | 'onData'>;

async function startServer(hooks: ServerHooks = {}): Promise<TestServer> {
  const received: ReceivedMail[] = [];
  let connections = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: hooks.onAuth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: hooks.authOptional ?? true,
    allowInsecureAuth: true,
    logger: false,
    closeTimeout: 1000,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onAuth: hooks.onAuth,
    onRcptTo: hooks.onRcptTo,
    onData:
      hooks.onData ??
      ((stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            user: typeof session.user === 'string' ? session.user : undefined,
            ...parsed(Buffer.concat(chunks).toString('latin1')),
          });
          callback();
        });
      }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // The typings do not declare the underlying net.Server, but smtp-server exposes it.
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  return {
    url: (credentials) => `smtp://${credentials ? `${credentials}@` : ''}127.0.0.1:${port}`,
    received,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Just enough RFC 5322/2047/2045 parsing for what nodemailer produces for a text mail. */
function parsed(raw: string): { headers: Map<string, string>; body: string } {
  const { headers, text } = parseMessage(raw);
  return { headers, body: text.replace(/\n$/, '') };
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}


const mail = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
  to: 'anna.andersson@kommun.example.se',
  subject: 'Ärende 42 har fått ett svar',
  text: 'Hej Anna!\n\nDitt ärende "Skrivaren på plan 3" har fått ett nytt svar.\nLogga in för att läsa det.',
  template: 'ticket-reply',
  data: { ticketId: '42' },
  ...overrides,
});

describe('SmtpMailTransport (against a local smtp-server)', () => {
  let server: TestServer | undefined;
  let transport: SmtpMailTransport | undefined;

  afterEach(async () => {
    // Close the client first: the server waits for open connections when closing.
    await transport?.close();
    await server?.close();
    transport = undefined;
    server = undefined;
  });

  it('delivers a plain-text mail with recipients, subject, body and template header', async () => {
    server = await startServer();
    transport = new SmtpMailTransport(server.url(), 'Kundportalen <no-reply@kundportal.example.se>');

    await transport.send(mail());

    expect(server.received).toHaveLength(1);
    const [got] = server.received;
    expect(got.mailFrom).toBe('no-reply@kundportal.example.se');
    expect(got.rcptTo).toEqual(['anna.andersson@kommun.example.se']);
    expect(got.headers.get('to')).toBe('anna.andersson@kommun.example.se');
    expect(got.headers.get('from')).toBe('Kundportalen <no-reply@kundportal.example.se>');
    expect(got.headers.get('subject')).toBe('Ärende 42 har fått ett svar');
    expect(got.headers.get(TEMPLATE_HEADER.toLowerCase())).toBe('ticket-reply');
    expect(got.headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8/i);
    expect(got.headers.has('message-id')).toBe(true);
    expect(got.body).toBe(mail().text);
  });

  it('authenticates with the (URL-encoded) credentials in SMTP_URL', async () => {
    const logins: string[] = [];
    server = await startServer({
      authOptional: false,
      onAuth(auth, _session, callback) {
        logins.push(`${auth.username}:${auth.password}`);
        if (auth.username === 'portal' && auth.password === 'p@ss:wörd/1') return callback(null, { user: 'portal' });
        return callback(smtpError('Invalid username or password', 535));
      },
    });
    transport = SmtpMailTransport.fromEnv({
      SMTP_URL: server.url(`portal:${encodeURIComponent('p@ss:wörd/1')}`),
      MAIL_FROM: 'no-reply@kundportal.example.se',
    });

    await transport.send(mail());

    expect(logins).toEqual(['portal:p@ss:wörd/1']);
    expect(server.received).toHaveLength(1);
    expect(server.received[0].user).toBe('portal');
  });

  it('rejects with a permanent failure when the server refuses the recipient', async () => {
    server = await startServer({
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith('@unknown.example.se')) {
          return callback(smtpError(`5.1.1 <${address.address}>: Recipient address rejected`, 550));
        }
        return callback();
      },
    });
    transport = new SmtpMailTransport(server.url(), 'no-reply@kundportal.example.se');

    const sending = transport.send(mail({ to: 'nobody@unknown.example.se' }));

    await expect(sending).rejects.toBeInstanceOf(MailDeliveryError);
    const error = await sending.catch((e: unknown) => e);
    expect(error).toMatchObject({ permanent: true, responseCode: 550 });
    expect((error as Error).message).toContain('ticket-reply');
    expect(isPermanentMailFailure(error)).toBe(true);
    expect(server.received).toHaveLength(0);

    // The pool is still usable afterwards.
    await transport.send(mail());
    expect(server.received).toHaveLength(1);
  });

  it('rejects with a transient failure on a 4xx reply, so the caller retries', async () => {
    let attempts = 0;
    server = await startServer({
      onRcptTo(_address, _session, callback) {
        attempts += 1;
        return attempts === 1 ? callback(smtpError('4.7.1 Greylisted, try again later', 451)) : callback();
      },
    });
    transport = new SmtpMailTransport(server.url(), 'no-reply@kundportal.example.se');

    const error = await transport.send(mail()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect(error).toMatchObject({ permanent: false, responseCode: 451 });
    expect(isPermanentMailFailure(error)).toBe(false);

    await transport.send(mail());
    expect(server.received).toHaveLength(1);
  });

  it('rejects when the server refuses the message data', async () => {
    server = await startServer({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(smtpError('Message rejected as spam', 554)));
      },
    });
    transport = new SmtpMailTransport(server.url(), 'no-reply@kundportal.example.se');

    await expect(transport.send(mail())).rejects.toMatchObject({ permanent: true, responseCode: 554 });
  });

  it('rejects with a transient failure when no server listens', async () => {
    const port = await freePort();
    transport = new SmtpMailTransport(`smtp://127.0.0.1:${port}`, 'no-reply@kundportal.example.se', {
      connectionTimeoutMs: 2000,
    });

    const error = await transport.send(mail()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect(isPermanentMailFailure(error)).toBe(false);
    expect((error as MailDeliveryError).cause).toMatchObject({ code: expect.stringMatching(/ECONNREFUSED|ESOCKET|ECONNECTION/) });
  });

  it('reuses pooled connections for consecutive mails', async () => {
    server = await startServer();
    transport = new SmtpMailTransport(server.url(), 'no-reply@kundportal.example.se', { maxConnections: 1 });

    await transport.send(mail({ to: 'a@kommun.example.se', template: 'a' }));
    await transport.send(mail({ to: 'b@kommun.example.se', template: 'b' }));
    await Promise.all([
      transport.send(mail({ to: 'c@kommun.example.se', template: 'c' })),
      transport.send(mail({ to: 'd@kommun.example.se', template: 'd' })),
    ]);

    expect(server.received.map((m) => m.rcptTo[0]).sort()).toEqual([
      'a@kommun.example.se',
      'b@kommun.example.se',
      'c@kommun.example.se',
      'd@kommun.example.se',
    ]);
    expect(server.connections()).toBe(1);
  });

  it('close() waits for sends in progress, is idempotent, and later sends reject instead of hanging', async () => {
    server = await startServer();
    transport = new SmtpMailTransport(server.url(), 'no-reply@kundportal.example.se');

    const inProgress = transport.send(mail());
    await transport.close();
    await expect(inProgress).resolves.toBeUndefined();
    expect(server.received).toHaveLength(1);

    await transport.close();
    await expect(transport.send(mail())).rejects.toThrow(/closed/);
  });

  it('refuses a configuration that is not an smtp(s) URL or lacks a from-address', () => {
    expect(() => new SmtpMailTransport('http://mail:25', 'a@b.se')).toThrow(/smtp: or smtps:/);
    expect(() => new SmtpMailTransport('not a url', 'a@b.se')).toThrow(/not a valid URL/);
    expect(() => new SmtpMailTransport('smtp://mail:25', ' ')).toThrow(/from-address/);
    expect(() => SmtpMailTransport.fromEnv({ MAIL_FROM: 'a@b.se' })).toThrow(/SMTP_URL/);
    expect(() => SmtpMailTransport.fromEnv({ SMTP_URL: 'smtp://mail:25' })).toThrow(/MAIL_FROM/);
  });

  it('keeps the template header on one line', async () => {
    server = await startServer();
    transport = new SmtpMailTransport(server.url(), 'no-reply@kundportal.example.se');

    await transport.send(mail({ template: 'evil\r\nBcc: attacker@example.com' }));

    const [got] = server.received;
    expect(got.rcptTo).toEqual(['anna.andersson@kommun.example.se']);
    expect(got.headers.has('bcc')).toBe(false);
    expect(got.headers.get(TEMPLATE_HEADER.toLowerCase())).toBe('evil Bcc: attacker@example.com');
  });
});
