/**
 * The *14-dagenbrief* (art. 6:96 lid 6 BW): before collection costs may be charged to a
 * consumer, a free reminder sent after the due date must give 14 days to pay, starting the day
 * after receipt, and state the consequence and the exact amount of the costs. A term that is too
 * short forfeits the costs and cannot be repaired, so every choice below errs on the late side.
 *
 * - Post: the letter is taken as received on the second day after sending, counting only days
 *   that are not a Sunday, Monday or public holiday (no post delivery on those days). Sent on a
 *   Thursday → received Saturday; sent on a Friday → Saturday (1), Tuesday (2).
 * - E-mail: we take it as received on the first working day after the day of sending (not the
 *   same day, even when sent early on a working day): one day later at worst, never too early.
 *   E-mail may only be used when the consumer agreed to electronic communication.
 * - The 14 days start the day after receipt: payBy = receivedOn + 14. When that day is a
 *   Saturday, Sunday or public holiday it moves to the next working day (Algemene termijnenwet
 *   art. 1; public holidays per art. 3, see `dutchPublicHolidays`).
 * - The letter states the term in the safe wording ("binnen 14 dagen na de dag van ontvangst van
 *   deze brief") and no calendar date, so a mistake in our receipt estimate cannot void it;
 *   `payBy` is used internally: costs and hand-over only after that day.
 */
import { addDays } from '../dates.js';
import { assertDate, isWorkingDay, onOrNextWorkingDay, publicHolidayOn, weekday } from './calendar.js';
import { formatEuro } from './money.js';

export type DeliveryChannel = 'post' | 'email';

export interface FourteenDayTerm {
  /** Day the letter is taken as received. */
  receivedOn: string;
  /** Last day to pay (inclusive). Collection costs may be charged from the next day. */
  payBy: string;
}

/** Post is delivered on Tuesday..Saturday, not on public holidays. */
function isPostDeliveryDay(date: string): boolean {
  const wd = weekday(date);
  return wd !== 'sunday' && wd !== 'monday' && publicHolidayOn(date) === undefined;
}

export function fourteenDayTerm(input: { sentOn: string; channel: DeliveryChannel; dueDate?: string }): FourteenDayTerm {
  const { sentOn, channel, dueDate } = input;
  assertDate(sentOn, 'Sent on');
  if (dueDate !== undefined) {
    assertDate(dueDate, 'Due date');
    if (sentOn <= dueDate) {
      throw new RangeError(`A 14-dagenbrief must be sent after the due date (${dueDate}); sent on ${sentOn}`);
    }
  }
  let receivedOn = sentOn;
  if (channel === 'post') {
    for (let counted = 0; counted < 2; ) {
      receivedOn = addDays(receivedOn, 1);
      if (isPostDeliveryDay(receivedOn)) counted++;
    }
  } else if (channel === 'email') {
    do receivedOn = addDays(receivedOn, 1);
    while (!isWorkingDay(receivedOn));
  } else {
    throw new RangeError(`Unknown delivery channel: ${String(channel)}`);
  }
  return { receivedOn, payBy: onOrNextWorkingDay(addDays(receivedOn, 14)) };
}

export interface FourteenDayLetterInput {
  /** Principal outstanding, in cents (after partial payments). */
  outstandingCents: number;
  /** Statutory collection costs that will be charged (see `collectionCosts`), in cents. */
  costsCents: number;
  invoiceNumber?: string;
}

export interface FourteenDayLetterText {
  /** The demand with the legally required term (safe wording, no calendar date). */
  termStatement: string;
  /** The consequence of not paying, with the exact amount of the costs. */
  costStatement: string;
  /** The letter is a free reminder: nothing is charged for it. */
  freeOfCharge: string;
  /** All parts in letter order. */
  paragraphs: string[];
}

/** The required Dutch phrase for the term. */
export const FOURTEEN_DAY_PHRASE = 'binnen 14 dagen na de dag van ontvangst van deze brief';

/**
 * The legally required parts of the 14-dagenbrief, in Dutch. The template may add a greeting,
 * payment details and a signature around them, but should not add a pay-by date.
 */
export function fourteenDayLetterText(input: FourteenDayLetterInput): FourteenDayLetterText {
  const { outstandingCents, costsCents, invoiceNumber } = input;
  if (!Number.isSafeInteger(outstandingCents) || outstandingCents <= 0) {
    throw new RangeError(`Outstanding amount must be positive whole cents: ${outstandingCents}`);
  }
  if (!Number.isSafeInteger(costsCents) || costsCents < 0) {
    throw new RangeError(`Costs must be non-negative whole cents: ${costsCents}`);
  }
  const invoice = invoiceNumber ? ` van factuur ${invoiceNumber}` : '';
  const termStatement = `Wij verzoeken u het openstaande bedrag${invoice} van ${formatEuro(outstandingCents)} te betalen ${FOURTEEN_DAY_PHRASE}.`;
  const costStatement =
    costsCents > 0
      ? `Betaalt u niet ${FOURTEEN_DAY_PHRASE}, dan bent u buitengerechtelijke incassokosten verschuldigd van ${formatEuro(costsCents)}` +
        ` en kunnen wij de vordering uit handen geven aan een incassobureau.`
      : `Betaalt u niet ${FOURTEEN_DAY_PHRASE}, dan kunnen wij de vordering uit handen geven aan een incassobureau.`;
  const freeOfCharge = 'Aan deze herinnering zijn geen kosten verbonden.';
  return { termStatement, costStatement, freeOfCharge, paragraphs: [termStatement, costStatement, freeOfCharge] };
}
