import { Migration } from '@mikro-orm/migrations';

/**
 * The invoice run (`invoice-run:<officeId>:<date>`, services/billing/invoice-run.ts):
 * - `invoices.run_key`: the run that made the invoice (null for invoices made one at a time);
 *   the run issues, sweeps and follows up its own invoices by it.
 * - `invoices.follower_started`: whether `invoice:<id>` may exist. Invoices made one at a time
 *   start it at once (true, the default for every existing row); a run's invoices start it only
 *   when one is needed (a booking, a reminder action, the due date unpaid): set before the start,
 *   so a SEPA export knows which invoices have a workflow to tell and which it settles itself.
 * - `contracts (office_id, next_invoice_date, id)`: the run claims the office's due contracts,
 *   in that order.
 */
export class Migration20261206120000_invoice_run extends Migration {
  override up(): void {
    this.addSql(`alter table invoices add column run_key text null`);
    this.addSql(`alter table invoices add column follower_started boolean not null default true`);
    this.addSql(`create index invoices_run_idx on invoices (run_key, status) where run_key is not null`);
    // With the id: a chunk (lockDueContracts, in the order of date and id) reads its 1,000 rows
    // in index order and stops, instead of sorting all the office's due contracts every chunk.
    this.addSql(`create index contracts_due_idx on contracts (office_id, next_invoice_date, id) where next_invoice_date is not null`);
  }

  override down(): void {
    this.addSql(`drop index if exists contracts_due_idx`);
    this.addSql(`drop index if exists invoices_run_idx`);
    this.addSql(`alter table invoices drop column if exists follower_started`);
    this.addSql(`alter table invoices drop column if exists run_key`);
  }
}
