/**
 * The admin's user administration (*gebruikers*): the office's accounts with roles and status,
 * invite a user (the one-time invitation link is shown once, to pass on), change roles, block
 * and unblock; and the notices on the sign-in page (*meldingen*: planned maintenance, outages).
 */
import { useId, useState, type FormEvent } from 'react';
import { errorText, get, post, request } from '../api';
import { ErrorAlert, Info, Loading } from '../components/Messages';
import { useLoad } from '../hooks';
import { dateTime, noticeSeverityLabel, userRoleLabel, userStatusLabel } from '../labels';
import type { ApiRequestBody, ApiResponse } from '../types';

type User = ApiResponse<'/users'>['items'][number];
type Role = User['roles'][number];
const roles: Role[] = ['adviser', 'designer', 'admin'];

export function UsersPage() {
  const users = useLoad(() => get<ApiResponse<'/users'>>('/users'), []);
  const [error, setError] = useState<string>();
  const [invited, setInvited] = useState<{ email: string; url: string }>();

  const act = async (what: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await what();
      void users.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <section>
      <h1>Gebruikers</h1>
      <ErrorAlert>{error}</ErrorAlert>
      {invited ? (
        <Info>
          {invited.email} is uitgenodigd. Geef deze eenmalige link door (7 dagen geldig, wordt niet nog eens getoond):{' '}
          <code data-testid="invitation-link">{`${window.location.origin}${invited.url}`}</code>
        </Info>
      ) : null}
      {users.loading && !users.data ? <Loading what="gebruikers" /> : null}
      {users.error ? <ErrorAlert>{users.error}</ErrorAlert> : null}
      {users.data ? (
        <table>
          <caption>Gebruikers van dit kantoor</caption>
          <thead>
            <tr>
              <th scope="col">Naam</th>
              <th scope="col">E-mailadres</th>
              <th scope="col">Rollen</th>
              <th scope="col">Status</th>
              <th scope="col">Acties</th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((u) => (
              <UserRow key={u.id} user={u} act={act} />
            ))}
          </tbody>
        </table>
      ) : null}
      <InviteForm
        onInvited={(email, url) => {
          setInvited({ email, url });
          void users.reload();
        }}
      />
      <NoticesAdmin />
    </section>
  );
}

function UserRow({ user, act }: { user: User; act: (what: () => Promise<unknown>) => Promise<void> }) {
  const [chosen, setChosen] = useState<Role[]>(user.roles);
  const changed = chosen.length !== user.roles.length || chosen.some((r) => !user.roles.includes(r));
  const body = (b: ApiRequestBody<'/users/{id}', 'patch'>) => b;
  return (
    <tr>
      <td>{user.name}</td>
      <td>{user.email}</td>
      <td>
        <fieldset className="inline">
          <legend className="visually-hidden">Rollen van {user.name}</legend>
          {roles.map((r) => (
            <label key={r}>
              <input
                type="checkbox"
                checked={chosen.includes(r)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, r] : chosen.filter((x) => x !== r))}
              />{' '}
              {userRoleLabel[r]}
            </label>
          ))}
        </fieldset>
      </td>
      <td>
        {userStatusLabel[user.status] ?? user.status}
        {user.locked ? ' (tijdelijk geblokkeerd)' : ''}
        {user.totpEnabled ? ' · tweestapsverificatie' : ''}
      </td>
      <td>
        <button type="button" disabled={!changed || chosen.length === 0} onClick={() => void act(() => request('PATCH', `/users/${user.id}`, body({ roles: chosen })))}>
          Rollen opslaan
        </button>{' '}
        {user.status === 'active' ? (
          <button type="button" className="secondary" onClick={() => void act(() => request('PATCH', `/users/${user.id}`, body({ status: 'disabled' })))}>
            Blokkeren
          </button>
        ) : null}
        {user.status === 'disabled' ? (
          <button type="button" className="secondary" onClick={() => void act(() => request('PATCH', `/users/${user.id}`, body({ status: 'active' })))}>
            Deblokkeren
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function InviteForm({ onInvited }: { onInvited: (email: string, url: string) => void }) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<Role[]>(['adviser']);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body: ApiRequestBody<'/users'> = { email: email.trim(), name: name.trim(), roles: chosen };
      const result = await post<ApiResponse<'/users', 'post'>>('/users', body);
      onInvited(result.user.email, result.invitationUrl);
      setEmail('');
      setName('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Gebruiker uitnodigen</h2>
      <label htmlFor={`${id}-name`}>Naam</label>
      <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required />
      <label htmlFor={`${id}-email`}>E-mailadres</label>
      <input id={`${id}-email`} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
      <fieldset>
        <legend>Rollen</legend>
        {roles.map((r) => (
          <label key={r}>
            <input type="checkbox" checked={chosen.includes(r)} onChange={(e) => setChosen(e.target.checked ? [...chosen, r] : chosen.filter((x) => x !== r))} />{' '}
            {userRoleLabel[r]}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={busy || chosen.length === 0}>
        Uitnodigen
      </button>
      <ErrorAlert>{error}</ErrorAlert>
    </form>
  );
}

type Severity = ApiRequestBody<'/login-notices'>['severity'];

function NoticesAdmin() {
  const id = useId();
  const notices = useLoad(() => get<ApiResponse<'/login-notices'>>('/login-notices'), []);
  const [severity, setSeverity] = useState<Severity>('maintenance');
  const [message, setMessage] = useState('');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      if (!from || !until) throw new Error('Vul van en tot in');
      const body: ApiRequestBody<'/login-notices'> = { severity, message: message.trim(), startsAt: new Date(from).toISOString(), endsAt: new Date(until).toISOString() };
      await post('/login-notices', body);
      setMessage('');
      void notices.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Meldingen op het inlogscherm</h2>
      {notices.data && notices.data.items.length > 0 ? (
        <ul>
          {notices.data.items.map((n) => (
            <li key={n.id}>
              <strong>{noticeSeverityLabel[n.severity]}</strong> ({dateTime(n.startsAt)} – {dateTime(n.endsAt)}): {n.message}{' '}
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  void request('DELETE', `/login-notices/${n.id}`)
                    .then(() => notices.reload())
                    .catch((err: unknown) => setError(errorText(err)))
                }
              >
                Verwijderen
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Geen meldingen.</p>
      )}
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor={`${id}-severity`}>Soort</label>
        <select id={`${id}-severity`} value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
          {(['maintenance', 'outage', 'info'] as const).map((s) => (
            <option key={s} value={s}>
              {noticeSeverityLabel[s]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-message`}>Tekst</label>
        <input id={`${id}-message`} value={message} maxLength={500} onChange={(e) => setMessage(e.target.value)} required />
        <label htmlFor={`${id}-from`}>Van</label>
        <input id={`${id}-from`} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
        <label htmlFor={`${id}-until`}>Tot</label>
        <input id={`${id}-until`} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} required />
        <button type="submit">Melding plaatsen</button>
        <ErrorAlert>{error}</ErrorAlert>
      </form>
    </section>
  );
}
