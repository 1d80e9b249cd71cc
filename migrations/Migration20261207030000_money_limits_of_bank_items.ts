import { Migration } from '@mikro-orm/migrations';

/**
 * The one maximum of an amount (domain/billing/money.ts MAX_AMOUNT_CENTS = 99,999,999,999 cents,
 * the SEPA maximum of one transaction; Migration20261206100000_money_invariant set it on every
 * money column it had) also on the collections of a pain.008 as exported
 * (`sepa_export_items.amount_cents`, from Migration20261207020000_bank_statements): one
 * collection is one invoice's open amount. (`bank_import_items.amount_cents` is what a bank file
 * said, a batch total included: it is kept as the bank wrote it, and an item above the maximum is
 * never booked.) The number is written here, not imported: a migration stays as it was written.
 */
export class Migration20261207030000_money_limits_of_bank_items extends Migration {
  override up(): void {
    this.addSql(`alter table sepa_export_items add constraint sepa_export_items_amount_cents_max check (amount_cents <= 99999999999)`);
  }

  override down(): void {
    this.addSql(`alter table sepa_export_items drop constraint if exists sepa_export_items_amount_cents_max`);
  }
}
