import { randomBytes, randomUUID } from 'node:crypto';
import { ApiHarness } from './support/api-harness';
import { Organisation, OrganisationFixtures, Person } from './support/organisation-fixtures';
import { testOrganisationNumber, testPersonalNumber } from './support/swedish-ids';

/**
 * The authorisation matrix: every endpoint (API.md and the extra routes of the controllers) ×
 * every kind of caller → the answer API.md implies, generated from the one table `ENDPOINTS`.
 *
 * The world: a customer organisation with a person in each role, another organisation (built the
 * same way) whose administrator is the outsider, an agent organisation, and on each side an order
 * waiting for attestation and a ticket (requester: the member without role, collaborator: the
 * orderer, about the organisation) with an attachment; a customer application, a registration,
 * a password account and a catalogue service of the test's own.
 *
 * Besides the status of each combination it checks, wherever a caller is outside an organisation:
 * - a 404 body is exactly `{ statusCode: 404, code: 'NOT_FOUND', message }`;
 * - the answer is byte for byte the answer for ids that do not exist (nothing tells the
 *   resource exists), and holds no byte of the organisation's data (names, numbers, e-mails,
 *   subjects, ticket numbers, attachment names and contents, ids not sent in the request);
 * - every customer-side caller probes the other organisation's resources with the same table.
 */

const CALLERS = [
  'anonymous',
  'member',
  'orderer',
  'attestant',
  'signatory',
  'administrator',
  'otherAdministrator',
  'pending',
  'declined',
  'former',
  'staff',
  'auditor',
] as const;
type CallerKey = (typeof CALLERS)[number];
/** Asked to join, declined, removed: not members of the customer organisation, whatever they once were. */
const NOT_MEMBERS: readonly CallerKey[] = ['pending', 'declined', 'former'];
/** Customer-side callers: in the cross-organisation probes they stand where `otherAdministrator` stands in the table. */
const INSIDERS = ['member', 'orderer', 'attestant', 'signatory', 'administrator'] as const satisfies readonly CallerKey[];

type Expected = Record<CallerKey, readonly number[]>;

/**
 * One table row, one cell per caller in the order of `CALLERS`:
 *   anonymous member orderer attestant signatory administrator otherAdministrator pending declined former staff auditor
 * `member` is a member with no role; `pending` asked to join the customer organisation and waits,
 * `declined` asked and was declined, `former` was an orderer there and was removed: none of the
 * three is a member, so the organisation's resources answer them as they answer an outsider.
 * A cell is a status, or `a|b` where a business rule may legitimately answer after the access check.
 */
function t(row: string): Expected {
  const cells = row.trim().split(/\s+/);
  if (cells.length !== CALLERS.length) throw new Error(`a row needs ${CALLERS.length} cells: "${row}"`);
  return Object.fromEntries(CALLERS.map((caller, i) => [caller, cells[i].split('|').map(Number)])) as unknown as Expected;
}

const OFFERING = 'webcert-fristaende';
const PASSWORD = 'Sommar-2026';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The ids a request is built from: an organisation side's resources, and a few of the world's. */
interface Ids {
  orgId: string;
  orderId: string;
  ticketId: string;
  attachmentId: string;
  memberAccountId: string;
  targetAccountId: string;
  colleagueAccountId: string;
  agentOrgId: string;
  duplicateOrgId: string;
  applicationId: string;
  registrationId: string;
  serviceId: string;
  offeringId: string;
}

interface Req {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  /** Sent as multipart/form-data in the field `file`. */
  upload?: { name: string; content: string };
}

interface Answer {
  status: number;
  text: string;
  json: any;
}

/** A piece of an organisation's data that must never reach anyone outside it. */
interface Secret {
  what: string;
  value: string;
  pattern: RegExp;
}

interface Side {
  tag: string;
  org: Organisation;
  member: Person;
  orderer: Person;
  attestant: Person;
  signatory: Person;
  /** Whose roles the roles row sets (to none, as they are). */
  target: Person;
  /** Whom the collaborator row adds. */
  colleague: Person;
  /** Not members: asked to join and wait; asked and were declined; were an orderer and were removed. */
  pending: Person;
  declined: Person;
  former: Person;
  ids: Ids;
  secrets: Secret[];
}

interface World {
  staff: string;
  auditor: string;
  agent: Organisation;
  passwordEmail: string;
  customer: Side;
  other: Side;
}

