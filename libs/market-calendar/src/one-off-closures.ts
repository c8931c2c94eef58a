import type { IsoDate } from './civil-date.js';

export interface SpecialDay {
  readonly date: IsoDate;
  readonly reason: string;
}

/**
 * Unscheduled full-day NYSE closures since 2000, as the exchange announced them. A future one
 * (a national day of mourning is usually announced a few days ahead) can be added at run time
 * through `createTradingCalendar({ extraClosures })` without a release.
 */
export const NYSE_ONE_OFF_CLOSURES: readonly SpecialDay[] = [
  { date: '2001-09-11', reason: 'September 11 attacks' },
  { date: '2001-09-12', reason: 'September 11 attacks' },
  { date: '2001-09-13', reason: 'September 11 attacks' },
  { date: '2001-09-14', reason: 'September 11 attacks' },
  { date: '2004-06-11', reason: 'National Day of Mourning for President Ronald Reagan' },
  { date: '2007-01-02', reason: 'National Day of Mourning for President Gerald R. Ford' },
  { date: '2012-10-29', reason: 'Hurricane Sandy' },
  { date: '2012-10-30', reason: 'Hurricane Sandy' },
  { date: '2018-12-05', reason: 'National Day of Mourning for President George H. W. Bush' },
  { date: '2025-01-09', reason: 'National Day of Mourning for President Jimmy Carter' },
];

/** Unscheduled 13:00 closes since 2000: none so far; kept as a table so one can be added like a closure. */
export const NYSE_ONE_OFF_EARLY_CLOSES: readonly SpecialDay[] = [];
