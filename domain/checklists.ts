/**
 * Client profiles for the document checklist (*stukkenlijst*). Choosing a profile in the
 * service process creates the checklist with the profile's document lines. Codes are stable
 * (they travel in workflow input and are stored); labels are Dutch, as the adviser sees them.
 */

export interface ChecklistItem {
  readonly code: string;
  readonly label: string;
  /**
   * How long a file for this line stays valid, in whole months from the day it was attached
   * ("niet ouder dan 3 maanden" → 3); absent: it does not expire. Read by the validity rule
   * of domain/work/checklist-lines.ts.
   */
  readonly validityMonths?: number;
  /**
   * The HDN *SoortDocument* codes of a lender's DA line that ask for the same document, so the
   * client's file can be sent on as DX. The codes are those our simulated lender uses
   * (simulators/lender/messages.ts); a real lender's list is data to extend here.
   */
  readonly lenderDocumentKinds?: readonly string[];
}

export interface ChecklistProfile {
  readonly code: string;
  readonly label: string;
  readonly items: readonly ChecklistItem[];
}

const id: ChecklistItem = { code: 'id-document', label: 'Kopie geldig identiteitsbewijs (paspoort of ID-kaart)' };
const bankEigenMiddelen: ChecklistItem = {
  code: 'bankafschrift-eigen-middelen',
  label: 'Bankafschrift eigen middelen (niet ouder dan 3 maanden)',
  validityMonths: 3,
};
const koopovereenkomst: ChecklistItem = { code: 'koopovereenkomst', label: 'Getekende koopovereenkomst', lenderDocumentKinds: ['902'] };
const taxatierapport: ChecklistItem = { code: 'taxatierapport', label: 'Gevalideerd taxatierapport', validityMonths: 6, lenderDocumentKinds: ['003'] };
const werkgeversverklaring: ChecklistItem = {
  code: 'werkgeversverklaring',
  label: 'Werkgeversverklaring (niet ouder dan 3 maanden)',
  validityMonths: 3,
  lenderDocumentKinds: ['009'],
};
/** "Recent": the seeds' lenders take a payslip of at most 3 months old. */
const salarisstrook: ChecklistItem = { code: 'salarisstrook', label: 'Recente salarisstrook', validityMonths: 3, lenderDocumentKinds: ['901'] };
const upo: ChecklistItem = { code: 'upo', label: 'Uniform Pensioenoverzicht (UPO)' };
const bkr: ChecklistItem = { code: 'overzicht-leningen', label: 'Overzicht lopende leningen en kredieten' };

export const checklistProfiles: readonly ChecklistProfile[] = [
  {
    code: 'loondienst',
    label: 'In loondienst',
    items: [id, werkgeversverklaring, salarisstrook, upo, bankEigenMiddelen, bkr, koopovereenkomst, taxatierapport],
  },
  {
    code: 'ondernemer',
    label: 'Ondernemer',
    items: [
      id,
      { code: 'ib-aangiften-3-jaar', label: 'Aangiften inkomstenbelasting laatste 3 jaar' },
      { code: 'ib-aanslagen-3-jaar', label: 'Aanslagen inkomstenbelasting laatste 3 jaar' },
      { code: 'jaarcijfers-3-jaar', label: 'Jaarcijfers laatste 3 jaar' },
      { code: 'kvk-uittreksel', label: 'Uittreksel Kamer van Koophandel' },
      { code: 'inkomensverklaring-ondernemer', label: 'Inkomensverklaring ondernemer (IBL/rekenexpert)' },
      bankEigenMiddelen,
      bkr,
      koopovereenkomst,
      taxatierapport,
    ],
  },
  {
    code: 'gepensioneerd',
    label: 'Gepensioneerd',
    items: [
      id,
      { code: 'pensioenoverzicht', label: 'Pensioenspecificatie of jaaropgaaf pensioen' },
      { code: 'aow-specificatie', label: 'Jaaropgave AOW (SVB)' },
      { code: 'mijnpensioenoverzicht', label: 'Overzicht van mijnpensioenoverzicht.nl' },
      bankEigenMiddelen,
      bkr,
      koopovereenkomst,
      taxatierapport,
    ],
  },
  {
    code: 'starter',
    label: 'Starter (koopt eerste woning, in loondienst)',
    items: [
      id,
      werkgeversverklaring,
      salarisstrook,
      upo,
      { code: 'duo-overzicht', label: 'Overzicht studieschuld (DUO)' },
      { code: 'huurverklaring', label: 'Huurverklaring of verklaring inwonen' },
      bankEigenMiddelen,
      { code: 'schenkingsovereenkomst', label: 'Schenkingsovereenkomst (indien van toepassing)' },
      koopovereenkomst,
      taxatierapport,
    ],
  },
];

export const checklistProfileCodes: readonly string[] = checklistProfiles.map((p) => p.code);

export function checklistFor(code: string): ChecklistProfile | undefined {
  return checklistProfiles.find((p) => p.code === code);
}

/** The line with this code in any profile (a code means the same document in every profile). */
export function checklistItemFor(code: string): ChecklistItem | undefined {
  for (const profile of checklistProfiles) {
    const item = profile.items.find((i) => i.code === code);
    if (item) return item;
  }
  return undefined;
}
