/**
 * Preloaded (`--import`, after tsx's loader) into a child process to move its wall clock by SHIFT_CLOCK_MS milliseconds:
 * `Date.now()` and `new Date()` read the shifted time, timers still run in real time. The browser test
 * uses it to let the real scanner-feed write "yesterday's" lists, which a feed on the real clock cannot.
 */
const raw = process.env['SHIFT_CLOCK_MS'] ?? '0';
const offset = Number(raw);
if (!Number.isFinite(offset)) throw new Error(`SHIFT_CLOCK_MS must be a number of milliseconds, got ${raw}`);

const RealDate = globalThis.Date;

class ShiftedDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + offset);
    else super(...(args as [string | number | Date]));
  }

  static override now(): number {
    return RealDate.now() + offset;
  }
}

globalThis.Date = ShiftedDate as DateConstructor;
