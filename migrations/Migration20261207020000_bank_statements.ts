import { Migration } from '@mikro-orm/migrations';

/**
 * Bank statements as banks write them (issue 15): batch credits, returns and pain.002 rejects in
 * any order and any file, and the reconciliation of every import.
 *
 * - `sepa_export_items`: what each pain.008 asked the bank, one row per collection (EndToEndId,
 *   PmtInfId, invoice, amount), and what the bank said about it so far: the booking that
 *   credited it, returned it (storno) or recorded its reject before settlement. A batch credit
 *   (`NtryDtls/Btch/PmtInfId`) is matched against these rows (count and total), and each fact is
 *   booked once per collection whichever file brings it (a camt.054 and the day's camt.053 may
 *   carry the same credit). Exports made before this migration are read back from their stored
 *   pain.008 (`sepa_exports.xml`) for the collections whose invoice still carries that EndToEndId.
 * - `bank_import_items`: the reconciliation of an import, one row per transaction, batch or
 *   reject: what it was, whether it was booked (and on which invoices, by which booking lines),
 *   or why not; and for an entry matched by hand, who did it, when, and to which invoice.
 * - `booking_lines.kind` gets `rejection` (a collection the bank refused before settlement: no
 *   money moved) and `booking_lines.source` gets `pain002`; `bank_imports.format` becomes a
 *   closed list (camt.053, camt.054, pain.002).
 */
export class Migration20261207020000_bank_statements extends Migration {
  override up(): void {
    this.addSql(`create table sepa_export_items (
      end_to_end_id text primary key,
      office_id uuid not null references offices (id),
      export_id uuid not null references sepa_exports (id),
      payment_info_id text not null,
      invoice_id uuid not null references invoices (id),
      amount_cents bigint not null check (amount_cents > 0),
      sequence_type text not null check (sequence_type in ('FRST','RCUR','FNAL','OOFF')),
      credited_booking_id uuid null references booking_lines (id),
      returned_booking_id uuid null references booking_lines (id),
      rejected_booking_id uuid null references booking_lines (id),
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index sepa_export_items_payment_info_idx on sepa_export_items (office_id, payment_info_id)`);
    this.addSql(`create index sepa_export_items_export_idx on sepa_export_items (export_id)`);
    this.addSql(`create index sepa_export_items_invoice_idx on sepa_export_items (invoice_id)`);

    // Earlier exports, from the pain.008 as stored (its PmtInf and DrctDbtTxInf, exact amounts).
    this.addSql(`insert into sepa_export_items (end_to_end_id, office_id, export_id, payment_info_id, invoice_id, amount_cents, sequence_type)
      select tx.end_to_end_id, e.office_id, e.id, tx.payment_info_id, i.id, tx.amount_cents, tx.sequence_type
        from sepa_exports e
        cross join lateral (
          select (xpath('string(./*[local-name()="PmtInfId"])', pi))[1]::text as payment_info_id,
                 (xpath('string(./*[local-name()="PmtTpInf"]/*[local-name()="SeqTp"])', pi))[1]::text as sequence_type,
                 (xpath('string(./*[local-name()="PmtId"]/*[local-name()="EndToEndId"])', t))[1]::text as end_to_end_id,
                 round((xpath('string(./*[local-name()="InstdAmt"])', t))[1]::text::numeric * 100)::bigint as amount_cents
            from unnest(xpath('/*[local-name()="Document"]/*[local-name()="CstmrDrctDbtInitn"]/*[local-name()="PmtInf"]',
                              xmlparse(document regexp_replace(e.xml, '^<\\?xml[^>]*\\?>', '')))) as pi,
                 unnest(xpath('./*[local-name()="DrctDbtTxInf"]', pi)) as t
        ) tx
        join invoices i on i.office_id = e.office_id and i.end_to_end_id = tx.end_to_end_id
       where tx.amount_cents > 0 and tx.sequence_type in ('FRST','RCUR','FNAL','OOFF')
      on conflict (end_to_end_id) do nothing`);
    // Bookings made before: the collections and returns already booked for these EndToEndIds.
    this.addSql(`update sepa_export_items x set credited_booking_id = b.id
      from invoices i, booking_lines b
      where i.id = x.invoice_id and i.end_to_end_id = x.end_to_end_id and b.invoice_id = i.id and b.kind = 'collection' and b.source = 'camt'
        and b.id = (select b2.id from booking_lines b2 where b2.invoice_id = i.id and b2.kind = 'collection' and b2.source = 'camt' order by b2.created_at limit 1)`);
    this.addSql(`update sepa_export_items x set returned_booking_id = b.id
      from invoices i, booking_lines b
      where i.id = x.invoice_id and i.end_to_end_id = x.end_to_end_id and b.invoice_id = i.id and b.kind = 'reversal' and b.source = 'camt'
        and b.id = (select b2.id from booking_lines b2 where b2.invoice_id = i.id and b2.kind = 'reversal' and b2.source = 'camt' order by b2.created_at limit 1)`);

    this.addSql(`alter table booking_lines drop constraint booking_lines_kind_check`);
    this.addSql(`alter table booking_lines add constraint booking_lines_kind_check check (kind in ('payment','collection','reversal','rejection'))`);
    this.addSql(`alter table booking_lines drop constraint booking_lines_source_check`);
    this.addSql(`alter table booking_lines add constraint booking_lines_source_check check (source in ('camt','pain002','manual'))`);
    this.addSql(`alter table bank_imports add constraint bank_imports_format_check check (format in ('camt.053','camt.054','pain.002'))`);

    this.addSql(`create table bank_import_items (
      id uuid primary key,
      import_id uuid not null references bank_imports (id),
      office_id uuid not null references offices (id),
      statement_index integer not null check (statement_index >= 0),
      entry_index integer not null check (entry_index >= 0),
      transaction_index integer not null,
      kind text not null check (kind in ('credit','batch','return','debit','reject')),
      outcome text not null check (outcome in ('booked','already_booked','unmatched','matched_by_hand')),
      credit_debit text not null check (credit_debit in ('CRDT','DBIT')),
      amount_cents bigint not null check (amount_cents >= 0),
      booking_date date null,
      end_to_end_id text null,
      payment_info_id text null,
      batch_message_id text null,
      transactions integer null,
      remittance text null,
      reason_code text null,
      reason text null,
      matchable boolean not null default false,
      booking_key text null,
      invoice_ids uuid[] not null default '{}',
      booking_ids uuid[] not null default '{}',
      matched_by text null,
      matched_at timestamptz null,
      match_note text null,
      created_at timestamptz not null default now(),
      constraint bank_import_items_position_unique unique (import_id, statement_index, entry_index, transaction_index)
    )`);
    this.addSql(`create index bank_import_items_unmatched_idx on bank_import_items (office_id) where outcome = 'unmatched'`);
  }

  override down(): void {
    this.addSql(`drop table if exists bank_import_items`);
    this.addSql(`alter table bank_imports drop constraint if exists bank_imports_format_check`);
    this.addSql(`alter table booking_lines drop constraint booking_lines_source_check`);
    this.addSql(`alter table booking_lines add constraint booking_lines_source_check check (source in ('camt','manual'))`);
    this.addSql(`alter table booking_lines drop constraint booking_lines_kind_check`);
    this.addSql(`alter table booking_lines add constraint booking_lines_kind_check check (kind in ('payment','collection','reversal'))`);
    this.addSql(`drop table if exists sepa_export_items`);
  }
}
