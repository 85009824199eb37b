import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { CommandAnswer, JoinAnswer, JoinRequests } from '../api/responses';
import { useMe } from '../identity/use-me';
import { useFormat } from '../shared/format';
import { ErrorSummary, Field, Fieldset, SubmitButton, text, useErrorText, useForm } from '../shared/forms';
import { Page, QueryState, Success } from '../shared/page';

/** The public application to become a customer. */
export function ApplicationPage() {
  const { t } = useTranslation();
  const [done, setDone] = useState(false);
  const form = useForm(
    (values) =>
      call<CommandAnswer>(
        api.POST('/customer-applications', {
          body: {
            organisationNumber: text(values, 'organisationNumber'),
            organisationName: text(values, 'organisationName'),
            administrator: { name: text(values, 'administrator.name'), email: text(values, 'administrator.email'), personalNumber: text(values, 'administrator.personalNumber') },
            signatory: { name: text(values, 'signatory.name'), email: text(values, 'signatory.email'), personalNumber: text(values, 'signatory.personalNumber') },
            agreementContact: { name: text(values, 'agreementContact.name'), email: text(values, 'agreementContact.email') },
          },
        }),
      ),
    () => setDone(true),
  );
  if (done)
    return (
      <Page title={t('apply.doneTitle')}>
        <Success>
          <p>{t('apply.doneText')}</p>
        </Success>
        <Link to="/">{t('common.toStart')}</Link>
      </Page>
    );
  const person = (prefix: string, legend: string, withPersonalNumber: boolean) => (
    <Fieldset legend={legend}>
      <Field name={`${prefix}.name`} label={t('fields.name')} required error={form.fieldError(`${prefix}.name`)} />
      <Field name={`${prefix}.email`} type="email" label={t('fields.workEmail')} required error={form.fieldError(`${prefix}.email`)} />
      {withPersonalNumber && (
        <Field
          name={`${prefix}.personalNumber`}
          label={t('fields.personalNumber')}
          hint={t('fields.personalNumberHint')}
          required
          inputMode="numeric"
          error={form.fieldError(`${prefix}.personalNumber`)}
        />
      )}
    </Fieldset>
  );
  return (
    <Page title={t('apply.title')} lead={t('apply.lead')}>
      <form onSubmit={form.onSubmit} noValidate className="narrow">
        <ErrorSummary error={form.error} />
        <Fieldset legend={t('apply.organisation')}>
          <Field name="organisationName" label={t('fields.organisationName')} required error={form.fieldError('organisationName')} />
          <Field name="organisationNumber" label={t('fields.organisationNumber')} hint={t('fields.organisationNumberHint')} required error={form.fieldError('organisationNumber')} />
        </Fieldset>
        {person('administrator', t('apply.administrator'), true)}
        {person('signatory', t('apply.signatory'), true)}
        {person('agreementContact', t('apply.agreementContact'), false)}
        <SubmitButton pending={form.pending}>{t('apply.submit')}</SubmitButton>
      </form>
    </Page>
  );
}

/** The signatory's page (the link in the `agreement-to-sign` e-mail): read and sign the customer agreement. */
export function AgreementPage() {
  const { t } = useTranslation();
  const { orgId = '' } = useParams();
  const format = useFormat();
  const client = useQueryClient();
  const organisation = useQuery({
    queryKey: ['organisation', orgId],
    queryFn: () => call(api.GET('/organisations/{orgId}', { params: { path: { orgId } } })),
    retry: false,
  });
  const sign = useMutation({
    mutationFn: () => call<CommandAnswer>(api.POST('/organisations/{orgId}/agreement/sign', { params: { path: { orgId } } })),
    onSuccess: () => client.invalidateQueries(),
  });
  const agreement = organisation.data?.agreement;
  const signed = agreement?.status === 'signed' || sign.isSuccess;
  return (
    <Page title={t('agreement.title')}>
      {organisation.data && <p className="lead">{organisation.data.name}</p>}
      {organisation.isPending && <QueryState query={organisation} />}
      {signed ? (
        <Success>
          <p>{agreement?.signedAt ? t('agreement.signedAt', { at: format.dateTime(agreement.signedAt), name: agreement.signedBy?.name ?? '' }) : t('agreement.signedNow')}</p>
        </Success>
      ) : (
        <>
          <section className="agreement-text" aria-labelledby="terms-heading">
            <h2 id="terms-heading">{t('agreement.termsHeading')}</h2>
            <p>{t('agreement.terms1')}</p>
            <p>{t('agreement.terms2')}</p>
          </section>
          <ErrorSummary error={sign.error} />
          <button type="button" className="button" disabled={sign.isPending} onClick={() => sign.mutate()}>
            {t('agreement.sign')}
          </button>
        </>
      )}
    </Page>
  );
}

