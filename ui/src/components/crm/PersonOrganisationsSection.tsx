/** *Organisaties* on the person card: the organisations the person is contact person of (role, function, period). */
import { get } from '../../api';
import { useLoad } from '../../hooks';
import { date } from '../../labels';
import { Link } from '../../router';
import type { ApiResponse } from '../../types';
import { ErrorAlert } from '../Messages';
import { contactRoleLabel, organisationKindLabel } from './organisations';

export function PersonOrganisationsSection({ personId }: { personId: string }) {
  const list = useLoad(() => get<ApiResponse<'/persons/{id}/organisations'>>(`/persons/${personId}/organisations`), [personId]);
  return (
    <section aria-labelledby="person-orgs-h">
      <h2 id="person-orgs-h">Organisaties</h2>
      <ErrorAlert>{list.error}</ErrorAlert>
      {list.data && list.data.items.length > 0 ? (
        <ul>
          {list.data.items.map((c) => (
            <li key={c.id} className={c.current ? undefined : 'muted'}>
              <Link to={`/crm/organisations/${c.organisationId}`}>{c.organisationName}</Link> ({organisationKindLabel[c.organisationKind]}) –{' '}
              {contactRoleLabel[c.role]}
              {c.functionTitle ? `, ${c.functionTitle}` : ''}
              {c.startDate || c.endDate ? ` (${c.startDate ? date(c.startDate) : '…'} – ${c.endDate ? date(c.endDate) : 'heden'})` : ''}
            </li>
          ))}
        </ul>
      ) : list.data ? (
        <p className="muted">Geen contactpersoon van een organisatie.</p>
      ) : null}
    </section>
  );
}