interface Endpoint {
  name: string;
  expect: Expected;
  request(ids: Ids): Req;
  /** Takes an id of an organisation's resource (in the path or the body): probed across organisations. */
  scoped?: boolean;
  /** Resources of the row's own, so a success changes nothing the other rows rely on. */
  fresh?(side: Side): Promise<Partial<Ids>>;
  /** Make them only where the row expects a success (elsewhere the caller is refused before the resource matters). */
  freshOnSuccess?: boolean;
  /** Staff and auditor call with an identity new for the row (creating an account links it for good). */
  newIdentity?: boolean;
  /** The answer may hold anyone's data by design (a development helper): no leak check. */
  anyonesData?: boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const secret = (what: string, value: string): Secret => ({ what, value, pattern: new RegExp(`${escape(value)}(?![0-9])`, 'i') });
const tag = () => randomBytes(4).toString('hex');
const isSuccess = (status: number) => status >= 200 && status < 300;

let serial = 0;
const nextSerial = () => ++serial;

describe('Authorisation matrix: every endpoint × every caller', () => {
  jest.setTimeout(60_000);

  let api: ApiHarness;
  let fx: OrganisationFixtures;
  let world: World;
  let combinations = 0;
  let probes = 0;
  let comparisons = 0;
  const mismatches: string[] = [];

  /** The position answered last, sent as X-Min-Position so every request reads what came before it. */
  function remember(position: unknown): void {
    if (typeof position !== 'string' || !/^\d+$/.test(position)) return;
    if (api.lastPosition === null || BigInt(position) > BigInt(api.lastPosition)) api.lastPosition = position;
  }

  async function send(req: Req, token?: string): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (api.lastPosition) headers['x-min-position'] = api.lastPosition;
    let body: string | FormData | undefined;
    if (req.upload) {
      const form = new FormData();
      form.append('file', new Blob([new TextEncoder().encode(req.upload.content)], { type: 'text/plain' }), req.upload.name);
      body = form;
    } else if (req.method !== 'GET') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.body ?? {});
    }
    const response = await fetch(api.baseUrl + req.path, { method: req.method, headers, body });
    const text = await response.text();
    let json: any;
    if (response.headers.get('content-type')?.includes('json')) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (json && typeof json === 'object') remember(json.position);
    return { status: response.status, text, json };
  }

  /** A command the world is built with: it must succeed. */
  async function must(req: Req, token: string | undefined, status: number): Promise<any> {
    const answer = await send(req, token);
    if (answer.status !== status) throw new Error(`${req.method} ${req.path}: expected ${status}, got ${answer.status} ${answer.text}`);
    return answer.json;
  }

  // ---- Resources made for one row ---------------------------------------------------------------

  const applicationBody = () => {
    const organisationNumber = testOrganisationNumber();
    const digits = organisationNumber.replace('-', '');
    return {
      organisationNumber,
      organisationName: `Applicant ${digits}`,
      administrator: { name: 'Ada Applicant', email: `ada.${digits}@region.se`, personalNumber: testPersonalNumber() },
      signatory: { name: 'Sig Applicant', email: `sig.${digits}@region.se`, personalNumber: testPersonalNumber() },
      agreementContact: { name: 'Con Applicant', email: `con.${digits}@region.se` },
    };
  };
  const registrationBody = () => ({
    name: 'Reg Istrant',
    email: `reg.${nextSerial()}.${tag()}@region.se`,
    password: PASSWORD,
    organisationNumber: world.agent.organisationNumber,
  });
  const offeringBody = (serviceId: string) => ({
    id: `${serviceId}-o${nextSerial()}`,
    name: 'Authz offering',
    startupFee: { amount: 100, currency: 'SEK' },
    fields: [{ name: 'users', label: 'Users', type: 'integer', required: true, min: 1 }],
  });

  async function freshOrder(side: Side): Promise<string> {
    const body = { organisationId: side.org.id, offeringId: OFFERING, details: { careUnits: 3 }, acceptTerms: true };
    return (await must({ method: 'POST', path: '/orders', body }, side.orderer.token, 201)).id;
  }

  async function freshAttestedOrder(side: Side): Promise<string> {
    const id = await freshOrder(side);
    await must({ method: 'POST', path: `/orders/${id}/attest`, body: { method: 'bankid' } }, side.attestant.token, 200);
    return id;
  }

  /** A ticket of the side's member about the side's organisation, the orderer collaborating. */
  async function freshTicket(side: Side): Promise<string> {
    const subject = `Hemligt arende ${side.tag} ${tag()}`;
    const description = `Beskrivning ${side.tag} ${tag()}`;
    const body = { type: 'question', subject, description, organisationId: side.org.id, collaboratorAccountIds: [side.orderer.accountId] };
    const created = await must({ method: 'POST', path: '/tickets', body }, side.member.token, 201);
    side.secrets.push(secret('ticket subject', subject), secret('ticket description', description), secret('ticket number', created.number), secret('ticket id', created.id));
    return created.id;
  }

  // ---- The table --------------------------------------------------------------------------------
  //                                             anon mem  ord  att  sig  adm  oAdm pend decl form staff aud
  const ENDPOINTS: Endpoint[] = [
    // Public and sign-in
    { name: 'GET /health', expect: t('200 200 200 200 200 200 200 200 200 200 200 200'), request: () => ({ method: 'GET', path: '/health' }) },
    { name: 'GET /docs-json', expect: t('200 200 200 200 200 200 200 200 200 200 200 200'), request: () => ({ method: 'GET', path: '/docs-json' }) },
    {
      name: 'POST /auth/dev/sign-in',
      expect: t('200 200 200 200 200 200 200 200 200 200 200 200'),
      request: () => ({ method: 'POST', path: '/auth/dev/sign-in', body: { personalNumber: testPersonalNumber(), method: 'bankid' } }),
    },
    {
      name: 'POST /auth/password/sign-in',
      expect: t('200 200 200 200 200 200 200 200 200 200 200 200'),
      request: () => ({ method: 'POST', path: '/auth/password/sign-in', body: { email: world.passwordEmail, password: PASSWORD } }),
    },
    {
      name: 'POST /auth/password/reset-request',
      expect: t('202 202 202 202 202 202 202 202 202 202 202 202'),
      request: () => ({ method: 'POST', path: '/auth/password/reset-request', body: { email: `nobody.${nextSerial()}@region.se` } }),
    },
    {
      name: 'POST /auth/password/reset (a link that is not valid)',
      expect: t('422 422 422 422 422 422 422 422 422 422 422 422'),
      request: () => ({ method: 'POST', path: '/auth/password/reset', body: { token: 'not-a-valid-link', password: 'Vinter#2027x' } }),
    },
    { name: 'GET /me', expect: t('401 200 200 200 200 200 200 200 200 200 200 200'), request: () => ({ method: 'GET', path: '/me' }) },
    { name: 'GET /me/notifications', expect: t('401 200 200 200 200 200 200 200 200 200 200 200'), request: () => ({ method: 'GET', path: '/me/notifications' }) },
    { name: 'GET /dev/outbox', expect: t('401 200 200 200 200 200 200 200 200 200 200 200'), anyonesData: true, request: () => ({ method: 'GET', path: '/dev/outbox' }) },

    // Organisations, accounts, roles
    { name: 'POST /customer-applications', expect: t('201 201 201 201 201 201 201 201 201 201 201 201'), request: () => ({ method: 'POST', path: '/customer-applications', body: applicationBody() }) },
    {
      name: 'GET /customer-applications?status=submitted',
      expect: t('401 403 403 403 403 403 403 403 403 403 200 403'),
      request: () => ({ method: 'GET', path: '/customer-applications?status=submitted' }),
    },
    {
      name: 'POST /customer-applications/:id/approve',
      expect: t('401 403 403 403 403 403 403 403 403 403 200 403'),
      freshOnSuccess: true,
      fresh: async () => ({ applicationId: (await must({ method: 'POST', path: '/customer-applications', body: applicationBody() }, undefined, 201)).id }),
      request: (ids) => ({ method: 'POST', path: `/customer-applications/${ids.applicationId}/approve` }),
    },
    {
      name: 'POST /customer-applications/:id/reject',
      expect: t('401 403 403 403 403 403 403 403 403 403 200 403'),
      freshOnSuccess: true,
      fresh: async () => ({ applicationId: (await must({ method: 'POST', path: '/customer-applications', body: applicationBody() }, undefined, 201)).id }),
      request: (ids) => ({ method: 'POST', path: `/customer-applications/${ids.applicationId}/reject`, body: { reason: 'Not a customer of ours.' } }),
    },
    {
      // Everyone here has an account already (409) except staff and auditors, who sign in anew for the row.
      name: 'POST /accounts',
      expect: t('401 409 409 409 409 409 409 409 409 409 201 201'),
      newIdentity: true,
      request: () => ({
        method: 'POST',
        path: '/accounts',
        body: { name: 'New Account', email: `new.${nextSerial()}.${tag()}@region.se`, organisationNumber: world.agent.organisationNumber },
      }),
    },
    {
      name: 'POST /legacy-accounts',
      expect: t('401 403 403 403 403 403 403 403 403 403 201 403'),
      request: () => {
        const n = nextSerial();
        return {
          method: 'POST',
          path: '/legacy-accounts',
          body: { username: `legacy${n}${tag()}`, name: 'Leg Acy', email: `legacy.${n}.${tag()}@region.se`, organisationNumber: world.agent.organisationNumber, roles: [] },
        };
      },
    },
    {
      name: 'POST /accounts/verify (a link that is not valid)',
      expect: t('401 422 422 422 422 422 422 422 422 422 422 422'),
      request: () => ({ method: 'POST', path: '/accounts/verify', body: { token: 'not-a-valid-link' } }),
    },
    { name: 'GET /organisations/:orgId', scoped: true, expect: t('401 200 200 200 200 200 404 404 404 404 200 404'), request: (ids) => ({ method: 'GET', path: `/organisations/${ids.orgId}` }) },
    {
      // The agreement is signed already: the signatory gets past the access check to 409.
      name: 'POST /organisations/:orgId/agreement/sign',
      scoped: true,
      expect: t('401 403 403 403 409 403 404 404 404 404 403 404'),
      request: (ids) => ({ method: 'POST', path: `/organisations/${ids.orgId}/agreement/sign`, body: {} }),
    },
    {
      // Least privilege: a member with no role sees the organisation's name, not its people.
      name: 'GET /organisations/:orgId/members',
      scoped: true,
      expect: t('401 403 200 200 200 200 404 404 404 404 200 404'),
      request: (ids) => ({ method: 'GET', path: `/organisations/${ids.orgId}/members` }),
    },
    {
      name: 'PUT /organisations/:orgId/members/:accountId/roles',
      scoped: true,
      expect: t('401 403 403 403 403 200 404 404 404 404 200 404'),
      request: (ids) => ({ method: 'PUT', path: `/organisations/${ids.orgId}/members/${ids.targetAccountId}/roles`, body: { roles: [] } }),
    },
    {
      name: 'GET /organisations/:orgId/join-requests',
      scoped: true,
      expect: t('401 403 403 403 403 200 404 404 404 404 200 404'),
      request: (ids) => ({ method: 'GET', path: `/organisations/${ids.orgId}/join-requests` }),
    },
    {
      name: 'POST /organisations/:orgId/join-requests/:accountId/approve',
      scoped: true,
      expect: t('401 403 403 403 403 200 404 404 404 404 200 404'),
      freshOnSuccess: true,
      fresh: async (side) => ({ targetAccountId: (await fx.applicant(side.org)).accountId }),
      request: (ids) => ({ method: 'POST', path: `/organisations/${ids.orgId}/join-requests/${ids.targetAccountId}/approve`, body: { roles: [] } }),
    },
    {
      name: 'POST /organisations/:orgId/join-requests/:accountId/decline',
      scoped: true,
      expect: t('401 403 403 403 403 200 404 404 404 404 200 404'),
      freshOnSuccess: true,
      fresh: async (side) => ({ targetAccountId: (await fx.applicant(side.org)).accountId }),
      request: (ids) => ({ method: 'POST', path: `/organisations/${ids.orgId}/join-requests/${ids.targetAccountId}/decline`, body: {} }),
    },
    {
      // Administrators there invite; staff act for organisations in other ways (approving join requests, roles).
      name: 'POST /organisations/:orgId/invitations',
      scoped: true,
      expect: t('401 403 403 403 403 201 404 404 404 404 403 404'),
      request: (ids) => ({ method: 'POST', path: `/organisations/${ids.orgId}/invitations`, body: { name: 'Ivar Invited', email: `ivar.${nextSerial()}@region.se`, roles: [] } }),
    },
    {
      name: 'DELETE /organisations/:orgId/members/:accountId',
      scoped: true,
      expect: t('401 403 403 403 403 200 404 404 404 404 200 404'),
      freshOnSuccess: true,
      fresh: async (side) => ({ targetAccountId: (await fx.member(side.org, [])).accountId }),
      request: (ids) => ({ method: 'DELETE', path: `/organisations/${ids.orgId}/members/${ids.targetAccountId}` }),
    },
    {
      // Everyone with an account may ask to join another organisation; staff and auditors here have none.
      name: 'POST /me/organisations',
      expect: t('401 201 201 201 201 201 201 201 201 201 422 422'),
      request: () => ({ method: 'POST', path: '/me/organisations', body: { organisationNumber: world.agent.organisationNumber } }),
    },
    {
      // Leaving the customer organisation would change the world the other rows rely on; membership.e2e-spec covers members leaving.
      name: 'POST /me/organisations/:orgId/leave (an organisation the caller is not a member of)',
      expect: t('401 404 404 404 404 404 404 404 404 404 404 404'),
      request: (ids) => ({ method: 'POST', path: `/me/organisations/${ids.agentOrgId}/leave` }),
    },
    {
      name: 'POST /me/email/verify (a link that is not valid)',
      expect: t('401 422 422 422 422 422 422 422 422 422 422 422'),
      request: () => ({ method: 'POST', path: '/me/email/verify', body: { token: 'not-a-valid-link' } }),
    },
    {
      name: 'POST /invitations/accept (a link that is not valid)',
      expect: t('401 422 422 422 422 422 422 422 422 422 422 422'),
      request: () => ({ method: 'POST', path: '/invitations/accept', body: { token: 'not-a-valid-link' } }),
    },
    {
      name: 'POST /organisations/:orgId/agents',
      scoped: true,
      expect: t('401 403 403 403 403 403 403 403 403 403 200 403'),
      request: (ids) => ({ method: 'POST', path: `/organisations/${ids.orgId}/agents`, body: { agentOrganisationId: ids.agentOrgId } }),
    },
    {
      name: 'PUT /organisations/:orgId/user-limit',
      scoped: true,
      expect: t('401 403 403 403 403 200 404 404 404 404 200 404'),
      request: (ids) => ({ method: 'PUT', path: `/organisations/${ids.orgId}/user-limit`, body: { limit: null } }),
    },
    {
      name: 'POST /organisations/:orgId/merge',
      scoped: true,
      expect: t('401 403 403 403 403 403 403 403 403 403 200 403'),
      freshOnSuccess: true,
      fresh: async () => {
        const [keep, duplicate] = await Promise.all([fx.organisation({ signed: false }), fx.organisation({ signed: false })]);
        return { orgId: keep.id, duplicateOrgId: duplicate.id };
      },
      request: (ids) => ({ method: 'POST', path: `/organisations/${ids.orgId}/merge`, body: { duplicateOrganisationId: ids.duplicateOrgId } }),
    },

    // Catalogue
    { name: 'GET /catalogue', expect: t('401 200 200 200 200 200 200 200 200 200 200 200'), request: () => ({ method: 'GET', path: '/catalogue' }) },
    {
      name: 'POST /catalogue/services',
      expect: t('401 403 403 403 403 403 403 403 403 403 201 403'),
      request: () => ({ method: 'POST', path: '/catalogue/services', body: { id: `authz-s${nextSerial()}-${tag()}`, name: 'Authz service' } }),
    },
    {
      name: 'POST /catalogue/services/:serviceId/offerings',
      expect: t('401 403 403 403 403 403 403 403 403 403 201 403'),
      request: (ids) => ({ method: 'POST', path: `/catalogue/services/${ids.serviceId}/offerings`, body: offeringBody(ids.serviceId) }),
    },
    {
      name: 'POST /catalogue/offerings/:offeringId/retire',
      expect: t('401 403 403 403 403 403 403 403 403 403 200 403'),
      freshOnSuccess: true,
      fresh: async (side) => {
        const body = offeringBody(side.ids.serviceId);
        await must({ method: 'POST', path: `/catalogue/services/${side.ids.serviceId}/offerings`, body }, world.staff, 201);
        return { offeringId: body.id };
      },
      request: (ids) => ({ method: 'POST', path: `/catalogue/offerings/${ids.offeringId}/retire` }),
    },

    // Orders (the order is direct, waiting for the customer's attestation)
    {
      name: 'POST /orders',
      scoped: true,
      expect: t('401 403 201 403 403 403 404 404 404 404 403 403'),
      request: (ids) => ({ method: 'POST', path: '/orders', body: { organisationId: ids.orgId, offeringId: OFFERING, details: { careUnits: 3 }, acceptTerms: true } }),
    },
    { name: 'GET /orders', expect: t('401 200 200 200 200 200 200 200 200 200 200 200'), request: () => ({ method: 'GET', path: '/orders' }) },
    {
      name: 'GET /orders?organisationId=',
      scoped: true,
      expect: t('401 403 200 200 200 200 404 404 404 404 200 200'),
      request: (ids) => ({ method: 'GET', path: `/orders?organisationId=${ids.orgId}` }),
    },
    { name: 'GET /orders/:id', scoped: true, expect: t('401 404 200 200 200 200 404 404 404 404 200 200'), request: (ids) => ({ method: 'GET', path: `/orders/${ids.orderId}` }) },
    {
      // A direct order has no agent step: nobody holds the role for it.
      name: 'POST /orders/:id/approve',
      scoped: true,
      expect: t('401 403 403 403 403 403 404 404 404 404 403 403'),
      fresh: async (side) => ({ orderId: await freshOrder(side) }),
      request: (ids) => ({ method: 'POST', path: `/orders/${ids.orderId}/approve` }),
    },
    {
      name: 'POST /orders/:id/attest',
      scoped: true,
      expect: t('401 403 403 200 403 403 404 404 404 404 403 403'),
      fresh: async (side) => ({ orderId: await freshOrder(side) }),
      request: (ids) => ({ method: 'POST', path: `/orders/${ids.orderId}/attest`, body: { method: 'bankid' } }),
    },
    {
      name: 'POST /orders/:id/reject',
      scoped: true,
      expect: t('401 403 403 200 403 403 404 404 404 404 403 403'),
      fresh: async (side) => ({ orderId: await freshOrder(side) }),
      request: (ids) => ({ method: 'POST', path: `/orders/${ids.orderId}/reject`, body: { reason: 'Wrong number of care units.' } }),
    },
    {
      name: 'POST /orders/:id/fulfil',
      scoped: true,
      expect: t('401 403 403 403 403 403 403 403 403 403 200 403'),
      fresh: async (side) => ({ orderId: await freshAttestedOrder(side) }),
      request: (ids) => ({ method: 'POST', path: `/orders/${ids.orderId}/fulfil`, body: { instructions: 'We will call you on Monday.' } }),
    },
    {
      // Only the orderer who submitted it withdraws it.
      name: 'POST /orders/:id/withdraw',
      scoped: true,
      expect: t('401 403 200 403 403 403 404 404 404 404 403 403'),
      fresh: async (side) => ({ orderId: await freshOrder(side) }),
      request: (ids) => ({ method: 'POST', path: `/orders/${ids.orderId}/withdraw`, body: { reason: 'Ordered by mistake.' } }),
    },
    {
      name: 'POST /orders/:id/cancel',
      scoped: true,
      expect: t('401 403 403 403 403 403 404 404 404 404 200 403'),
      fresh: async (side) => ({ orderId: await freshOrder(side) }),
      request: (ids) => ({ method: 'POST', path: `/orders/${ids.orderId}/cancel`, body: { reason: 'The customer asked us to stop it.' } }),
    },
    { name: 'GET /approvals', expect: t('401 200 200 200 200 200 200 200 200 200 200 200'), request: () => ({ method: 'GET', path: '/approvals' }) },
    {
      name: 'GET /audit/orders/:id/history',
      scoped: true,
      expect: t('401 403 403 403 403 403 403 403 403 403 200 200'),
      request: (ids) => ({ method: 'GET', path: `/audit/orders/${ids.orderId}/history` }),
    },
    {
      name: 'GET /audit/orders/:id/state?at=',
      scoped: true,
      expect: t('401 403 403 403 403 403 403 403 403 403 200 200'),
      request: (ids) => ({ method: 'GET', path: `/audit/orders/${ids.orderId}/state?at=${encodeURIComponent(new Date().toISOString())}` }),
    },

    // Tickets (requester: the member without role; collaborator: the orderer; about the organisation)
    {
      name: 'POST /tickets',
      expect: t('401 201 201 201 201 201 201 201 201 201 201 403'),
      request: () => ({ method: 'POST', path: '/tickets', body: { type: 'question', subject: 'A question', description: 'How do I sign?' } }),
    },
    {
      name: 'POST /tickets {onBehalfOfAccountId}',
      scoped: true,
      expect: t('401 403 403 403 403 403 403 403 403 403 201 403'),
      request: (ids) => ({
        method: 'POST',
        path: '/tickets',
        body: { type: 'question', subject: 'By phone', description: 'Called support.', onBehalfOfAccountId: ids.memberAccountId },
      }),
    },
    {
      // Staff see every organisation: they may be refused (403) or allowed, never told it does not exist.
      name: 'POST /tickets {organisationId}',
      scoped: true,
      expect: t('401 201 201 201 201 201 404 404 404 404 201|403 403'),
      request: (ids) => ({ method: 'POST', path: '/tickets', body: { type: 'question', subject: 'About us', description: 'A question.', organisationId: ids.orgId } }),
    },
    {
      name: 'POST /public/tickets',
      expect: t('201 201 201 201 201 201 201 201 201 201 201 201'),
      request: () => ({ method: 'POST', path: '/public/tickets', body: { name: 'Vera Visitor', email: 'vera@example.org', type: 'question', subject: 'Hello', description: 'A question.' } }),
    },
    { name: 'GET /tickets', expect: t('401 200 200 200 200 200 200 200 200 200 200 200'), request: () => ({ method: 'GET', path: '/tickets?pageSize=100' }) },
    // Staff's filters of the ticket list, and their searches of organisations and people.
    { name: 'GET /tickets?sort=queue&needsReply=true', expect: t('401 403 403 403 403 403 403 403 403 403 200 403'), request: () => ({ method: 'GET', path: '/tickets?sort=queue&needsReply=true' }) },
    { name: 'GET /staff/organisations', expect: t('401 403 403 403 403 403 403 403 403 403 200 403'), request: () => ({ method: 'GET', path: '/staff/organisations?q=region' }) },
    { name: 'GET /staff/accounts', expect: t('401 403 403 403 403 403 403 403 403 403 200 403'), request: () => ({ method: 'GET', path: '/staff/accounts?q=anna' }) },
    // The ticket is about the organisation: its administrators see it (and its files) but take no part in it.
    { name: 'GET /tickets/:id', scoped: true, expect: t('401 200 200 404 404 200 404 404 404 404 200 404'), request: (ids) => ({ method: 'GET', path: `/tickets/${ids.ticketId}` }) },
    {
      name: 'POST /tickets/:id/messages',
      scoped: true,
      expect: t('401 201 201 404 404 403 404 404 404 404 201 404'),
      request: (ids) => ({ method: 'POST', path: `/tickets/${ids.ticketId}/messages`, body: { body: 'A reply.' } }),
    },
    {
      name: 'POST /tickets/:id/collaborators',
      scoped: true,
      expect: t('401 200 403 404 404 403 404 404 404 404 200 404'),
      fresh: async (side) => ({ ticketId: await freshTicket(side) }),
      request: (ids) => ({ method: 'POST', path: `/tickets/${ids.ticketId}/collaborators`, body: { accountId: ids.colleagueAccountId } }),
    },
    {
      name: 'POST /tickets/:id/close',
      scoped: true,
      expect: t('401 200 200 404 404 403 404 404 404 404 200 404'),
      fresh: async (side) => ({ ticketId: await freshTicket(side) }),
      request: (ids) => ({ method: 'POST', path: `/tickets/${ids.ticketId}/close` }),
    },
    {
      name: 'PUT /tickets/:id/status',
      scoped: true,
      expect: t('401 403 403 403 403 403 403 403 403 403 200 403'),
      request: (ids) => ({ method: 'PUT', path: `/tickets/${ids.ticketId}/status`, body: { status: 'open' } }),
    },
    {
      name: 'PUT /tickets/:id/priority',
      scoped: true,
      expect: t('401 403 403 403 403 403 403 403 403 403 200 403'),
      request: (ids) => ({ method: 'PUT', path: `/tickets/${ids.ticketId}/priority`, body: { priority: 'high' } }),
    },
    {
      name: 'GET /tickets/:id/timeline',
      scoped: true,
      expect: t('401 403 403 403 403 403 403 403 403 403 200 403'),
      request: (ids) => ({ method: 'GET', path: `/tickets/${ids.ticketId}/timeline` }),
    },
    {
      name: 'POST /tickets/:id/attachments',
      scoped: true,
      expect: t('401 201 201 404 404 403 404 404 404 404 201 404'),
      request: (ids) => ({ method: 'POST', path: `/tickets/${ids.ticketId}/attachments`, upload: { name: 'note.txt', content: 'a note' } }),
    },
    {
      name: 'GET /tickets/:id/attachments/:attachmentId',
      scoped: true,
      expect: t('401 200 200 404 404 200 404 404 404 404 200 404'),
      request: (ids) => ({ method: 'GET', path: `/tickets/${ids.ticketId}/attachments/${ids.attachmentId}` }),
    },

    // Registration with password
    { name: 'POST /registrations', expect: t('201 201 201 201 201 201 201 201 201 201 201 201'), request: () => ({ method: 'POST', path: '/registrations', body: registrationBody() }) },
    {
      name: 'GET /registrations?status=pending',
      expect: t('401 403 403 403 403 403 403 403 403 403 200 403'),
      request: () => ({ method: 'GET', path: '/registrations?status=pending' }),
    },
    {
      name: 'POST /registrations/:id/approve',
      expect: t('401 403 403 403 403 403 403 403 403 403 200 403'),
      freshOnSuccess: true,
      fresh: async () => ({ registrationId: (await must({ method: 'POST', path: '/registrations', body: registrationBody() }, undefined, 201)).id }),
      request: (ids) => ({ method: 'POST', path: `/registrations/${ids.registrationId}/approve` }),
    },
    {
      name: 'POST /registrations/:id/reject',
      expect: t('401 403 403 403 403 403 403 403 403 403 200 403'),
      freshOnSuccess: true,
      fresh: async () => ({ registrationId: (await must({ method: 'POST', path: '/registrations', body: registrationBody() }, undefined, 201)).id }),
      request: (ids) => ({ method: 'POST', path: `/registrations/${ids.registrationId}/reject`, body: { reason: 'Unknown to the school.' } }),
    },
  ];

  // ---- The world --------------------------------------------------------------------------------

  async function buildSide(label: string, shared: Omit<Ids, 'orgId' | 'orderId' | 'ticketId' | 'attachmentId' | 'memberAccountId' | 'targetAccountId' | 'colleagueAccountId'>): Promise<Side> {
    const sideTag = `${label}${tag()}`;
    const org = await fx.organisation({ name: `Region ${sideTag}` });
    const member = await fx.member(org, [], `Mia Member ${sideTag}`);
    const orderer = await fx.member(org, ['orderer'], `Olle Orderer ${sideTag}`);
    const attestant = await fx.member(org, ['attestant'], `Asa Attestant ${sideTag}`);
    const signatory = await fx.member(org, ['signatory'], `Sigrid Signatory ${sideTag}`);
    const target = await fx.member(org, [], `Tove Target ${sideTag}`);
    const colleague = await fx.member(org, [], `Carl Colleague ${sideTag}`);
    const pending = await fx.applicant(org, `Pia Pending ${sideTag}`);
    const declined = await fx.applicant(org, `Dag Declined ${sideTag}`);
    await must({ method: 'POST', path: `/organisations/${org.id}/join-requests/${declined.accountId}/decline`, body: { reason: 'Unknown to us.' } }, org.admin.token, 200);
    const former = await fx.member(org, ['orderer'], `Fia Former ${sideTag}`);
    const secrets: Secret[] = [secret('organisation name', org.name), secret('organisation number', org.organisationNumber), secret('organisation id', org.id)];
    for (const [role, person] of Object.entries({ administrator: org.admin, member, orderer, attestant, signatory, target, colleague })) {
      secrets.push(secret(`${role} e-mail`, person.email), secret(`${role} account id`, person.accountId));
      if (person !== org.admin) secrets.push(secret(`${role} name`, person.name));
    }
    const side: Side = { tag: sideTag, org, member, orderer, attestant, signatory, target, colleague, pending, declined, former, secrets, ids: undefined as unknown as Ids };
    const orderId = await freshOrder(side);
    // The former member placed an order while an orderer, and was removed after.
    await must({ method: 'POST', path: '/orders', body: { organisationId: org.id, offeringId: OFFERING, details: { careUnits: 1 }, acceptTerms: true } }, former.token, 201);
    await must({ method: 'DELETE', path: `/organisations/${org.id}/members/${former.accountId}` }, org.admin.token, 200);
    secrets.push(secret('order id', orderId));
    const ticketId = await freshTicket(side);
    const file = { name: `bilaga-${sideTag}-${tag()}.txt`, content: `innehall ${sideTag} ${tag()}` };
    const attachment = await must({ method: 'POST', path: `/tickets/${ticketId}/attachments`, upload: file }, member.token, 201);
    secrets.push(secret('attachment name', file.name), secret('attachment content', file.content), secret('attachment id', attachment.id));
    side.ids = {
      ...shared,
      orgId: org.id,
      orderId,
      ticketId,
      attachmentId: attachment.id,
      memberAccountId: member.accountId,
      targetAccountId: target.accountId,
      colleagueAccountId: colleague.accountId,
    };
    return side;
  }

  beforeAll(async () => {
    api = await ApiHarness.start();
    const staff = await api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    const auditor = await api.signIn(testPersonalNumber(), { auditor: true, name: 'Rut Revisor' });
    fx = new OrganisationFixtures(api, staff);
    const agent = await fx.organisation({ signed: false, name: `Agent ${tag()}` });
    world = { staff, auditor, agent, passwordEmail: '', customer: undefined as unknown as Side, other: undefined as unknown as Side };

    const application = await must({ method: 'POST', path: '/customer-applications', body: applicationBody() }, undefined, 201);
    const registration = await must({ method: 'POST', path: '/registrations', body: registrationBody() }, undefined, 201);
    const password = registrationBody();
    const passwordRegistration = await must({ method: 'POST', path: '/registrations', body: password }, undefined, 201);
    await must({ method: 'POST', path: `/registrations/${passwordRegistration.id}/approve` }, staff, 200);
    world.passwordEmail = password.email;
    const serviceId = `authz-${tag()}`;
    await must({ method: 'POST', path: '/catalogue/services', body: { id: serviceId, name: 'Authz service' } }, staff, 201);
    const offering = offeringBody(serviceId);
    await must({ method: 'POST', path: `/catalogue/services/${serviceId}/offerings`, body: offering }, staff, 201);

    const shared = {
      agentOrgId: agent.id,
      duplicateOrgId: agent.id,
      applicationId: application.id,
      registrationId: registration.id,
      serviceId,
      offeringId: offering.id,
    };
    [world.customer, world.other] = await Promise.all([buildSide('Kund', shared), buildSide('Annan', shared)]);
  });

  afterAll(async () => {
    console.log(
      `Authorisation matrix: ${combinations} combinations checked (${ENDPOINTS.length} endpoints × ${CALLERS.length} callers), ` +
        `${probes} cross-organisation probes, ${comparisons} answers compared with the answer for ids that do not exist; ` +
        `${mismatches.length} mismatch(es)${mismatches.length ? `:\n  ${mismatches.join('\n  ')}` : ''}`,
    );
    await api?.stop();
  });

  // ---- Checking one combination -----------------------------------------------------------------

  function tokenOf(caller: CallerKey): string | undefined {
    const c = world.customer;
    switch (caller) {
      case 'anonymous':
        return undefined;
      case 'member':
        return c.member.token;
      case 'orderer':
        return c.orderer.token;
      case 'attestant':
        return c.attestant.token;
      case 'signatory':
        return c.signatory.token;
      case 'administrator':
        return c.org.admin.token;
      case 'otherAdministrator':
        return world.other.org.admin.token;
      case 'pending':
        return c.pending.token;
      case 'declined':
        return c.declined.token;
      case 'former':
        return c.former.token;
      case 'staff':
        return world.staff;
      case 'auditor':
        return world.auditor;
    }
  }

  /** Staff or an auditor signed in anew: they have no account yet. */
  const newIdentity = (caller: CallerKey) =>
    api.signIn(testPersonalNumber(), caller === 'staff' ? { staff: true, name: 'Nils Staff' } : { auditor: true, name: 'Nora Revisor' });

  /** The same ids, each replaced by one that names nothing. */
  const ghostOf = (ids: Ids): Ids => Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, UUID.test(v) ? randomUUID() : v])) as unknown as Ids;

  const describeAnswer = (answer: Answer) => `${answer.status}${answer.json?.code ? ` ${answer.json.code}` : ''}${answer.json?.message ? ` "${answer.json.message}"` : ''}`;

  const STANDARD_CODES: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' };

  /**
   * Sends one combination and returns what is wrong with the answer (nothing when it is right).
   * `outsider` marks a caller outside the side's organisation; `hidden` are the secrets the answer must not hold.
   */
  async function check(endpoint: Endpoint, side: Side, caller: CallerKey, token: string | undefined, expected: readonly number[], outsider: boolean, hidden: Secret[]): Promise<string[]> {
    const problems: string[] = [];
    let ids = side.ids;
    if (endpoint.fresh && (!endpoint.freshOnSuccess || expected.some(isSuccess))) ids = { ...ids, ...(await endpoint.fresh(side)) };
    const req = endpoint.request(ids);
    const answer = await send(req, token);
    if (!expected.includes(answer.status)) problems.push(`expected ${expected.join('|')}, got ${describeAnswer(answer)}`);

    const code = STANDARD_CODES[answer.status];
    if (code) {
      const keys = answer.json && typeof answer.json === 'object' ? Object.keys(answer.json).sort() : [];
      const exact = answer.status === 404 ? ['code', 'message', 'statusCode'] : null;
      if (answer.json?.statusCode !== answer.status || answer.json?.code !== code || typeof answer.json?.message !== 'string') {
        problems.push(`error body is not { statusCode: ${answer.status}, code: '${code}', message }: ${answer.text}`);
      } else if (exact && keys.join() !== exact.join()) {
        problems.push(`a 404 body holds exactly statusCode, code and message, got ${answer.text}`);
      }
    }

    if (!endpoint.anyonesData) {
      const sent = `${req.path} ${JSON.stringify(req.body ?? '')}`;
      const leaked = hidden.filter((s) => !sent.includes(s.value) && s.pattern.test(answer.text));
      if (leaked.length > 0) problems.push(`the answer holds ${leaked.map((s) => `${s.what} (${s.value})`).join(', ')}`);
    }

    // Outside the organisation, or told "not found": the answer is the one for ids that name nothing.
    if (caller !== 'anonymous' && ((outsider && endpoint.scoped) || answer.status === 404)) {
      const ghost = await send(endpoint.request(ghostOf(ids)), token);
      comparisons++;
      const same = ghost.status === answer.status && (ghost.json !== undefined && answer.json !== undefined ? JSON.stringify(ghost.json) === JSON.stringify(answer.json) : ghost.text === answer.text);
      if (!same) problems.push(`answers ${describeAnswer(answer)} where ids that do not exist get ${describeAnswer(ghost)}: the resource's existence shows`);
    }
    return problems;
  }

  it('the data the leak check looks for is really in the answers its organisation gets (the check is not vacuous)', async () => {
    for (const side of [world.customer, world.other]) {
      const { ids, orderer } = side;
      const reads: Req[] = [
        { method: 'GET', path: `/organisations/${ids.orgId}` },
        { method: 'GET', path: `/organisations/${ids.orgId}/members` },
        { method: 'GET', path: `/orders?organisationId=${ids.orgId}` },
        { method: 'GET', path: `/tickets/${ids.ticketId}` },
        { method: 'GET', path: `/tickets/${ids.ticketId}/attachments/${ids.attachmentId}` },
      ];
      const texts: string[] = [];
      for (const req of reads) {
        // The orderer collaborates on the ticket; a member with no role would not see the members or the orders.
        const answer = await send(req, orderer.token);
        expect({ path: req.path, status: answer.status }).toEqual({ path: req.path, status: 200 });
        texts.push(answer.text);
      }
      const missing = side.secrets.filter((s) => !texts.some((text) => s.pattern.test(text))).map((s) => `${side.tag} ${s.what}`);
      expect(missing).toEqual([]);
    }
  });

  describe.each(ENDPOINTS.map((e) => [e.name, e] as const))('%s', (_name, endpoint) => {
    it(`answers each caller as API.md implies`, async () => {
      const problems: string[] = [];
      for (const caller of CALLERS) {
        let token = tokenOf(caller);
        if (endpoint.newIdentity && (caller === 'staff' || caller === 'auditor')) token = await newIdentity(caller);
        const outsider = caller === 'otherAdministrator' || caller === 'anonymous' || NOT_MEMBERS.includes(caller);
        // Customer-side callers must never see the other organisation's data; outsiders never the customer's.
        const hidden =
          caller === 'anonymous'
            ? [...world.customer.secrets, ...world.other.secrets]
            : caller === 'otherAdministrator'
              ? world.customer.secrets
              : NOT_MEMBERS.includes(caller)
                ? // Someone waiting for an answer sees the organisation's name in /me (pendingOrganisations), nothing more.
                  [...world.customer.secrets.filter((x) => caller !== 'pending' || (x.what !== 'organisation name' && x.what !== 'organisation id')), ...world.other.secrets]
              : caller === 'staff' || caller === 'auditor'
                ? []
                : world.other.secrets;
        const found = await check(endpoint, world.customer, caller, token, endpoint.expect[caller], outsider, hidden);
        combinations++;
        for (const problem of found) problems.push(`${endpoint.name} as ${caller}: ${problem}`);
      }
      mismatches.push(...problems);
      expect(problems).toEqual([]);
    });

    if (endpoint.scoped) {
      it(`answers each caller of the customer organisation about the other organisation's resource as it answers an outsider`, async () => {
        const problems: string[] = [];
        for (const caller of INSIDERS) {
          const found = await check(endpoint, world.other, caller, tokenOf(caller), endpoint.expect.otherAdministrator, true, world.other.secrets);
          probes++;
          for (const problem of found) problems.push(`${endpoint.name} as customer ${caller} on the other organisation: ${problem}`);
        }
        mismatches.push(...problems);
        expect(problems).toEqual([]);
      });
    }
  });
});
