/**
 * HDN SX mortgage status codes as data, and the rule that decides whether an incoming status
 * changes the product (shared/REFERENCE.md, "SX status codes").
 *
 * Pure: runs inside workflows. Codes are strings ("09"): never parse them as numbers.
 *
 * Delivery is at-least-once and unordered, so a status is only APPLIED when it moves the
 * application forward; everything else is still RECORDED by the caller (history, inbox).
 */

/**
 * Product lifecycle, not the application process:
 * - 'new': the application/offer stage, up to and including the binding offer (09 ... 23) and
 *   the deviations that can happen there (24, 01, 14, 25): no loan exists yet;
 * - 'running': final approval onwards (05, 31, 26, 20): the loan is, or is about to be, a fact;
 *   20 (loan in servicing) is terminal for the application but the product runs;
 * - 'ended': rejected (11) or terminated (16): no loan will come.
 */
export type SxCategory = 'new' | 'running' | 'ended';

export interface SxStatusInfo {
  code: string;
  /** English name, for logs and code. */
  name: string;
  /** Dutch label, for advisers. */
  label: string;
  /** Position in the normal flow (09 = 1 ... 20 = 10); deviations have none. */
  rank?: number;
  category: SxCategory;
  /** No status applies after this one. */
  terminal: boolean;
}

/** How each deviation is handled by decideSx; see there. */
type Deviation = 'informational' | 'blocking' | 'final';

const table: readonly (Omit<SxStatusInfo, 'terminal' | 'rank'> & { rank?: number; deviation?: Deviation })[] = [
  // The normal flow, in order (rank = index + 1 below).
  { code: '09', name: 'receipt confirmed', label: 'Ontvangst bevestigd', category: 'new' },
  { code: '10', name: 'in progress', label: 'In behandeling', category: 'new' },
  { code: '22', name: 'rate offer sent', label: 'Renteaanbod verstuurd', category: 'new' },
  { code: '12', name: 'waiting for documents', label: 'Wacht op stukken', category: 'new' },
  { code: '04', name: 'in underwriting', label: 'In behandeling acceptatie', category: 'new' },
  { code: '23', name: 'binding offer sent', label: 'Bindend aanbod verstuurd', category: 'new' },
  { code: '05', name: 'final approval', label: 'Definitief akkoord', category: 'running' },
  { code: '31', name: 'dossier sent to notary', label: 'Dossier naar notaris', category: 'running' },
  { code: '26', name: 'funds being paid out', label: 'Uitbetaling gelden', category: 'running' },
  { code: '20', name: 'loan in servicing', label: 'Lening in beheer', category: 'running' },
  // Deviations.
  { code: '14', name: 'cannot be processed', label: 'Kan niet verwerkt worden', category: 'new', deviation: 'blocking' },
  { code: '25', name: 'technically cannot be processed', label: 'Technisch niet verwerkbaar', category: 'new', deviation: 'blocking' },
  { code: '24', name: 'being modified by lender', label: 'In bewerking bij maatschappij', category: 'new', deviation: 'informational' },
  { code: '01', name: 'offer term expiring', label: 'Offertetermijn verloopt', category: 'new', deviation: 'informational' },
  { code: '11', name: 'rejected', label: 'Afgewezen', category: 'ended', deviation: 'final' },
  { code: '16', name: 'terminated', label: 'Beëindigd', category: 'ended', deviation: 'final' },
];

const TERMINAL: ReadonlySet<string> = new Set(['11', '16', '20']);

const deviations = new Map<string, Deviation>();
const byCode = new Map<string, Readonly<SxStatusInfo>>();
{
  let rank = 0;
  for (const { deviation, ...row } of table) {
    const info: SxStatusInfo = { ...row, terminal: TERMINAL.has(row.code) };
    if (deviation) deviations.set(row.code, deviation);
    else info.rank = ++rank;
    byCode.set(row.code, Object.freeze(info));
  }
}

/** All known SX codes, normal flow first (in rank order), then the deviations. */
export const sxStatuses: readonly Readonly<SxStatusInfo>[] = Object.freeze([...byCode.values()]);

/** What a code means; undefined for a code we do not know. */
export function sxStatus(code: string): Readonly<SxStatusInfo> | undefined {
  return byCode.get(code);
}

/** 11 rejected, 16 terminated, 20 loan in servicing: nothing applies after these. */
export function isTerminalSx(code: string): boolean {
  return TERMINAL.has(code);
}

export interface SxDecision {
  /** True: the product moves to this status. False: record the message only. */
  apply: boolean;
  /** Why, in words for the history and logs. */
  reason: string;
}

/**
 * Whether an incoming SX status applies, given the status applied last (`current`, undefined
 * when none yet). The message is recorded either way; this only decides the product status.
 *
 * - Unknown codes: recorded, not applied (we cannot tell what they mean).
 * - Terminal current (11, 16, 20): nothing applies any more.
 * - The same code again: a redelivery or repeat, nothing changes.
 * - 11 / 16 (rejected, terminated): apply from any non-terminal state.
 * - 24 / 01 (being modified by lender, offer term expiring): informational. They say something
 *   about the lender's side or a deadline, not a step in the flow, so they never become the
 *   current status; the caller records them (and may remind the adviser).
 * - 14 / 25 (cannot be processed, technically or otherwise): apply: the application is stuck
 *   and the adviser has to act. Rank-wise they sit outside the flow: once one is current, the
 *   next flow status applies whatever its rank (the lender resumed, e.g. 09 for a resubmitted
 *   application), as does another 14/25.
 * - Flow codes: apply only when ranked higher than the current flow status; a late 09 after
 *   10 is recorded but does not move the product back.
 */
export function decideSx(current: string | undefined, incoming: string): SxDecision {
  const next = sxStatus(incoming);
  if (!next) return { apply: false, reason: `unknown SX status code ${JSON.stringify(incoming)}: recorded, not applied` };
  if (current !== undefined && isTerminalSx(current)) {
    return { apply: false, reason: `current status ${current} is terminal: SX ${incoming} recorded, not applied` };
  }
  if (incoming === current) return { apply: false, reason: `SX ${incoming} is already the current status` };

  const deviation = deviations.get(incoming);
  if (deviation === 'final') return { apply: true, reason: `SX ${incoming} (${next.name}) ends the application` };
  if (deviation === 'informational') {
    return { apply: false, reason: `SX ${incoming} (${next.name}) is informational: recorded, status unchanged` };
  }
  if (deviation === 'blocking') return { apply: true, reason: `SX ${incoming} (${next.name}): the lender cannot process the application` };

  // A flow code. Compare with the current flow status, if the current status has a rank.
  const currentRank = current === undefined ? undefined : sxStatus(current)?.rank;
  const rank = next.rank ?? 0;
  if (currentRank === undefined) {
    return { apply: true, reason: current === undefined ? `SX ${incoming} (${next.name}) is the first status` : `SX ${incoming} (${next.name}) follows ${current}` };
  }
  if (rank > currentRank) return { apply: true, reason: `SX ${incoming} (${next.name}) moves the application forward from ${current}` };
  return { apply: false, reason: `SX ${incoming} (${next.name}) ranks before the current status ${current}: recorded, not applied (late or out of order)` };
}
