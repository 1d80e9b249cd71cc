/**
 * "Nieuwe AX-versie nodig" (issue 18): a mortgage application already sent to the lender is not
 * changed silently. The AX carries every edited person field of each applicant
 * (integrations/hdn/types.ts `HdnApplicant`, domain/crm/person-changes.ts), so any field-history
 * line of an applicant of the product's dossier after the last AX that went out (state `sent`)
 * means the lender decides on outdated data. Derived when read, so it holds until a newer AX
 * version is sent, and nothing is sent automatically.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { isoInstant, rows, type Row } from '../../db/sql.js';
import type { AxVersionNeeded } from './schemas.js';

interface ChangeRow extends Row {
  product_id: string;
  sent_at: unknown;
  application_version: number;
  person_id: string;
  position: number;
  field: string;
  at: unknown;
}

/** For each of the products that needs a new AX version: what changed since the last AX sent. Products that need none are absent. */
export async function axVersionNeededOf(em: EntityManager, productIds: readonly string[]): Promise<Map<string, AxVersionNeeded>> {
  const out = new Map<string, AxVersionNeeded>();
  if (productIds.length === 0) return out;
  const found = await rows<ChangeRow>(
    em,
    `select p.id as product_id, ax.sent_at, ax.application_version, h.person_id, a.position, h.field, min(h.at) as at
       from products p
       join lateral (select m.processed_at as sent_at, m.application_version from hdn_messages m
                      where m.product_id = p.id and m.direction = 'out' and m.type = 'AX' and m.state = 'sent'
                      order by m.processed_at desc limit 1) ax on true
       join dossier_applicants a on a.dossier_id = p.dossier_id
       join person_field_history h on h.person_id = a.person_id and h.at > ax.sent_at
      where p.id in (${productIds.map(() => '?').join(', ')})
      group by p.id, ax.sent_at, ax.application_version, h.person_id, a.position, h.field
      order by p.id, min(h.at), a.position, h.field`,
    [...productIds],
  );
  for (const r of found) {
    const at = isoInstant(r.at) ?? '';
    let entry = out.get(r.product_id);
    if (!entry) {
      entry = { sentAt: isoInstant(r.sent_at) ?? '', applicationVersion: Number(r.application_version), since: at, changes: [] };
      out.set(r.product_id, entry);
    }
    entry.changes.push({ personId: r.person_id, position: Number(r.position), field: r.field, at });
  }
  return out;
}
