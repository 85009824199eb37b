import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { JoinAnswer } from '../api/responses';
import { useMe, useSignedIn } from '../identity/use-me';
import { ErrorSummary, Field, SubmitButton, optional, text, useForm } from '../shared/forms';
import { Page, QueryState, Success } from '../shared/page';

/**
 * The invitation link in the `invitation` e-mail (`/invitations/<token>`). The token names no one
 * before it is used, so the page asks the person to sign in with e-ID first; then an account holder
 * accepts it, and someone without an account creates one with it.
 */
export function InvitationPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const signedIn = useSignedIn();
  const [joined, setJoined] = useState<JoinAnswer | null>(null);
  if (joined) return <Joined organisationId={joined.organisationId} />;
  return (
    <Page title={t('invitation.title')} lead={t('invitation.lead')}>
      {signedIn ? (
        <Answer token={token} onJoined={setJoined} />
      ) : (
        <>
          <p>{t('invitation.signInFirst')}</p>
          <Link className="button" to={`/sign-in?next=${encodeURIComponent(`/invitations/${token}`)}`}>
            {t('invitation.signIn')}
          </Link>
        </>
      )}
    </Page>
  );
}

function Answer({ token, onJoined }: { token: string; onJoined: (joined: JoinAnswer) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const done = async (answer: JoinAnswer) => {
    await client.invalidateQueries();
    onJoined(answer);
  };
  const accept = useForm((): Promise<JoinAnswer> => call<JoinAnswer>(api.POST('/invitations/accept', { body: { token } })), done);
  const create = useForm(
    (values): Promise<JoinAnswer> =>
      call<JoinAnswer>(
        api.POST('/accounts', {
          body: {
            name: text(values, 'name'),
            email: text(values, 'email'),
            phone: optional(values, 'phone'),
            organisationNumber: text(values, 'organisationNumber'),
            invitationToken: token,
          },
        }),
      ),
    done,
  );
  if (!me.data) return <QueryState query={me} />;
  if (me.data.accountId !== null)
    return (
      <form onSubmit={accept.onSubmit} noValidate>
        <ErrorSummary error={accept.error} />
        <p>{t('invitation.acceptText', { name: me.data.name })}</p>
        <SubmitButton pending={accept.pending}>{t('invitation.accept')}</SubmitButton>
      </form>
    );
  return (
    <form onSubmit={create.onSubmit} noValidate className="narrow">
      <ErrorSummary error={create.error} />
      <h2>{t('createAccount.title')}</h2>
      <p>{t('invitation.createText')}</p>
      <Field name="name" label={t('fields.name')} required autoComplete="name" defaultValue={me.data.name} error={create.fieldError('name')} />
      <Field name="email" type="email" label={t('fields.workEmail')} required autoComplete="email" error={create.fieldError('email')} />
      <Field name="phone" type="tel" label={t('fields.phone')} autoComplete="tel" error={create.fieldError('phone')} />
      <Field
        name="organisationNumber"
        label={t('fields.organisationNumber')}
        hint={t('invitation.organisationNumberHint')}
        required
        error={create.fieldError('organisationNumber')}
      />
      <SubmitButton pending={create.pending}>{t('invitation.createAndAccept')}</SubmitButton>
    </form>
  );
}

function Joined({ organisationId }: { organisationId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const organisation = me.data?.organisations.find((o) => o.id === organisationId);
  return (
    <Page title={t('invitation.joinedTitle')}>
      <Success>
        <p>{organisation ? t('invitation.joinedIn', { name: organisation.name }) : t('invitation.joined')}</p>
      </Success>
      <Link to="/organisations">{t('organisations.title')}</Link>
    </Page>
  );
}