/** The person's organisations, with each one's members and their roles. */
export function MyOrganisationsPage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Page title={t('organisations.title')}>
      <QueryState query={me} />
      {me.data && me.data.organisations.length === 0 && (
        <p>
          {t('organisations.none')} {me.data.accountId === null && <Link to="/create-account">{t('createAccount.title')}</Link>}
        </p>
      )}
      {me.data?.organisations.map((organisation) => (
        <section key={organisation.id} className="panel" aria-labelledby={`org-${organisation.id}`}>
          <h2 id={`org-${organisation.id}`}>{organisation.name}</h2>
          <dl className="facts">
            <dt>{t('fields.organisationNumber')}</dt>
            <dd>{organisation.organisationNumber}</dd>
            <dt>{t('organisations.yourRoles')}</dt>
            <dd>{organisation.roles.map((role) => t(`roles.${role}`)).join(', ') || '–'}</dd>
            <dt>{t('organisations.agreement')}</dt>
            <dd>
              {organisation.agreementSigned ? t('organisations.agreementSigned') : <Link to={`/organisations/${organisation.id}/agreement`}>{t('organisations.agreementAwaiting')}</Link>}
            </dd>
          </dl>
          {organisation.roles.length > 0 ? (
            <Members orgId={organisation.id} administrator={organisation.roles.includes('administrator')} />
          ) : (
            <p>{t('organisations.noRoleYet')}</p>
          )}
          {organisation.roles.includes('administrator') && (
            <>
              <JoinRequests orgId={organisation.id} />
              <InviteForm orgId={organisation.id} />
            </>
          )}
          <Leave orgId={organisation.id} name={organisation.name} />
        </section>
      ))}
      {(me.data?.pendingOrganisations?.length ?? 0) > 0 && (
        <section aria-labelledby="pending-heading">
          <h2 id="pending-heading">{t('organisations.pending')}</h2>
          <p>{t('organisations.pendingText')}</p>
          <ul>
            {me.data?.pendingOrganisations?.map((o) => (
              <li key={o.id}>{o.name}</li>
            ))}
          </ul>
        </section>
      )}
      {me.data?.accountId && <JoinForm />}
    </Page>
  );
}

const ROLES = ['administrator', 'orderer', 'attestant', 'signatory'] as const;
type Role = (typeof ROLES)[number];

