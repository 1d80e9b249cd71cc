/**
 * Sign-in (*inloggen*): e-mail and password (and the authenticator code when the account has
 * two-step verification) open a session cookie (POST /auth/sign-in); the answer's CSRF token is
 * kept for unsafe requests. The notices an admin set (maintenance, outages) are shown above.
 *
 * Below it, sign-in with an API token stays possible (integrations, tests): the token is pasted,
 * and when the local demo platform hands the UI its demo adviser token (GET /ui-config, only with
 * DEMO_UI_TOKEN set) the UI signs in with it by itself, as before. The demo's user accounts and
 * their passwords are in .data/demo-users.json.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, clearCsrf, errorText, get, post, setCsrf, setToken, clearToken } from '../api';
import { ErrorAlert } from '../components/Messages';
import { LoginNotices } from '../components/LoginNotices';
import type { ApiRequestBody, ApiResponse } from '../types';

const SIGNED_OUT = 'dossierflow.signedOut';

async function check(token: string): Promise<void> {
  setToken(token);
  try {
    await get('/process-definitions');
  } catch (err) {
    clearToken();
    if (err instanceof ApiError && err.status === 401) throw new Error('Onbekend, ingetrokken of verlopen token');
    throw err;
  }
}

/** The Dutch text of a refused sign-in. */
function signInError(err: unknown): { text: string; askTotp?: boolean } {
  if (err instanceof ApiError) {
    const body = err.body as { type?: string; minutesLeft?: number };
    const slug = typeof body?.type === 'string' ? body.type.split('/').pop() : undefined;
    if (slug === 'account-locked') {
      const m = body.minutesLeft ?? 15;
      return { text: `Account tijdelijk geblokkeerd, probeer het over ${m} ${m === 1 ? 'minuut' : 'minuten'} opnieuw` };
    }
    if (slug === 'totp-required') return { text: 'Vul de code uit je authenticator-app in', askTotp: true };
    if (slug === 'totp-invalid') return { text: 'Onjuiste code uit de authenticator-app', askTotp: true };
    if (slug === 'invalid-credentials' || err.status === 400) return { text: 'Onjuist e-mailadres of wachtwoord' };
    if (err.status === 429) return { text: 'Te veel pogingen vanaf dit adres; probeer het over een paar minuten opnieuw' };
  }
  return { text: errorText(err) };
}

export function LoginPage({ onSignedIn }: { onSignedIn: (token: string | null) => void }) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [askTotp, setAskTotp] = useState(false);
  const [token, setTokenText] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [demoToken, setDemoToken] = useState<string>();
  const signedIn = useRef(onSignedIn);
  signedIn.current = onSignedIn;

  useEffect(() => {
    let cancelled = false;
    fetch('/ui-config')
      .then((r) => (r.ok ? (r.json() as Promise<{ demoToken?: string }>) : {}))
      .then(async (cfg: { demoToken?: string }) => {
        if (cancelled || !cfg.demoToken) return;
        setDemoToken(cfg.demoToken);
        if (sessionStorage.getItem(SIGNED_OUT)) return;
        await check(cfg.demoToken);
        if (!cancelled) signedIn.current(cfg.demoToken);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);

  const signInWithToken = async (value: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await check(value.trim());
      sessionStorage.removeItem(SIGNED_OUT);
      onSignedIn(value.trim());
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const submitPassword = async (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError('Vul je e-mailadres en wachtwoord in');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      clearToken();
      const body: ApiRequestBody<'/auth/sign-in'> = { email: email.trim(), password, ...(askTotp && totp.trim() ? { totp: totp.trim() } : {}) };
      const session = await post<ApiResponse<'/auth/sign-in', 'post'>>('/auth/sign-in', body);
      if (session.csrfToken) setCsrf(session.csrfToken);
      sessionStorage.removeItem(SIGNED_OUT);
      onSignedIn(null);
    } catch (err) {
      clearCsrf();
      const refused = signInError(err);
      if (refused.askTotp) setAskTotp(true);
      setError(refused.text);
      setPassword(refused.askTotp ? password : '');
    } finally {
      setBusy(false);
    }
  };

  const submitToken = (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) {
      setError('Vul een token in');
      return;
    }
    void signInWithToken(token);
  };

  return (
    <main id="main" className="login">
      <h1>Inloggen bij dossierflow</h1>
      <LoginNotices />
      <form onSubmit={(e) => void submitPassword(e)} noValidate>
        <h2 id={`${id}-pw-title`}>Met e-mailadres en wachtwoord</h2>
        <label htmlFor={`${id}-email`}>E-mailadres</label>
        <input id={`${id}-email`} name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
        <label htmlFor={`${id}-password`}>Wachtwoord</label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        {askTotp ? (
          <>
            <label htmlFor={`${id}-totp`}>Code uit de authenticator-app</label>
            <input
              id={`${id}-totp`}
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              value={totp}
              onChange={(e) => setTotp(e.target.value)}
              required
            />
          </>
        ) : null}
        <button type="submit" disabled={busy}>
          Inloggen met wachtwoord
        </button>
      </form>
      <ErrorAlert title="Inloggen mislukt">{error}</ErrorAlert>

      <form onSubmit={submitToken} noValidate>
        <h2 id={`${id}-token-title`}>Met een API-token</h2>
        <p>
          Voor koppelingen en beheer. Lokaal staan de demotokens per rol in <code>.data/demo-credentials.json</code> en de demogebruikers
          met hun wachtwoord in <code>.data/demo-users.json</code>.
        </p>
        <label htmlFor={`${id}-token`}>Token</label>
        <input
          id={`${id}-token`}
          name="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setTokenText(e.target.value)}
          aria-describedby={`${id}-hint`}
          required
        />
        <p id={`${id}-hint`} className="muted">
          Het token blijft alleen in dit tabblad bewaard (sessionStorage).
        </p>
        <button type="submit" disabled={busy}>
          Inloggen
        </button>
        {demoToken ? (
          <button type="button" className="secondary" disabled={busy} onClick={() => void signInWithToken(demoToken)}>
            Inloggen als demo-adviseur
          </button>
        ) : null}
      </form>
    </main>
  );
}

/** Called on an explicit sign-out, so the demo token is not used again by itself. */
export function markSignedOut(): void {
  sessionStorage.setItem(SIGNED_OUT, '1');
}
