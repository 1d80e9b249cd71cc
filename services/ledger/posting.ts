/**
 * Posting to the RC ledger: the booking rules of domain/ledger/postings.ts turned into rows.
 * Every posting has a key made by its caller (the invoice, the commission's reference, the
 * pay-out), and the store posts a key once: a retried activity or request posts nothing new and
 * gets the first entry back (docs/ARCHITECTURE.md rule 5).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { refuse } from '../../domain/errors.js';
import type { CategoryKind } from '../../domain/ledger/closed-lists.js';
import { categoryCodeOfProduct, defaultCategoryName } from '../../domain/ledger/categories.js';
import {
  accountKey,
  chargeEntry,
  commissionEntry,
  entryProblem,
  invoiceEntry,
  reversalOf,
  type PostingEntry,
  type PostingLine,
} from '../../domain/ledger/postings.js';
import { one } from '../../db/sql.js';
import {
  accountsOf,
  categoriesOf,
  ensureCategory,
  entryById,
  entryByKey,
  insertEntry,
  linesOfEntry,
  organisationOf,
  participantOf,
  reversalOfEntry,
  type ParticipantRow,
} from './store.js';

export interface PostedEntry {
  entryId: string;
  /** False when the key was posted before (a retry): nothing new was booked. */
  created: boolean;
}

/** How a category missing from the central organisation's list is made when a posting names it. */
const kindOfEntryCategory: Record<PostingEntry['kind'], CategoryKind> = {
  commission: 'income',
  invoice: 'income',
  charge: 'cost',
  payout: 'payout',
  payout_settled: 'payout',
  reversal: 'cost',
};

/**
 * Posts the entry of a booking rule under the key, in one transaction: the symbolic accounts
 * and category codes are resolved for the central organisation (a new category code is created
 * with its default name).
 */
export async function postEntry(
  em: EntityManager,
  centralOfficeId: string,
  p: { key: string; entryDate: string; description: string; createdBy: string; entry: PostingEntry; reversesEntryId?: string },
): Promise<PostedEntry> {
  const problem = entryProblem(p.entry.lines);
  if (problem) throw refuse.invalid('unbalanced-entry', `the entry cannot be posted: ${problem}`);
  return em.transactional(async (tem) => {
    const first = await entryByKey(tem, p.key);
    if (first) return { entryId: first.id, created: false };
    const accounts = new Map((await accountsOf(tem, centralOfficeId)).map((a) => [a.kind === 'participant_rc' ? `participant_rc:${a.participant_office_id}` : a.kind, a.id]));
    const categories = new Map((await categoriesOf(tem, centralOfficeId)).map((c) => [c.code, c.id]));
    const categoryId = async (code: string | null): Promise<string | null> => {
      if (code === null) return null;
      const known = categories.get(code);
      if (known) return known;
      const made = await ensureCategory(tem, { centralOfficeId, code, name: defaultCategoryName(code), kind: kindOfEntryCategory[p.entry.kind] });
      categories.set(code, made.id);
      return made.id;
    };
    const lines = [];
    for (const l of p.entry.lines) {
      const accountId = accounts.get(accountKey(l.account));
      if (!accountId) throw refuse.conflict('no-such-account', `the central organisation has no account ${accountKey(l.account)}`);
      lines.push({ accountId, categoryId: await categoryId(l.category), debitCents: l.debitCents, creditCents: l.creditCents });
    }
    return insertEntry(tem, {
      centralOfficeId,
      key: p.key,
      kind: p.entry.kind,
      entryDate: p.entryDate,
      description: p.description,
      reversesEntryId: p.reversesEntryId ?? null,
      createdBy: p.createdBy,
      lines,
    });
  });
}

async function requireParticipant(em: EntityManager, centralOfficeId: string, officeId: string): Promise<ParticipantRow> {
  const p = await participantOf(em, officeId);
  // Another central organisation's participant is answered as unknown: not this office's business.
  if (!p || p.central_office_id !== centralOfficeId) throw refuse.notFound('participant', officeId);
  return p;
}

/**
 * Commission (*provisie*) received by the central organisation for a participant's product:
 * once per reference (the statement line or the insurer's statement number).
 */
export async function postCommission(
  em: EntityManager,
  centralOfficeId: string,
  c: { participantOfficeId: string; reference: string; productType: string | null; amountCents: number; entryDate: string; createdBy: string },
): Promise<PostedEntry> {
  const participant = await requireParticipant(em, centralOfficeId, c.participantOfficeId);
  const entry = commissionEntry({
    participantId: c.participantOfficeId,
    category: categoryCodeOfProduct(c.productType),
    amountCents: c.amountCents,
    centralShareBp: Number(participant.central_share_bp),
  });
  return postEntry(em, centralOfficeId, {
    key: `commission:${centralOfficeId}:${c.reference}`,
    entryDate: c.entryDate,
    description: `Provisie ${c.reference}`,
    createdBy: c.createdBy,
    entry,
  });
}

