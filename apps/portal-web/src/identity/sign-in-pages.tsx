import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { ErrorSummary, Field, Fieldset, SubmitButton, text, useForm } from '../shared/forms';
import { Page } from '../shared/page';
import { eidSignInPath } from './eid-sign-in';
import { useStartSession } from './use-me';

/** Where to go after signing in: the page that sent the person here (a path of this site only). */
function useReturnTo() {
  const [params] = useSearchParams();
  const next = params.get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const start = useStartSession();
  const next = useReturnTo();
  const form = useForm(
    (values) => call<{ accessToken: string }>(api.POST('/auth/password/sign-in', { body: { email: text(values, 'email'), password: String(values.get('password') ?? '') } })),
    (answer) => {
      start(answer.accessToken);
      void navigate(next);
    },
  );
  return (
    <Page title={t('signIn.title')}>
      <div className="columns">
        <section aria-labelledby="eid-heading" className="panel">
          <h2 id="eid-heading">{t('signIn.eidHeading')}</h2>
          <p>{t('signIn.eidText')}</p>
          <Link className="button" to={eidSignInPath(next)}>
            {t('signIn.eidDev')}
          </Link>
        </section>
        <section aria-labelledby="password-heading" className="panel">
          <h2 id="password-heading">{t('signIn.passwordHeading')}</h2>
          <form onSubmit={form.onSubmit} noValidate>
            <ErrorSummary error={form.error} />
            <Field name="email" type="email" label={t('fields.email')} required autoComplete="username" error={form.fieldError('email')} />
            <Field name="password" type="password" label={t('fields.password')} required autoComplete="current-password" error={form.fieldError('password')} />
            <SubmitButton pending={form.pending}>{t('signIn.submit')}</SubmitButton>
          </form>
          <ul className="plain-links">
            <li>
              <Link to="/forgot-password">{t('signIn.forgot')}</Link>
            </li>
            <li>
              <Link to="/register">{t('signIn.register')}</Link>
            </li>
          </ul>
        </section>
      </div>
    </Page>
  );
}

/** The development sign-in (AUTH_MODE=dev): any personnummer, as any e-ID method, optionally as staff or auditor. */
export function DevSignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const start = useStartSession();
  const next = useReturnTo();
  const form = useForm(
    (values) =>
      call<{ accessToken: string }>(
        api.POST('/auth/dev/sign-in', {
          body: {
            personalNumber: text(values, 'personalNumber'),
            method: text(values, 'method') as 'bankid' | 'freja' | 'siths',
            name: text(values, 'name') || undefined,
            staff: values.get('staff') === 'on',
            auditor: values.get('auditor') === 'on',
          },
        }),
      ),
    (answer) => {
      start(answer.accessToken);
      void navigate(next);
    },
  );
  return (
    <Page title={t('devSignIn.title')}>
      <div className="dev-banner" role="note">
        <strong>{t('devSignIn.bannerTitle')}</strong> {t('devSignIn.bannerText')}
      </div>
      <form onSubmit={form.onSubmit} noValidate className="narrow">
        <ErrorSummary error={form.error} />
        <Field name="personalNumber" label={t('fields.personalNumber')} hint={t('fields.personalNumberHint')} required inputMode="numeric" error={form.fieldError('personalNumber')} />
        <Field name="name" label={t('fields.name')} autoComplete="name" error={form.fieldError('name')} />
        <Fieldset legend={t('devSignIn.method')}>
          {(['bankid', 'freja', 'siths'] as const).map((method, index) => (
            <div className="radio" key={method}>
              <input type="radio" id={`method-${method}`} name="method" value={method} defaultChecked={index === 0} />
              <label htmlFor={`method-${method}`}>{t(`methods.${method}`)}</label>
            </div>
          ))}
        </Fieldset>
        <Fieldset legend={t('devSignIn.roles')}>
          <div className="checkbox">
            <input type="checkbox" id="dev-staff" name="staff" />
            <label htmlFor="dev-staff">{t('devSignIn.staff')}</label>
          </div>
          <div className="checkbox">
            <input type="checkbox" id="dev-auditor" name="auditor" />
            <label htmlFor="dev-auditor">{t('devSignIn.auditor')}</label>
          </div>
        </Fieldset>
        <SubmitButton pending={form.pending}>{t('devSignIn.submit')}</SubmitButton>
      </form>
    </Page>
  );
}
