/**
 * Accepting an invitation (*uitnodiging*): the link from the admin lands here with its one-time
 * token in the fragment (/ui/uitnodiging#<token>, never sent to a server nor in a Referer); the
 * invitee chooses a password (POST /auth/accept-invitation) and then signs in with it.
 */
import { useId, useState, type FormEvent } from 'react';
import { errorText, post } from '../api';
import { ErrorAlert, Info } from '../components/Messages';
import { Link } from '../router';
import type { ApiRequestBody } from '../types';

export function InvitationPage() {
  const id = useId();
  const [token] = useState(() => window.location.hash.slice(1));
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    if (password !== again) {
      setError('De wachtwoorden zijn niet gelijk');
      return;
    }
    try {
      const body: ApiRequestBody<'/auth/accept-invitation'> = { token, password };
      await post('/auth/accept-invitation', body);
      window.history.replaceState(null, '', window.location.pathname);
      setDone(true);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <main id="main" className="login">
      <h1>Wachtwoord kiezen</h1>
      {done ? (
        <Info>
          Je wachtwoord is ingesteld. <Link to="/">Log nu in</Link>.
        </Info>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <p>Kies een wachtwoord van minstens 12 tekens; een zin van een paar woorden is sterk en goed te onthouden.</p>
          <label htmlFor={`${id}-pw`}>Nieuw wachtwoord</label>
          <input id={`${id}-pw`} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          <label htmlFor={`${id}-again`}>Nogmaals</label>
          <input id={`${id}-again`} type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} required />
          <button type="submit">Wachtwoord instellen</button>
          <ErrorAlert title="Niet gelukt">{error}</ErrorAlert>
        </form>
      )}
    </main>
  );
}
