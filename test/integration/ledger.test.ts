/**
 * The RC ledger against a real PostgreSQL: what the database itself guarantees (every entry
 * balances at commit, posted rows are immutable, a line's account and category belong to its
 * entry's central organisation, the copies on the line come from the entry and account), the
 * organisation structure, and the postings of the services: idempotent by key, reversals, and
 * the platform's invoices of a participant booked once when issued (through the real activity).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '../../db/orm.js';
import { newId } from '../../db/ids.js';
import { createMailer, type Mailer } from '../../integrations/mail/transport.js';
import { createBillingActivities } from '../../activities/billing.activities.js';
import type { BillingActivities } from '../../activities/billing.contract.js';
import { addParticipant, setUpCentralOrganisation, setVisibility } from '../../services/ledger/organisation.js';
import { postCharge, postCommission, postInvoiceOfBilling, reverseEntry } from '../../services/ledger/posting.js';
import { createFixture, startSmtpPeer, testDatabase, type SmtpPeer, type TestDatabase } from './support.js';

let db: TestDatabase;
let smtp: SmtpPeer;
let orm: MikroORM;
let mailer: Mailer;
let acts: BillingActivities;

beforeAll(async () => {
  db = await testDatabase();
  smtp = await startSmtpPeer();
  orm = await createOrm(db.url);
  mailer = createMailer(smtp.url);
  acts = createBillingActivities({ orm, mailer, settings: { mailFrom: 'Test Advies <noreply@test-advies.nl>' } });
}, 120_000);

afterAll(async () => {
  mailer?.close();
  await orm?.close(true);
  await smtp?.stop();
  await db?.stop();
});

const em = () => orm.em.fork();
const IBAN = 'NL91ABNA0417164300';

async function office(name: string): Promise<string> {
  const id = newId();
  await em().execute('insert into offices (id, name) values (?, ?)', [id, `${name} ${id.slice(0, 6)}`]);
  return id;
}

/** A central organisation with two participants (20% share for the first). */
async function chain(): Promise<{ central: string; p1: string; p2: string }> {
  const central = await office('Centraal');
  const p1 = await office('Deelnemer een');
  const p2 = await office('Deelnemer twee');
  await setUpCentralOrganisation(em(), central, { iban: IBAN });
  await addParticipant(em(), central, { officeId: p1, mayViewOverview: true, centralShareBp: 2000, iban: 'NL20INGB0001234567' });
  await addParticipant(em(), central, { officeId: p2, mayViewOverview: false });
  return { central, p1, p2 };
}

async function balanceOf(participant: string): Promise<number> {
  const [r] = await em().execute<{ b: string }[]>(
    'select coalesce(sum(credit_cents - debit_cents), 0) as b from journal_lines where participant_office_id = ?',
    [participant],
  );
  return Number(r!.b);
}

async function trial(central: string): Promise<number> {
  const [r] = await em().execute<{ t: string }[]>('select coalesce(sum(debit_cents - credit_cents), 0) as t from journal_lines where central_office_id = ?', [central]);
  return Number(r!.t);
}

async function accountId(central: string, kind: string): Promise<string> {
  const [r] = await em().execute<{ id: string }[]>('select id from ledger_accounts where central_office_id = ? and kind = ?', [central, kind]);
  return r!.id;
}

/** Inserts an entry with the given lines in one transaction, as raw SQL (bypassing the code's checks). */
async function rawEntry(central: string, lines: [string, number, number][]): Promise<void> {
  await em().transactional(async (tem) => {
    const id = newId();
    await tem.execute(
      `insert into journal_entries (id, central_office_id, key, kind, entry_date, description, created_by) values (?, ?, ?, 'charge', '2026-03-01', 'raw', 'test')`,
      [id, central, `raw:${id}`],
    );
    for (const [account, d, c] of lines) {
      await tem.execute('insert into journal_lines (entry_id, account_id, debit_cents, credit_cents) values (?, ?, ?, ?)', [id, account, d, c]);
    }
  });
}

