import { LiveNotices } from '@kundportal/notifications';
import { ApiHarness } from './support/api-harness';
import { OidcIssuer } from './support/oidc-issuer';
import { OrganisationFixtures, Person } from './support/organisation-fixtures';
import { testPersonalNumber } from './support/swedish-ids';
import { TicketFixtures } from './support/ticket-fixtures';

type Badge = Record<string, number>;

interface SseEvent {
  event: string;
  data: string;
}

/** One open `text/event-stream` answer, read event by event (comments and `retry:` counted apart). */
class EventStream {
  private buffer = '';
  private readonly queue: SseEvent[] = [];
  private waiting: (() => void) | null = null;
  private ended = false;
  comments = 0;

  /** An answer that is not a stream (an error) is read whole. */
  errorBody: any;

  private constructor(readonly response: Response, private readonly controller: AbortController) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
    const controller = new AbortController();
    const response = await fetch(url, { headers, signal: controller.signal });
    const stream = new EventStream(response, controller);
    if (response.ok) void stream.pump();
    else {
      stream.errorBody = await response.json();
      stream.ended = true;
    }
    return stream;
  }

  private async pump(): Promise<void> {
    const reader = this.response.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + 2);
          const event: SseEvent = { event: 'message', data: '' };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) this.comments++;
            else if (line.startsWith('event: ')) (event.event = line.slice(7)), (isEvent = true);
            else if (line.startsWith('data: ')) (event.data += line.slice(6)), (isEvent = true);
          }
          if (isEvent) this.queue.push(event);
          this.waiting?.();
        }
      }
    } catch {
      // aborted
    } finally {
      this.ended = true;
      this.waiting?.();
    }
  }

  /** The next event, or null when none comes within `ms` (or the stream ended). */
  async next(ms = 3000): Promise<SseEvent | null> {
    const deadline = Date.now() + ms;
    while (this.queue.length === 0 && !this.ended && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiting = null;
    }
    return this.queue.shift() ?? null;
  }

  async nextBadge(ms?: number): Promise<Badge> {
    const event = await this.next(ms);
    if (!event) throw new Error('no event arrived');
    expect(event.event).toBe('badge');
    return JSON.parse(event.data) as Badge;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  close(): void {
    this.controller.abort();
  }
}

const until = async (check: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return check();
};

