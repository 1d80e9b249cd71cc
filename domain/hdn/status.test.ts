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
    [undefined, '09', true, /eerste status/],
    ['09', '10', true, /verder vanaf 09/],
    ['10', '22', true, /verder/],
    ['22', '04', true, /verder/],
    ['23', '05', true, /verder/],
    ['26', '20', true, /verder/],
    [undefined, '10', true, /eerste status/],
    // Never backwards: late or out-of-order deliveries are recorded only.
    ['10', '09', false, /vóór de huidige status 10/],
    ['05', '23', false, /vóór de huidige status/],
    ['31', '12', false, /vóór de huidige status/],
    // Redelivery / repeat.
    ['10', '10', false, /al de huidige status/],
    ['14', '14', false, /al de huidige status/],
    // Terminal current: nothing applies.
    ['20', '11', false, /eindstatus/],
    ['11', '10', false, /eindstatus/],
    ['16', '09', false, /eindstatus/],
    ['11', '16', false, /eindstatus/],
    ['20', '20', false, /eindstatus/],
    // Rejected / terminated: from any non-terminal state.
    [undefined, '11', true, /beëindigt de aanvraag/],
    ['09', '11', true, /beëindigt/],
    ['05', '16', true, /beëindigt/],
    ['14', '16', true, /beëindigt/],
    // 14 / 25 apply: the lender cannot process.
    ['10', '14', true, /niet verwerken/],
    [undefined, '25', true, /niet verwerken/],
    ['23', '25', true, /niet verwerken/],
    ['14', '25', true, /niet verwerken/],
    // After 14 / 25 the next flow status applies whatever its rank (the lender resumed).
    ['14', '09', true, /volgt op 14/],
    ['25', '22', true, /volgt op 25/],
    // 24 / 01 are informational: recorded, status unchanged.
    ['10', '24', false, /ter informatie/],
    [undefined, '01', false, /ter informatie/],
    ['22', '01', false, /ter informatie/],
    ['20', '24', false, /eindstatus/],
    // 40 and the authorisation statuses 80-82: known, informational.
    ['10', '40', false, /SX 40 \(Gewijzigde aanvraag ingediend\) is ter informatie/],
    ['23', '81', false, /ter informatie/],
    // 31 is not on the official list: not applied unless the office enables it (cases below).
    ['05', '31', false, /SX 31 \(Dossier naar notaris\) staat niet op de officiële HDN-lijst en dit kantoor heeft de code niet aangezet/],
    [undefined, '31', false, /niet aangezet/],
    // Unknown codes.
    ['10', '99', false, /onbekende SX-statuscode "99"/],
    [undefined, '9', false, /onbekende/],
    ['10', '', false, /onbekende/],
  ])('current %s, incoming %s → apply %s', (current, incoming, apply, reason) => {
    const decision = decideSx(current, incoming);
    expect(decision.apply).toBe(apply);
    expect(decision.reason).toMatch(reason);
  });

  it.each<[string | undefined, boolean, RegExp]>([
    ['05', true, /brengt de aanvraag verder vanaf 05/],
    ['26', false, /vóór de huidige status 26/],
    ['31', false, /al de huidige status/],
    ['14', true, /volgt op 14/],
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
