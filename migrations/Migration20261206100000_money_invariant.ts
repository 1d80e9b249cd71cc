import { Migration } from '@mikro-orm/migrations';

/**
 * Money end to end (issue 15):
 *
 * - Every money column in cents becomes `bigint` and holds exactly the range of
 *   MAX_AMOUNT_CENTS (domain/billing/money.ts: 99,999,999,999 = € 999.999.999,99, the SEPA
 *   maximum of one transaction), the range the API schemas accept: contract prices, invoice
 *   amounts and lines, booking lines, collection costs. (sepa_exports.total_cents, a sum over a
 *   file, and insurance premiums were bigint already.) The number is written here, not imported:
 *   a migration stays as it was written.
 * - `invoices.paid_cents` is the money applied to the invoice: from 0 up to what is owed
 *   (total + costs). Money received beyond that is the client's credit: `invoices.credit_cents`
 *   (this invoice's part) and the ledger `client_credits` (per dossier, the client's account:
 *   overpayments, refunds and offsets). Existing rows are brought in line first: a negative paid
 *   amount (a storno booked before its collection, issue 15's "6050 open on 3025") becomes 0, an
 *   overpaid one is capped and its excess written to the ledger.
 * - `booking_lines.reference`: which money a line credits or takes back: the collection's
 *   EndToEndId, or `booking:<id>` of a payment line that was reversed by hand. A return counts
 *   once per reference and only against money that reference brought in.
 * - `office_billing_settings.manual_booking_limit_factor`: a booking by hand above this many
 *   times the invoice's total and costs needs an explicit confirmation (default 10).
 */
export class Migration20261206100000_money_invariant extends Migration {
  override up(): void {
    const max = '99999999999';

    this.addSql(`alter table contracts alter column amount_cents type bigint, alter column pending_amount_cents type bigint`);
    this.addSql(`alter table contracts add constraint contracts_amount_cents_max check (amount_cents <= ${max})`);
    this.addSql(`alter table contracts add constraint contracts_pending_amount_cents_max check (pending_amount_cents is null or pending_amount_cents <= ${max})`);

    this.addSql(`alter table invoices alter column net_cents type bigint, alter column vat_cents type bigint, alter column total_cents type bigint,
      alter column paid_cents type bigint, alter column costs_cents type bigint`);
    this.addSql(`alter table invoices add column credit_cents bigint not null default 0 check (credit_cents >= 0)`);

    this.addSql(`create table client_credits (
      id uuid primary key,
      key text not null unique,
      office_id uuid not null references offices (id),
      dossier_id uuid not null references dossiers (id),
      invoice_id uuid null references invoices (id),
      kind text not null check (kind in ('overpayment','refund','offset')),
      amount_cents bigint not null check (amount_cents <> 0 and abs(amount_cents) <= 9007199254740991),
      booking_id uuid null references booking_lines (id),
      note text null,
      created_by text not null,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index client_credits_dossier_idx on client_credits (dossier_id, created_at)`);
    this.addSql(`create index client_credits_invoice_idx on client_credits (invoice_id) where invoice_id is not null`);

    // Existing invoices: the money beyond what is owed moves to the client's credit, then the
    // paid amount holds the invariant (never negative, never above total + costs).
    const owed = `(case when status = 'credited' then 0 else total_cents + costs_cents end)`;
    this.addSql(`insert into client_credits (id, key, office_id, dossier_id, invoice_id, kind, amount_cents, note, created_by)
      select gen_random_uuid(), 'migration:' || id, office_id, dossier_id, id, 'overpayment', paid_cents - ${owed},
             'Tegoed: eerder meer ontvangen dan de factuur', 'migration'
      from invoices where paid_cents > ${owed}`);
    this.addSql(`update invoices set credit_cents = greatest(0, paid_cents - ${owed}), paid_cents = greatest(0, least(paid_cents, ${owed}))
      where paid_cents < 0 or paid_cents > ${owed}`);
    this.addSql(`alter table invoices add constraint invoices_amounts_max check (
      net_cents <= ${max} and vat_cents <= ${max} and total_cents <= ${max} and costs_cents <= ${max})`);
    this.addSql(`alter table invoices add constraint invoices_paid_within_owed check (paid_cents >= 0 and paid_cents <= total_cents + costs_cents)`);

    this.addSql(`alter table invoice_lines alter column net_cents type bigint, alter column vat_cents type bigint`);
    this.addSql(`alter table invoice_lines add constraint invoice_lines_amounts_max check (abs(net_cents) <= ${max} and abs(vat_cents) <= ${max})`);

    this.addSql(`alter table booking_lines alter column amount_cents type bigint`);
    this.addSql(`alter table booking_lines add constraint booking_lines_amount_cents_max check (amount_cents <= ${max})`);
    this.addSql(`alter table booking_lines add column reference text null`);
    // Lines booked before: collections and returns of the bank are about the invoice's EndToEndId.
    this.addSql(`update booking_lines b set reference = i.end_to_end_id from invoices i
      where i.id = b.invoice_id and b.source = 'camt' and b.kind in ('collection', 'reversal') and i.end_to_end_id is not null`);
    this.addSql(`create index booking_lines_reference_idx on booking_lines (invoice_id, reference) where reference is not null`);

    this.addSql(`alter table reminder_executions alter column costs_cents type bigint`);
    this.addSql(`alter table reminder_executions add constraint reminder_executions_costs_cents_range check (costs_cents between 0 and ${max})`);

    this.addSql(`alter table office_billing_settings add column manual_booking_limit_factor integer not null default 10
      check (manual_booking_limit_factor between 1 and 1000)`);
  }

  override down(): void {
    this.addSql(`alter table office_billing_settings drop column if exists manual_booking_limit_factor`);
    this.addSql(`alter table reminder_executions drop constraint if exists reminder_executions_costs_cents_range`);
    this.addSql(`alter table reminder_executions alter column costs_cents type integer`);
    this.addSql(`drop index if exists booking_lines_reference_idx`);
    this.addSql(`alter table booking_lines drop column if exists reference`);
    this.addSql(`alter table booking_lines drop constraint if exists booking_lines_amount_cents_max`);
    this.addSql(`alter table booking_lines alter column amount_cents type integer`);
    this.addSql(`alter table invoice_lines drop constraint if exists invoice_lines_amounts_max`);
    this.addSql(`alter table invoice_lines alter column net_cents type integer, alter column vat_cents type integer`);
    this.addSql(`alter table invoices drop constraint if exists invoices_paid_within_owed`);
    this.addSql(`alter table invoices drop constraint if exists invoices_amounts_max`);
    this.addSql(`drop table if exists client_credits`);
    this.addSql(`alter table invoices drop column if exists credit_cents`);
    this.addSql(`alter table invoices alter column net_cents type integer, alter column vat_cents type integer, alter column total_cents type integer,
      alter column paid_cents type integer, alter column costs_cents type integer`);
    this.addSql(`alter table contracts drop constraint if exists contracts_pending_amount_cents_max`);
    this.addSql(`alter table contracts drop constraint if exists contracts_amount_cents_max`);
    this.addSql(`alter table contracts alter column amount_cents type integer, alter column pending_amount_cents type integer`);
  }
}
