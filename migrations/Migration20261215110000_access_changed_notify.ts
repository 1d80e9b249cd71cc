import { Migration } from '@mikro-orm/migrations';

/**
 * Tells every API process at once that a bearer credential changed (revoked, given another
 * role or office, deleted), whoever changed it: another API replica, `npm run seed`, SQL by hand.
 * A trigger on `api_credentials` NOTIFYs the channel `dossierflow_access` at the end of the
 * statement, which PostgreSQL delivers at commit (never for a rolled-back change); each API
 * process LISTENs (services/access/access-listener.ts) and empties its memory of bearer tokens
 * (services/access/principal-cache.ts). Before, another process's revocation held only after the
 * cache's time to live (5 s). Only the columns a bearer look-up reads fire it: new credentials
 * (unknown tokens are never remembered) and the HDN node number do not.
 */
export class Migration20261215110000_access_changed_notify extends Migration {
  override up(): void {
    this.addSql(`create function api_credentials_notify_changed() returns trigger language plpgsql as $$
      begin
        perform pg_notify('dossierflow_access', tg_op);
        return null;
      end $$`);
    this.addSql(`create trigger api_credentials_changed after update of revoked_at, role, office_id, token_hash or delete on api_credentials
      for each statement execute function api_credentials_notify_changed()`);
  }

  override down(): void {
    this.addSql(`drop trigger if exists api_credentials_changed on api_credentials`);
    this.addSql(`drop function if exists api_credentials_notify_changed()`);
  }
}