/** An organisation's members; its administrators can change each member's roles. */
function Members({ orgId, administrator }: { orgId: string; administrator: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const members = useQuery({
    queryKey: ['members', orgId],
    queryFn: () => call(api.GET('/organisations/{orgId}/members', { params: { path: { orgId } } })),
  });
  return (
    <>
      <h3>{t('organisations.members')}</h3>
      <QueryState query={members} />
      {members.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('fields.name')}</th>
              <th scope="col">{t('fields.email')}</th>
              <th scope="col">{t('organisations.roles')}</th>
              {administrator && (
                <th scope="col">
                  <span className="visually-hidden">{t('organisations.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {members.data.items.map((member) => (
              <tr key={member.accountId}>
                <td>{member.name}</td>
                <td className="email">{member.email}</td>
                <td>
                  {editing === member.accountId ? (
                    <RolesForm orgId={orgId} accountId={member.accountId} name={member.name} roles={member.roles} onDone={() => setEditing(null)} />
                  ) : (
                    member.roles.map((role) => t(`roles.${role}`)).join(', ') || '–'
                  )}
                </td>
                {administrator && (
                  <td>
                    {removing === member.accountId ? (
                      <RemoveMember orgId={orgId} accountId={member.accountId} name={member.name} onDone={() => setRemoving(null)} />
                    ) : (
                      editing !== member.accountId && (
                        <div className="actions">
                          <button type="button" className="link-button" onClick={() => setEditing(member.accountId)}>
                            {t('organisations.changeRoles')}
                            <span className="visually-hidden"> {member.name}</span>
                          </button>
                          <button type="button" className="link-button" onClick={() => setRemoving(member.accountId)}>
                            {t('organisations.remove')}
                            <span className="visually-hidden"> {member.name}</span>
                          </button>
                        </div>
                      )
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The queries a membership change touches: the members, the person's organisations, the badge. */
const membershipQueries = { predicate: (q: { queryKey: readonly unknown[] }) => ['members', 'join-requests', 'me', 'notifications'].includes(String(q.queryKey[0])) };

function RolesForm({ orgId, accountId, name, roles, onDone }: { orgId: string; accountId: string; name: string; roles: readonly Role[]; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const form = useForm(
    (values) =>
      call<CommandAnswer>(
        api.PUT('/organisations/{orgId}/members/{accountId}/roles', {
          params: { path: { orgId, accountId } },
          body: { roles: chosenRoles(values) },
        }),
      ),
    async () => {
      await client.invalidateQueries(membershipQueries);
      onDone();
    },
  );
  return (
    <form onSubmit={form.onSubmit} noValidate>
      <ErrorSummary error={form.error} />
      <RoleChoices legend={t('organisations.rolesFor', { name })} idPrefix={`role-${accountId}`} roles={roles} />
      <div className="actions">
        <SubmitButton pending={form.pending}>{t('organisations.saveRoles')}</SubmitButton>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A checkbox per role, named by the role (read back with `chosenRoles`). */
function RoleChoices({ legend, idPrefix, roles }: { legend: string; idPrefix: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  return (
    <Fieldset legend={legend}>
      {ROLES.map((role) => (
        <div className="checkbox" key={role}>
          <input type="checkbox" id={`${idPrefix}-${role}`} name={role} defaultChecked={roles.includes(role)} />
          <label htmlFor={`${idPrefix}-${role}`}>{t(`roles.${role}`)}</label>
        </div>
      ))}
    </Fieldset>
  );
}

function chosenRoles(values: FormData): Role[] {
  return ROLES.filter((role) => values.get(role) === 'on');
}

/** The confirm step before an administrator removes a member; the API's refusal (the last administrator) is shown as it says it. */
function RemoveMember({ orgId, accountId, name, onDone }: { orgId: string; accountId: string; name: string; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const form = useForm(
    () => call<CommandAnswer>(api.DELETE('/organisations/{orgId}/members/{accountId}', { params: { path: { orgId, accountId } } })),
    async () => {
      await client.invalidateQueries(membershipQueries);
      onDone();
    },
  );
  return (
    <form onSubmit={form.onSubmit} noValidate>
      <ErrorSummary error={form.error} />
      <p>{t('organisations.removeConfirm', { name })}</p>
      <div className="actions">
        <SubmitButton pending={form.pending}>{t('organisations.removeYes')}</SubmitButton>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The organisation's open join requests (its administrators): approve with roles, or decline. */
function JoinRequests({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [approving, setApproving] = useState<string | null>(null);
  const requests = useQuery({
    queryKey: ['join-requests', orgId],
    queryFn: () => call<JoinRequests>(api.GET('/organisations/{orgId}/join-requests', { params: { path: { orgId } } })),
  });
  const headingId = `join-requests-${orgId}`;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{t('joinRequests.title')}</h3>
      <QueryState query={requests} />
      {requests.data && requests.data.items.length === 0 && <p>{t('joinRequests.none')}</p>}
      {requests.data && requests.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('fields.name')}</th>
              <th scope="col">{t('fields.email')}</th>
              <th scope="col">{t('joinRequests.requestedAt')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('organisations.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {requests.data.items.map((request) => (
              <tr key={request.accountId}>
                <td>{request.name}</td>
                <td className="email">{request.email}</td>
                <td>{format.dateTime(request.requestedAt)}</td>
                <td>
                  {approving === request.accountId ? (
                    <ApproveForm orgId={orgId} accountId={request.accountId} name={request.name} onDone={() => setApproving(null)} />
                  ) : (
                    <div className="actions">
                      <button type="button" className="link-button" onClick={() => setApproving(request.accountId)}>
                        {t('joinRequests.approve')}
                        <span className="visually-hidden"> {request.name}</span>
                      </button>
                      <Decline orgId={orgId} accountId={request.accountId} name={request.name} />
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ApproveForm({ orgId, accountId, name, onDone }: { orgId: string; accountId: string; name: string; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const form = useForm(
    (values) =>
      call<CommandAnswer>(
        api.POST('/organisations/{orgId}/join-requests/{accountId}/approve', { params: { path: { orgId, accountId } }, body: { roles: chosenRoles(values) } }),
      ),
    async () => {
      await client.invalidateQueries(membershipQueries);
      onDone();
    },
  );
  return (
    <form onSubmit={form.onSubmit} noValidate>
      <ErrorSummary error={form.error} />
      <RoleChoices legend={t('joinRequests.rolesFor', { name })} idPrefix={`approve-${accountId}`} roles={[]} />
      <div className="actions">
        <SubmitButton pending={form.pending}>{t('joinRequests.approveWithRoles')}</SubmitButton>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function Decline({ orgId, accountId, name }: { orgId: string; accountId: string; name: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const errorText = useErrorText();
  const decline = useMutation({
    mutationFn: () => call<CommandAnswer>(api.POST('/organisations/{orgId}/join-requests/{accountId}/decline', { params: { path: { orgId, accountId } }, body: {} })),
    onSuccess: () => client.invalidateQueries(membershipQueries),
  });
  return (
    <>
      <button type="button" className="link-button" disabled={decline.isPending} onClick={() => decline.mutate()}>
        {t('joinRequests.decline')}
        <span className="visually-hidden"> {name}</span>
      </button>
      {decline.error && (
        <span role="alert" className="notice notice-error">
          {errorText(decline.error)}
        </span>
      )}
    </>
  );
}

/** An administrator invites a person by name and e-mail, with the roles they get on joining. */
function InviteForm({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm(
    async (values) => {
      const email = text(values, 'email');
      await call<CommandAnswer>(
        api.POST('/organisations/{orgId}/invitations', { params: { path: { orgId } }, body: { name: text(values, 'name'), email, roles: chosenRoles(values) } }),
      );
      return email;
    },
    (email) => setSentTo(email),
  );
  const headingId = `invite-${orgId}`;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{t('invite.title')}</h3>
      {sentTo && (
        <Success>
          <p>{t('invite.sent', { email: sentTo })}</p>
        </Success>
      )}
      <form key={sentTo ?? ''} onSubmit={form.onSubmit} noValidate className="narrow">
        <ErrorSummary error={form.error} />
        <Field name="name" label={t('fields.name')} required error={form.fieldError('name')} />
        <Field name="email" type="email" label={t('fields.workEmail')} required error={form.fieldError('email')} />
        <RoleChoices legend={t('invite.roles')} idPrefix={`invite-${orgId}`} roles={[]} />
        <SubmitButton pending={form.pending}>{t('invite.submit')}</SubmitButton>
      </form>
    </section>
  );
}

/** A member leaves an organisation, after a confirm step; the API refuses the last administrator. */
function Leave({ orgId, name }: { orgId: string; name: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const form = useForm(
    () => call<CommandAnswer>(api.POST('/me/organisations/{orgId}/leave', { params: { path: { orgId } } })),
    () => void client.invalidateQueries(membershipQueries),
  );
  if (!confirming)
    return (
      <p className="leave">
        <button type="button" className="button button-secondary" onClick={() => setConfirming(true)}>
          {t('leave.button', { name })}
        </button>
      </p>
    );
  return (
    <form onSubmit={form.onSubmit} noValidate className="leave">
      <ErrorSummary error={form.error} />
      <p>{t('leave.confirm', { name })}</p>
      <div className="actions">
        <SubmitButton pending={form.pending}>{t('leave.yes')}</SubmitButton>
        <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** An account holder asks to join another organisation by its organisationsnummer. */
function JoinForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [membership, setMembership] = useState<'active' | 'pending' | null>(null);
  const form = useForm(
    (values) =>
      call<JoinAnswer>(
        api.POST('/me/organisations', { body: { organisationNumber: text(values, 'organisationNumber') } }),
      ),
    async (answer) => {
      setMembership(answer.membership);
      await client.invalidateQueries(membershipQueries);
    },
  );
  return (
    <section aria-labelledby="join-heading">
      <h2 id="join-heading">{t('join.title')}</h2>
      <p>{t('join.lead')}</p>
      {membership && (
        <Success>
          <p>{membership === 'pending' ? t('join.pending') : t('join.active')}</p>
        </Success>
      )}
      <form key={membership ?? ''} onSubmit={form.onSubmit} noValidate className="narrow">
        <ErrorSummary error={form.error} />
        <Field name="organisationNumber" label={t('fields.organisationNumber')} hint={t('fields.organisationNumberHint')} required error={form.fieldError('organisationNumber')} />
        <SubmitButton pending={form.pending}>{t('join.submit')}</SubmitButton>
      </form>
    </section>
  );
}
