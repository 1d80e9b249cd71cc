/**
 * Sign-in: the adviser pastes a bearer token (npm start prints where the demo tokens are:
 * .data/demo-credentials.json). When the local demo platform hands the UI its demo adviser
 * token (GET /ui-config, only with DEMO_UI_TOKEN set), the UI signs in with it by itself.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorText, get, setToken, clearToken } from '../api';
import { ErrorAlert } from '../components/Messages';

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

export function LoginPage({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const id = useId();
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

  const signIn = async (value: string) => {
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

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) {
      setError('Vul een token in');
      return;
    }
    void signIn(token);
  };

  return (
    <main id="main" className="login">
      <h1>Inloggen bij dossierflow</h1>
      <p>
        Plak je API-token (bearer token). Lokaal staan de demotokens per rol in <code>.data/demo-credentials.json</code>; gebruik
        het token van de rol <code>adviser</code> (adviseur).
      </p>
      <form onSubmit={submit} noValidate>
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
          <button type="button" className="secondary" disabled={busy} onClick={() => void signIn(demoToken)}>
            Inloggen als demo-adviseur
          </button>
        ) : null}
      </form>
      <ErrorAlert title="Inloggen mislukt">{error}</ErrorAlert>
    </main>
  );
}

/** Called on an explicit sign-out, so the demo token is not used again by itself. */
export function markSignedOut(): void {
  sessionStorage.setItem(SIGNED_OUT, '1');
}
