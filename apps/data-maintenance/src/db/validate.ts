import { FULL_DAY_SLOTS, isValidIsoDate, type IsoDate } from '@scanner/market-calendar';
import { DbError } from './db-error.js';

/** How many offending rows an INVALID_ROWS message names before it says "and N more". */
const NAMED = 5;

export function checkDate(date: IsoDate, what = 'date'): IsoDate {
  if (typeof date !== 'string' || !isValidIsoDate(date)) {
    throw new DbError('INVALID_ARGUMENT', `${what} must be a real YYYY-MM-DD date, got ${JSON.stringify(date)}`);
  }
  return date;
}

export function checkDates(dates: readonly IsoDate[], what = 'dates'): IsoDate[] {
  return dates.map((d) => checkDate(d, what));
}

export function checkText(value: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DbError('INVALID_ARGUMENT', `${what} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkPositiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new DbError('INVALID_ARGUMENT', `${what} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * Collects problems over a batch and throws one INVALID_ROWS naming the first few, so a bad batch is
 * refused whole before anything is deleted (a replace never loses the old rows to bad input).
 */
export class RowProblems {
  private readonly problems: string[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly what: string) {}

  add(problem: string): void {
    this.problems.push(problem);
  }

  finite(value: unknown, field: string, key: string, { nullable = false, nonNegative = false } = {}): void {
    if (value === null && nullable) return;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.add(`${key}: ${field} must be a finite number, got ${String(value)}`);
    } else if (nonNegative && value < 0) {
      this.add(`${key}: ${field} must not be negative, got ${value}`);
    }
  }

  /** Refuses a second row with the same `id` (the table's key within the batch), naming it `what`. */
  distinct(id: string, key: string, what: string): void {
    if (this.seen.has(id)) this.add(`${key}: duplicate ${what}`);
    this.seen.add(id);
  }

  /** A regular-session slot of a full day (early-close days use the first 42). */
  slotNumber(value: unknown, key: string): void {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= FULL_DAY_SLOTS) {
      this.add(`${key}: slotNumber must be an integer 0-${FULL_DAY_SLOTS - 1}, got ${String(value)}`);
    }
  }

  symbol(value: unknown, key: string): void {
    if (typeof value !== 'string' || value.trim() === '' || value !== value.trim()) {
      this.add(`${key}: symbol must be a non-empty string without surrounding spaces, got ${JSON.stringify(value)}`);
    }
  }

  throwIfAny(): void {
    if (this.problems.length === 0) return;
    const named = this.problems.slice(0, NAMED).join('; ');
    const more = this.problems.length > NAMED ? `; and ${this.problems.length - NAMED} more` : '';
    throw new DbError('INVALID_ROWS', `${this.what}: ${named}${more}`);
  }
}
