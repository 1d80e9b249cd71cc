import { Migration } from '@mikro-orm/migrations';

/**
 * RISK on SIVI AFD (issue 17, deliverables 3 and 5):
 * - `risk_messages.state` may be 'parked': a message that failed RISK's AFD XSD (XSD_DIR_AFD) is
 *   stored, then parked with the validator's words, and never routed (not even by hand: matching
 *   by hand only takes 'waiting'). The check constraint is replaced with the full list written
 *   here (a migration stays as it was written; domain/insurance/risk-messages.ts follows it and
 *   test/integration/closed-lists.test.ts compares the two).
 * - `risk_messages.notes`: what the mapping could not explain when the message was read (unknown
 *   branch or code, fallbacks), shown in the RISK inbox. Rows stored before have none ('[]').
 * - `raw_xml` keeps its name; it now also holds AFD 2.0 JSON bodies as received (the codec
 *   chooses the reader by the body's form).
 */
export class Migration20261207040000_risk_afd extends Migration {
  override up(): void {
    this.addSql(`alter table risk_messages drop constraint if exists risk_messages_state_check`);
    this.addSql(
      `alter table risk_messages add constraint risk_messages_state_check check (state in ('received','waiting','parked','delivered','applied','ignored','recorded'))`,
    );
    this.addSql(`alter table risk_messages add column notes jsonb not null default '[]'::jsonb check (jsonb_typeof(notes) = 'array')`);
  }

  override down(): void {
    this.addSql(`alter table risk_messages drop column if exists notes`);
    // A parked message goes back to 'waiting' (with its reason) so the old constraint holds.
    this.addSql(`update risk_messages set state = 'waiting' where state = 'parked'`);
    this.addSql(`alter table risk_messages drop constraint if exists risk_messages_state_check`);
    this.addSql(
      `alter table risk_messages add constraint risk_messages_state_check check (state in ('received','waiting','delivered','applied','ignored','recorded'))`,
    );
  }
}
