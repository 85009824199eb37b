import { eventually } from '@kundportal/kernel/testing';
import { readModelDifferences, readModelDigest, ReadModelDigest, readSideProjections } from './support/read-model-digest';
import { copyDataDir, freshDataDir, HttpAnswer, ProcessExit, removeDir, ServerProcess } from './support/server-process';
import { testOrganisationNumber, testPersonalNumber } from './support/swedish-ids';

/**
 * kill -9 during a burst of commands loses no acknowledged write, leaves nothing half-written that a
 * client's retry cannot complete, and the read models that come back after the restart equal a
 * full rebuild from the log.
 *
 * The real server runs as a separate process on a fresh DATA_DIR. Each round fires a burst of
 * mixed commands (customer applications, approvals, rejections, accounts) with many in flight and
 * SIGKILLs the server once part of the burst is answered; then the server is restarted on the same
 * directory and every command answered 2xx so far is looked for over HTTP. After the last kill the
 * commands that got no answer are retried the way a client would, and a third server rebuilds all
 * read models from a copy of the log for comparison: through the API, and, once both servers are
 * stopped, document by document in the read store each one left in its DATA_DIR.
 */

const KILLS = 3;
const SUBMISSIONS_PER_ROUND = 40;
const APPROVALS_PER_ROUND = 12;
const REJECTIONS_PER_ROUND = 3;
const ACCOUNTS_PER_ROUND = 10;
const IN_FLIGHT = 24;

type Outcome =
  | { kind: 'unsent' }
  /** Answered 2xx: acknowledged. */
  | { kind: 'ack'; status: number; body: any; position: bigint }
  | { kind: 'refused'; status: number; body: any }
  /** No answer: the server died with it in flight. */
  | { kind: 'lost'; error: string };

interface Person {
  name: string;
  email: string;
  personalNumber: string;
}

interface ApplicationBody {
  organisationNumber: string;
  organisationName: string;
  administrator: Person;
  signatory: Person;
  agreementContact: { name: string; email: string };
}

interface Submission {
  kind: 'submit';
  round: number;
  body: ApplicationBody;
  key: string | null;
  outcome: Outcome;
  /** A decision was sent for this application (so no other is). */
  decided?: 'approve' | 'reject';
}
interface Approval {
  kind: 'approve';
  round: number;
  application: Submission;
  outcome: Outcome;
  accountTried?: boolean;
}
interface Rejection {
  kind: 'reject';
  round: number;
  application: Submission;
  outcome: Outcome;
}
interface AccountCreation {
  kind: 'account';
  round: number;
  approval: Approval;
  person: Person;
  outcome: Outcome;
}
type Command = Submission | Approval | Rejection | AccountCreation;

interface Job {
  command: Command;
  send(): Promise<HttpAnswer>;
}

interface ApplicationItem {
  id: string;
  organisationNumber: string;
  organisationName: string;
  status: string;
  submittedAt: string;
  organisationId: string | null;
}

const usedPersonalNumbers = new Set<string>();
const usedOrganisationNumbers = new Set<string>();
function unique(used: Set<string>, next: () => string): string {
  let value = next();
  while (used.has(value)) value = next();
  used.add(value);
  return value;
}
const uniquePersonalNumber = () => unique(usedPersonalNumbers, testPersonalNumber);
const uniqueOrganisationNumber = () => unique(usedOrganisationNumbers, testOrganisationNumber);

function applicationBody(): ApplicationBody {
  const orgnr = uniqueOrganisationNumber();
  const tag = orgnr.replace('-', '');
  return {
    organisationNumber: orgnr,
    organisationName: `Region ${orgnr}`,
    administrator: { name: `Anna Admin ${tag}`, email: `anna.${tag}@region.se`, personalNumber: uniquePersonalNumber() },
    signatory: { name: `Sven Signatory ${tag}`, email: `sven.${tag}@region.se`, personalNumber: uniquePersonalNumber() },
    agreementContact: { name: 'Kim Contact', email: `kim.${tag}@region.se` },
  };
}