/** A cost the central organisation charges a participant (*kosten*), once per reference. */
export async function postCharge(
  em: EntityManager,
  centralOfficeId: string,
  c: { participantOfficeId: string; reference: string; categoryCode: string; amountCents: number; entryDate: string; createdBy: string },
): Promise<PostedEntry> {
  await requireParticipant(em, centralOfficeId, c.participantOfficeId);
  const entry = chargeEntry({ participantId: c.participantOfficeId, category: c.categoryCode, amountCents: c.amountCents });
  return postEntry(em, centralOfficeId, {
    key: `charge:${centralOfficeId}:${c.reference}`,
    entryDate: c.entryDate,
    description: `Kosten ${c.reference}`,
    createdBy: c.createdBy,
    entry,
  });
}

/**
 * The platform's invoice of a participant's office, booked when it is issued (the revenue is
 * booked here, once: seed 000's *spiegelboeking*). Nothing for an office that is no participant
 * or an invoice of nothing. Key `invoice:<id>`: the issue activity may run again.
 */
export async function postInvoiceOfBilling(em: EntityManager, invoiceId: string): Promise<PostedEntry | null> {
  const inv = await one<{ office_id: string; number: string; invoice_date: string; net_cents: number; vat_cents: number; product_type: string | null }>(
    em,
    `select i.office_id, i.number, to_char(i.invoice_date, 'YYYY-MM-DD') as invoice_date, i.net_cents, i.vat_cents, p.type as product_type
       from invoices i left join products p on p.id = i.product_id where i.id = ?`,
    [invoiceId],
  );
  if (!inv) throw refuse.notFound('invoice', invoiceId);
  const participant = await participantOf(em, inv.office_id);
  if (!participant) return null;
  const entry = invoiceEntry({
    participantId: inv.office_id,
    category: categoryCodeOfProduct(inv.product_type),
    netCents: Number(inv.net_cents),
    vatCents: Number(inv.vat_cents),
    centralShareBp: Number(participant.central_share_bp),
  });
  if (!entry) return null;
  return postEntry(em, participant.central_office_id, {
    key: `invoice:${invoiceId}`,
    entryDate: inv.invoice_date,
    description: `Factuur ${inv.number}`,
    createdBy: 'billing',
    entry,
  });
}

/**
 * The reversing entry (*tegenboeking*) of a posted entry: the same lines with sides swapped,
 * dated on the day given. An entry is reversed at most once (a second call answers the first
 * reversal); a reversal is not reversed.
 */
export async function reverseEntry(em: EntityManager, centralOfficeId: string, entryId: string, p: { entryDate: string; createdBy: string }): Promise<PostedEntry> {
  const original = await entryById(em, centralOfficeId, entryId);
  if (!original) throw refuse.notFound('journal entry', entryId);
  if (original.kind === 'reversal') throw refuse.conflict('reversal-not-reversed', 'a reversal is not reversed; post the entry again instead');
  const done = await reversalOfEntry(em, entryId);
  if (done) return { entryId: done.id, created: false };
  const byId = new Map<string, PostingLine['account']>();
  for (const a of await accountsOf(em, centralOfficeId)) {
    byId.set(a.id, a.kind === 'participant_rc' ? { kind: 'participant_rc', participantId: a.participant_office_id! } : { kind: a.kind });
  }
  const codes = new Map((await categoriesOf(em, centralOfficeId)).map((c) => [c.id, c.code]));
  const lines: PostingLine[] = (await linesOfEntry(em, entryId)).map((l) => ({
    account: byId.get(l.account_id)!,
    category: l.category_id ? codes.get(l.category_id)! : null,
    debitCents: Number(l.debit_cents),
    creditCents: Number(l.credit_cents),
  }));
  return postEntry(em, centralOfficeId, {
    key: `reversal:${entryId}`,
    entryDate: p.entryDate,
    description: `Tegenboeking ${original.description}`.slice(0, 200),
    createdBy: p.createdBy,
    entry: reversalOf({ kind: original.kind, lines }),
    reversesEntryId: entryId,
  });
}

/** Whether the office is a central organisation (the API's gate for the central overview). */
export async function isCentralOrganisation(em: EntityManager, officeId: string): Promise<boolean> {
  return (await organisationOf(em, officeId)) !== undefined;
}

/**
 * The invoices of one office issued together (an invoice run's range): nothing when the office
 * is no participant (one read), else each posted once as postInvoiceOfBilling does.
 */
export async function postInvoicesOfBilling(em: EntityManager, officeId: string, invoiceIds: readonly string[]): Promise<number> {
  if (invoiceIds.length === 0 || !(await participantOf(em, officeId))) return 0;
  let created = 0;
  for (const id of invoiceIds) if ((await postInvoiceOfBilling(em, id))?.created) created++;
  return created;
}
