import { describe, expect, it } from 'vitest';
import { FOURTEEN_DAY_PHRASE, fourteenDayLetterText, fourteenDayTerm, type DeliveryChannel } from './fourteen-day-letter.js';

describe('fourteenDayTerm', () => {
  it.each<[string, string, DeliveryChannel, string, string]>([
    // name, sentOn, channel, receivedOn, payBy
    ['post, Thursday → Saturday; payBy Saturday → Monday', '2025-01-09', 'post', '2025-01-11', '2025-01-27'],
    ['post, Friday → Sat (1), Sun/Mon skipped, Tue (2)', '2025-01-10', 'post', '2025-01-14', '2025-01-28'],
    ['post, Saturday → Tue (1), Wed (2)', '2025-01-11', 'post', '2025-01-15', '2025-01-29'],
    ['post, Sunday → Tue (1), Wed (2)', '2025-01-12', 'post', '2025-01-15', '2025-01-29'],
    // 2025: Good Friday counts; payBy Sat 3 May → Mon 5 May is Bevrijdingsdag → Tue 6 May
    ['2025 Easter: sent Thursday before Good Friday', '2025-04-17', 'post', '2025-04-19', '2025-05-06'],
    ['2025 Easter Monday skipped', '2025-04-18', 'post', '2025-04-22', '2025-05-06'],
    ['2025 Koningsdag on Saturday 26 April skipped', '2025-04-24', 'post', '2025-04-29', '2025-05-13'],
    ['2025 Ascension skipped', '2025-05-27', 'post', '2025-05-30', '2025-06-13'],
    ['2025 Christmas skipped; payBy Saturday → Monday', '2025-12-23', 'post', '2025-12-27', '2026-01-12'],
    ['2025/26 New Year skipped', '2025-12-30', 'post', '2026-01-02', '2026-01-16'],
    ['2026 Easter: Good Friday counts; payBy Sat → Mon', '2026-04-02', 'post', '2026-04-04', '2026-04-20'],
    ['2026 Easter Monday skipped', '2026-04-03', 'post', '2026-04-07', '2026-04-21'],
    ['2026 payBy on Christmas → after the weekend', '2026-12-09', 'post', '2026-12-11', '2026-12-28'],
    ['2027 Bevrijdingsdag and Ascension skipped', '2027-05-04', 'post', '2027-05-08', '2027-05-24'],
    ['2027 Easter Monday skipped', '2027-03-26', 'post', '2027-03-30', '2027-04-13'],
    ['2027 Christmas on the weekend, Monday skipped anyway', '2027-12-23', 'post', '2027-12-28', '2028-01-11'],
    ['e-mail Monday → Tuesday', '2025-01-06', 'email', '2025-01-07', '2025-01-21'],
    ['e-mail Friday → Monday', '2025-01-10', 'email', '2025-01-13', '2025-01-27'],
    ['e-mail Saturday → Monday', '2025-01-11', 'email', '2025-01-13', '2025-01-27'],
    ['e-mail before Good Friday → Good Friday', '2025-04-17', 'email', '2025-04-18', '2025-05-02'],
    ['e-mail before Koningsdag (Sat) → Monday', '2025-04-25', 'email', '2025-04-28', '2025-05-12'],
    ['2025 payBy on Whit Monday → Tuesday', '2025-05-23', 'email', '2025-05-26', '2025-06-10'],
    ['2026 payBy on Koningsdag (Monday) → Tuesday', '2026-04-10', 'email', '2026-04-13', '2026-04-28'],
  ])('%s', (_name, sentOn, channel, receivedOn, payBy) => {
    expect(fourteenDayTerm({ sentOn, channel })).toEqual({ receivedOn, payBy });
  });

  it('must be sent after the due date', () => {
    expect(() => fourteenDayTerm({ sentOn: '2025-01-10', channel: 'post', dueDate: '2025-01-10' })).toThrow(/after the due date/);
    expect(fourteenDayTerm({ sentOn: '2025-01-10', channel: 'post', dueDate: '2025-01-09' }).payBy).toBe('2025-01-28');
  });
  it('refuses a bad date or channel', () => {
    expect(() => fourteenDayTerm({ sentOn: '2025-13-01', channel: 'post' })).toThrow(RangeError);
    expect(() => fourteenDayTerm({ sentOn: '2025-01-10', channel: 'fax' as DeliveryChannel })).toThrow(RangeError);
  });
});

describe('fourteenDayLetterText', () => {
  it('states the term in the safe wording and the exact costs', () => {
    const t = fourteenDayLetterText({ outstandingCents: 123_456, costsCents: 18_518, invoiceNumber: '2025-0042' });
    expect(t.termStatement).toBe(
      'Wij verzoeken u het openstaande bedrag van factuur 2025-0042 van € 1.234,56 te betalen binnen 14 dagen na de dag van ontvangst van deze brief.',
    );
    expect(t.costStatement).toContain(FOURTEEN_DAY_PHRASE);
    expect(t.costStatement).toContain('incassokosten verschuldigd van € 185,18');
    expect(t.freeOfCharge).toContain('geen kosten');
    expect(t.paragraphs).toEqual([t.termStatement, t.costStatement, t.freeOfCharge]);
    expect(t.paragraphs.join(' ')).not.toMatch(/\d{4}-\d{2}-\d{2}/); // no calendar date
  });
  it('without costs (recurring cap used up) still states the consequence', () => {
    const t = fourteenDayLetterText({ outstandingCents: 5_000, costsCents: 0 });
    expect(t.termStatement).toContain('het openstaande bedrag van € 50,00');
    expect(t.costStatement).not.toContain('€');
    expect(t.costStatement).toContain('incassobureau');
  });
  it.each([
    [{ outstandingCents: 0, costsCents: 4_000 }],
    [{ outstandingCents: 100, costsCents: -1 }],
    [{ outstandingCents: 100.5, costsCents: 4_000 }],
  ])('refuses %j', (input) => {
    expect(() => fourteenDayLetterText(input)).toThrow(RangeError);
  });
});
