/** Dutch labels of the product screens (contract, lender's checklist, insurance, Ockto). */
import type { ApiResponse } from '../../types';

type Contract = ApiResponse<'/contracts/{id}'>;

/** *Factuurperiode*. */
export const periodLabel = { month: 'Maand', quarter: 'Kwartaal', year: 'Jaar' } satisfies Record<Contract['period'], string>;
export const periodOptions = Object.keys(periodLabel) as Contract['period'][];
/** "per maand" in a sentence. */
export const perPeriod = { month: 'per maand', quarter: 'per kwartaal', year: 'per jaar' } satisfies Record<Contract['period'], string>;

export const contractStatusLabel = { planned: 'Gepland', active: 'Lopend', ended: 'Beëindigd' } satisfies Record<Contract['status'], string>;

/**
 * *DocumentStatus* of a line of the lender's checklist (*DA-regel*), as domain/hdn/document-lines.ts
 * defines the codes; the API passes other codes as the lender sent them, so those show as they are.
 */
export const documentLineStatusLabel: Record<string, string> = {
  '01': 'Aan te leveren',
  '04': 'Goedgekeurd',
  '06': 'Voorlopig goedgekeurd',
  '07': 'Afgekeurd, opnieuw aanleveren',
  '08': 'Vervallen',
};

type RiskMessage = ApiResponse<'/risk/inbox'>[number];

/** What a RISK message says (*offerte, definitief, mutatie, royement*). */
export const insuranceEventLabel = { quote: 'Offerte', final: 'Definitief', mutation: 'Mutatie', cancellation: 'Royement' } satisfies Record<RiskMessage['kind'], string>;

/** Where a RISK message is in its handling. */
export const riskMessageStateLabel = {
  received: 'Ontvangen',
  waiting: 'Wacht op koppeling',
  parked: 'Geparkeerd (AFD-schema)',
  delivered: 'Afgeleverd',
  applied: 'Verwerkt',
  ignored: 'Genegeerd',
  recorded: 'Vastgelegd',
} satisfies Record<RiskMessage['state'], string>;

type Retrieval = ApiResponse<'/ockto/retrievals/{id}'>;

/** Where an Ockto retrieval (*Ockto-uitvraag*) is. */
export const ocktoStatusLabel = {
  starting: 'Wordt gestart',
  waiting: 'Wacht op de klant',
  classified: 'Gegevens ontvangen, klasse bepaald',
  declined: 'Klant heeft geweigerd',
  expired: 'Verlopen',
  failed: 'Mislukt',
} satisfies Record<Retrieval['status'], string>;

/** The answers to the four questions, whichever question they belong to. */
export const ocktoAnswerLabel: Record<string, string> = {
  verified: 'Ja, geverifieerd',
  'not-verified': 'Nee, niet geverifieerd',
  clear: 'Geen treffer',
  pep: 'PEP',
  sanction: 'Sanctielijst',
  explained: 'Verklaard',
  unexplained: 'Niet verklaard',
  none: 'Geen',
  present: 'Aanwezig',
  unknown: 'Onbekend',
};
