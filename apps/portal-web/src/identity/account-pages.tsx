import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { CommandAnswer } from '../api/responses';
import { ErrorSummary, Field, SubmitButton, optional, text, useForm } from '../shared/forms';
import { LANGUAGES, type Language } from '../shared/i18n/i18n';
import { Page, QueryState, Success } from '../shared/page';
import { useChooseLanguage, useMe } from './use-me';

/** A person signed in by e-ID without an account yet creates one in their organisation. */
export function CreateAccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const form = useForm(
    (values) =>
      call<CommandAnswer>(
        api.POST('/accounts', {
          body: { name: text(values, 'name'), email: text(values, 'email'), phone: optional(values, 'phone'), organisationNumber: text(values, 'organisationNumber') },
        }),
      ),
    async () => {
      await client.invalidateQueries();
      void navigate('/');
    },
  );
  return (
    <Page title={t('createAccount.title')} lead={t('createAccount.lead')}>
      <QueryState query={me} />
      {me.data && (
        <form onSubmit={form.onSubmit} noValidate className="narrow">
          <ErrorSummary error={form.error} />
          <Field name="name" label={t('fields.name')} required autoComplete="name" defaultValue={me.data.name} error={form.fieldError('name')} />
          <Field name="email" type="email" label={t('fields.workEmail')} required autoComplete="email" error={form.fieldError('email')} />
          <Field name="phone" type="tel" label={t('fields.phone')} autoComplete="tel" error={form.fieldError('phone')} />
          <Field name="organisationNumber" label={t('fields.organisationNumber')} hint={t('fields.organisationNumberHint')} required error={form.fieldError('organisationNumber')} />
          <SubmitButton pending={form.pending}>{t('createAccount.submit')}</SubmitButton>
        </form>
      )}
    </Page>
  );
}

/**
 * A page that a mailed single-use link opens (`?token=`): one button sends the token, then the
 * page says it is done. `texts` is the i18n group with `title`, `lead`, `done` and `submit`.
 */
function SingleUseLinkPage({ texts, send, children }: { texts: string; send: (token: string) => Promise<CommandAnswer>; children?: ReactNode }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const client = useQueryClient();
  const [done, setDone] = useState(false);
  const form = useForm(
    () => send(token),
    async () => {
      setDone(true);
      await client.invalidateQueries();
    },
  );
  return (
    <Page title={t(`${texts}.title`)} lead={t(`${texts}.lead`)}>
      {done ? (
        <Success>
          <p>{t(`${texts}.done`)}</p>
          <Link to="/">{t('common.toStart')}</Link>
        </Success>
      ) : !token ? (
        <p className="notice notice-error">{t('verify.noToken')}</p>
      ) : (
        <form onSubmit={form.onSubmit} noValidate>
          <ErrorSummary error={form.error} />
          {children}
          <SubmitButton pending={form.pending}>{t(`${texts}.submit`)}</SubmitButton>
        </form>
      )}
    </Page>
  );
}

/** The old portal's account, verified once by e-ID (the link in the `account-verification` e-mail). */
export function VerifyAccountPage() {
  return <SingleUseLinkPage texts="verify" send={(token) => call<CommandAnswer>(api.POST('/accounts/verify', { body: { token } }))} />;
}

export function ProfilePage() {
  const chooseLanguage = useChooseLanguage();
  const { t, i18n } = useTranslation();
  const me = useMe();
  return (
    <Page title={t('profile.title')}>
      <QueryState query={me} />
      {me.data && (
        <>
          <dl className="facts">
            <dt>{t('fields.name')}</dt>
            <dd>{me.data.name}</dd>
            <dt>{t('fields.email')}</dt>
            <dd>{me.data.email ?? '–'}</dd>
            <dt>{t('profile.signedInWith')}</dt>
            <dd>{t(`methods.${me.data.method}`, { defaultValue: me.data.method })}</dd>
            <dt>{t('profile.organisations')}</dt>
            <dd>{me.data.organisations.map((o) => o.name).join(', ') || '–'}</dd>
          </dl>
          {me.data.accountId === null && (
            <p>
              <Link to="/create-account">{t('createAccount.title')}</Link>
            </p>
          )}
        </>
      )}
      <section aria-labelledby="language-heading">
        <h2 id="language-heading">{t('profile.language')}</h2>
        <div className="radio-row" role="radiogroup" aria-labelledby="language-heading">
          {LANGUAGES.map((language: Language) => (
            <div className="radio" key={language}>
              <input type="radio" id={`language-${language}`} name="language" checked={i18n.language === language} onChange={() => void chooseLanguage(language)} />
              <label htmlFor={`language-${language}`} lang={language}>
                {t(`languages.${language}`)}
              </label>
            </div>
          ))}
        </div>
      </section>
    </Page>
  );
}

/** The link in the `email-verification` e-mail (`/verify-email?token=`): confirms the account's e-mail address. */
export function VerifyEmailPage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <SingleUseLinkPage texts="verifyEmail" send={(token) => call<CommandAnswer>(api.POST('/me/email/verify', { body: { token } }))}>
      {me.data?.email && <p>{t('verifyEmail.address', { email: me.data.email })}</p>}
    </SingleUseLinkPage>
  );
}