describe('Live notices over HTTP (server-sent events)', () => {
  let api: ApiHarness;
  let staff: string;
  let fx: OrganisationFixtures;
  let tx: TicketFixtures;
  let customer: Person;
  let other: Person;
  let live: LiveNotices;
  const streams: EventStream[] = [];

  const connect = async (token: string, how: 'header' | 'query' = 'header') => {
    const stream =
      how === 'header'
        ? await EventStream.open(`${api.baseUrl}/me/notifications/stream`, { authorization: `Bearer ${token}` })
        : await EventStream.open(`${api.baseUrl}/me/notifications/stream?access_token=${encodeURIComponent(token)}`);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    api = await ApiHarness.start();
    live = api.app.get(LiveNotices);
    staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    fx = new OrganisationFixtures(api, staff);
    tx = new TicketFixtures(api);
    const org = await fx.organisation();
    customer = await fx.member(org, [], 'Rita Requester');
    other = await fx.member(org, [], 'Otto Other');
  });
  afterEach(() => {
    for (const s of streams.splice(0)) s.close();
  });
  let stopped = false;
  afterAll(async () => {
    if (!stopped) await api?.stop();
  });

  it('sends the badge on connect, as text/event-stream, the same as GET /me/notifications’', async () => {
    const stream = await connect(customer.token);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get('cache-control')).toContain('no-cache');
    const badge = await stream.nextBadge();
    expect(badge).toEqual((await api.get('/me/notifications', customer.token)).body.badge);
  });

  it('a staff reply reaches the customer’s open stream as a new badge; others’ changes send nothing', async () => {
    const ticket = await tx.create(customer.token);
    const stream = await connect(customer.token, 'query');
    const first = await stream.nextBadge();
    // Someone else's ticket and reply change nothing for this customer: no event.
    const theirs = await tx.create(other.token);
    await tx.post(staff, theirs.id, 'Svar till någon annan.');
    expect(await stream.next(400)).toBeNull();

    await tx.post(staff, ticket.id, 'Vi har åtgärdat felet.');
    const changed = await stream.nextBadge();
    expect(changed).toMatchObject({ unreadTickets: first.unreadTickets + 1, total: first.total + 1 });
    // Reading it takes the count back down.
    await tx.open(customer.token, ticket.id);
    expect(await stream.nextBadge()).toMatchObject({ unreadTickets: first.unreadTickets, total: first.total });
  });

  it('staff see the needs-reply count move as customers write', async () => {
    const stream = await connect(staff);
    const first = await stream.nextBadge();
    expect(first.needsReply).toEqual(expect.any(Number));
    await tx.create(customer.token);
    expect(await stream.nextBadge()).toMatchObject({ needsReply: first.needsReply + 1, total: first.total + 1 });
  });

  it('a bad, missing or foreign token answers 401 in the contract’s shape; the query token works on this route only', async () => {
    for (const stream of [await connect('not.a.token'), await connect('not.a.token', 'query'), await EventStream.open(`${api.baseUrl}/me/notifications/stream`)]) {
      streams.push(stream);
      expect(stream.response.status).toBe(401);
      expect(stream.errorBody).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    }
    const elsewhere = await fetch(`${api.baseUrl}/me?access_token=${encodeURIComponent(customer.token)}`);
    expect(elsewhere.status).toBe(401);
  });

  it('a closed connection is let go; each person has a bounded number of streams (429 beyond)', async () => {
    const before = live.open;
    const stream = await connect(other.token);
    await stream.nextBadge();
    expect(live.open).toBe(before + 1);
    stream.close();
    expect(await until(() => live.open === before)).toBe(true);

    const limits = live.limits;
    live.limits = { ...limits, maxStreamsPerCaller: 1 };
    try {
      const one = await connect(other.token);
      await one.nextBadge();
      const two = await connect(other.token);
      expect(two.response.status).toBe(429);
      expect(two.errorBody).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS' });
      // Someone else still gets theirs.
      expect((await connect(customer.token)).response.status).toBe(200);
    } finally {
      live.limits = limits;
    }
  });

  it('heartbeat comments keep a quiet stream alive', async () => {
    const limits = live.limits;
    live.limits = { ...limits, heartbeatMs: 50 };
    // The heartbeat timer runs while streams are open: let it start anew with the short interval.
    for (const s of streams.splice(0)) s.close();
    await until(() => live.open === 0);
    await new Promise((r) => setTimeout(r, 100));
    try {
      const stream = await connect(customer.token);
      await stream.nextBadge();
      const seen = stream.comments;
      expect(await until(() => stream.comments >= seen + 2, 2000)).toBe(true);
    } finally {
      live.limits = limits;
    }
  });

  it('stopping the service ends the open streams, so it can close', async () => {
    const stream = await connect(customer.token);
    await stream.nextBadge();
    stopped = true;
    await api.stop();
    expect(await until(() => stream.isEnded)).toBe(true);
    expect(live.open).toBe(0);
  });

});

describe('Live notices and the end of a sign-in', () => {
  it('a stream ends when the token it was opened with expires; the same token then gets 401', async () => {
    const issuer = await OidcIssuer.start();
    const api = await ApiHarness.start({ AUTH_MODE: 'oidc', OIDC_ISSUER: issuer.issuer, OIDC_AUDIENCE: 'kundportal' });
    try {
      const token = await issuer.mint({
        subject: 'broker-subject-live',
        expiresIn: 2,
        claims: { personal_number: testPersonalNumber(), name: 'Greta Gran', eid_method: 'bankid', kp_staff: false, kp_auditor: false },
      });
      const stream = await EventStream.open(`${api.baseUrl}/me/notifications/stream?access_token=${encodeURIComponent(token)}`);
      expect(stream.response.status).toBe(200);
      await stream.nextBadge();
      const opened = Date.now();
      expect(await until(() => stream.isEnded, 5000)).toBe(true);
      expect(Date.now() - opened).toBeLessThan(4000);
      const again = await EventStream.open(`${api.baseUrl}/me/notifications/stream?access_token=${encodeURIComponent(token)}`);
      expect(again.response.status).toBe(401);
    } finally {
      await api.stop();
      await issuer.stop();
    }
  });
});
