/**
 * The CRM card (*relatiekaart*) as tabs: Gegevens, Eigenschappen, Indicatoren, Relaties, Gezin,
 * Organisaties, Notities, Signaleringen (with the open counter in its label), Identificatie,
 * Bestanden, Contact (contactmomenten and incoming mail) and Wijzigingshistorie. The card's own parts read
 * `GET /persons/{id}/card` once and reload it after a write; the sections that read their own
 * endpoints are handed in by the page (`panels`). The active indicators show above the tabs
 * (seed 002: "boven de naam van de persoon").
 */
import type { ReactNode } from 'react';
import { get } from '../../api';
import { useLoad } from '../../hooks';
import { ErrorAlert, Loading } from '../Messages';
import { Tabs, type TabDef } from '../Tabs';
import { IdentificationSection, IndicatorsSection, PropertiesSection, RelationsSection, SignalsSection, type Card } from './CardSections';
import { NotesSection } from './NotesSection';

/** The tabs whose content the page supplies (existing sections with their own data). */
export type PagePanels = Record<'gegevens' | 'gezin' | 'organisaties' | 'identificatie' | 'bestanden' | 'mail' | 'historie', ReactNode>;

export function PersonCardTabs({ personId, panels }: { personId: string; panels: PagePanels }) {
  const card = useLoad(() => get<Card>(`/persons/${personId}/card`), [personId]);
  const c = card.data;
  const withCard = (render: (c: Card) => ReactNode) => () => (c ? render(c) : card.error ? null : <Loading what="Relatiekaart" />);
  const reload = card.reload;
  const tabs: TabDef[] = [
    { key: 'gegevens', label: 'Gegevens', panel: () => panels.gegevens },
    { key: 'eigenschappen', label: 'Eigenschappen', panel: withCard((c) => <PropertiesSection card={c} reload={reload} />) },
    { key: 'indicatoren', label: 'Indicatoren', panel: withCard((c) => <IndicatorsSection card={c} reload={reload} />) },
    { key: 'relaties', label: 'Relaties', panel: withCard((c) => <RelationsSection card={c} reload={reload} />) },
    { key: 'gezin', label: 'Gezin', panel: () => panels.gezin },
    { key: 'organisaties', label: 'Organisaties', panel: () => panels.organisaties },
    { key: 'notities', label: 'Notities', panel: () => <NotesSection personId={personId} onChanged={() => void reload()} /> },
    {
      key: 'signaleringen',
      label: (
        <>
          Signaleringen{' '}
          <span className="badge" data-testid="signals-open-count">
            {c?.signals.open ?? '…'}
            <span className="visually-hidden"> open</span>
          </span>
        </>
      ),
      panel: withCard((c) => <SignalsSection card={c} reload={reload} />),
    },
    {
      key: 'identificatie',
      label: 'Identificatie',
      panel: withCard((c) => (
        <>
          <IdentificationSection key={c.identification?.updatedAt ?? 'none'} card={c} reload={reload} />
          {panels.identificatie}
        </>
      )),
    },
    { key: 'bestanden', label: 'Bestanden', panel: () => panels.bestanden },
    { key: 'mail', label: 'Contact', panel: () => panels.mail },
    { key: 'historie', label: 'Wijzigingshistorie', panel: () => panels.historie },
  ];
  return (
    <>
      <ErrorAlert title="Relatiekaart niet geladen">{card.error}</ErrorAlert>
      {c && c.indicators.length > 0 ? (
        <p aria-label="Actieve indicatoren">
          {c.indicators.map((i) => (
            <span key={i.id} className="badge badge-prospect">
              {i.label}
            </span>
          ))}
        </p>
      ) : null}
      <Tabs label="Relatiekaart" tabs={tabs} />
    </>
  );
}
