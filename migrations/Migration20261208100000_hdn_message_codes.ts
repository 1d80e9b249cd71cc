import { Migration } from '@mikro-orm/migrations';

/**
 * HDN messages in the public structure (issue 17) can carry codes our data file for their HDN
 * version does not know (an SX status 77) or marks unverified (SX 31 when the office has not
 * enabled it). Such a message is stored and acted on as far as we can, never refused; the codes
 * are kept with it here (a JSON array of {field, element, list, code, status}) so the inbox can
 * say "unknown status 77". Null: none (and every message stored before this column existed).
 */
export class Migration20261208100000_hdn_message_codes extends Migration {
  override up(): void {
    this.addSql(`alter table hdn_messages add column codes jsonb null
      check (codes is null or (jsonb_typeof(codes) = 'array' and jsonb_array_length(codes) > 0))`);
  }

  override down(): void {
    this.addSql(`alter table hdn_messages drop column if exists codes`);
  }
}
