import { Migration } from '@mikro-orm/migrations';

/**
 * What the billing API needs on top of the billing tables to keep docs/ARCHITECTURE.md rules 4 and 2:
 *
 * - `delivered_at` on booking lines and SEPA exports: the row is committed first, then the
 *   invoice workflows are signalled. When Temporal is down the API answers 503 and the facts
 *   stay stored; this column tells a retry (re-import of the same bank file, or
 *   POST /billing/deliveries) which signals are still owed, so nothing is signalled twice
 *   after a successful delivery and nothing is forgotten after a failed one.
 * - `bank_imports.unmatched_items` and `raw_xml`: the statement is stored as received, and the
 *   entries that matched no invoice can be read back (a duplicate import answers the first
 *   import's result, including its unmatched list).
 * - `reminder_runs.results`: the outcome per invoice of a run, including the invoices the
 *   workflow refused (e.g. paid meanwhile) with the reason: history that no execution row holds.
 * - `booking_lines.applied`: the kinds (payment/collection/reversal) the invoice workflow has
 *   applied for this line, so a signal delivered twice (its answer lost) never counts twice,
 *   also in a later run of the workflow.
 */
export class Migration20261123020000_billing_delivery extends Migration {
  override up(): void {
    this.addSql(`alter table booking_lines add column delivered_at timestamptz null`);
    this.addSql(`create index booking_lines_undelivered_idx on booking_lines (office_id) where delivered_at is null`);
    this.addSql(`alter table sepa_exports add column delivered_at timestamptz null`);
    this.addSql(`alter table bank_imports add column unmatched_items jsonb not null default '[]'::jsonb`);
    this.addSql(`alter table bank_imports add column raw_xml text null`);
    this.addSql(`alter table reminder_runs add column results jsonb null`);
    this.addSql(`alter table booking_lines add column applied text[] not null default '{}'`);
  }

  override down(): void {
    this.addSql(`alter table booking_lines drop column if exists applied`);
    this.addSql(`alter table reminder_runs drop column if exists results`);
    this.addSql(`alter table bank_imports drop column if exists raw_xml`);
    this.addSql(`alter table bank_imports drop column if exists unmatched_items`);
    this.addSql(`alter table sepa_exports drop column if exists delivered_at`);
    this.addSql(`drop index if exists booking_lines_undelivered_idx`);
    this.addSql(`alter table booking_lines drop column if exists delivered_at`);
  }
}
