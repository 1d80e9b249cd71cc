/** The adviser web UI of dossierflow: sign-in, layout with navigation, and the pages. */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { clearCsrf, clearToken, getCsrf, getToken, post, setCsrf, setToken, SIGNED_OUT_EVENT } from './api';
import { Link, match, navigate, usePath } from './router';
import { LoginPage, markSignedOut } from './pages/Login';
import { DashboardPage } from './pages/Dashboard';
import { DossiersPage, NewDossierPage } from './pages/Dossiers';
import { DossierPage } from './pages/Dossier';
import { CrmPage, PersonPage } from './pages/Crm';
import { OrganisationPage, OrganisationsPage } from './pages/Organisations';
import { BillingPage, RunPage } from './pages/Billing';
import { ProcessesPage } from './pages/Processes';
import { PortalPage } from './pages/Portal';
import { RiskInboxPage } from './pages/RiskInbox';
import { TrackTracePage } from './pages/TrackTrace';
import { RcPage, RcParticipantPage } from './pages/RcOverview';
import { AdminPage } from './pages/Admin';
import { InvitationPage } from './pages/Invitation';
import { UsersPage } from './pages/Users';
import { AccountPage } from './pages/Account';
import { PageErrorBoundary } from './components/PageErrorBoundary';
import type { ApiResponse } from './types';
import './styles.css';

const nav = [
  { to: '/', label: 'Dashboard' },
  { to: '/dossiers', label: 'Dossiers' },
  { to: '/crm', label: 'CRM' },
  { to: '/track-and-trace', label: 'Track & Trace' },
  { to: '/billing', label: 'Facturatie' },
  { to: '/rc', label: 'Saldo RC' },
  { to: '/processes', label: 'Processen' },
  { to: '/risk', label: 'RISK-inbox' },
  { to: '/admin', label: 'Beheer' },
];

function Page({ path, me }: { path: string; me?: ApiResponse<'/auth/session'> | undefined }) {
  let m: Record<string, string> | null;
  if (path === '/') return <DashboardPage />;
  if (path === '/dossiers') return <DossiersPage />;
  if (path === '/dossiers/new') return <NewDossierPage />;
  if ((m = match('/dossiers/:id', path))) return <DossierPage id={m.id!} />;
  if (path === '/crm') return <CrmPage />;
  if ((m = match('/crm/persons/:id', path))) return <PersonPage id={m.id!} />;
  if (path === '/crm/organisations') return <OrganisationsPage />;
  if ((m = match('/crm/organisations/:id', path))) return <OrganisationPage id={m.id!} />;
  if (path === '/track-and-trace') return <TrackTracePage />;
  if (path === '/rc') return <RcPage me={me} />;
  if ((m = match('/rc/participants/:id', path))) return <RcParticipantPage id={m.id!} me={me} />;
  if (path === '/admin') return <AdminPage />;
  if (path === '/billing') return <BillingPage />;
  if ((m = match('/billing/runs/:id', path))) return <RunPage id={m.id!} />;
  if (path === '/processes') return <ProcessesPage />;
  if (path === '/risk') return <RiskInboxPage />;
  if (path === '/users') return <UsersPage />;
  if (path === '/account') return <AccountPage me={me} />;
  return (
    <section>
      <h1>Pagina niet gevonden</h1>
      <p>
        Er is geen pagina <code>{path}</code>. <Link to="/">Naar het dashboard</Link>
      </p>
    </section>
  );
}

function App() {
  const path = usePath();
  // Signed in: with a bearer token, or with the session cookie (then its CSRF token is kept).
  const [signedIn, setSignedIn] = useState(() => Boolean(getToken() ?? getCsrf()));
  const [me, setMe] = useState<ApiResponse<'/auth/session'>>();

  // Who is signed in (name, roles: the admin sees Gebruikers). Only when signed in: a 401 would be a console error.
  useEffect(() => {
    let cancelled = false;
    if (!signedIn || path === '/portal' || path === '/uitnodiging') return;
    fetch('/auth/session', { headers: getToken() ? { authorization: `Bearer ${getToken()}` } : {} })
      .then((r) => (r.ok ? (r.json() as Promise<ApiResponse<'/auth/session'>>) : undefined))
      .then((session) => {
        if (cancelled || !session) return;
        if (session.csrfToken) setCsrf(session.csrfToken);
        setMe(session);
        setSignedIn(true);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [signedIn]);

  useEffect(() => {
    const onSignedOut = () => {
      setSignedIn(false);
      setMe(undefined);
    };
    window.addEventListener(SIGNED_OUT_EVENT, onSignedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, onSignedOut);
  }, []);

  useEffect(() => {
    const title = nav.find((n) => n.to !== '/' && path.startsWith(n.to))?.label ?? (path === '/' ? 'Dashboard' : '');
    document.title = title ? `${title} – dossierflow` : 'dossierflow';
  }, [path]);

  // The client portal stands apart: its own session (from the activation link), no adviser sign-in.
  if (path === '/portal') return <PortalPage />;
  if (path === '/uitnodiging') return <InvitationPage />;

  if (!signedIn) {
    return (
      <LoginPage
        onSignedIn={(t) => {
          if (t) setToken(t);
          setSignedIn(true);
          if (path === '/login') navigate('/', true);
        }}
      />
    );
  }
  const links = me?.roles.includes('admin') ? [...nav, { to: '/users', label: 'Gebruikers' }] : nav;

  const current = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));
  return (
    <>
      {/* Focus moves without a change of the hash: the CRM tabs keep their own tab in it. */}
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Naar de inhoud
      </a>
      <header className="topbar">
        <span className="brand">dossierflow</span>
        <nav aria-label="Hoofdmenu">
          <ul>
            {links.map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={current(n.to) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="session">
        {me?.name ? <Link to="/account">{me.name}</Link> : null}
        <button
          type="button"
          className="secondary"
          onClick={() => {
            // A cookie session is ended on the server too; a token is just forgotten by this tab.
            const end = getToken() ? Promise.resolve() : post('/auth/sign-out').catch(() => undefined);
            void end.finally(() => {
              clearToken();
              clearCsrf();
              markSignedOut();
              setSignedIn(false);
              setMe(undefined);
            });
          }}
        >
          Uitloggen
        </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <PageErrorBoundary key={path}>
          <Page path={path} me={me} />
        </PageErrorBoundary>
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
