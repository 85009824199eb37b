import { ApiClient } from './api-harness';
import { testOrganisationNumber, testPersonalNumber } from './swedish-ids';

export type Role = 'administrator' | 'orderer' | 'attestant' | 'signatory';

/** A signed-in person with an account in one organisation. */
export interface Person {
  token: string;
  accountId: string;
  name: string;
  email: string;
  personalNumber: string;
}

export interface Organisation {
  id: string;
  name: string;
  organisationNumber: string;
  /** The administrator named in the application (role administrator only). */
  admin: Person;
}

/** A customer with an orderer and an attestant (separate people), agreement signed unless told otherwise. */
export interface Customer extends Organisation {
  orderer: Person;
  attestant: Person;
}

export interface Mail {
  to: string;
  subject: string;
  template: string;
  data: Record<string, unknown>;
  text: string;
  sentAt: string | null;
}

let serial = 0;

/**
 * Builds organisations and people over HTTP the way the seed flow does: application, staff approval,
 * the administrator's account, the signatory's e-ID signature, people joining through join requests
 * that the administrator approves with their roles.
 */
export class OrganisationFixtures {
  constructor(private readonly api: ApiClient, private readonly staff: string) {}

  /** Registers and approves an organisation; signs the agreement unless `signed: false`. */
  async organisation(options: { signed?: boolean; name?: string } = {}): Promise<Organisation> {
    const organisationNumber = testOrganisationNumber();
    const tag = organisationNumber.replace('-', '');
    const name = options.name ?? `Region ${organisationNumber}`;
    const administrator = { name: 'Anna Admin', email: `anna.${tag}@region.se`, personalNumber: testPersonalNumber() };
    const signatory = { name: 'Sven Signatory', email: `sven.${tag}@region.se`, personalNumber: testPersonalNumber() };
    const submitted = await this.api.post('/customer-applications', {
      organisationNumber,
      organisationName: name,
      administrator,
      signatory,
      agreementContact: { name: 'Kim Contact', email: `kim.${tag}@region.se` },
    });
    expectStatus(submitted, 201, 'customer application');
    const approved = await this.api.post(`/customer-applications/${submitted.body.id}/approve`, {}, this.staff);
    expectStatus(approved, 200, 'approval');
    const id = approved.body.organisationId as string;
    const admin = await this.account(organisationNumber, administrator);
    if (options.signed !== false) {
      const token = await this.api.signIn(signatory.personalNumber, { name: signatory.name, method: 'freja' });
      expectStatus(await this.api.post(`/organisations/${id}/agreement/sign`, {}, token), 200, 'signature');
    }
    return { id, name, organisationNumber, admin };
  }

  /**
   * A new member of `organisation` holding `roles`, the way a real organisation gets one: the person
   * creates an account asking to join, and the organisation's administrator approves the join
   * request with the roles.
   */
  async member(organisation: Organisation, roles: Role[], name = `Member ${++serial}`): Promise<Person> {
    const person = await this.applicant(organisation, name);
    await this.approve(organisation, person, roles);
    return person;
  }

  /** Someone who created an account asking to join `organisation`: a pending join request, not a member. */
  async applicant(organisation: Organisation, name = `Applicant ${++serial}`): Promise<Person> {
    const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${++serial}.${organisation.organisationNumber.replace('-', '')}@region.se`;
    return this.account(organisation.organisationNumber, { name, email, personalNumber: testPersonalNumber() }, 'pending');
  }

  /** The organisation's administrator approves the person's join request with `roles`. */
  async approve(organisation: Organisation, person: Person, roles: Role[]): Promise<void> {
    const approved = await this.api.post(`/organisations/${organisation.id}/join-requests/${person.accountId}/approve`, { roles }, organisation.admin.token);
    expectStatus(approved, 200, 'join request approval');
  }

  async setRoles(organisation: Organisation, person: Person, roles: Role[]): Promise<void> {
    expectStatus(await this.api.put(`/organisations/${organisation.id}/members/${person.accountId}/roles`, { roles }, this.staff), 200, 'roles');
  }

  /** An organisation with an orderer and an attestant. */
  async customer(options: { signed?: boolean; name?: string } = {}): Promise<Customer> {
    const organisation = await this.organisation(options);
    const orderer = await this.member(organisation, ['orderer'], 'Olle Orderer');
    const attestant = await this.member(organisation, ['attestant'], 'Asa Attestant');
    return { ...organisation, orderer, attestant };
  }

  /** Staff link `agent` as an agent of `customer`. */
  async linkAgent(customer: Organisation, agent: Organisation): Promise<void> {
    expectStatus(await this.api.post(`/organisations/${customer.id}/agents`, { agentOrganisationId: agent.id }, this.staff), 200, 'agent link');
  }

  /** A customer and a linked agent organisation, each with an orderer and an attestant. */
  async customerWithAgent(): Promise<{ customer: Customer; agent: Customer }> {
    const [customer, agent] = await Promise.all([this.customer(), this.customer()]);
    await this.linkAgent(customer, agent);
    return { customer, agent };
  }

  /** Someone signed in by e-ID with an account in an organisation of their own: a member of nothing the test builds. */
  async outsider(): Promise<Person> {
    return this.member(await this.organisation({ signed: false }), [], 'Otto Outsider');
  }

  /** The dev outbox for an address, oldest first. */
  async mails(to: string): Promise<Mail[]> {
    const response = await this.api.get(`/dev/outbox?to=${encodeURIComponent(to)}&pageSize=100`, this.staff);
    expectStatus(response, 200, 'outbox');
    return response.body.items as Mail[];
  }

  private async account(
    organisationNumber: string,
    who: { name: string; email: string; personalNumber: string },
    membership: 'active' | 'pending' = 'active',
  ): Promise<Person> {
    const token = await this.api.signIn(who.personalNumber, { name: who.name });
    const created = await this.api.post('/accounts', { name: who.name, email: who.email, organisationNumber }, token);
    expectStatus(created, 201, 'account');
    if (created.body.membership !== membership) throw new Error(`account: expected membership ${membership}, got ${JSON.stringify(created.body)}`);
    return { token, accountId: created.body.id as string, name: who.name, email: who.email.toLowerCase(), personalNumber: who.personalNumber };
  }
}

function expectStatus(response: { status: number; body: unknown }, status: number, what: string): void {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
}
