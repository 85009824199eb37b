import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMe, useSignedIn } from '../identity/use-me';
import { useFormat } from '../shared/format';
import { Page, QueryState } from '../shared/page';
import { useNotifications } from './use-notifications';

const LINK_OF_KIND: Record<string, (refId: string) => string> = {
  approval: (id) => `/orders/${id}`,
  'ticket-reply': (id) => `/tickets/${id}`,
  'agreement-to-sign': (id) => `/organisations/${id}/agreement`,
};

/** The start page: for visitors, what the portal is for; for a signed-in person, what waits for them. */
export function StartPage() {
  const signedIn = useSignedIn();
  return signedIn ? <SignedInStart /> : <VisitorStart />;
}

function VisitorStart() {
  const { t } = useTranslation();
  return (
    <Page title={t('start.visitorTitle')} lead={t('start.visitorLead')}>
      <div className="cards">
        <section className="card" aria-labelledby="card-sign-in">
          <h2 id="card-sign-in">{t('start.signInHeading')}</h2>
          <p>{t('start.signInText')}</p>
          <Link className="button" to="/sign-in">
            {t('layout.signIn')}
          </Link>
        </section>
        <section className="card" aria-labelledby="card-apply">
          <h2 id="card-apply">{t('start.applyHeading')}</h2>
          <p>{t('start.applyText')}</p>
          <Link to="/apply">{t('nav.apply')}</Link>
        </section>
        <section className="card" aria-labelledby="card-support">
          <h2 id="card-support">{t('start.supportHeading')}</h2>
          <p>{t('start.supportText')}</p>
          <Link to="/support">{t('nav.support')}</Link>
        </section>
      </div>
    </Page>
  );
}

function SignedInStart() {
  const { t } = useTranslation();
  const format = useFormat();
  const me = useMe();
  const notifications = useNotifications();
  const badge = notifications.data?.badge;
  return (
    <Page title={me.data ? t('start.greeting', { name: me.data.name }) : t('nav.start')}>
      {me.data && me.data.accountId === null && !me.data.staff && !me.data.auditor && (
        <div className="notice">
          <p>{t('start.noAccount')}</p>
          <Link to="/create-account">{t('createAccount.title')}</Link>
        </div>
      )}
      <section aria-labelledby="notices-heading" className="panel">
        <h2 id="notices-heading">
          {t('notices.title')}
          {badge && badge.total > 0 && (
            <span className="badge badge-large" data-testid="avisering">
              {t('notices.badge', { count: badge.total })}
            </span>
          )}
        </h2>
        <QueryState query={notifications} />
        {notifications.data && notifications.data.items.length === 0 && <p>{t('notices.none')}</p>}
        {notifications.data && notifications.data.items.length > 0 && (
          <ul className="notice-list">
            {notifications.data.items.map((item) => (
              <li key={`${item.kind}-${item.refId}`}>
                <span className="tag">{t(`notices.kinds.${item.kind}`)}</span> <Link to={LINK_OF_KIND[item.kind]?.(item.refId) ?? '/'}>{item.title}</Link>{' '}
                <span className="muted">{format.dateTime(item.at)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="cards">
        <section className="card" aria-labelledby="card-tickets">
          <h2 id="card-tickets">{t('nav.tickets')}</h2>
          <p>{t('start.ticketsText')}</p>
          <Link to="/tickets">{t('start.toTickets')}</Link>
        </section>
        <section className="card" aria-labelledby="card-orders">
          <h2 id="card-orders">{t('nav.orders')}</h2>
          <p>{t('start.ordersText')}</p>
          <Link to="/orders">{t('start.toOrders')}</Link>
        </section>
        <section className="card" aria-labelledby="card-orgs">
          <h2 id="card-orgs">{t('nav.organisations')}</h2>
          <p>{t('start.organisationsText')}</p>
          <Link to="/organisations">{t('start.toOrganisations')}</Link>
        </section>
      </div>
    </Page>
  );
}
