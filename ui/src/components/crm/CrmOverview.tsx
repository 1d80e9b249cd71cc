/**
 * *CRM | Overzicht* (seed 002): per component of the CRM (persons, dossiers, products, notes,
 * signals, files, ...) how many the office has and which was created and which updated last,
 * each with a link. The components come from the API's registry (GET /crm/overview), so a new
 * one appears here without a change.
 */
import { get } from '../../api';
import { useLoad } from '../../hooks';
import { dateTime } from '../../labels';
import { Link } from '../../router';
import type { ApiResponse } from '../../types';
import { ErrorAlert, Loading } from '../Messages';

type Overview = ApiResponse<'/crm/overview'>;
type Item = Overview['components'][number]['latestCreated'];

function Latest({ item }: { item: Item }) {
  if (!item) return <span className="muted">–</span>;
  return (
    <>
      <Link to={item.link}>{item.label || '(zonder naam)'}</Link>
      <div className="muted">{dateTime(item.at)}</div>
    </>
  );
}

export function CrmOverview() {
  const overview = useLoad(() => get<Overview>('/crm/overview'), []);
  return (
    <>
      <ErrorAlert title="Overzicht niet geladen">{overview.error}</ErrorAlert>
      {overview.loading && !overview.data ? <Loading what="Overzicht" /> : null}
      {overview.data ? (
        <table data-testid="crm-overview">
          <caption>Overzicht van het CRM</caption>
          <thead>
            <tr>
              <th scope="col">Onderdeel</th>
              <th scope="col">Aantal</th>
              <th scope="col">Laatst aangemaakt</th>
              <th scope="col">Laatst bijgewerkt</th>
            </tr>
          </thead>
          <tbody>
            {overview.data.components.map((c) => (
              <tr key={c.key} data-testid={`overview-${c.key}`}>
                <th scope="row">{c.label}</th>
                <td data-testid="overview-count">{c.count}</td>
                <td>
                  <Latest item={c.latestCreated} />
                </td>
                <td>
                  <Latest item={c.latestUpdated} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
