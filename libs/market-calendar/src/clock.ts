import { CalendarError } from './errors.js';

/** Where every service gets the time from; injected so that tests can stand anywhere on the calendar. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

function toEpochMs(value: Date | string | number): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new CalendarError('INVALID_INSTANT', `expected a valid instant, got ${String(value)}`);
  }
  return ms;
}

/** A clock that stands still until told to move: fixed with `set`, moved forward with `advance`. */
export class ManualClock implements Clock {
  private epochMs: number;

  constructor(start: Date | string | number) {
    this.epochMs = toEpochMs(start);
  }

  now(): Date {
    return new Date(this.epochMs);
  }

  set(instant: Date | string | number): void {
    this.epochMs = toEpochMs(instant);
  }

  /** Moves forward by `ms` (never back: a clock that runs backwards is not something code must survive). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new CalendarError('INVALID_ARGUMENT', `advance takes ms >= 0, got ${ms}`);
    this.epochMs += ms;
  }
}
