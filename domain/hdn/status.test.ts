import { describe, expect, it } from 'vitest';
import { decideSx, isTerminalSx, knownSxStatus, sxStatus, sxStatuses, unverifiedSxCodes, type SxCategory } from './status.js';

describe('SX status codes', () => {
  it.each<[string, string, number | undefined, SxCategory | undefined, boolean]>([
    ['09', 'Ontvangst bevestigd', 1, 'new', false],
    ['10', 'In behandeling', 2, 'new', false],
    ['22', 'Renteaanbod verstuurd', 3, 'new', false],
    ['12', 'Wacht op stukken', 4, 'new', false],
    ['04', 'In behandeling acceptatie', 5, 'new', false],
    ['23', 'Bindend aanbod verstuurd', 6, 'new', false],
    ['05', 'Definitief akkoord', 7, 'running', false],
    ['31', 'Dossier naar notaris', 8, 'running', false],
    ['26', 'Uitbetaling gelden', 9, 'running', false],
    ['20', 'Lening in beheer', 10, 'running', true],
    ['14', 'Kan niet verwerkt worden', undefined, 'new', false],
    ['25', 'Technisch niet verwerkbaar', undefined, 'new', false],
    ['24', 'In bewerking bij maatschappij', undefined, 'new', false],
    ['01', 'Offertetermijn verloopt', undefined, 'new', false],
    ['11', 'Afgewezen', undefined, 'ended', true],
    ['16', 'Beëindigd', undefined, 'ended', true],
    ['40', 'Gewijzigde aanvraag ingediend', undefined, 'new', false],
    ['80', 'Autorisatiestatus 80', undefined, undefined, false],
    ['82', 'Autorisatiestatus 82', undefined, undefined, false],
  ])('%s: %s, rank %s, %s, terminal %s', (code, label, rank, category, terminal) => {
    const info = sxStatus(code);
    expect(info).toBeDefined();
    expect(info?.code).toBe(code);
    expect(info?.label).toBe(label);
    expect(info?.name).toMatch(/^[a-z ]+$/);
    expect(info?.rank).toBe(rank);
    expect(info?.category).toBe(category);
    expect(info?.terminal).toBe(terminal);
    expect(isTerminalSx(code)).toBe(terminal);
  });

  it('lists the flow in rank order, then the deviations', () => {
    expect(sxStatuses.map((s) => s.code)).toEqual(['09', '10', '22', '12', '04', '23', '05', '31', '26', '20', '14', '25', '24', '01', '11', '16', '40', '80', '81', '82']);
    expect(Object.isFrozen(sxStatuses[0])).toBe(true);
  });

  it('marks 31 unverified: known only where the office enables it', () => {
    expect(unverifiedSxCodes).toEqual(['31']);
    expect(sxStatus('31')?.unverified).toBe(true);
    expect(knownSxStatus('31')).toBeUndefined();
    expect(knownSxStatus('31', { enabledUnverified: ['31'] })?.label).toBe('Dossier naar notaris');
    expect(knownSxStatus('26')?.rank).toBe(9);
  });

  it.each(['9', '99', '', ' 09', '009'])('does not know %j', (code) => {
    expect(sxStatus(code)).toBeUndefined();
    expect(isTerminalSx(code)).toBe(false);
  });
});

describe('decideSx', () => {
  it.each<[string | undefined, string, boolean, RegExp]>([
    // The normal flow moves forward, also when steps are skipped.
    [undefined, '09', true, /first status/],
    ['09', '10', true, /forward from 09/],
    ['10', '22', true, /forward/],
    ['22', '04', true, /forward/],
    ['23', '05', true, /forward/],
    ['26', '20', true, /forward/],
    [undefined, '10', true, /first status/],
    // Never backwards: late or out-of-order deliveries are recorded only.
    ['10', '09', false, /ranks before the current status 10/],
    ['05', '23', false, /ranks before/],
    ['31', '12', false, /ranks before/],
    // Redelivery / repeat.
    ['10', '10', false, /already the current status/],
    ['14', '14', false, /already the current status/],
    // Terminal current: nothing applies.
    ['20', '11', false, /terminal/],
    ['11', '10', false, /terminal/],
    ['16', '09', false, /terminal/],
    ['11', '16', false, /terminal/],
    ['20', '20', false, /terminal/],
    // Rejected / terminated: from any non-terminal state.
    [undefined, '11', true, /ends the application/],
    ['09', '11', true, /ends/],
    ['05', '16', true, /ends/],
    ['14', '16', true, /ends/],
    // 14 / 25 apply: the lender cannot process.
    ['10', '14', true, /cannot process/],
    [undefined, '25', true, /cannot process/],
    ['23', '25', true, /cannot process/],
    ['14', '25', true, /cannot process/],
    // After 14 / 25 the next flow status applies whatever its rank (the lender resumed).
    ['14', '09', true, /follows 14/],
    ['25', '22', true, /follows 25/],
    // 24 / 01 are informational: recorded, status unchanged.
    ['10', '24', false, /informational/],
    [undefined, '01', false, /informational/],
    ['22', '01', false, /informational/],
    ['20', '24', false, /terminal/],
    // 40 and the authorisation statuses 80-82: known, informational.
    ['10', '40', false, /SX 40 \(changed application submitted\) is informational/],
    ['23', '81', false, /informational/],
    // 31 is not on the official list: not applied unless the office enables it (cases below).
    ['05', '31', false, /SX 31 \(dossier sent to notary\) is not on the official HDN list and this office has not enabled it/],
    [undefined, '31', false, /not enabled|has not enabled/],
    // Unknown codes.
    ['10', '99', false, /unknown SX status code "99"/],
    [undefined, '9', false, /unknown/],
    ['10', '', false, /unknown/],
  ])('current %s, incoming %s → apply %s', (current, incoming, apply, reason) => {
    const decision = decideSx(current, incoming);
    expect(decision.apply).toBe(apply);
    expect(decision.reason).toMatch(reason);
  });

  it.each<[string | undefined, boolean, RegExp]>([
    ['05', true, /moves the application forward from 05/],
    ['26', false, /ranks before the current status 26/],
    ['31', false, /already the current status/],
    ['14', true, /follows 14/],
  ])('31 enabled by the office, current %s → apply %s', (current, apply, reason) => {
    const decision = decideSx(current, '31', { enabledUnverified: ['31'] });
    expect(decision).toMatchObject({ apply });
    expect(decision.reason).toMatch(reason);
  });

  it('enabling another code does not enable 31', () => {
    expect(decideSx('05', '31', { enabledUnverified: ['99'] }).apply).toBe(false);
  });

  it('never lets a flow status move the product back, for every pair of flow codes (31 enabled)', () => {
    const flow = sxStatuses.filter((s) => s.rank !== undefined);
    for (const a of flow) {
      for (const b of flow) {
        const expected = !a.terminal && (b.rank ?? 0) > (a.rank ?? 0);
        expect(decideSx(a.code, b.code, { enabledUnverified: unverifiedSxCodes }).apply, `${a.code} → ${b.code}`).toBe(expected);
      }
    }
  });
});
