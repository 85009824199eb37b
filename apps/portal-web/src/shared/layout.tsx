import { NavLink, Link, Outlet, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useChooseLanguage, useMe, useSavedLanguage, useSignedIn, useSignOut } from '../identity/use-me';
import { useNotifications, useNotificationStream } from '../notifications/use-notifications';

/** The frame of every page: skip link, header with the service's name, navigation, main, footer. */
export function Layout() {
  const { t, i18n } = useTranslation();
  const signedIn = useSignedIn();
  const me = useMe();
  const notifications = useNotifications();
  useNotificationStream();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const total = notifications.data?.badge.total ?? 0;
  const other = i18n.language === 'en' ? 'sv' : 'en';
  const chooseLanguage = useChooseLanguage();
  useSavedLanguage(i18n.language);
  return (
    <>
      <a className="skip-link" href="#main">
        {t('layout.skipToContent')}
      </a>
      <header className="site-header">
        <div className="container header-row">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            {t('app.name')}
          </Link>
          <div className="header-tools">
            <button type="button" className="link-button" lang={other} onClick={() => void chooseLanguage(other)}>
              {t('layout.otherLanguage')}
            </button>
            {signedIn ? (
              <>
                {me.data && <span className="who">{me.data.name}</span>}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    signOut();
                    void navigate('/');
                  }}
                >
                  {t('layout.signOut')}
                </button>
              </>
            ) : (
              <Link to="/sign-in">{t('layout.signIn')}</Link>
            )}
          </div>
        </div>
        {signedIn && (
          <nav aria-label={t('layout.mainNavigation')} className="main-nav">
            <ul className="container">
              <li>
                <NavLink to="/" end>
                  {t('nav.start')}
                  {total > 0 && (
                    <span className="badge" data-testid="notice-badge">
                      <span className="visually-hidden">, {t('notices.badgeLabel')}: </span>
                      {total}
                    </span>
                  )}
                </NavLink>
              </li>
              <li>
                <NavLink to="/tickets">{t('nav.tickets')}</NavLink>
              </li>
              <li>
                <NavLink to="/orders">{t('nav.orders')}</NavLink>
              </li>
              <li>
                <NavLink to="/approvals">{t('nav.approvals')}</NavLink>
              </li>
              <li>
                <NavLink to="/catalogue">{t('nav.catalogue')}</NavLink>
              </li>
              <li>
                <NavLink to="/organisations">{t('nav.organisations')}</NavLink>
              </li>
              <li>
                <NavLink to="/profile">{t('nav.profile')}</NavLink>
              </li>
            </ul>
          </nav>
        )}
      </header>
      <main id="main" className="container" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <div className="container">
          <p>{t('layout.footer')}</p>
          <ul className="footer-links">
            <li>
              <Link to="/support">{t('nav.support')}</Link>
            </li>
            <li>
              <Link to="/apply">{t('nav.apply')}</Link>
            </li>
          </ul>
        </div>
      </footer>
    </>
  );
}