describe('the database keeps the ledger balanced and immutable', () => {
  it('commits a balanced entry and refuses an unbalanced one or one without lines at commit', async () => {
    const { central } = await chain();
    const bank = await accountId(central, 'bank');
    const revenue = await accountId(central, 'revenue');
    await rawEntry(central, [[bank, 100, 0], [revenue, 0, 100]]);
    await expect(rawEntry(central, [[bank, 100, 0], [revenue, 0, 99]])).rejects.toThrow(/does not balance/);
    await expect(rawEntry(central, [[bank, 100, 0]])).rejects.toThrow(/does not balance/);
    await expect(rawEntry(central, [])).rejects.toThrow(/does not balance/);
    await expect(rawEntry(central, [[bank, 100, 100], [revenue, 0, 0]])).rejects.toThrow(/journal_lines_one_side/);
    const [n] = await em().execute<{ n: number }[]>('select count(*)::int as n from journal_entries where central_office_id = ?', [central]);
    expect(n!.n).toBe(1);
    expect(await trial(central)).toBe(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of posted entries and lines', async () => {
    const { central, p1 } = await chain();
    const posted = await postCommission(em(), central, { participantOfficeId: p1, reference: 'imm-1', productType: 'mortgage', amountCents: 500, entryDate: '2026-02-01', createdBy: 'test' });
    for (const sql of [
      ['update journal_lines set debit_cents = debit_cents + 1 where entry_id = ?', [posted.entryId]],
      ['delete from journal_lines where entry_id = ?', [posted.entryId]],
      ["update journal_entries set description = 'x' where id = ?", [posted.entryId]],
      ['delete from journal_entries where id = ?', [posted.entryId]],
      ['truncate journal_lines', []],
      ['truncate journal_entries cascade', []],
    ] as const) {
      await expect(em().execute(sql[0], [...sql[1]])).rejects.toThrow(/immutable once posted/);
    }
    expect(await balanceOf(p1)).toBe(400);
  });

  it('fills the line\'s participant and date from its account and entry, and refuses another organisation\'s account', async () => {
    const a = await chain();
    const b = await chain();
    await postCommission(em(), a.central, { participantOfficeId: a.p1, reference: 'fill-1', productType: null, amountCents: 1000, entryDate: '2026-05-06', createdBy: 'test' });
    const lines = await em().execute<{ participant_office_id: string | null; entry_date: string }[]>(
      `select participant_office_id, to_char(entry_date, 'YYYY-MM-DD') as entry_date from journal_lines where central_office_id = ? order by id`,
      [a.central],
    );
    expect(lines.map((l) => l.participant_office_id)).toEqual([null, null, a.p1]);
    expect(new Set(lines.map((l) => l.entry_date))).toEqual(new Set(['2026-05-06']));
    await expect(rawEntry(a.central, [[await accountId(a.central, 'bank'), 5, 0], [await accountId(b.central, 'revenue'), 0, 5]])).rejects.toThrow(
      /another central organisation/,
    );
  });
});

describe('organisation structure', () => {
  it('one level: a participant is not a central organisation, nor its own or another one\'s participant', async () => {
    const { central, p1 } = await chain();
    const other = await chain();
    await expect(setUpCentralOrganisation(em(), p1, { iban: IBAN })).rejects.toMatchObject({ slug: 'office-is-participant' });
    await expect(addParticipant(em(), central, { officeId: central, mayViewOverview: true })).rejects.toMatchObject({ slug: 'own-participant' });
    await expect(addParticipant(em(), central, { officeId: other.central, mayViewOverview: true })).rejects.toMatchObject({ slug: 'office-is-central' });
    await expect(addParticipant(em(), other.central, { officeId: p1, mayViewOverview: true })).rejects.toMatchObject({ kind: 'not-found' });
    await expect(addParticipant(em(), p1, { officeId: other.p1, mayViewOverview: true })).rejects.toMatchObject({ slug: 'not-central-organisation' });
    await expect(setUpCentralOrganisation(em(), await office('X'), { iban: 'NL00ABNA0417164300' })).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('the visibility setting is per participant and only its own central organisation changes it', async () => {
    const { central, p2 } = await chain();
    const other = await chain();
    await setVisibility(em(), central, p2, true);
    const [r] = await em().execute<{ may_view_overview: boolean }[]>('select may_view_overview from rc_participants where office_id = ?', [p2]);
    expect(r!.may_view_overview).toBe(true);
    await expect(setVisibility(em(), other.central, p2, false)).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('postings', () => {
  it('commission: the participant\'s share on its RC, the central share as revenue; a retry posts once', async () => {
    const { central, p1, p2 } = await chain();
    const c = { participantOfficeId: p1, reference: 'stmt-42/1', productType: 'mortgage', amountCents: 1234_56, entryDate: '2026-04-01', createdBy: 'test' };
    const first = await postCommission(em(), central, c);
    const again = await postCommission(em(), central, c);
    expect(again).toEqual({ entryId: first.entryId, created: false });
    expect(await balanceOf(p1)).toBe(1234_56 - 246_91);
    expect(await balanceOf(p2)).toBe(0);
    expect(await trial(central)).toBe(0);
    const [cat] = await em().execute<{ name: string; kind: string }[]>(
      `select c.name, c.kind from journal_lines l join booking_categories c on c.id = l.category_id where l.entry_id = ? limit 1`,
      [first.entryId],
    );
    expect(cat).toEqual({ name: 'Hypotheek', kind: 'income' });
  });

  it('a participant of another central organisation is not posted to', async () => {
    const a = await chain();
    const b = await chain();
    await expect(postCommission(em(), a.central, { participantOfficeId: b.p1, reference: 'x', productType: null, amountCents: 1, entryDate: '2026-01-01', createdBy: 't' })).rejects.toMatchObject({
      kind: 'not-found',
    });
  });

  it('a reversal restores the balances, once; a reversal is not reversed', async () => {
    const { central, p2 } = await chain();
    await postCommission(em(), central, { participantOfficeId: p2, reference: 'keep', productType: 'service', amountCents: 300, entryDate: '2026-01-02', createdBy: 't' });
    const charge = await postCharge(em(), central, { participantOfficeId: p2, reference: 'lic-2026', categoryCode: 'licentie', amountCents: 120, entryDate: '2026-01-03', createdBy: 't' });
    expect(await balanceOf(p2)).toBe(180);
    const rev = await reverseEntry(em(), central, charge.entryId, { entryDate: '2026-01-04', createdBy: 't' });
    expect(rev.created).toBe(true);
    expect(await balanceOf(p2)).toBe(300);
    expect(await reverseEntry(em(), central, charge.entryId, { entryDate: '2026-01-05', createdBy: 't' })).toEqual({ entryId: rev.entryId, created: false });
    await expect(reverseEntry(em(), central, rev.entryId, { entryDate: '2026-01-05', createdBy: 't' })).rejects.toMatchObject({ slug: 'reversal-not-reversed' });
    expect(await trial(central)).toBe(0);
  });
});

describe('the platform\'s invoices', () => {
  async function contractInvoice(officeId: string, f: { productId: string; dossierId: string }): Promise<string> {
    const contractId = newId();
    await em().execute(
      `insert into contracts (id, office_id, product_id, dossier_id, description, amount_cents, vat_rate, period, start_date, payment_method,
         delivery, consumer, workflow_id)
       values (?, ?, ?, ?, 'Servicepakket hypotheek', 10000, 21, 'month', '2026-11-01', 'transfer', 'email', true, ?)`,
      [contractId, officeId, f.productId, f.dossierId, `contract:${contractId}`],
    );
    const created = await acts.createContractInvoice({
      key: `contract:${contractId}:2026-11-01`,
      contractId,
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      billedFrom: '2026-11-01',
      billedUntil: '2026-11-30',
      invoiceDate: '2026-11-01',
    });
    return created.invoiceId;
  }

  it('an invoice of a participant is booked when issued, once, also when the activity runs again', async () => {
    const central = await office('Centraal');
    await setUpCentralOrganisation(em(), central, { iban: IBAN });
    const f = await createFixture(orm);
    await addParticipant(em(), central, { officeId: f.officeId, mayViewOverview: true, centralShareBp: 1000 });
    const invoiceId = await contractInvoice(f.officeId, f);
    await acts.issueInvoice({ invoiceId });
    await acts.issueInvoice({ invoiceId });
    expect(await postInvoiceOfBilling(em(), invoiceId)).toMatchObject({ created: false });
    const entries = await em().execute<{ kind: string; description: string }[]>('select kind, description from journal_entries where key = ?', [`invoice:${invoiceId}`]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.description).toMatch(/^Factuur /);
    // 100.00 net, 21.00 VAT, 10% to the central organisation: 90.00 owed to the participant.
    expect(await balanceOf(f.officeId)).toBe(90_00);
    expect(await trial(central)).toBe(0);
  });

  it('an invoice of an office that is no participant books nothing', async () => {
    const f = await createFixture(orm);
    const invoiceId = await contractInvoice(f.officeId, f);
    await acts.issueInvoice({ invoiceId });
    expect(await postInvoiceOfBilling(em(), invoiceId)).toBeNull();
    const entries = await em().execute('select 1 from journal_entries where key = ?', [`invoice:${invoiceId}`]);
    expect(entries).toHaveLength(0);
  });
});
