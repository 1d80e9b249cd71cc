/**
 * The signed-in user's own account (*mijn account*): two-step verification (TOTP). Turning it on
 * shows the secret once as an otpauth:// link (to open in or type into the authenticator app);
 * a code from the app confirms it, and from then on sign-in asks for a code.
 */
import { useId, useState, type FormEvent } from 'react';
import { errorText, post } from '../api';
import { ErrorAlert, Info } from '../components/Messages';
import type { ApiRequestBody, ApiResponse } from '../types';

export function AccountPage({ me }: { me: ApiResponse<'/auth/session'> | undefined }) {
  const id = useId();
  const [uri, setUri] = useState<string>();
  const [code, setCode] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string>();
  if (!me) return <section><h1>Mijn account</h1></section>;
  if (!me.userId) {
    return (
      <section>
        <h1>Mijn account</h1>
        <p>Je bent ingelogd met een API-token; tweestapsverificatie hoort bij een gebruikersaccount (inloggen met e-mailadres en wachtwoord).</p>
      </section>
    );
  }
  const enrol = async () => {
    setError(undefined);
    try {
      setUri((await post<ApiResponse<'/auth/totp/enrol', 'post'>>('/auth/totp/enrol')).otpauthUri);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const body: ApiRequestBody<'/auth/totp/confirm'> = { code: code.trim() };
      await post('/auth/totp/confirm', body);
      setDone(true);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section>
      <h1>Mijn account</h1>
      <p>
        {me.name} ({me.email})
      </p>
      <h2>Tweestapsverificatie</h2>
      {me.totpEnabled || done ? (
        <Info>Tweestapsverificatie staat aan: bij het inloggen vragen we een code uit je authenticator-app.</Info>
      ) : uri ? (
        <form onSubmit={(e) => void confirm(e)}>
          <p>
            Open deze link op je telefoon of neem de sleutel over in je authenticator-app (wordt één keer getoond):{' '}
            <a href={uri}>
              <code>{uri}</code>
            </a>
          </p>
          <label htmlFor={`${id}-code`}>Code uit de app</label>
          <input id={`${id}-code`} inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} required />
          <button type="submit">Bevestigen</button>
        </form>
      ) : (
        <button type="button" onClick={() => void enrol()}>
          Tweestapsverificatie aanzetten
        </button>
      )}
      <ErrorAlert>{error}</ErrorAlert>
    </section>
  );
}
