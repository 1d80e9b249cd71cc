import { Migration } from '@mikro-orm/migrations';

/**
 * Credit control (issue 19): an action group can be archived (`archived_at`): it leaves the
 * choices for new runs, its runs and executions stay readable. Its name becomes free for a new
 * group, so the name is unique among the groups in use only.
 *
 * A reminder run records its selection: `requested_ids` are the invoices the adviser ticked (null:
 * the run resolved its filter, "select all"), `invoice_ids` the invoices it acted on (null for
 * runs made before this column: their `results` list them). The idempotency and "never in two
 * runs of the same step at once" rules are in services/billing/reminders.ts.
 */
export class Migration20261209100000_credit_control extends Migration {
  override up(): void {
    this.addSql(`alter table action_groups add column archived_at timestamptz null`);
    this.addSql(`alter table action_groups drop constraint action_groups_office_name_unique`);
    this.addSql(`create unique index action_groups_office_name_unique on action_groups (office_id, name) where archived_at is null`);
    this.addSql(`alter table reminder_runs add column requested_ids uuid[] null, add column invoice_ids uuid[] null`);
    // The in-progress runs of one step, looked up when a new run claims its invoices.
    this.addSql(`create index reminder_runs_open_idx on reminder_runs (action_group_id, action_index) where processed_at is null`);
  }

  override down(): void {
    this.addSql(`drop index if exists reminder_runs_open_idx`);
    this.addSql(`alter table reminder_runs drop column if exists requested_ids, drop column if exists invoice_ids`);
    this.addSql(`drop index if exists action_groups_office_name_unique`);
    this.addSql(`alter table action_groups add constraint action_groups_office_name_unique unique (office_id, name)`);
    this.addSql(`alter table action_groups drop column if exists archived_at`);
  }
}
