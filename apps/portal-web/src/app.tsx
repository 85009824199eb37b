import type { ReactNode } from 'react';
import { createBrowserRouter, Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AgreementPage, ApplicationPage, MyOrganisationsPage } from './organisations/organisation-pages';
import { ApprovalsPage, CataloguePage, OrderFormPage, OrderPage, OrdersPage } from './ordering/ordering-pages';
import { NewTicketPage, PublicTicketPage, TicketPage, TicketsPage } from './ticketing/ticket-pages';
import { CreateAccountPage, ProfilePage, VerifyAccountPage, VerifyEmailPage } from './identity/account-pages';
import { InvitationPage } from './organisations/invitation-page';
import { ForgotPasswordPage, RegisterPage, ResetPasswordPage } from './identity/password-pages';
import { RequireSignIn } from './identity/require-sign-in';
import { DevSignInPage, SignInPage } from './identity/sign-in-pages';
import { StartPage } from './notifications/start-page';
import { Layout } from './shared/layout';
import { Page } from './shared/page';

function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.text')}</p>
      <Link to="/">{t('common.toStart')}</Link>
    </Page>
  );
}

const signedIn = (page: ReactNode) => <RequireSignIn>{page}</RequireSignIn>;

/**
 * Every e-mail link is a page here: `/`, `/orders/:id`, `/tickets/:id`, `/organisations/:id/agreement`,
 * `/reset-password?token=`, `/verify-account?token=`, `/verify-email?token=`,
 * `/invitations/:token`, `/organisations/:id` and `/organisations/:id/join-requests` (both: my organisations).
 */
export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <StartPage /> },
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/sign-in/dev', element: <DevSignInPage /> },
      { path: '/register', element: <RegisterPage /> },
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
      { path: '/apply', element: <ApplicationPage /> },
      { path: '/support', element: <PublicTicketPage /> },
      { path: '/verify-account', element: signedIn(<VerifyAccountPage />) },
      { path: '/verify-email', element: signedIn(<VerifyEmailPage />) },
      { path: '/invitations/:token', element: <InvitationPage /> },
      { path: '/create-account', element: signedIn(<CreateAccountPage />) },
      { path: '/profile', element: signedIn(<ProfilePage />) },
      { path: '/organisations', element: signedIn(<MyOrganisationsPage />) },
      { path: '/organisations/:orgId', element: signedIn(<MyOrganisationsPage />) },
      { path: '/organisations/:orgId/join-requests', element: signedIn(<MyOrganisationsPage />) },
      { path: '/organisations/:orgId/agreement', element: signedIn(<AgreementPage />) },
      { path: '/catalogue', element: signedIn(<CataloguePage />) },
      { path: '/catalogue/:offeringId/order', element: signedIn(<OrderFormPage />) },
      { path: '/orders', element: signedIn(<OrdersPage />) },
      { path: '/orders/:id', element: signedIn(<OrderPage />) },
      { path: '/approvals', element: signedIn(<ApprovalsPage />) },
      { path: '/tickets', element: signedIn(<TicketsPage />) },
      { path: '/tickets/new', element: signedIn(<NewTicketPage />) },
      { path: '/tickets/:id', element: signedIn(<TicketPage />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
