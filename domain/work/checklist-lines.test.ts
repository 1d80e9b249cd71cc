import { describe, expect, it } from 'vitest';
import { checklistItemFor } from '../checklists.js';
import { checklistLineStatus, validUntil, type ChecklistLineFacts } from './checklist-lines.js';

describe('validUntil: the same day n months later, or that month\'s last day', () => {
  it.each([
    ['2026-01-15', 3, '2026-04-15'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2027-11-30', 3, '2028-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-12-31', 6, '2027-06-30'],
    ['2026-03-01', 0, '2026-03-01'],
  ] as const)('%s + %i months → %s', (from, months, until) => {
    expect(validUntil(from, months)).toBe(until);
  });
});

describe('checklistLineStatus: stored status, expired when the file is past the line\'s validity', () => {
  const rows: [string, ChecklistLineFacts, string, string][] = [
    ['requested stays requested', { stored: 'requested', validityMonths: 3 }, '2026-12-06', 'requested'],
    ['uploaded within validity', { stored: 'uploaded', fileDate: '2026-09-06', validityMonths: 3 }, '2026-12-06', 'uploaded'],
    ['uploaded on its last valid day', { stored: 'uploaded', fileDate: '2026-09-06', validityMonths: 3 }, '2026-12-06', 'uploaded'],
    ['uploaded one day past validity', { stored: 'uploaded', fileDate: '2026-09-05', validityMonths: 3 }, '2026-12-06', 'expired'],
    ['approved past validity', { stored: 'approved', fileDate: '2026-01-10', validityMonths: 3 }, '2026-12-06', 'expired'],
    ['approved without validity never expires', { stored: 'approved', fileDate: '2010-01-10' }, '2026-12-06', 'approved'],
    ['rejected stays rejected, however old', { stored: 'rejected', fileDate: '2020-01-10', validityMonths: 3 }, '2026-12-06', 'rejected'],
    ['end of month: 30 Nov + 3 → valid through 28 Feb', { stored: 'approved', fileDate: '2026-11-30', validityMonths: 3 }, '2027-02-28', 'approved'],
    ['end of month: 30 Nov + 3 → expired on 1 Mar', { stored: 'approved', fileDate: '2026-11-30', validityMonths: 3 }, '2027-03-01', 'expired'],
  ];
  it.each(rows)('%s', (_name, facts, today, want) => {
    expect(checklistLineStatus(facts, today)).toBe(want);
  });
});

describe('the profile lines carry their rules as data', () => {
  it('"niet ouder dan 3 maanden" lines have a validity of 3 months', () => {
    expect(checklistItemFor('werkgeversverklaring')?.validityMonths).toBe(3);
    expect(checklistItemFor('bankafschrift-eigen-middelen')?.validityMonths).toBe(3);
    expect(checklistItemFor('id-document')?.validityMonths).toBeUndefined();
  });
  it('a payslip matches the lender\'s DA kind 901', () => {
    expect(checklistItemFor('salarisstrook')?.lenderDocumentKinds).toEqual(['901']);
  });
});
