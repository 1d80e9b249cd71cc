/** Dutch labels for the domain terms the API names in English codes. */
import type { Delivery, DuplicateSuggestion, InvoiceStatus, PaymentMethod, PayoutStatus, RcPeriod, RiskClass, RiskHistoryEntry } from './types';

export const dossierStatusLabel = (s: string): string => (s === 'client' ? 'Klant' : s === 'prospect' ? 'Prospect' : s);

export const categoryLabel: Record<string, string> = { new: 'nieuw (blauw)', running: 'lopend (groen)', ended: 'beëindigd (rood)' };

export const productTypeLabel = (t: string): string =>
  ({ service: 'Dienst', mortgage: 'Hypotheek', insurance: 'Verzekering' })[t] ?? t;

export const invoiceStatusLabel: Record<string, string> = {
  open: 'Open',
  sent: 'Verzonden',
  collection_pending: 'Incasso aangeboden',
  paid: 'Betaald',
  collected: 'Geïncasseerd',
  reversed: 'Gestorneerd',
  reminded: 'Herinnerd',
  final_notice: '14-dagenbrief',
  handed_over: 'Uit handen gegeven',
  credited: 'Gecrediteerd',
} satisfies Record<InvoiceStatus, string>;
/** Every invoice status of the API (the compiler checks the labels above name each one, no more). */
export const invoiceStatuses = Object.keys(invoiceStatusLabel) as InvoiceStatus[];

export const hdnStateLabel: Record<string, string> = {
  received: 'Ontvangen',
  delivered: 'Afgeleverd',
  applied: 'Verwerkt',
  recorded: 'Vastgelegd',
  ignored: 'Genegeerd',
  parked: 'Geparkeerd',
  converted: 'Omgezet',
  pending: 'Wacht op verzending',
  sent: 'Verzonden',
  failed: 'Mislukt',
};

export const bookingKindLabel: Record<string, string> = {
  payment: 'Betaling',
  collection: 'Incasso',
  reversal: 'Storno',
  rejection: 'Afkeuring',
};

/** The steps of a pay-out of a participant's RC balance (*uitbetaling*, issue 21). */
export const payoutStatusLabel: Record<string, string> = {
  requested: 'Aangevraagd, wacht op goedkeuring',
  approved: 'Goedgekeurd, betaalbestand wordt gemaakt',
  file_created: 'Betaalbestand aangemaakt, wacht op bevestiging van de bank',
  settled: 'Bevestigd door de bank en geboekt',
  cancelled: 'Geannuleerd',
} satisfies Record<PayoutStatus, string>;

/** The periods of the RC overviews (*heel jaar, kwartaal, maand*), in the order of the period picker. */
export const rcPeriods: { value: RcPeriod; label: string }[] = [
  { value: 'year', label: 'Heel jaar' },
  { value: 'Q1', label: 'Kwartaal 1' },
  { value: 'Q2', label: 'Kwartaal 2' },
  { value: 'Q3', label: 'Kwartaal 3' },
  { value: 'Q4', label: 'Kwartaal 4' },
  ...(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'] as const).map((m) => ({ value: `M${m}` as RcPeriod, label: `Maand ${m}` })),
];

/** "2026, kwartaal 2": the year and period of an overview or pay-out. */
export function rcPeriodLabel(year: number, period: string): string {
  const label = rcPeriods.find((p) => p.value === period)?.label ?? period;
  return `${year}, ${label.toLowerCase()}`;
}

export const paymentMethodLabel: Record<string, string> = { sepa: 'Automatische incasso', transfer: 'Overboeking' } satisfies Record<PaymentMethod, string>;
/** How invoices and reminders reach the client (*verzendwijze*). */
export const deliveryLabel: Record<string, string> = { email: 'E-mail', letter: 'Post' } satisfies Record<Delivery, string>;

export function euro(cents: number): string {
  return new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

export function date(value: string | null | undefined): string {
  if (!value) return '–';
  const d = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  return Number.isNaN(d.getTime()) ? value : d.toLocaleDateString('nl-NL');
}

export function dateTime(value: string | null | undefined): string {
  if (!value) return '–';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toLocaleString('nl-NL');
}

export const today = (): string => new Date().toISOString().slice(0, 10);

export const campaignStatusLabel: Record<string, string> = {
  running: 'Loopt',
  paused: 'Gepauzeerd',
  cancelled: 'Geannuleerd',
  completed: 'Voltooid',
};

export const recipientStatusLabel: Record<string, string> = {
  pending: 'Wacht',
  sent: 'Verzonden',
  opted_out: 'Afgemeld',
  no_email: 'Geen e-mailadres',
  failed: 'Mislukt',
  cancelled: 'Geannuleerd',
};

/** Wwft risk classes (*risicoklassen*), in the order an adviser chooses them. */
export const riskClassLabel = { Laag: 'Laag', Hoog: 'Hoog', Onacceptabel: 'Onacceptabel' } satisfies Record<RiskClass, string>;
export const riskClassOptions = Object.keys(riskClassLabel) as RiskClass[];

/** Where a risk class record came from, as the adviser reads it. */
export function riskSourceLabel(entry: Pick<RiskHistoryEntry, 'origin' | 'source'>): string {
  if (entry.origin === 'manual') return 'Handmatig';
  return entry.source === 'data' ? 'Ockto (brondata)' : 'Ockto (afwijking)';
}

/** The person fields of the field history (*wijzigingshistorie*), as the card names them. */
export const personFieldLabel: Record<string, string> = {
  firstName: 'Voornaam',
  infix: 'Tussenvoegsel',
  lastName: 'Achternaam',
  birthDate: 'Geboortedatum',
  email: 'E-mail',
  phone: 'Telefoon',
  street: 'Straat',
  houseNumber: 'Huisnummer',
  houseNumberSuffix: 'Toevoeging',
  postcode: 'Postcode',
  city: 'Plaats',
  gender: 'Geslacht',
  maritalStatus: 'Burgerlijke staat',
  dateOfDeath: 'Overlijdensdatum',
};

/** Login notices (*meldingen*) and user accounts (*gebruikers*), issue 20. */
export const noticeSeverityLabel: Record<string, string> = { info: 'Mededeling', maintenance: 'Gepland onderhoud', outage: 'Storing' };
export const userRoleLabel: Record<string, string> = { adviser: 'Adviseur', designer: 'Procesontwerper', admin: 'Beheerder' };
export const userStatusLabel: Record<string, string> = { invited: 'Uitgenodigd', active: 'Actief', disabled: 'Geblokkeerd' };

/** Why a person looks like an existing one (a duplicate suggestion), issue 20 deliverable 6. */
export const duplicateReasonLabel = {
  'birthDate+name': 'zelfde naam en geboortedatum',
  email: 'zelfde e-mailadres',
  address: 'zelfde adres',
} satisfies Record<DuplicateSuggestion['reasons'][number], string>;
