import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { CommandAnswer } from '../api/responses';
import { ErrorSummary, Field, SubmitButton, text, useForm } from '../shared/forms';
import { Page, Success } from '../shared/page';

/** Registration with a password: staff approve it before the person can sign in. */
export function RegisterPage() {
  const { t } = useTranslation();
  const [done, setDone] = useState(false);
  const form = useForm(
    (values) =>
      call<CommandAnswer>(
        api.POST('/registrations', {
          body: {
            name: text(values, 'name'),
            email: text(values, 'email'),
            password: String(values.get('password') ?? ''),
            organisationNumber: text(values, 'organisationNumber'),
          },
        }),
      ),
    () => setDone(true),
  );
  if (done)
    return (
      <Page title={t('register.doneTitle')}>
        <Success>
          <p>{t('register.doneText')}</p>
        </Success>
        <Link to="/">{t('common.toStart')}</Link>
      </Page>
    );
  return (
    <Page title={t('register.title')} lead={t('register.lead')}>
      <form onSubmit={form.onSubmit} noValidate className="narrow">
        <ErrorSummary error={form.error} />
        <Field name="name" label={t('fields.name')} required autoComplete="name" error={form.fieldError('name')} />
        <Field name="email" type="email" label={t('fields.workEmail')} hint={t('register.emailHint')} required autoComplete="email" error={form.fieldError('email')} />
        <Field name="organisationNumber" label={t('fields.organisationNumber')} hint={t('fields.organisationNumberHint')} required error={form.fieldError('organisationNumber')} />
        <Field name="password" type="password" label={t('fields.newPassword')} hint={t('register.passwordHint')} required autoComplete="new-password" error={form.fieldError('password')} />
        <SubmitButton pending={form.pending}>{t('register.submit')}</SubmitButton>
      </form>
    </Page>
  );
}

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [done, setDone] = useState(false);
  const form = useForm(
    (values) => call<unknown>(api.POST('/auth/password/reset-request', { body: { email: text(values, 'email') } })),
    () => setDone(true),
  );
  return (
    <Page title={t('forgot.title')} lead={t('forgot.lead')}>
      {done ? (
        <Success>
          <p>{t('forgot.done')}</p>
        </Success>
      ) : (
        <form onSubmit={form.onSubmit} noValidate className="narrow">
          <ErrorSummary error={form.error} />
          <Field name="email" type="email" label={t('fields.email')} required autoComplete="email" error={form.fieldError('email')} />
          <SubmitButton pending={form.pending}>{t('forgot.submit')}</SubmitButton>
        </form>
      )}
    </Page>
  );
}

/** The page of the reset e-mail's link: `/reset-password?token=`. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [done, setDone] = useState(false);
  const form = useForm(
    (values) => call<unknown>(api.POST('/auth/password/reset', { body: { token, password: String(values.get('password') ?? '') } })),
    () => setDone(true),
  );
  return (
    <Page title={t('reset.title')}>
      {done ? (
        <Success>
          <p>{t('reset.done')}</p>
          <Link to="/sign-in">{t('layout.signIn')}</Link>
        </Success>
      ) : !token ? (
        <p className="notice notice-error">{t('reset.noToken')}</p>
      ) : (
        <form onSubmit={form.onSubmit} noValidate className="narrow">
          <ErrorSummary error={form.error} />
          <Field name="password" type="password" label={t('fields.newPassword')} hint={t('register.passwordHint')} required autoComplete="new-password" error={form.fieldError('password')} />
          <SubmitButton pending={form.pending}>{t('reset.submit')}</SubmitButton>
        </form>
      )}
    </Page>
  );
}