const isAck = <C extends Command>(c: C): c is C & { outcome: Extract<Outcome, { kind: 'ack' }> } => c.outcome.kind === 'ack';
/** Sent, and what happened is unknown: no answer, or a 5xx. */
const isUnknown = (c: Command) => c.outcome.kind === 'lost' || (c.outcome.kind === 'refused' && c.outcome.status >= 500);
const describeCommand = (c: Command): string => {
  const o = c.outcome;
  const how = o.kind === 'ack' ? `acknowledged ${o.status} at position ${o.position}` : o.kind === 'refused' ? `refused ${o.status}` : o.kind;
  switch (c.kind) {
    case 'submit':
      return `application ${c.body.organisationNumber} (round ${c.round}, ${c.key ? 'with' : 'without'} Idempotency-Key, ${how}${o.kind === 'ack' ? `, id ${o.body.id}` : ''})`;
    case 'approve':
    case 'reject':
      return `${c.kind === 'approve' ? 'approval' : 'rejection'} of ${c.application.body.organisationNumber} (round ${c.round}, ${how})`;
    case 'account':
      return `account of ${c.person.name} in ${c.approval.application.body.organisationNumber} (round ${c.round}, ${how})`;
  }
};

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function positionOf(answer: HttpAnswer): bigint | null {
  const p = (answer.body as { position?: unknown } | null)?.position;
  return typeof p === 'string' && /^\d+$/.test(p) ? BigInt(p) : null;
}

function record(command: Command, answer: HttpAnswer): void {
  const position = positionOf(answer);
  if (answer.status >= 200 && answer.status < 300 && position !== null) {
    command.outcome = { kind: 'ack', status: answer.status, body: answer.body, position };
  } else {
    command.outcome = { kind: 'refused', status: answer.status, body: answer.body };
  }
}

/** GET with X-Min-Position; a 503 READ_MODEL_BEHIND is asked again a few times. */
async function read<T = any>(server: ServerProcess, path: string, token: string, minPosition: bigint | null): Promise<HttpAnswer<T>> {
  for (let attempt = 0; ; attempt++) {
    const answer = await server.request<T>('GET', path, { token, minPosition });
    if (answer.status !== 503 || attempt >= 3) return answer;
  }
}

/** Every page of a list, as one answer: the first page's status when it is not 200. */
async function readList<T>(server: ServerProcess, path: string, token: string, minPosition: bigint | null): Promise<HttpAnswer<{ items: T[]; total: number }>> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const answer = await read<{ items: T[]; total: number }>(server, `${path}${path.includes('?') ? '&' : '?'}page=${page}&pageSize=100`, token, minPosition);
    if (answer.status !== 200) return answer;
    items.push(...answer.body.items);
    if (answer.body.items.length === 0 || items.length >= answer.body.total) return { ...answer, body: { items, total: answer.body.total } };
  }
}

