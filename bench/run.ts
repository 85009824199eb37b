/**
 * `npm run bench` (and `npm run bench -- --quick`): the service's figures against their goals and
 * against baselines measured in the same run (issue 6). The machine is shared and noisy, so the
 * ratios are the figures to trust; absolute numbers drift from run to run.
 *
 * What happens, each part in its own process on 127.0.0.1:
 * 1. Baselines: a bare `better-sqlite3` durable insert loop; the no-op Nest + Fastify app
 *    (`bench/noop-app.ts`) under the same load as our endpoints, answering a small JSON and, for
 *    each read, the very answer of ours (what serialising and sending it costs alone).
 * 2. The built service (`dist/apps/portal-api/src/main.js`, embedded stores) on a fresh DATA_DIR:
 *    an organisation and accounts are made through the API, then the service is stopped and the
 *    log is pre-loaded through the embedded event log (`bench/preload.ts`).
 * 3. Start: projection catch-up (all pre-loaded events into every projection); stop; start again:
 *    start to healthy with the events in the log.
 * 4. Load with autocannon from a separate process (`bench/load-worker.ts`), then sequential loops
 *    from this process for latency of a command-then-query pair and of the audit replay.
 * 5. One table on stdout, also in `bench/results/latest.md` and `latest.json`.
 *
 * Run after `npm run build` (the npm script does both).
 */
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_VARIABLES } from '@kundportal/kernel';
import type { LoadResult, LoadSpec } from './load-worker';
import { preload, PreloadResult } from './preload';
import { sqliteCommitBaseline } from './sqlite-baseline';
import { organisationNumber, personalNumber } from './support/ids';
import { expectStatus, percentile, request } from './support/http';
import { Child, freePort, killAll, memoryOf, sleep, spawnNode } from './support/processes';
import { Figure, fmt, markdownReport, markdownTable, Report } from './support/report';

const ROOT = resolve(__dirname, '..');
const SERVICE_ENTRY = 'dist/apps/portal-api/src/main.js';
/** As `npm start` runs the service (see the README on `--max-semi-space-size`). */
const SERVICE_NODE_FLAGS = ['--max-semi-space-size=64'];
const RESULTS = join(ROOT, 'bench', 'results');
const QUICK = process.argv.includes('--quick');
const MiB = 1024 * 1024;

/** `--events N` and `--tickets N` override the mode's scale (e.g. `npm run bench -- --events 200000` for a shorter full run). */
function flag(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a positive whole number`);
  return value;
}

/**
 * The full run is the issue's scale: 1M events with 100k tickets (about 12 minutes on the 2-core
 * development machine, most of it the service catching up). The quick run uses 20k events with 5k
 * tickets and shorter loads, and says on each row that it is not the full scale.
 */
const SCALE = {
  ...(QUICK
    ? { events: 20_000, tickets: 5_000, connections: 50, durationSeconds: 4, warmupSeconds: 1, pairs: 200, audits: 40, sqliteSeconds: 2, catchUpTimeoutS: 120 }
    : { events: 1_000_000, tickets: 100_000, connections: 50, durationSeconds: 10, warmupSeconds: 2, pairs: 500, audits: 100, sqliteSeconds: 3, catchUpTimeoutS: 1800 }),
  ...(flag('events') ? { events: flag('events') as number } : {}),
  ...(flag('tickets') ? { tickets: flag('tickets') as number } : {}),
};
if (SCALE.tickets < 1_000 || SCALE.events < SCALE.tickets + 2_000) {
  console.error(`npm run bench: need at least 1,000 tickets and 2,000 more events than tickets (the user's 100 tickets, the 1,000-event order, orders and messages); got ${SCALE.tickets} tickets, ${SCALE.events} events`);
  process.exit(2);
}
const FULL_EVENTS = 1_000_000;
const FULL_TICKETS = 100_000;

const started = Date.now();
const loadAtStart = loadavg();
const log = (message: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);

const figures: Figure[] = [];
const notes: string[] = [];
let workDir: string | null = null;

interface Person {
  token: string;
  accountId: string;
  name: string;
  email: string;
}

// ---------------------------------------------------------------------------------------------
// Processes

function serviceEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The service runs on its embedded defaults whatever the shell exported.
  for (const name of CONFIG_VARIABLES) delete env[name];
  return { ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'production', AUTH_MODE: 'dev' };
}

interface Service {
  child: Child;
  baseUrl: string;
  spawnedAt: number;
}

async function startService(dataDir: string, name: string): Promise<Service> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const child = spawnNode(name, [...SERVICE_NODE_FLAGS, SERVICE_ENTRY], serviceEnv(dataDir, port), ROOT);
  return { child, baseUrl: `http://127.0.0.1:${port}`, spawnedAt };
}

interface HealthProjection {
  name: string;
  state: string;
  position: string;
  lag: string | null;
}

