import { Migration } from '@mikro-orm/migrations';

/**
 * The two closed lists of a stored Ockto callback get the CHECK every other closed list has
 * (test/integration/closed-lists.test.ts compares them with domain/ockto/retrieval.ts):
 * - `ockto_callbacks.status`: what Ockto said of the session (pending, shared, declined,
 *   expired, failed);
 * - `ockto_callbacks.outcome`: what we did with the callback (accepted, ignored, unknown-session).
 * Existing rows hold only these values (the code never wrote others); a row that does not makes
 * this migration fail loudly instead of being changed.
 */
export class Migration20261206000000_ockto_callback_checks extends Migration {
  override up(): void {
    this.addSql(`alter table ockto_callbacks add constraint ockto_callbacks_status_check
      check (status in ('pending','shared','declined','expired','failed'))`);
    this.addSql(`alter table ockto_callbacks add constraint ockto_callbacks_outcome_check
      check (outcome in ('accepted','ignored','unknown-session'))`);
  }

  override down(): void {
    this.addSql(`alter table ockto_callbacks drop constraint if exists ockto_callbacks_outcome_check`);
    this.addSql(`alter table ockto_callbacks drop constraint if exists ockto_callbacks_status_check`);
  }
}
