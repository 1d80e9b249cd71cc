/**
 * Dossier numbers "YYYY-NNNNNN", unique per office, from a counter row per office and year
 * (`dossier_counters`). Not gapless: a rolled-back transaction may skip a number.
 */
import type { EntityManager } from '@mikro-orm/postgresql';

export function formatDossierNumber(year: number, n: number): string {
  return `${year}-${String(n).padStart(6, '0')}`;
}

/** Reserves the next number for the office (atomic upsert on the counter row). */
export async function nextDossierNumber(em: EntityManager, officeId: string, year = new Date().getFullYear()): Promise<string> {
  const rows = await em.execute<{ last: number }[]>(
    `insert into dossier_counters (office_id, year, last) values (?, ?, 1)
     on conflict (office_id, year) do update set last = dossier_counters.last + 1
     returning last`,
    [officeId, year],
  );
  const last = rows[0]?.last;
  if (typeof last !== 'number') throw new Error('nextDossierNumber: counter upsert returned nothing');
  return formatDossierNumber(year, last);
}
