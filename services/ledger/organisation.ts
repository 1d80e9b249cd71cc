/**
 * The organisation structure of the RC ledger: a central organisation (*centrale organisatie*,
 * e.g. the head office of a franchise chain) and its participants (*deelnemers*), each an office
 * of the platform's multi-office model. The central organisation decides per participant whether
 * it may see its own RC overview (seed 000: "De centrale organisatie stelt in of een deelnemer dit
 * saldo overzicht mag inzien").
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { refuse } from '../../domain/errors.js';
import { checkIban as checkIbanDigits } from '../../domain/iban.js';
import { one } from '../../db/sql.js';
import { organisationOf, participantOf, upsertOrganisation, upsertParticipant, ensureCategory, setParticipantVisibility } from './store.js';

function checkIban(path: string, iban: string | null): string | null {
  if (iban === null) return null;
  const checked = checkIbanDigits(iban);
  if (!checked.ok) throw refuse.invalidField(path, checked.reason);
  return checked.iban;
}

/** Makes the office a central organisation (idempotent; a second call updates its bank details). */
export async function setUpCentralOrganisation(em: EntityManager, officeId: string, p: { iban: string; bic?: string | null }): Promise<void> {
  const iban = checkIban('/body/iban', p.iban)!;
  await em.transactional(async (tem) => {
    if (await participantOf(tem, officeId)) throw refuse.conflict('office-is-participant', 'a participant cannot be a central organisation');
    await upsertOrganisation(tem, { officeId, iban, bic: p.bic ?? null });
    const org = (await organisationOf(tem, officeId))!;
    await ensureCategory(tem, { centralOfficeId: officeId, code: org.payout_category_code, name: 'Uitbetaling', kind: 'payout' });
  });
}

/** Adds an office as a participant of the central organisation, or changes its settings. */
export async function addParticipant(
  em: EntityManager,
  centralOfficeId: string,
  p: { officeId: string; mayViewOverview: boolean; centralShareBp?: number; iban?: string | null },
): Promise<void> {
  const iban = checkIban('/body/iban', p.iban ?? null);
  await em.transactional(async (tem) => {
    if (!(await organisationOf(tem, centralOfficeId))) throw refuse.conflict('not-central-organisation', 'this office is not a central organisation');
    if (p.officeId === centralOfficeId) throw refuse.conflict('own-participant', 'a central organisation is not its own participant');
    if (!(await one(tem, 'select 1 from offices where id = ?', [p.officeId]))) throw refuse.notFound('office', p.officeId);
    if (await organisationOf(tem, p.officeId)) throw refuse.conflict('office-is-central', 'a central organisation cannot be a participant');
    const existing = await participantOf(tem, p.officeId);
    if (existing && existing.central_office_id !== centralOfficeId) {
      // Not found rather than conflict: whose participant it is, is not this office's business.
      throw refuse.notFound('office', p.officeId);
    }
    await upsertParticipant(tem, {
      officeId: p.officeId,
      centralOfficeId,
      mayViewOverview: p.mayViewOverview,
      centralShareBp: p.centralShareBp ?? Number(existing?.central_share_bp ?? 0),
      iban: iban ?? existing?.iban ?? null,
    });
  });
}

/** Whether the participant may see its own RC overview. */
export async function setVisibility(em: EntityManager, centralOfficeId: string, officeId: string, mayView: boolean): Promise<void> {
  if (!(await setParticipantVisibility(em, centralOfficeId, officeId, mayView))) throw refuse.notFound('participant', officeId);
}