describe('Durability: kill -9 during a burst of commands', () => {
  const commands: Command[] = [];
  const servers: ServerProcess[] = [];
  const dirs: string[] = [];
  const kills: Array<{ round: number; inFlight: number; answeredBefore: number; lostInFlight: number }> = [];
  /** Acknowledged writes not found after a restart. */
  const lost: string[] = [];
  /** Commands left half-written: a retry does not complete them, or their parts disagree. */
  const halfWritten: string[] = [];
  const retryCodes = new Map<string, number>();
  let acknowledgedChecks = 0;
  let acknowledgedFound = 0;
  let restarted: Record<string, unknown> = {};
  let rebuilt: Record<string, unknown> = {};
  let rebuildCompared = false;
  /** The read store on disk of the restarted server and of the rebuild, and how each server stopped. */
  const digests: Partial<Record<'restarted' | 'rebuilt', { digest: ReadModelDigest; exit: ProcessExit; head: string }>> = {};
  /** Why the two read stores cannot be compared as they are, or how they differ. */
  const digestProblems: string[] = [];

  const submissions = () => commands.filter((c): c is Submission => c.kind === 'submit');
  const approvals = () => commands.filter((c): c is Approval => c.kind === 'approve');
  const rejections = () => commands.filter((c): c is Rejection => c.kind === 'reject');
  const accounts = () => commands.filter((c): c is AccountCreation => c.kind === 'account');
  const highestAcknowledged = (): bigint | null =>
    commands.reduce<bigint | null>((max, c) => (c.outcome.kind === 'ack' && (max === null || c.outcome.position > max) ? c.outcome.position : max), null);
  const countRetry = (what: string) => retryCodes.set(what, (retryCodes.get(what) ?? 0) + 1);

  async function start(dataDir: string): Promise<ServerProcess> {
    const server = await ServerProcess.start({ dataDir, readyTimeoutMs: 40_000 });
    servers.push(server);
    return server;
  }

  async function staffToken(server: ServerProcess): Promise<string> {
    return server.signIn(uniquePersonalNumber(), { staff: true, name: 'Stina Staff' });
  }

  function submitJob(server: ServerProcess, round: number, withKey: boolean): Job {
    const body = applicationBody();
    const command: Submission = { kind: 'submit', round, body, key: withKey ? `durability-${body.organisationNumber}` : null, outcome: { kind: 'unsent' } };
    commands.push(command);
    return {
      command,
      send: () => server.request('POST', '/customer-applications', { body, headers: command.key ? { 'idempotency-key': command.key } : {} }),
    };
  }

  function decisionJob(server: ServerProcess, staff: string, round: number, application: Submission, decision: 'approve' | 'reject'): Job {
    application.decided = decision;
    const id = (application.outcome as { body: { id: string } }).body.id;
    const command: Approval | Rejection =
      decision === 'approve' ? { kind: 'approve', round, application, outcome: { kind: 'unsent' } } : { kind: 'reject', round, application, outcome: { kind: 'unsent' } };
    commands.push(command);
    return {
      command,
      send: () =>
        server.request('POST', `/customer-applications/${id}/${decision}`, { token: staff, body: decision === 'approve' ? {} : { reason: 'Incomplete' } }),
    };
  }

  function accountJob(server: ServerProcess, round: number, approval: Approval, token: string): Job {
    approval.accountTried = true;
    const body = approval.application.body;
    const command: AccountCreation = { kind: 'account', round, approval, person: body.administrator, outcome: { kind: 'unsent' } };
    commands.push(command);
    return {
      command,
      send: () =>
        server.request('POST', '/accounts', {
          token,
          body: { name: body.administrator.name, email: body.administrator.email, organisationNumber: body.organisationNumber },
        }),
    };
  }

  /**
   * Runs `jobs` with up to IN_FLIGHT requests at once and SIGKILLs the server as soon as
   * `killAfter` of them are answered; nothing more is sent after that. Acknowledged submissions
   * may add an approval to the queue (`followUp`).
   */
  async function burstAndKill(server: ServerProcess, round: number, jobs: Job[], killAfter: number, followUp: (s: Submission) => Job | null) {
    const queue = [...jobs];
    let inFlight = 0;
    let answered = 0;
    let killed: Promise<void> | null = null;
    const inFlightAtKill = new Set<Command>();
    const running = new Set<Command>();
    await new Promise<void>((done) => {
      const pump = () => {
        while (!killed && inFlight < IN_FLIGHT && queue.length > 0) {
          const job = queue.shift() as Job;
          inFlight++;
          running.add(job.command);
          job.command.outcome = { kind: 'lost', error: 'no answer yet' };
          job
            .send()
            .then(
              (answer) => {
                record(job.command, answer);
                answered++;
                if (job.command.kind === 'submit' && isAck(job.command) && !killed) {
                  const more = followUp(job.command);
                  if (more) queue.unshift(more);
                }
              },
              (error: unknown) => {
                job.command.outcome = { kind: 'lost', error: String((error as Error)?.cause ?? error) };
              },
            )
            .finally(() => {
              inFlight--;
              running.delete(job.command);
              if (!killed && answered >= killAfter) {
                for (const c of running) inFlightAtKill.add(c);
                killed = server.kill();
              }
              if (inFlight === 0 && (killed || queue.length === 0)) done();
              else pump();
            });
        }
      };
      pump();
    });
    // Should the whole burst have been answered before the threshold, kill now (it is reported).
    if (!killed) killed = server.kill();
    await killed;
    // Unsent commands are forgotten.
    for (let i = commands.length - 1; i >= 0; i--) if (commands[i].outcome.kind === 'unsent') undoUnsent(commands[i]), commands.splice(i, 1);
    kills.push({
      round,
      inFlight: inFlightAtKill.size,
      answeredBefore: answered,
      lostInFlight: [...inFlightAtKill].filter((c) => c.outcome.kind === 'lost').length,
    });
  }

  function undoUnsent(command: Command): void {
    if (command.kind === 'approve' || command.kind === 'reject') command.application.decided = undefined;
    if (command.kind === 'account') command.approval.accountTried = false;
  }

  /** Every command answered 2xx so far is there, with X-Min-Position at the highest acknowledged position. */
  async function verifyAcknowledged(server: ServerProcess, staff: string, label: string): Promise<void> {
    const min = highestAcknowledged();
    if (min === null) return;
    const list = await readList<ApplicationItem>(server, '/customer-applications', staff, min);
    if (list.status !== 200) {
      lost.push(`${label}: GET /customer-applications with X-Min-Position ${min} answered ${list.status} ${JSON.stringify(list.body)}`);
      return;
    }
    const byId = new Map(list.body.items.map((a) => [a.id, a]));
    const check = (ok: boolean, what: string) => {
      acknowledgedChecks++;
      if (ok) acknowledgedFound++;
      else lost.push(`${label}: ${what}`);
    };

    for (const s of submissions().filter(isAck)) {
      const item = byId.get(s.outcome.body.id);
      if (!item) {
        check(false, `${describeCommand(s)} is not listed`);
        continue;
      }
      const approval = approvals().find((a) => a.application === s);
      const rejection = rejections().find((r) => r.application === s);
      const expected =
        approval && isAck(approval) ? 'approved' : rejection && isAck(rejection) ? 'rejected' : approval || rejection ? item.status : 'submitted';
      const fine =
        item.organisationNumber === s.body.organisationNumber &&
        item.organisationName === s.body.organisationName &&
        item.status === expected &&
        (!(approval && isAck(approval)) || item.organisationId === approval.outcome.body.organisationId);
      check(fine, `${describeCommand(s)} is listed as ${JSON.stringify(item)}, expected status ${expected}`);
    }

    const approved = approvals().filter(isAck);
    const organisations = await Promise.all(
      approved.map((a) => read(server, `/organisations/${a.outcome.body.organisationId}`, staff, min)),
    );
    approved.forEach((a, i) => {
      const org = organisations[i];
      const body = a.application.body;
      check(
        org.status === 200 && org.body.organisationNumber === body.organisationNumber && org.body.name === body.organisationName,
        `${describeCommand(a)}: GET /organisations/${a.outcome.body.organisationId} answered ${org.status} ${JSON.stringify(org.body)}`,
      );
    });

    const created = accounts().filter(isAck);
    const mes = await Promise.all(
      created.map(async (c) => read(server, '/me', await server.signIn(c.person.personalNumber, { name: c.person.name }), min)),
    );
    created.forEach((c, i) => {
      const me = mes[i];
      const organisationId = c.approval.outcome.kind === 'ack' ? c.approval.outcome.body.organisationId : undefined;
      const membership = me.body?.organisations?.find((o: { id: string }) => o.id === organisationId);
      check(
        me.status === 200 && me.body.accountId === c.outcome.body.id && membership?.roles?.includes('administrator') === true,
        `${describeCommand(c)}: GET /me answered ${me.status} ${JSON.stringify(me.body)}`,
      );
    });
  }

  /**
   * What must hold whatever was in flight: an approved application's organisation exists, and an
   * organisationsnummer has at most one application that is not rejected.
   */
  async function checkInvariants(server: ServerProcess, staff: string, label: string): Promise<void> {
    const health = await server.waitForHealth(10_000);
    const head = BigInt(health.headPosition as string);
    const listed = await readList<ApplicationItem>(server, '/customer-applications', staff, head);
    if (listed.status !== 200) {
      halfWritten.push(`${label}: GET /customer-applications with X-Min-Position ${head} answered ${listed.status} ${JSON.stringify(listed.body)}`);
      return;
    }
    const open = new Map<string, number>();
    for (const a of listed.body.items) if (a.status !== 'rejected') open.set(a.organisationNumber, (open.get(a.organisationNumber) ?? 0) + 1);
    for (const [number, n] of open) if (n > 1) halfWritten.push(`${label}: ${n} applications for ${number} that are not rejected`);
    const approved = listed.body.items.filter((a) => a.status === 'approved');
    const organisations = await Promise.all(approved.map((a) => read(server, `/organisations/${a.organisationId}`, staff, head)));
    approved.forEach((a, i) => {
      const org = organisations[i];
      if (org.status !== 200 || org.body.organisationNumber !== a.organisationNumber) {
        halfWritten.push(`${label}: application ${a.id} (${a.organisationNumber}) is approved but GET /organisations/${a.organisationId} answered ${org.status} ${JSON.stringify(org.body)}`);
      }
    });
  }

  /**
   * The commands that got no answer are retried as a client would (same body, same Idempotency-Key);
   * each retry must complete the command or be refused only because the first attempt is visible.
   * Acknowledged rejections must have freed the organisationsnummer.
   */
  async function retryUnanswered(server: ServerProcess, staff: string): Promise<bigint[]> {
    const health = await server.waitForHealth(10_000);
    const head = BigInt(health.headPosition as string);
    const listed = await readList<ApplicationItem>(server, '/customer-applications', staff, head);
    if (listed.status !== 200) throw new Error(`GET /customer-applications answered ${listed.status} ${JSON.stringify(listed.body)}`);
    const byNumber = new Map<string, ApplicationItem[]>();
    for (const a of listed.body.items) byNumber.set(a.organisationNumber, [...(byNumber.get(a.organisationNumber) ?? []), a]);
    const positions: bigint[] = [];
    const track = (answer: HttpAnswer) => {
      const p = positionOf(answer);
      if (p !== null && answer.status < 300) positions.push(p);
    };
    const resubmit = (body: ApplicationBody, key: string | null) =>
      server.request('POST', '/customer-applications', { body, headers: key ? { 'idempotency-key': key } : {} });

    const tasks: Array<Promise<void>> = [];

    for (const s of submissions().filter(isUnknown)) {
      tasks.push(
        (async () => {
          const visible = byNumber.get(s.body.organisationNumber) ?? [];
          const answer = await resubmit(s.body, s.key);
          track(answer);
          countRetry(`submit ${answer.status}${answer.body?.code ? ` ${answer.body.code}` : ''} (${visible.length > 0 ? 'first visible' : 'first not visible'})`);
          if (answer.status === 201) {
            record(s, answer);
            if (visible.length > 0 && answer.body.id !== visible[0].id) {
              halfWritten.push(`${describeCommand(s)}: retry created a second application ${answer.body.id} beside the visible ${visible[0].id}`);
            }
          } else if (answer.status === 409 && visible.length > 0) {
            // Refused because the first attempt got through: fine.
          } else {
            halfWritten.push(
              `${describeCommand(s)}: re-submission answered ${answer.status} ${JSON.stringify(answer.body)} but no application for ${s.body.organisationNumber} is listed (read models at ${head})`,
            );
          }
        })(),
      );
    }

    for (const a of approvals().filter(isUnknown)) {
      tasks.push(
        (async () => {
          const id = (a.application.outcome as { body: { id: string } }).body.id;
          const item = listed.body.items.find((x) => x.id === id);
          if (item?.status === 'approved') {
            const org = await read(server, `/organisations/${item.organisationId}`, staff, head);
            if (org.status !== 200) halfWritten.push(`${describeCommand(a)}: listed as approved but GET /organisations/${item.organisationId} answered ${org.status}`);
          }
          const answer = await server.request('POST', `/customer-applications/${id}/approve`, { token: staff, body: {} });
          track(answer);
          countRetry(`approve ${answer.status}${answer.body?.code ? ` ${answer.body.code}` : ''}`);
          if (answer.status !== 200) {
            halfWritten.push(`${describeCommand(a)}: retried approval (application listed as ${item?.status}) answered ${answer.status} ${JSON.stringify(answer.body)}`);
            return;
          }
          // From now on it counts as acknowledged (checked again below and compared with the rebuild).
          record(a, answer);
        })(),
      );
    }

    const rejected: Rejection[] = [];
    for (const r of rejections()) {
      if (isAck(r)) {
        rejected.push(r);
        continue;
      }
      if (!isUnknown(r)) continue;
      tasks.push(
        (async () => {
          const id = (r.application.outcome as { body: { id: string } }).body.id;
          const answer = await server.request('POST', `/customer-applications/${id}/reject`, { token: staff, body: { reason: 'Incomplete' } });
          track(answer);
          countRetry(`reject ${answer.status}${answer.body?.code ? ` ${answer.body.code}` : ''}`);
          if (answer.status === 200 || (answer.status === 409 && answer.body?.code === 'APPLICATION_NOT_PENDING')) rejected.push(r);
          else halfWritten.push(`${describeCommand(r)}: retried rejection answered ${answer.status} ${JSON.stringify(answer.body)}`);
        })(),
      );
    }

    for (const c of accounts().filter(isUnknown)) {
      tasks.push(
        (async () => {
          const token = await server.signIn(c.person.personalNumber, { name: c.person.name });
          const organisationId = (c.approval.outcome as { body: { organisationId: string } }).body.organisationId;
          const me = await read(server, '/me', token, head);
          if (me.body?.accountId) {
            const membership = me.body.organisations?.find((o: { id: string }) => o.id === organisationId);
            countRetry('account: exists after restart');
            if (!membership?.roles?.includes('administrator')) {
              halfWritten.push(`${describeCommand(c)}: account ${me.body.accountId} exists but is not an administrator of ${organisationId}: GET /me ${JSON.stringify(me.body)}`);
            }
            return;
          }
          const body = c.approval.application.body;
          const answer = await server.request('POST', '/accounts', {
            token,
            body: { name: body.administrator.name, email: body.administrator.email, organisationNumber: body.organisationNumber },
          });
          track(answer);
          countRetry(`account ${answer.status}${answer.body?.code ? ` ${answer.body.code}` : ''} (no account after restart)`);
          if (answer.status === 201) record(c, answer);
          else halfWritten.push(`${describeCommand(c)}: GET /me shows no account (read models at ${head}) yet the retry answered ${answer.status} ${JSON.stringify(answer.body)}`);
        })(),
      );
    }
    await Promise.all(tasks);

    // A rejected application frees its organisationsnummer: the organisation may apply again.
    await Promise.all(
      rejected.map(async (r) => {
        const body = { ...r.application.body, organisationName: `${r.application.body.organisationName} again` };
        const answer = await resubmit(body, null);
        track(answer);
        countRetry(`apply again after ${isAck(r) ? 'acknowledged' : 'retried'} rejection ${answer.status}${answer.body?.code ? ` ${answer.body.code}` : ''}`);
        if (answer.status !== 201) {
          halfWritten.push(`${describeCommand(r)}: applying again for ${body.organisationNumber} answered ${answer.status} ${JSON.stringify(answer.body)}`);
        }
      }),
    );
    return positions;
  }

  /** Waits until every projection and reactor has processed the whole log; the head it reached. */
  async function settle(server: ServerProcess, timeoutMs = 20_000): Promise<string> {
    let last = 'no health answer';
    return eventually(
      async () => {
        const health = await server.waitForHealth(10_000);
        const behind = (health.projections as Array<{ name: string; state: string; lag: string | null }>).filter((p) => p.state !== 'running' || p.lag !== '0');
        last = `at ${health.headPosition}: ${JSON.stringify(behind)}`;
        return behind.length === 0 ? (health.headPosition as string) : undefined;
      },
      { timeoutMs, what: () => `projections not caught up with the log ${last}`, pollMs: 100 },
    );
  }

  /** Stops a settled server cleanly and digests the read store it left in its DATA_DIR. */
  async function stopAndDigest(server: ServerProcess, which: 'restarted' | 'rebuilt'): Promise<void> {
    const head = await settle(server).catch((error: unknown) => {
      digestProblems.push(`${which}: ${(error as Error).message}`);
      return null;
    });
    const exit = await server.stop(15_000);
    if (exit.signal !== 'SIGTERM' && exit.code !== 0) digestProblems.push(`${which} server did not stop cleanly: ${JSON.stringify(exit)}`);
    if (head === null) return;
    let digest: ReadModelDigest;
    try {
      digest = readModelDigest(server.dataDir);
    } catch (error) {
      digestProblems.push(`${which}: ${(error as Error).message}`);
      return;
    }
    digests[which] = { digest, exit, head };
    // Every read model's checkpoint is at the head the server reached, so the documents are those of the whole log.
    for (const p of readSideProjections().filter((p) => !p.reactor)) {
      if (digest.checkpoints[p.name] !== head) digestProblems.push(`${which}: projection ${p.name} checkpointed at ${digest.checkpoints[p.name]}, log head ${head}`);
    }
  }

  /** The answers compared between the restarted server and the rebuilt one. */
  async function snapshot(server: ServerProcess, staff: string, min: bigint, organisationIds: string[]) {
    const out: Record<string, unknown> = {};
    const applications = await readList(server, '/customer-applications', staff, min);
    out['/customer-applications'] = { status: applications.status, body: applications.body };
    for (const id of organisationIds) {
      for (const path of [`/organisations/${id}`, `/organisations/${id}/members`]) {
        const answer = await read(server, path, staff, min);
        out[path] = { status: answer.status, body: answer.body };
      }
    }
    return out;
  }

  beforeAll(async () => {
    const dataDir = freshDataDir();
    dirs.push(dataDir);
    let server = await start(dataDir);

    for (let round = 1; round <= KILLS; round++) {
      const staff = await staffToken(server);
      const others: Job[] = [];
      const earlier = submissions().filter((s) => isAck(s) && !s.decided && s.round < round);
      for (const s of earlier.slice(0, REJECTIONS_PER_ROUND)) others.push(decisionJob(server, staff, round, s, 'reject'));
      for (const s of earlier.slice(REJECTIONS_PER_ROUND, REJECTIONS_PER_ROUND + APPROVALS_PER_ROUND)) others.push(decisionJob(server, staff, round, s, 'approve'));
      const forAccounts = approvals().filter((a) => isAck(a) && !a.accountTried && a.round < round).slice(0, ACCOUNTS_PER_ROUND);
      const tokens = await Promise.all(
        forAccounts.map((a) => server.signIn(a.application.body.administrator.personalNumber, { name: a.application.body.administrator.name })),
      );
      forAccounts.forEach((a, i) => others.push(accountJob(server, round, a, tokens[i])));
      const newApplications = Array.from({ length: SUBMISSIONS_PER_ROUND }, (_, i) => submitJob(server, round, i % 2 === 0));
      // Decisions and accounts mixed into the first half of the burst, so they are sent before the kill.
      const half = Math.ceil(newApplications.length / 2);
      const jobs = shuffle([...others, ...newApplications.slice(0, half)]).concat(newApplications.slice(half));
      let acknowledgedInRound = 0;
      const followUp = (s: Submission): Job | null => (++acknowledgedInRound % 3 === 0 ? decisionJob(server, staff, round, s, 'approve') : null);
      // Kill when 25–50 % of the burst is answered, so many requests are still in flight.
      const killAfter = Math.floor(jobs.length * (0.25 + Math.random() * 0.25));
      await burstAndKill(server, round, jobs, killAfter, followUp);

      server = await start(dataDir);
      const afterKill = await staffToken(server);
      await verifyAcknowledged(server, afterKill, `after kill ${round}`);
      await checkInvariants(server, afterKill, `after kill ${round}`);
    }

    // The commands that got no answer, retried after the last restart; then everything again.
    const staff = await staffToken(server);
    const acknowledgedInBursts = commands.filter(isAck).length;
    const unanswered = commands.filter(isUnknown).length;
    const retried = await retryUnanswered(server, staff);
    await verifyAcknowledged(server, staff, 'after the retries');
    await checkInvariants(server, staff, 'after the retries');

    // Read models after the restarts versus a full rebuild from a copy of the log.
    const health = await server.waitForHealth(10_000);
    const min = [highestAcknowledged() ?? 0n, BigInt(health.headPosition as string), ...retried].reduce((a, b) => (b > a ? b : a));
    const approved = approvals().filter(isAck);
    const step = Math.max(1, Math.floor(approved.length / 8));
    const organisationIds = approved.filter((_, i) => i % step === 0).slice(0, 8).map((a) => a.outcome.body.organisationId as string);
    restarted = await snapshot(server, staff, min, organisationIds);
    await stopAndDigest(server, 'restarted');
    const copy = copyDataDir(dataDir, (name) => name.startsWith('readmodels.sqlite'));
    dirs.push(copy);
    const rebuilder = await start(copy);
    const rebuiltHealth = await rebuilder.waitForHealth(10_000);
    rebuilt = await snapshot(rebuilder, await staffToken(rebuilder), min, organisationIds);
    rebuilt['headPosition'] = rebuiltHealth.headPosition;
    restarted['headPosition'] = health.headPosition;
    rebuildCompared = true;
    await stopAndDigest(rebuilder, 'rebuilt');

    // Every document of every read model, restarted versus rebuilt.
    const left = digests.restarted?.digest;
    const right = digests.rebuilt?.digest;
    if (left && right) {
      if (digests.restarted?.head !== digests.rebuilt?.head) {
        digestProblems.push(`the log grew in the rebuild: head ${digests.restarted?.head} after the restarts, ${digests.rebuilt?.head} in the rebuild`);
      }
      for (const name of new Set([...Object.keys(left.compared), ...Object.keys(right.compared)])) {
        const a = left.compared[name];
        const b = right.compared[name];
        if (a?.sha256 === b?.sha256) continue;
        digestProblems.push(
          `read model ${name}: ${a ? `${a.documents} documents, sha256 ${a.sha256.slice(0, 12)}` : 'absent'} after the restarts, ` +
            `${b ? `${b.documents} documents, sha256 ${b.sha256.slice(0, 12)}` : 'absent'} in the rebuild`,
          ...readModelDifferences(dataDir, copy, name).map((d) => `  ${d}`),
        );
      }
    }

    const sent = commands.length;
    const byKind = (kind: Command['kind']) => commands.filter((c) => c.kind === kind).length;
    console.log(
      [
        `durability: ${kills.length} kills (${kills.map((k) => `after ${k.answeredBefore} answers with ${k.inFlight} in flight, ${k.lostInFlight} of them never answered`).join('; ')})`,
        `commands sent ${sent} (applications ${byKind('submit')}, approvals ${byKind('approve')}, rejections ${byKind('reject')}, accounts ${byKind('account')}); ` +
          `acknowledged ${acknowledgedInBursts}, refused ${commands.filter((c) => c.outcome.kind === 'refused').length}, unanswered ${unanswered} (${commands.filter(isAck).length - acknowledgedInBursts} completed by a retry)`,
        `acknowledged writes looked for after each restart: ${acknowledgedChecks} checks, ${acknowledgedFound} found${lost.length ? ` — LOST: ${lost.length}` : ' (all)'}`,
        `retries of unanswered commands: ${[...retryCodes].map(([k, n]) => `${k} ×${n}`).join(', ') || 'none'}; half-written: ${halfWritten.length}`,
        `read models after restart equal a full rebuild: ${JSON.stringify(restarted) === JSON.stringify(rebuilt) ? 'yes' : 'NO'} (${Object.keys(restarted).length - 1} answers compared, log head ${health.headPosition})`,
        `read store after restart equals a full rebuild, document by document: ${left && right && digestProblems.length === 0 ? 'yes' : 'NO'} ` +
          `(${Object.keys(left?.compared ?? {}).length} collections compared, ${left?.documents ?? 0} + ${right?.documents ?? 0} documents hashed, log head ${digests.rebuilt?.head}; ` +
          `not compared: ${Object.entries(left?.excluded ?? {}).map(([name, why]) => `${name} (${why})`).join(', ') || 'none'}` +
          `${left?.undeclared.length ? `; unknown: ${left.undeclared.join(', ')}` : ''})`,
        ...lost.map((l) => `  lost: ${l}`),
        ...halfWritten.map((h) => `  half-written: ${h}`),
        ...digestProblems.map((d) => `  read store: ${d}`),
      ].join('\n'),
    );
  }, 170_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill()));
    // DURABILITY_KEEP_DATA=1 keeps the data directories for a look at the log afterwards.
    if (process.env.DURABILITY_KEEP_DATA) console.log(`durability: data kept in ${dirs.join(' and ')}`);
    else for (const dir of dirs) removeDir(dir);
  });

  it(`kills the server ${KILLS} times in the middle of a burst`, () => {
    expect(kills).toHaveLength(KILLS);
    for (const k of kills) expect(k.inFlight).toBeGreaterThan(0);
    expect(commands.filter(isAck).length).toBeGreaterThan(KILLS * 10);
  });

  it('loses no acknowledged write: every 2xx is there after each restart', () => {
    expect(acknowledgedChecks).toBeGreaterThan(0);
    expect(lost).toEqual([]);
  });

  it('leaves nothing half-written: retries of unanswered commands complete, numbers are reserved only by visible applications', () => {
    expect(halfWritten).toEqual([]);
  });

  it('serves the same read models after the restarts as a full rebuild from the log', () => {
    expect(rebuildCompared).toBe(true);
    expect(rebuilt).toEqual(restarted);
  });

  it('holds the same documents in every read model after the restarts as a full rebuild from the log', () => {
    const left = digests.restarted?.digest;
    const right = digests.rebuilt?.digest;
    expect(left).toBeDefined();
    expect(right).toBeDefined();
    expect(digestProblems).toEqual([]);
    expect(Object.keys(right?.compared ?? {}).sort()).toEqual(Object.keys(left?.compared ?? {}).sort());
    expect(right?.compared).toEqual(left?.compared);
    expect(left?.documents).toBeGreaterThan(0);
  });
});
