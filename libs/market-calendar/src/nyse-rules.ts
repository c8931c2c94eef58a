import { Weekday, dayNumberOf, weekdayOf } from './civil-date.js';
import { easterSunday } from './easter.js';

/**
 * The NYSE's standing holiday and early-close rules (NYSE Rule 7.2 and the exchange's published
 * schedules), year by year. One-off closures (mourning days, storms) live in `one-off-closures.ts`.
 */

export interface RuleDay {
  readonly dayNumber: number;
  readonly reason: string;
}

export interface YearRules {
  readonly closures: readonly RuleDay[];
  readonly earlyCloses: readonly RuleDay[];
}

/** First year the NYSE closed for Juneteenth National Independence Day. */
const JUNETEENTH_FROM = 2022;
/** From 2013 the exchange closes early on July 3 when it is a Wednesday (before, July 5 when a Friday). */
const WEDNESDAY_JULY_3_EARLY_CLOSE_FROM = 2013;

function nthWeekdayOfMonth(year: number, month: number, weekday: Weekday, n: number): number {
  const first = dayNumberOf(year, month, 1);
  const offset = (weekday - weekdayOf(first) + 7) % 7;
  return first + offset + (n - 1) * 7;
}

function lastWeekdayOfMonth(year: number, month: number, weekday: Weekday): number {
  const nextMonthFirst = month === 12 ? dayNumberOf(year + 1, 1, 1) : dayNumberOf(year, month + 1, 1);
  const last = nextMonthFirst - 1;
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

/** A fixed-date holiday on a Saturday is observed the Friday before, on a Sunday the Monday after. */
function observed(dayNumber: number): number {
  const weekday = weekdayOf(dayNumber);
  if (weekday === Weekday.Saturday) return dayNumber - 1;
  if (weekday === Weekday.Sunday) return dayNumber + 1;
  return dayNumber;
}

function isWeekday(dayNumber: number): boolean {
  const weekday = weekdayOf(dayNumber);
  return weekday !== Weekday.Saturday && weekday !== Weekday.Sunday;
}

export function nyseRulesForYear(year: number): YearRules {
  const closures: RuleDay[] = [];
  const earlyCloses: RuleDay[] = [];

  // New Year's Day on a Saturday is not observed: the Friday before closes a year's accounting period.
  const newYear = dayNumberOf(year, 1, 1);
  if (weekdayOf(newYear) !== Weekday.Saturday) closures.push({ dayNumber: observed(newYear), reason: "New Year's Day" });

  closures.push({ dayNumber: nthWeekdayOfMonth(year, 1, Weekday.Monday, 3), reason: 'Martin Luther King, Jr. Day' });
  closures.push({ dayNumber: nthWeekdayOfMonth(year, 2, Weekday.Monday, 3), reason: "Washington's Birthday" });
  closures.push({ dayNumber: easterSunday(year) - 2, reason: 'Good Friday' });
  closures.push({ dayNumber: lastWeekdayOfMonth(year, 5, Weekday.Monday), reason: 'Memorial Day' });
  if (year >= JUNETEENTH_FROM) {
    closures.push({ dayNumber: observed(dayNumberOf(year, 6, 19)), reason: 'Juneteenth National Independence Day' });
  }
  closures.push({ dayNumber: observed(dayNumberOf(year, 7, 4)), reason: 'Independence Day' });
  closures.push({ dayNumber: nthWeekdayOfMonth(year, 9, Weekday.Monday, 1), reason: 'Labor Day' });
  const thanksgiving = nthWeekdayOfMonth(year, 11, Weekday.Thursday, 4);
  closures.push({ dayNumber: thanksgiving, reason: 'Thanksgiving Day' });
  closures.push({ dayNumber: observed(dayNumberOf(year, 12, 25)), reason: 'Christmas Day' });

  // Early closes at 13:00. July 3 closes early when the 4th falls Tuesday to Friday; a Wednesday
  // July 3 only since 2013, before which the Friday July 5 after a Thursday holiday closed early.
  const july3 = dayNumberOf(year, 7, 3);
  const july3Weekday = weekdayOf(july3);
  if (
    july3Weekday === Weekday.Monday ||
    july3Weekday === Weekday.Tuesday ||
    july3Weekday === Weekday.Thursday ||
    (july3Weekday === Weekday.Wednesday && year >= WEDNESDAY_JULY_3_EARLY_CLOSE_FROM)
  ) {
    earlyCloses.push({ dayNumber: july3, reason: 'Day before Independence Day' });
  }
  const july5 = dayNumberOf(year, 7, 5);
  if (weekdayOf(july5) === Weekday.Friday && year < WEDNESDAY_JULY_3_EARLY_CLOSE_FROM) {
    earlyCloses.push({ dayNumber: july5, reason: 'Day after Independence Day' });
  }
  earlyCloses.push({ dayNumber: thanksgiving + 1, reason: 'Day after Thanksgiving Day' });
  // A Friday December 24 is the observed Christmas holiday itself, so only Monday to Thursday.
  const christmasEve = dayNumberOf(year, 12, 24);
  if (isWeekday(christmasEve) && weekdayOf(christmasEve) !== Weekday.Friday) {
    earlyCloses.push({ dayNumber: christmasEve, reason: 'Christmas Eve' });
  }

  return { closures, earlyCloses };
}
