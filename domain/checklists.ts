/**
 * Client profiles for the document checklist (*stukkenlijst*). Choosing a profile in the
 * service process creates the checklist with the profile's document lines. Codes are stable
 * (they travel in workflow input and are stored); labels are Dutch, as the adviser sees them.
 */

export interface ChecklistItem {
  readonly code: string;
  readonly label: string;
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
};
const koopovereenkomst: ChecklistItem = { code: 'koopovereenkomst', label: 'Getekende koopovereenkomst' };
const taxatierapport: ChecklistItem = { code: 'taxatierapport', label: 'Gevalideerd taxatierapport' };
const werkgeversverklaring: ChecklistItem = { code: 'werkgeversverklaring', label: 'Werkgeversverklaring (niet ouder dan 3 maanden)' };
const salarisstrook: ChecklistItem = { code: 'salarisstrook', label: 'Recente salarisstrook' };
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
