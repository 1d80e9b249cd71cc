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
 * The authorisation statuses 80-82 have none: what each one means is not public, so they never
 * move the product (informational).
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
  /** Absent for codes with no lifecycle meaning of their own (80-82). */
  category?: SxCategory;
  /** No status applies after this one. */
  terminal: boolean;
  /**
   * Not on the official HDN list (31): known here so its label can be shown, but it only counts
   * as known when the office enables it (HDN_ENABLED_UNVERIFIED_CODES); otherwise an SX with it
   * is recorded and does not move the product. Same flag as in the 24.0 data file.
   */
  unverified?: true;
}

/** How each deviation is handled by decideSx; see there. */
type Deviation = 'informational' | 'blocking' | 'final';

const table: readonly (Omit<SxStatusInfo, 'terminal' | 'rank'> & { deviation?: Deviation })[] = [
  // The normal flow, in order (rank = index + 1 below).
  { code: '09', name: 'receipt confirmed', label: 'Ontvangst bevestigd', category: 'new' },
  { code: '10', name: 'in progress', label: 'In behandeling', category: 'new' },
  { code: '22', name: 'rate offer sent', label: 'Renteaanbod verstuurd', category: 'new' },
  { code: '12', name: 'waiting for documents', label: 'Wacht op stukken', category: 'new' },
  { code: '04', name: 'in underwriting', label: 'In behandeling acceptatie', category: 'new' },
  { code: '23', name: 'binding offer sent', label: 'Bindend aanbod verstuurd', category: 'new' },
  { code: '05', name: 'final approval', label: 'Definitief akkoord', category: 'running' },
  { code: '31', name: 'dossier sent to notary', label: 'Dossier naar notaris', category: 'running', unverified: true },
  { code: '26', name: 'funds being paid out', label: 'Uitbetaling gelden', category: 'running' },
  { code: '20', name: 'loan in servicing', label: 'Lening in beheer', category: 'running' },
  // Deviations.
  { code: '14', name: 'cannot be processed', label: 'Kan niet verwerkt worden', category: 'new', deviation: 'blocking' },
  { code: '25', name: 'technically cannot be processed', label: 'Technisch niet verwerkbaar', category: 'new', deviation: 'blocking' },
  { code: '24', name: 'being modified by lender', label: 'In bewerking bij maatschappij', category: 'new', deviation: 'informational' },
  { code: '01', name: 'offer term expiring', label: 'Offertetermijn verloopt', category: 'new', deviation: 'informational' },
  { code: '11', name: 'rejected', label: 'Afgewezen', category: 'ended', deviation: 'final' },
  { code: '16', name: 'terminated', label: 'Beëindigd', category: 'ended', deviation: 'final' },
  // HDN 24 (REFERENCE): 40 says the lender received a changed application; 80-82 are
  // authorisation statuses whose individual meanings are not public. None is a step in the
  // flow, so they are recorded and leave the status as it is.
  { code: '40', name: 'changed application submitted', label: 'Gewijzigde aanvraag ingediend', category: 'new', deviation: 'informational' },
  { code: '80', name: 'authorisation status', label: 'Autorisatiestatus 80', deviation: 'informational' },
  { code: '81', name: 'authorisation status', label: 'Autorisatiestatus 81', deviation: 'informational' },
  { code: '82', name: 'authorisation status', label: 'Autorisatiestatus 82', deviation: 'informational' },
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

/** What a code means (unverified ones included, flagged); undefined for a code we do not know. */
export function sxStatus(code: string): Readonly<SxStatusInfo> | undefined {
  return byCode.get(code);
}

/** The unverified codes of the table (31): known only where the office enables them. */
export const unverifiedSxCodes: readonly string[] = Object.freeze(sxStatuses.filter((s) => s.unverified).map((s) => s.code));

export interface SxDecisionOptions {
  /**
   * The unverified codes the office enabled (HDN_ENABLED_UNVERIFIED_CODES, SX list). Default:
   * none, so 31 is recorded, not applied.
   */
  enabledUnverified?: readonly string[];
}

/**
 * What the code means when it counts as known: undefined for an unknown code and for an
 * unverified code the office did not enable.
 */
export function knownSxStatus(code: string, options: SxDecisionOptions = {}): Readonly<SxStatusInfo> | undefined {
  const info = byCode.get(code);
  if (info?.unverified && !(options.enabledUnverified ?? []).includes(code)) return undefined;
  return info;
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
 * - Unverified codes (31) the office did not enable: recorded, not applied, with that reason.
 *   Not parked: the message did reach its product and belongs in its history; what is missing
 *   is only the office's decision that the code is real (the adviser sees why, and can move the
 *   product by hand). Enabled: a flow code like any other.
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
export function decideSx(current: string | undefined, incoming: string, options: SxDecisionOptions = {}): SxDecision {
  const next = knownSxStatus(incoming, options);
  if (!next) {
    const unverified = sxStatus(incoming);
    if (unverified) {
      return {
        apply: false,
        reason: `SX ${incoming} (${unverified.label}) staat niet op de officiële HDN-lijst en dit kantoor heeft de code niet aangezet (HDN_ENABLED_UNVERIFIED_CODES): vastgelegd, niet toegepast`,
      };
    }
    return { apply: false, reason: `onbekende SX-statuscode ${JSON.stringify(incoming)}: vastgelegd, niet toegepast` };
  }
  if (current !== undefined && isTerminalSx(current)) {
    return { apply: false, reason: `huidige status ${current} is een eindstatus: SX ${incoming} vastgelegd, niet toegepast` };
  }
  if (incoming === current) return { apply: false, reason: `SX ${incoming} is al de huidige status` };

  const deviation = deviations.get(incoming);
  if (deviation === 'final') return { apply: true, reason: `SX ${incoming} (${next.label}) beëindigt de aanvraag` };
  if (deviation === 'informational') {
    return { apply: false, reason: `SX ${incoming} (${next.label}) is ter informatie: vastgelegd, status ongewijzigd` };
  }
  if (deviation === 'blocking') return { apply: true, reason: `SX ${incoming} (${next.label}): de maatschappij kan de aanvraag niet verwerken` };

  // A flow code. Compare with the current flow status, if the current status has a rank.
  // The current status was applied, so it counts as known here (also an unverified one applied when enabled).
  const currentRank = current === undefined ? undefined : sxStatus(current)?.rank;
  const rank = next.rank ?? 0;
  if (currentRank === undefined) {
    return { apply: true, reason: current === undefined ? `SX ${incoming} (${next.label}) is de eerste status` : `SX ${incoming} (${next.label}) volgt op ${current}` };
  }
  if (rank > currentRank) return { apply: true, reason: `SX ${incoming} (${next.label}) brengt de aanvraag verder vanaf ${current}` };
  return { apply: false, reason: `SX ${incoming} (${next.label}) komt vóór de huidige status ${current}: vastgelegd, niet toegepast (te laat of in verkeerde volgorde)` };
}