interface StartupTimes {
  firstOkMs: number;
  caughtUpMs: number;
  /** Last time a connection was refused (the port not open yet), since the spawn. */
  refusedUntilMs: number;
  /** Answers to /health between the first one and caught up, and the longest wait between two. */
  answers: number;
  longestGapMs: number;
  healthTimeouts: number;
  /** Lowest projection checkpoint in the first 200 answer. */
  lowestAtFirstOk: bigint;
  head: bigint;
  /** Since spawn, when each projection first showed lag 0. */
  perProjectionMs: Record<string, number>;
}

/** Polls `/health` until every projection has lag 0; times are since the spawn. */
async function watchStartup(service: Service, timeoutS: number): Promise<StartupTimes> {
  const deadline = performance.now() + timeoutS * 1000;
  let firstOkMs: number | null = null;
  let refusedUntilMs = 0;
  let answers = 0;
  let lastAnswerMs = 0;
  let longestGapMs = 0;
  let healthTimeouts = 0;
  let lowestAtFirstOk = 0n;
  const perProjectionMs: Record<string, number> = {};
  let last = 'no answer';
  while (performance.now() < deadline) {
    if (service.child.hasExited) throw new Error(`${service.child.name} exited (${service.child.exitDescription}) before it was caught up:\n${service.child.log}`);
    try {
      const answer = await request(service.baseUrl, 'GET', '/health', { timeoutMs: 5_000 });
      const now = performance.now() - service.spawnedAt;
      if (answers > 0) longestGapMs = Math.max(longestGapMs, now - lastAnswerMs);
      answers++;
      lastAnswerMs = now;
      if (answer.status === 200) {
        const projections = answer.body.projections as HealthProjection[];
        const parked = projections.filter((p) => p.state === 'parked');
        if (parked.length > 0) throw new Error(`projection parked: ${JSON.stringify(parked)}`);
        if (firstOkMs === null) {
          firstOkMs = now;
          lowestAtFirstOk = projections.reduce((low, p) => (BigInt(p.position) < low ? BigInt(p.position) : low), BigInt(answer.body.headPosition));
        }
        for (const p of projections) if (p.lag === '0' && perProjectionMs[p.name] === undefined) perProjectionMs[p.name] = now;
        if (projections.length > 0 && projections.every((p) => p.lag === '0' && p.state === 'running')) {
          return { firstOkMs, caughtUpMs: now, refusedUntilMs, answers, longestGapMs, healthTimeouts, lowestAtFirstOk, head: BigInt(answer.body.headPosition), perProjectionMs };
        }
        last = JSON.stringify(projections.map((p) => `${p.name}:${p.lag}`));
      } else {
        last = `${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
      }
    } catch (error) {
      if (String((error as Error).message).startsWith('projection parked')) throw error;
      const code = ((error as Error).cause as { code?: string } | undefined)?.code;
      if (code === 'ECONNREFUSED') refusedUntilMs = performance.now() - service.spawnedAt;
      if ((error as Error).name === 'TimeoutError') healthTimeouts++;
      last = code ?? (error as Error).message;
    }
    await sleep(50);
  }
  throw new Error(`${service.child.name} not caught up after ${timeoutS} s (${last})`);
}

/** Runs autocannon in its own process and returns its result. */
async function load(spec: Omit<LoadSpec, 'connections' | 'durationSeconds' | 'warmupSeconds'> & Partial<LoadSpec>): Promise<LoadResult> {
  const full: LoadSpec = { connections: SCALE.connections, durationSeconds: SCALE.durationSeconds, warmupSeconds: SCALE.warmupSeconds, ...spec };
  const env = { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') };
  const child = spawnNode('load', ['-r', '@swc-node/register', 'bench/load-worker.ts', JSON.stringify(full)], env, ROOT);
  let result: LoadResult | null = null;
  child.onLine = (line) => {
    if (line.startsWith('{')) result = JSON.parse(line) as LoadResult;
  };
  const exit = await child.exited;
  if (exit.code !== 0 || !result) throw new Error(`load generator failed (${JSON.stringify(exit)}):\n${child.log}`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Setup through the API

async function signIn(baseUrl: string, pnr: string, name: string, staff = false): Promise<string> {
  const answer = await request(baseUrl, 'POST', '/auth/dev/sign-in', { body: { personalNumber: pnr, method: 'bankid', name, ...(staff ? { staff: true } : {}) } });
  return expectStatus(answer, 200, 'dev sign-in').accessToken as string;
}

async function account(baseUrl: string, orgNumber: string, name: string, email: string): Promise<Person & { position: string }> {
  const token = await signIn(baseUrl, personalNumber(), name);
  const created = expectStatus(await request(baseUrl, 'POST', '/accounts', { token, body: { name, email, organisationNumber: orgNumber } }), 201, `account ${name}`);
  return { token, accountId: created.id, name, email, position: created.position };
}

interface Setup {
  staff: string;
  organisation: { id: string; name: string; number: string };
  user: Person;
  poster: Person;
}

async function setUp(baseUrl: string): Promise<Setup> {
  const staff = await signIn(baseUrl, personalNumber(), 'Sam Support', true);
  const number = organisationNumber();
  const tag = number.replace('-', '');
  const name = `Region Bench ${number}`;
  const application = expectStatus(
    await request(baseUrl, 'POST', '/customer-applications', {
      body: {
        organisationNumber: number,
        organisationName: name,
        administrator: { name: 'Anna Admin', email: `anna.${tag}@bench-region.se`, personalNumber: personalNumber() },
        signatory: { name: 'Sven Signatory', email: `sven.${tag}@bench-region.se`, personalNumber: personalNumber() },
        agreementContact: { name: 'Kim Contact', email: `kim.${tag}@bench-region.se` },
      },
    }),
    201,
    'customer application',
  );
  const approved = expectStatus(await request(baseUrl, 'POST', `/customer-applications/${application.id}/approve`, { token: staff, body: {} }), 200, 'approval');
  const organisationId = approved.organisationId as string;
  const user = await account(baseUrl, number, 'Berit Bench', `berit.${tag}@bench-region.se`);
  const poster = await account(baseUrl, number, 'Petter Poster', `petter.${tag}@bench-region.se`);
  // The user may order and attest there: orders awaiting attestation are in their approvals.
  expectStatus(
    await request(baseUrl, 'PUT', `/organisations/${organisationId}/members/${user.accountId}/roles`, { token: staff, body: { roles: ['orderer', 'attestant'] }, minPosition: poster.position }),
    200,
    'roles',
  );
  return { staff, organisation: { id: organisationId, name, number }, user, poster };
}

// ---------------------------------------------------------------------------------------------
// Figures

const pct = (ratio: number) => `${Math.round(ratio * 100)}%`;
const ms = (value: number) => `${fmt(value, value < 10 ? 2 : 1)} ms`;

function throughputFigure(id: string, figure: string, result: LoadResult, baseline: LoadResult, baselineName: string, minRatio: number, maxP99?: number): Figure {
  const ratio = result.ok2xxPerSecond / baseline.ok2xxPerSecond;
  const p99ok = maxP99 === undefined || result.latencyMs.p99 <= maxP99;
  const clean = result.non2xx === 0 && result.errors === 0;
  const display =
    `${fmt(result.ok2xxPerSecond)} req/s, p50 ${ms(result.latencyMs.p50)}, p99 ${ms(result.latencyMs.p99)}` +
    (clean ? '' : `; ${fmt(result.non2xx)} non-2xx (${JSON.stringify(result.statusCounts)}), ${result.errors} errors`);
  return {
    id,
    figure,
    value: result.ok2xxPerSecond,
    unit: 'req/s',
    display,
    goal: `≥ ${pct(minRatio)} of the no-op baseline${maxP99 !== undefined ? `; p99 ≤ ${maxP99} ms` : ''}`,
    baseline: `${baselineName}: ${fmt(baseline.ok2xxPerSecond)} req/s, p99 ${ms(baseline.latencyMs.p99)}`,
    ratio,
    outcome: ratio >= minRatio && p99ok && clean ? 'pass' : 'FAIL',
    details: { result, baseline },
  };
}

function baselineFigure(id: string, figure: string, result: LoadResult): Figure {
  return {
    id,
    figure,
    value: result.ok2xxPerSecond,
    unit: 'req/s',
    display: `${fmt(result.ok2xxPerSecond)} req/s, p50 ${ms(result.latencyMs.p50)}, p99 ${ms(result.latencyMs.p99)}${result.non2xx ? `; ${result.non2xx} non-2xx` : ''}`,
    goal: '(baseline)',
    outcome: 'baseline',
    details: { result },
  };
}

/** Runs `send` one call at a time, `warmup` times unmeasured and then `count` times; answers the milliseconds it reported for those, sorted. */
async function timedOneAtATime(count: number, warmup: number, send: (i: number) => Promise<number>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const elapsed = await send(i);
    if (i >= warmup) times.push(elapsed);
  }
  return times.sort((a, b) => a - b);
}

function memoryFigure(pid: number, label: string): { rssMiB: number; hwmMiB: number } {
  const memory = memoryOf(pid);
  if (!memory) throw new Error(`cannot read /proc/${pid}/status`);
  log(`memory ${label}: VmRSS ${fmt(memory.rssMiB)} MiB, VmHWM ${fmt(memory.hwmMiB)} MiB`);
  return memory;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, SERVICE_ENTRY))) throw new Error(`${SERVICE_ENTRY} is missing: run \`npm run build\` first (npm run bench does).`);
  workDir = mkdtempSync(join(tmpdir(), 'kp-bench-'));
  const dataDir = join(workDir, 'data');
  const scaleNote = SCALE.events < FULL_EVENTS ? ` (at ${fmt(SCALE.events)} events, not 1M)` : '';
  log(`mode ${QUICK ? 'quick' : 'full'}: ${fmt(SCALE.events)} events, ${fmt(SCALE.tickets)} tickets, ${SCALE.connections} connections × ${SCALE.durationSeconds} s per load`);

  // 1. The durable-commit baseline, on a quiet machine (nothing else runs yet).
  log('baseline: bare better-sqlite3 commits (WAL, synchronous=FULL, one transaction per insert)');
  const sqlite = sqliteCommitBaseline({ seconds: SCALE.sqliteSeconds, maxCommits: 200_000 });
  figures.push({
    id: 'baseline-sqlite-commit',
    figure: 'baseline: bare better-sqlite3 insert, one durable commit each (WAL, synchronous=FULL)',
    value: sqlite.p50Ms,
    unit: 'ms',
    display: `p50 ${ms(sqlite.p50Ms)}, p99 ${ms(sqlite.p99Ms)} per commit; ${fmt(sqlite.commitsPerSecond)} commits/s`,
    goal: '(baseline)',
    outcome: 'baseline',
    details: { ...sqlite },
  });

  // 2. The no-op app, kept running for its GET and POST baselines.
  log('baseline: starting the no-op Nest + Fastify app');
  const noop = spawnNode('noop-app', ['-r', '@swc-node/register', 'bench/noop-app.ts'], { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), PORT: String(await freePort()) }, ROOT);
  const noopInfo = await new Promise<{ port: number; token: string }>((resolveInfo, reject) => {
    const timer = setTimeout(() => reject(new Error(`no-op app did not start:\n${noop.log}`)), 30_000);
    noop.onLine = (line) => {
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      resolveInfo(JSON.parse(line));
    };
    void noop.exited.then((exit) => reject(new Error(`no-op app exited ${JSON.stringify(exit)}:\n${noop.log}`)));
  });
  const noopUrl = `http://127.0.0.1:${noopInfo.port}`;
  const noopAuth = { authorization: `Bearer ${noopInfo.token}` };
  /** Makes the no-op's `GET /noop/answer` answer this JSON; answers its size in bytes. */
  const noopAnswering = async (answer: unknown) => {
    expectStatus(await request(noopUrl, 'PUT', '/noop/answer', { token: noopInfo.token, body: answer }), 200, 'no-op PUT /noop/answer');
    return { bytes: Buffer.byteLength(JSON.stringify(answer)) };
  };
  expectStatus(await request(noopUrl, 'POST', '/noop', { token: noopInfo.token, body: { type: 'question', subject: 'x', description: 'y' } }), 201, 'no-op POST');
  expectStatus(await request(noopUrl, 'POST', '/noop', { token: noopInfo.token, body: { type: 'nonsense', subject: 'x', description: 'y' } }), 400, 'no-op POST validation');
  expectStatus(await request(noopUrl, 'GET', '/noop', { token: 'not-a-token' }), 401, 'no-op GET without a valid token');

  // 3. Accounts and an organisation through the API, then the log pre-loaded while the service is down.
  log(`service: setting up an organisation and accounts through the API (DATA_DIR ${dataDir})`);
  let service = await startService(dataDir, 'service-setup');
  await watchStartup(service, 60);
  const setup = await setUp(service.baseUrl);
  await service.child.stop();
  log(`preload: ${fmt(SCALE.events)} events through the embedded event log`);
  const pre: PreloadResult = await preload({
    dataDir,
    events: SCALE.events,
    tickets: SCALE.tickets,
    userTickets: 100,
    fakeUsers: 1000,
    approvalsForUser: 20,
    auditOrderEvents: 1000,
    user: { accountId: setup.user.accountId, name: setup.user.name, email: setup.user.email },
    organisation: { id: setup.organisation.id, name: setup.organisation.name },
  });
  log(`preload: ${fmt(pre.appended)} events in ${fmt(pre.seconds, 1)} s (${fmt(pre.appended / pre.seconds)} events/s), head ${pre.head}: ${JSON.stringify(pre.counts)}`);
  notes.push(
    `Pre-loaded through \`EmbeddedEventStore\` (group commit, ${fmt(pre.appended / pre.seconds)} events/s): ${Object.entries(pre.counts)
      .map(([type, n]) => `${fmt(n)} ${type}`)
      .join(', ')}; the benchmark user has 100 of the ${fmt(SCALE.tickets)} tickets and 20 orders to attest.`,
  );

  // 4. Catch-up: every pre-loaded event into every projection.
  log('catch-up: starting the service on the pre-loaded log');
  service = await startService(dataDir, 'service-catch-up');
  const catchUp = await watchStartup(service, SCALE.catchUpTimeoutS);
  const projected = Number(catchUp.head - BigInt(pre.headBefore));
  const catchUpRate = projected / (catchUp.caughtUpMs / 1000);
  const steadyRate = Number(catchUp.head - catchUp.lowestAtFirstOk) / ((catchUp.caughtUpMs - catchUp.firstOkMs) / 1000);
  const memoryAfterCatchUp = memoryFigure(service.child.pid, 'after catch-up');
  log(`catch-up: ${fmt(projected)} events in ${fmt(catchUp.caughtUpMs / 1000, 1)} s from spawn; per projection ${JSON.stringify(catchUp.perProjectionMs)}`);
  const blocked = catchUp.firstOkMs >= catchUp.caughtUpMs - 1;
  figures.push({
    id: 'projection-catch-up',
    figure: `projection catch-up, ${fmt(projected)} events into all projections${scaleNote}`,
    value: catchUpRate,
    unit: 'events/s',
    display: `${fmt(catchUpRate)} events/s (${fmt(catchUp.caughtUpMs / 1000, 1)} s from spawn to every projection at lag 0)`,
    goal: '≥ 50,000 events/s',
    outcome: catchUpRate >= 50_000 ? 'pass' : 'FAIL',
    details: { projected, ...catchUp, lowestAtFirstOk: String(catchUp.lowestAtFirstOk), head: String(catchUp.head), steadyRate: blocked ? null : steadyRate },
  });
  if (blocked) {
    notes.push(
      `Catch-up: the service answered no HTTP request until every projection had caught up (connections refused until ${fmt(catchUp.refusedUntilMs / 1000, 1)} s, ` +
        `first /health answer at ${fmt(catchUp.firstOkMs / 1000, 1)} s), so the time is from spawn and per-projection progress could not be seen.`,
    );
  } else {
    const times = Object.values(catchUp.perProjectionMs);
    const apart = Math.max(...times) - Math.min(...times) > 500;
    notes.push(
      `Catch-up: first /health answer at ${fmt(catchUp.firstOkMs / 1000, 1)} s after the spawn (${fmt(steadyRate)} events/s from then on); ` +
        `${catchUp.answers} /health answers while catching up, the longest wait between two ${fmt(catchUp.longestGapMs / 1000, 1)} s` +
        (catchUp.healthTimeouts > 0 ? `, ${catchUp.healthTimeouts} polls timed out after 5 s` : '') +
        (apart
          ? `; seconds from spawn until each projection first showed lag 0: ${Object.entries(catchUp.perProjectionMs)
              .sort((a, b) => a[1] - b[1])
              .map(([n, t]) => `${n} ${fmt(t / 1000, 1)}`)
              .join(', ')}.`
          : '; every projection reached lag 0 in the same /health answer.'),
    );
  }

  // 5. Start to healthy with the events in the log (read models reloaded from DATA_DIR).
  const stopStarted = performance.now();
  await service.child.stop(30_000);
  const stopMs = performance.now() - stopStarted;
  log(`restart: stopped in ${fmt(stopMs)} ms; starting again`);
  service = await startService(dataDir, 'service');
  const restart = await watchStartup(service, 300);
  const memoryAfterStart = memoryFigure(service.child.pid, 'after restart');
  figures.push({
    id: 'start-to-healthy',
    figure: `start to healthy, ${fmt(Number(restart.head))} events in the log${scaleNote}`,
    value: restart.caughtUpMs / 1000,
    unit: 's',
    display: `${fmt(restart.caughtUpMs / 1000, 2)} s from spawn to /health 200 with every lag 0 (first 200 at ${fmt(restart.firstOkMs / 1000, 2)} s)`,
    goal: '≤ 10 s',
    outcome: restart.caughtUpMs <= 10_000 ? 'pass' : 'FAIL',
    details: { ...restart, lowestAtFirstOk: String(restart.lowestAtFirstOk), head: String(restart.head), stopMs },
  });
  const api = service.baseUrl;

  // Sanity of what the reads will measure.
  const list = expectStatus(await request(api, 'GET', '/tickets', { token: setup.user.token }), 200, 'GET /tickets');
  if (list.total !== 100 || list.items.length !== 20) throw new Error(`GET /tickets: expected 20 of 100, got ${list.items.length} of ${list.total}`);
  const approvals = expectStatus(await request(api, 'GET', '/approvals', { token: setup.user.token }), 200, 'GET /approvals');
  if (approvals.items.length !== 20) throw new Error(`GET /approvals: expected 20 orders, got ${approvals.items.length}`);
  const badge = expectStatus(await request(api, 'GET', '/me/notifications', { token: setup.user.token }), 200, 'GET /me/notifications');
  notes.push(
    `The benchmark user's reads: GET /tickets answers a page of 20 of 100; GET /approvals 20 orders; GET /me/notifications ${badge.items.length} items (badge ${JSON.stringify(badge.badge)}).`,
  );

  // 6. Reads, each against a no-op GET measured just before it (the machine's load drifts within a run).
  const userAuth = { authorization: `Bearer ${setup.user.token}` };
  const noopGetLoad = () => load({ url: noopUrl, request: { method: 'GET', path: '/noop', headers: noopAuth } });
  for (const [id, path, minRatio, maxP99] of [
    ['get-tickets', '/tickets', 0.7, 10],
    ['get-approvals', '/approvals', 0.7, undefined],
    ['get-notifications', '/me/notifications', 0.7, undefined],
  ] as const) {
    log(`load: no-op GET, the no-op answering what GET ${path} answers, then GET ${path}`);
    const baseline = await noopGetLoad();
    if (id === 'get-tickets') figures.push(baselineFigure('baseline-noop-get', 'baseline: no-op GET (Nest + Fastify, JWT verify, small JSON), the first of three', baseline));
    const sameAnswer = await noopAnswering(expectStatus(await request(api, 'GET', path, { token: setup.user.token }), 200, `GET ${path}`));
    const sameLoad = await load({ url: noopUrl, request: { method: 'GET', path: '/noop/answer', headers: noopAuth } });
    const result = await load({ url: api, request: { method: 'GET', path, headers: userAuth } });
    const what = id === 'get-tickets' ? `GET /tickets, user with 100 of ${fmt(SCALE.tickets)} tickets${SCALE.tickets < FULL_TICKETS ? ' (not 100k)' : ''}` : `GET ${path}`;
    const figure = throughputFigure(id, what, result, baseline, 'no-op GET just before', minRatio, maxP99);
    figure.baseline +=
      `; the no-op answering the same ${fmt(sameAnswer.bytes / 1024, 1)} KB: ${fmt(sameLoad.ok2xxPerSecond)} req/s, p99 ${ms(sameLoad.latencyMs.p99)}` +
      ` (ours ${pct(result.ok2xxPerSecond / sameLoad.ok2xxPerSecond)} of it)`;
    figure.details = { ...figure.details, sameAnswer: { bytes: sameAnswer.bytes, result: sameLoad } };
    figures.push(figure);
  }

  // 7. Commands.
  log('load: no-op POST');
  const ticketBody = JSON.stringify({ type: 'question', subject: 'Signing fails', description: 'Since this morning signing fails with error 1234.' });
  const noopPost = await load({ url: noopUrl, request: { method: 'POST', path: '/noop', headers: noopAuth, body: ticketBody } });
  figures.push(baselineFigure('baseline-noop-post', 'baseline: no-op POST (Nest + Fastify, JWT verify, ValidationPipe, small DTO)', noopPost));
  const posterAuth = { authorization: `Bearer ${setup.poster.token}` };
  log('load: POST /tickets');
  const postTickets = await load({ url: api, request: { method: 'POST', path: '/tickets', headers: posterAuth, body: ticketBody } });
  const postFigure = throughputFigure('post-tickets', 'POST /tickets (auth, validation, decide, durable append)', postTickets, noopPost, 'no-op POST', 0.5, 25);
  postFigure.baseline += `; durable commit p50 ${ms(sqlite.p50Ms)}`;
  figures.push(postFigure);

  log('load: 50 clients posting messages to one ticket');
  const hot = expectStatus(await request(api, 'POST', '/tickets', { token: setup.poster.token, body: { type: 'question', subject: 'One busy ticket', description: 'Everyone writes here.' } }), 201, 'hot ticket');
  const messages = await load({
    url: api,
    warmupSeconds: 0,
    request: { method: 'POST', path: `/tickets/${hot.id}/messages`, headers: posterAuth, body: JSON.stringify({ body: 'Still failing here too; adding what we see.' }) },
    collect: 'messageId',
  });
  const ticket = expectStatus(
    await request(api, 'GET', `/tickets/${hot.id}`, { token: setup.poster.token, minPosition: messages.maxPosition ?? hot.position, timeoutMs: 60_000 }),
    200,
    'GET the busy ticket',
  );
  const stored = new Set((ticket.messages as Array<{ id: string }>).map((m) => m.id));
  const acknowledged = messages.collected ?? [];
  const lost = acknowledged.filter((id) => !stored.has(id)).length;
  const extra = stored.size - (acknowledged.length - lost);
  const messagesOk = messages.ok2xxPerSecond >= 1000 && lost === 0 && messages.status5xx === 0 && acknowledged.length === messages.ok2xx;
  figures.push({
    id: 'messages-one-ticket',
    figure: `${SCALE.connections} clients posting messages to the same ticket`,
    value: messages.ok2xxPerSecond,
    unit: 'commands/s',
    display:
      `${fmt(messages.ok2xxPerSecond)} commands/s (p50 ${ms(messages.latencyMs.p50)}, p99 ${ms(messages.latencyMs.p99)}); ` +
      `${fmt(acknowledged.length)} acknowledged, ${lost} lost, ${fmt(messages.non2xx)} non-2xx, ${fmt(messages.status5xx)} 5xx, ${messages.errors} errors` +
      (messages.non2xx > 0 ? ` ${JSON.stringify(messages.statusCounts)}` : '') +
      `; ${fmt(stored.size)} on the ticket`,
    goal: '≥ 1,000 commands/s, no lost message, no 5xx',
    outcome: messagesOk ? 'pass' : 'FAIL',
    details: { ...messages, collected: undefined, acknowledged: acknowledged.length, stored: stored.size, lost, extraInFlightAtStop: extra },
  });
  if (extra > 0) notes.push(`Busy ticket: ${extra} messages stored beyond the acknowledged ones: requests still in flight when the load stopped (their answers were not counted).`);

  // 8. Command then query with X-Min-Position, one pair at a time.
  log(`latency: ${SCALE.pairs} × (POST /tickets, then GET /tickets with X-Min-Position)`);
  let pairFailures = 0;
  const pairTimes = await timedOneAtATime(SCALE.pairs, 20, async (i) => {
    const t0 = performance.now();
    const created = await request(api, 'POST', '/tickets', { token: setup.user.token, body: { type: 'question', subject: `Pair ${i}`, description: 'Created, then listed.' } });
    const listed = created.status === 201 ? await request(api, 'GET', '/tickets', { token: setup.user.token, minPosition: created.body.position }) : null;
    const elapsed = performance.now() - t0;
    const seen = listed?.status === 200 && (listed.body.items as Array<{ id: string }>).some((t) => t.id === created.body.id);
    if (!seen) pairFailures++;
    return elapsed;
  });
  const pairP99 = percentile(pairTimes, 99);
  figures.push({
    id: 'command-then-query',
    figure: 'command then query with X-Min-Position (POST /tickets, then GET /tickets), sequential',
    value: pairP99,
    unit: 'ms',
    display: `p99 ${ms(pairP99)}, p50 ${ms(percentile(pairTimes, 50))} per pair (${pairTimes.length} pairs)${pairFailures ? `; ${pairFailures} pairs did not see their ticket` : ''}`,
    goal: 'p99 of the pair ≤ 15 ms',
    outcome: pairP99 <= 15 && pairFailures === 0 ? 'pass' : 'FAIL',
    details: { pairs: pairTimes.length, p50: percentile(pairTimes, 50), p99: pairP99, max: pairTimes[pairTimes.length - 1], failures: pairFailures },
  });

  // 9. Audit replay of the 1,000-event order.
  log(`latency: ${SCALE.audits} × GET /audit/orders/:id/history (1,000 events)`);
  let auditBytes = 0;
  let auditBody: unknown;
  const auditTimes = await timedOneAtATime(SCALE.audits, 5, async () => {
    // The endpoint's time: to the answer's last byte (about 1 MB), not the client's parse of it.
    const answer = await request(api, 'GET', `/audit/orders/${pre.auditOrderId}/history`, { token: setup.staff });
    const body = expectStatus(answer, 200, 'audit history');
    if (body.events.length !== 1000) throw new Error(`audit history: expected 1000 events, got ${body.events.length}`);
    auditBytes = Number(answer.headers.get('content-length') ?? 0);
    auditBody = body;
    return answer.elapsedMs;
  });
  const auditP50 = percentile(auditTimes, 50);
  const auditP99 = percentile(auditTimes, 99);
  // The floor for this answer on this machine: the no-op sending the same JSON, timed alike.
  const auditAnswer = await noopAnswering(auditBody);
  const sameTimes = await timedOneAtATime(SCALE.audits, 5, async () => {
    const answer = await request(noopUrl, 'GET', '/noop/answer', { token: noopInfo.token });
    expectStatus(answer, 200, 'no-op answering the audit history');
    return answer.elapsedMs;
  });
  figures.push({
    id: 'audit-history',
    figure: 'GET /audit/orders/:id/history, order of 1,000 events (staff)',
    value: auditP99,
    unit: 'ms',
    display: `p99 ${ms(auditP99)}, p50 ${ms(auditP50)} (${auditTimes.length} requests, one at a time, to the last of ${fmt(auditBytes / 1e6, 2)} MB)`,
    goal: '≤ 20 ms (read here as p99)',
    baseline: `the no-op answering the same ${fmt(auditAnswer.bytes / 1e6, 2)} MB: p99 ${ms(percentile(sameTimes, 99))}, p50 ${ms(percentile(sameTimes, 50))}`,
    outcome: auditP99 <= 20 ? 'pass' : 'FAIL',
    details: {
      p50: auditP50,
      p99: auditP99,
      max: auditTimes[auditTimes.length - 1],
      requests: auditTimes.length,
      bytes: auditBytes,
      sameAnswer: { bytes: auditAnswer.bytes, p50: percentile(sameTimes, 50), p99: percentile(sameTimes, 99) },
    },
  });

  // 10. Memory.
  const memoryAfterLoad = memoryFigure(service.child.pid, 'after the load');
  // Judged on the worst seen: a rebuild from the log (the first start) needs that memory too.
  const rss = Math.max(memoryAfterCatchUp.hwmMiB, memoryAfterStart.hwmMiB, memoryAfterLoad.hwmMiB);
  figures.push({
    id: 'resident-memory',
    figure: `resident memory (VmRSS/VmHWM), ${fmt(Number(restart.head))} events and ${fmt(SCALE.tickets)} tickets${scaleNote}`,
    value: rss,
    unit: 'MiB',
    display:
      `peak ${fmt(rss)} MiB: ${fmt(memoryAfterCatchUp.rssMiB)} MiB after catching up from an empty read store (peak ${fmt(memoryAfterCatchUp.hwmMiB)}); ` +
      `after a restart ${fmt(memoryAfterStart.rssMiB)} MiB, after the load ${fmt(memoryAfterLoad.rssMiB)} MiB (peak ${fmt(memoryAfterLoad.hwmMiB)})`,
    goal: '≤ 1.5 GB (VmHWM, worst of the three)',
    outcome: rss <= 1536 ? 'pass' : 'FAIL',
    details: { afterCatchUp: memoryAfterCatchUp, afterStart: memoryAfterStart, afterLoad: memoryAfterLoad },
  });

  await service.child.stop();
  await noop.stop();
}

function order(list: Figure[]): Figure[] {
  const rank = [
    'post-tickets',
    'messages-one-ticket',
    'get-tickets',
    'get-approvals',
    'get-notifications',
    'command-then-query',
    'projection-catch-up',
    'start-to-healthy',
    'audit-history',
    'resident-memory',
    'baseline-noop-post',
    'baseline-noop-get',
    'baseline-sqlite-commit',
  ];
  return [...list].sort((a, b) => rank.indexOf(a.id) - rank.indexOf(b.id));
}

function writeReport(error?: unknown): Report {
  const report: Report = {
    mode: QUICK ? 'quick' : 'full',
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 1024 / MiB), node: process.versions.node, platform: process.platform },
    scale: { events: SCALE.events, tickets: SCALE.tickets, connections: SCALE.connections, 'seconds per load': SCALE.durationSeconds },
    figures: order(figures),
    notes: [
      ...notes,
      'Load comes from autocannon in a separate process on the same 2 cores as the service, so every figure (baselines too) shares the CPU with its load generator.',
      `The service runs from \`dist/\` with ${SERVICE_NODE_FLAGS.join(' ')}, as \`npm start\` runs it, and LOG_LEVEL=warn (no per-request log lines); the no-op app runs under @swc-node/register.`,
      `Load average of the machine (1/5/15 min): ${loadAtStart.map((l) => l.toFixed(1)).join('/')} at the start, ${loadavg()
        .map((l) => l.toFixed(1))
        .join('/')} at the end: other work on the machine takes CPU from the service, the baselines and the load generator alike.`,
      ...(SCALE.events < FULL_EVENTS || SCALE.tickets < FULL_TICKETS
        ? [
            `Scale: ${fmt(SCALE.events)} events with ${fmt(SCALE.tickets)} tickets, smaller than the issue's 1M events with 100k tickets (\`npm run bench\` without --quick, about 12 minutes here); ` +
              'rows marked "not 1M"/"not 100k" are measured at this smaller scale against the full-scale goal, which favours the figures that grow with the log (catch-up memory, start to healthy).',
          ]
        : []),
    ],
    ...(error ? { error: error instanceof Error ? error.message.split('\n')[0] : String(error) } : {}),
  };
  mkdirSync(RESULTS, { recursive: true });
  const markdown = markdownReport(report);
  const json = `${JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? String(v) : v), 2)}\n`;
  for (const name of ['latest', report.mode]) {
    writeFileSync(join(RESULTS, `${name}.md`), `# npm run bench: ${report.mode}\n\n${markdown}`);
    writeFileSync(join(RESULTS, `${name}.json`), json);
  }
  return report;
}

function cleanUp(): void {
  if (workDir) {
    rmSync(workDir, { recursive: true, force: true });
    workDir = null;
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping children and removing ${workDir ?? 'nothing'}`);
    void killAll().finally(() => {
      cleanUp();
      process.exit(130);
    });
  });
}
process.once('exit', cleanUp);

main()
  .then(
    () => undefined,
    (error: unknown) => error,
  )
  .then(async (error) => {
    await killAll();
    cleanUp();
    const report = writeReport(error);
    process.stdout.write(`\n${markdownTable(report.figures)}\n\n`);
    process.stdout.write(`${report.notes.map((n) => `- ${n}`).join('\n')}\n`);
    process.stdout.write(`\nWritten to bench/results/latest.md and bench/results/latest.json (${report.mode}, ${Math.round(report.seconds)} s).\n`);
    if (error) {
      console.error('\nThe benchmark stopped early:', error);
      process.exit(1);
    }
  });
