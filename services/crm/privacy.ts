/**
 * What anonymising a person does to their CRM card (called inside the anonymisation's
 * transaction by services/privacy/anonymise.ts). Returns changed rows per table for the audit.
 *
 * - Notes, signals, free property values and indicator links are theirs alone: deleted.
 * - Relations go on both cards (the mirrored row on the other person's card names them too).
 * - The identification record stays (Wwft art. 33: proof that the identity was checked, how,
 *   by whom and when), without the document number and its validity date.
 * - Notes on OTHER persons' cards that name them get their identifying strings replaced.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { REDACTED, likePatterns, needlePattern, scrubText, type Needles } from '../privacy/scrub.js';
import { rows } from '../../db/sql.js';

async function count(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  return (await rows(em, `${sql} returning 1 as x`, params)).length;
}

export async function anonymiseCrmCard(em: EntityManager, officeId: string, personId: string, needles: Needles): Promise<Record<string, number>> {
  const changes: Record<string, number> = {
    crm_notes: await count(em, 'delete from crm_notes where person_id = ?', [personId]),
    crm_signals: await count(em, 'delete from crm_signals where person_id = ?', [personId]),
    crm_property_values: await count(em, 'delete from crm_property_values where person_id = ?', [personId]),
    crm_person_indicators: await count(em, 'delete from crm_person_indicators where person_id = ?', [personId]),
    crm_relations: await count(em, 'delete from crm_relations where person_id = ? or related_person_id = ?', [personId, personId]),
    crm_identifications: await count(
      em,
      'update crm_identifications set document_number = null, valid_until = null, updated_at = now() where person_id = ? and (document_number is not null or valid_until is not null)',
      [personId],
    ),
  };
  // Other people's notes may mention them (strong needles only: their first name alone is not theirs).
  const pattern = needlePattern(needles.strong);
  if (pattern && needles.strong.length > 0) {
    const hits = await rows<{ id: string; title: string; text: string }>(
      em,
      `select id, title, text from crm_notes where office_id = ? and (title ilike any(array[?]::text[]) or text ilike any(array[?]::text[])) for update`,
      [officeId, likePatterns(needles.strong), likePatterns(needles.strong)],
    );
    for (const h of hits) {
      const title = scrubText(h.title, pattern);
      await em.execute('update crm_notes set title = ?, text = ?, updated_at = now() where id = ?', [title.trim() ? title : REDACTED, scrubText(h.text, pattern), h.id]);
    }
    changes.crm_notes = (changes.crm_notes ?? 0) + hits.length;
    const signalHits = await rows<{ id: string; title: string }>(
      em,
      `select id, title from crm_signals where office_id = ? and title ilike any(array[?]::text[]) for update`,
      [officeId, likePatterns(needles.strong)],
    );
    for (const h of signalHits) await em.execute('update crm_signals set title = ? where id = ?', [scrubText(h.title, pattern), h.id]);
    changes.crm_signals = (changes.crm_signals ?? 0) + signalHits.length;
  }
  return Object.fromEntries(Object.entries(changes).filter(([, n]) => n > 0));
}
