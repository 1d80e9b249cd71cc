/**
 * The pay-out overview as PDF (*uitbetalingsoverzicht*, seed 000: "Wanneer de deelnemer wordt
 * uitbetaald, kan je dit overzicht ook downloaden als PDF"): the participant's overview of a year
 * or period, rendered with the same PDF writer as the invoices (integrations/pdf). The text is
 * made here from the overview the API answers, so the PDF and the screen never disagree.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { formatEuro } from '../../domain/billing/money.js';
import { renderDocumentPdf } from '../../integrations/pdf/render.js';
import { ownOverview, participantOverview } from './overview.js';
import type { OverviewQuery, ParticipantOverview } from './schemas.js';

const periodLabel = (o: Pick<ParticipantOverview, 'year' | 'period'>): string =>
  o.period === 'year' ? `${o.year}` : o.period.startsWith('Q') ? `${o.period} ${o.year}` : `maand ${o.period.slice(1)}-${o.year}`;

const nlDate = (iso: string): string => `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;

/** The paragraphs of the PDF ("## " starts a heading; renderDocumentPdf's conventions). */
export function overviewParagraphs(o: ParticipantOverview): string[] {
  const out = [
    `Deelnemer: ${o.name}\nPeriode: ${nlDate(o.from)} t/m ${nlDate(o.to)}`,
    '## Saldo',
    [
      `Beginsaldo: ${formatEuro(o.openingBalanceCents)}`,
      `Inkomsten: ${formatEuro(o.incomeCents)}`,
      `Kosten: ${formatEuro(o.costsCents)}`,
      `Uitbetaald: ${formatEuro(o.paidOutCents)}`,
      `Eindsaldo: ${formatEuro(o.closingBalanceCents)}`,
      o.toClaimCents > 0 ? `Te vorderen: ${formatEuro(o.toClaimCents)}` : `Uit te betalen: ${formatEuro(o.toPayOutCents)}`,
    ].join('\n'),
    '## Per categorie (debet / credit)',
    o.categories.length === 0 ? 'Geen boekingen in deze periode.' : o.categories.map((c) => `${c.name}: ${formatEuro(c.debitCents)} / ${formatEuro(c.creditCents)}`).join('\n'),
  ];
  if (o.lines.length > 0) {
    out.push('## Boekingen');
    out.push(
      o.lines
        .map((l) => `${nlDate(l.date)}  ${l.description}  (${l.categoryName})  ${l.debitCents > 0 ? `debet ${formatEuro(l.debitCents)}` : `credit ${formatEuro(l.creditCents)}`}`)
        .join('\n'),
    );
    if (o.linesTruncated) out.push(`Alleen de eerste ${o.lines.length} boekingen staan hier; de totalen gelden voor alle boekingen.`);
  }
  return out;
}

async function render(o: ParticipantOverview, now: Date): Promise<{ filename: string; content: Buffer }> {
  const title = `Saldo-overzicht RC ${periodLabel(o)}`;
  const content = Buffer.from(await renderDocumentPdf({ title, paragraphs: overviewParagraphs(o), author: o.name, subject: title, footer: `${o.name} - ${periodLabel(o)}`, createdAt: now }));
  return { filename: `saldo-overzicht-rc-${o.year}-${o.period}.pdf`, content };
}

/** The central organisation's PDF of one of its participants (to send it along with the pay-out). */
export async function participantOverviewPdf(em: EntityManager, centralOfficeId: string, participantOfficeId: string, q: OverviewQuery, now: Date) {
  return render(await participantOverview(em, centralOfficeId, participantOfficeId, q), now);
}

/** The participant's own PDF: the same visibility rule as its overview. */
export async function ownOverviewPdf(em: EntityManager, officeId: string, q: OverviewQuery, now: Date) {
  return render(await ownOverview(em, officeId, q), now);
}
