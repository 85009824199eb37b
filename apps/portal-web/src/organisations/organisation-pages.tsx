import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { CommandAnswer } from '../api/responses';
import { useMe } from '../identity/use-me';
import { useFormat } from '../shared/format';
import { ErrorSummary, Field, Fieldset, SubmitButton, text, useForm } from '../shared/forms';
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
          <Members orgId={organisation.id} administrator={organisation.roles.includes('administrator')} />
        </section>
      ))}
      {(me.data?.pendingOrganisations?.length ?? 0) > 0 && (
        <section aria-labelledby="pending-heading">
          <h2 id="pending-heading">{t('organisations.pending')}</h2>
          <ul>
            {me.data?.pendingOrganisations?.map((o) => (
              <li key={o.id}>{o.name}</li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}

const ROLES = ['administrator', 'orderer', 'attestant', 'signatory'] as const;
type Role = (typeof ROLES)[number];

/** An organisation's members; its administrators can change each member's roles. */
function Members({ orgId, administrator }: { orgId: string; administrator: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<string | null>(null);
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
                    {editing !== member.accountId && (
                      <button type="button" className="link-button" onClick={() => setEditing(member.accountId)}>
                        {t('organisations.changeRoles')}
                        <span className="visually-hidden"> {member.name}</span>
                      </button>
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

function RolesForm({ orgId, accountId, name, roles, onDone }: { orgId: string; accountId: string; name: string; roles: readonly Role[]; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const form = useForm(
    (values) =>
      call<CommandAnswer>(
        api.PUT('/organisations/{orgId}/members/{accountId}/roles', {
          params: { path: { orgId, accountId } },
          body: { roles: ROLES.filter((role) => values.get(role) === 'on') },
        }),
      ),
    async () => {
      await client.invalidateQueries({ predicate: (q) => ['members', 'me', 'notifications'].includes(String(q.queryKey[0])) });
      onDone();
    },
  );
  return (
    <form onSubmit={form.onSubmit} noValidate>
      <ErrorSummary error={form.error} />
      <Fieldset legend={t('organisations.rolesFor', { name })}>
        {ROLES.map((role) => (
          <div className="checkbox" key={role}>
            <input type="checkbox" id={`role-${accountId}-${role}`} name={role} defaultChecked={roles.includes(role)} />
            <label htmlFor={`role-${accountId}-${role}`}>{t(`roles.${role}`)}</label>
          </div>
        ))}
      </Fieldset>
      <div className="actions">
        <SubmitButton pending={form.pending}>{t('organisations.saveRoles')}</SubmitButton>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
