import { Migration } from '@mikro-orm/migrations';

/**
 * Query-manager filters on product parts (issue 19 deliverable 2): a part (*rechterdeel*) gets
 * the facts a selection asks for as columns, so "an interest-only loan part over € 200.000" and
 * "coverage A without coverage B" are index probes inside the one selection statement instead
 * of parsing descriptions.
 *
 * - `code`: an insurance coverage's code (RISK / the quote request), until now only in the
 *   description's trailing "(CODE)".
 * - `repayment_type`, `amount_cents`: a mortgage loan part's *aflossingsvorm* (the closed list
 *   of domain/selections/query.ts) and amount, until now only in "Leningdeel 1: aflossingsvrij
 *   € 250.000,00, 360 mnd".
 *
 * Existing rows are filled from their descriptions (the formats services/hdn/loan-parts.ts and
 * domain/insurance/premium.ts write); a description that does not parse keeps null.
 */
export class Migration20261211100000_selection_filters extends Migration {
  override up(): void {
    this.addSql(`alter table product_parts
      add column code text null,
      add column repayment_type text null check (repayment_type is null or repayment_type in
        ('annuiteit','lineair','aflossingsvrij','spaarhypotheek','bankspaarhypotheek','beleggingshypotheek')),
      add column amount_cents bigint null check (amount_cents is null or amount_cents >= 0)`);

    this.addSql(`update product_parts pp set code = substring(pp.description from '\\(([^()]+)\\)$')
      from products p where p.id = pp.product_id and p.type = 'insurance' and pp.description ~ '\\([^()]+\\)$'`);

    this.addSql(`with parsed as (
        select pp.id, regexp_match(pp.description, '^Leningdeel [^:]+: (\\S+) € ([0-9.]{1,15}),([0-9]{2}),') as m
          from product_parts pp join products p on p.id = pp.product_id
         where p.type = 'mortgage' and pp.description like 'Leningdeel %'
      )
      update product_parts pp set
        repayment_type = case replace(lower(parsed.m[1]), 'ï', 'i')
          when 'annuiteit' then 'annuiteit' when 'lineair' then 'lineair' when 'aflossingsvrij' then 'aflossingsvrij'
          when 'spaarhypotheek' then 'spaarhypotheek' when 'bankspaarhypotheek' then 'bankspaarhypotheek'
          when 'beleggingshypotheek' then 'beleggingshypotheek' end,
        amount_cents = replace(parsed.m[2], '.', '')::bigint * 100 + parsed.m[3]::bigint
      from parsed where parsed.id = pp.id and parsed.m is not null`);

    // The selection probes a dossier's products (products_dossier_type_idx), then their parts by
    // product (the (product_id, number) unique index); these let PostgreSQL start from the rare
    // side instead ("the few persons with a BAV-A coverage").
    this.addSql(`create index product_parts_code_idx on product_parts (code, product_id) where code is not null`);
    this.addSql(`create index product_parts_repayment_idx on product_parts (repayment_type, product_id) where repayment_type is not null`);
  }

  override down(): void {
    this.addSql(`drop index if exists product_parts_repayment_idx`);
    this.addSql(`drop index if exists product_parts_code_idx`);
    this.addSql(`alter table product_parts drop column if exists amount_cents, drop column if exists repayment_type, drop column if exists code`);
  }
}
