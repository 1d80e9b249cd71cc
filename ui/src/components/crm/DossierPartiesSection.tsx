/**
 * *Betrokken partijen* on the dossier: the organisations linked to the dossier or its products
 * (the notary of the purchase, the employer of an applicant) and the lender or insurer each
 * product names as its company (derived, shown but not stored). A form links an organisation of
 * the CRM to the dossier or one of its products in a role.
 */
import { useState, type FormEvent } from 'react';
import { errorText, get, query, request } from '../../api';
import { useLoad } from '../../hooks';
import { productTypeLabel } from '../../labels';
import { Link } from '../../router';
import type { ApiResponse } from '../../types';
import { TextField } from '../Field';
import { ErrorAlert } from '../Messages';
import { SelectField } from './SelectField';
import { organisationKindLabel, partyRoleLabel, partyRoles, productDerivedRoles, type Organisation, type PartyRole } from './organisations';

export function DossierPartiesSection({ dossierId, products }: { dossierId: string; products: readonly { id: string; type: string; company: string | null }[] }) {
  const parties = useLoad(() => get<ApiResponse<'/dossiers/{id}/parties'>>(`/dossiers/${dossierId}/parties`), [dossierId]);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Organisation[]>([]);
  const [organisationId, setOrganisationId] = useState('');
  const [role, setRole] = useState<PartyRole | ''>('');
  const [target, setTarget] = useState('dossier');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const productLabel = (p: { type: string; company: string | null }) => `${productTypeLabel(p.type)}${p.company ? ` (${p.company})` : ''}`;

  async function findOrganisations() {
    setError(undefined);
    try {
      const res = await get<ApiResponse<'/organisations'>>(`/organisations${query({ q, limit: 20 })}`);
      setFound(res.items);
      setOrganisationId(res.items[0]?.id ?? '');
      if (res.items.length === 0) setError('Geen organisaties gevonden.');
    } catch (err) {
      setError(errorText(err));
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await request('POST', `/organisations/${organisationId}/links`, target === 'dossier' ? { dossierId, role } : { productId: target, role });
      setFound([]);
      setOrganisationId('');
      setQ('');
      await parties.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  // A product's lender or insurer is its company: those roles are offered for the dossier only.
  const roles = target === 'dossier' ? partyRoles : partyRoles.filter((r) => !productDerivedRoles.includes(r));
  return (
    <section aria-labelledby="parties-h">
      <h2 id="parties-h">Betrokken partijen</h2>
      <ErrorAlert>{parties.error}</ErrorAlert>
      {parties.data && parties.data.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Organisatie</th>
              <th scope="col">Rol</th>
              <th scope="col">Bij</th>
            </tr>
          </thead>
          <tbody>
            {parties.data.items.map((p) => (
              <tr key={p.id ?? `${p.organisationId}-${p.productId}-${p.role}`}>
                <td>
                  <Link to={`/crm/organisations/${p.organisationId}`}>{p.organisationName}</Link> <small className="muted">{organisationKindLabel[p.organisationKind]}</small>
                </td>
                <td>
                  {partyRoleLabel[p.role]}
                  {p.derived ? <small className="muted"> (maatschappij van het product)</small> : null}
                </td>
                <td>{p.productId ? productLabel({ type: p.productType ?? '', company: p.productCompany }) : 'Dossier'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : parties.data ? (
        <p className="muted">Nog geen betrokken partijen.</p>
      ) : null}
      <form aria-label="Partij koppelen" className="card" onSubmit={(e) => void submit(e)}>
        <h3>Partij koppelen</h3>
        <div className="inline-form">
          <TextField label="Zoek organisatie" type="search" value={q} onChange={setQ} />
          <button type="button" className="secondary" onClick={() => void findOrganisations()}>
            Organisatie zoeken
          </button>
        </div>
        {found.length > 0 ? (
          <SelectField label="Organisatie" required value={organisationId} options={found.map((o) => ({ value: o.id, label: `${o.name} (${organisationKindLabel[o.kind]})` }))} onChange={setOrganisationId} />
        ) : null}
        <SelectField
          label="Koppelen aan"
          required
          value={target}
          options={[{ value: 'dossier', label: 'Het dossier' }, ...products.map((p) => ({ value: p.id, label: productLabel(p) }))]}
          onChange={setTarget}
        />
        <SelectField label="Rol" required value={role} options={roles.map((r) => ({ value: r, label: partyRoleLabel[r] }))} onChange={setRole} />
        <ErrorAlert>{error}</ErrorAlert>
        <button type="submit" disabled={busy || !organisationId}>
          Koppelen
        </button>
      </form>
    </section>
  );
}
