/** The adviser web UI of dossierflow: sign-in, layout with navigation, and the pages. */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { clearToken, getToken, setToken, SIGNED_OUT_EVENT } from './api';
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
import { AdminPage } from './pages/Admin';
import './styles.css';

const nav = [
  { to: '/', label: 'Dashboard' },
  { to: '/dossiers', label: 'Dossiers' },
  { to: '/crm', label: 'CRM' },
  { to: '/track-and-trace', label: 'Track & Trace' },
  { to: '/billing', label: 'Facturatie' },
  { to: '/processes', label: 'Processen' },
  { to: '/risk', label: 'RISK-inbox' },
  { to: '/admin', label: 'Beheer' },
];

function Page({ path }: { path: string }) {
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
  if (path === '/admin') return <AdminPage />;
  if (path === '/billing') return <BillingPage />;
  if ((m = match('/billing/runs/:id', path))) return <RunPage id={m.id!} />;
  if (path === '/processes') return <ProcessesPage />;
  if (path === '/risk') return <RiskInboxPage />;
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
  const [token, setTokenState] = useState(getToken);

  useEffect(() => {
    const onSignedOut = () => setTokenState(null);
    window.addEventListener(SIGNED_OUT_EVENT, onSignedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, onSignedOut);
  }, []);

  useEffect(() => {
    const title = nav.find((n) => n.to !== '/' && path.startsWith(n.to))?.label ?? (path === '/' ? 'Dashboard' : '');
    document.title = title ? `${title} – dossierflow` : 'dossierflow';
  }, [path]);

  // The client portal stands apart: its own session (from the activation link), no adviser sign-in.
  if (path === '/portal') return <PortalPage />;

  if (!token) {
    return (
      <LoginPage
        onSignedIn={(t) => {
          setToken(t);
          setTokenState(t);
          if (path === '/login') navigate('/', true);
        }}
      />
    );
  }

  const current = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));
  return (
    <>
      <a className="skip-link" href="#main">
        Naar de inhoud
      </a>
      <header className="topbar">
        <span className="brand">dossierflow</span>
        <nav aria-label="Hoofdmenu">
          <ul>
            {nav.map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={current(n.to) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            clearToken();
            markSignedOut();
            setTokenState(null);
          }}
        >
          Uitloggen
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={path} />
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
