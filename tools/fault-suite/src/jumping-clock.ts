import type { Clock } from '@scanner/market-calendar';

/**
 * A clock that runs in real time from a chosen instant and can be jumped forward: the server's rate
 * limits and timers see real elapsed time while the test stands the calendar where it needs (02:55 New
 * York, then 03:20 after an outage).
 */
export class JumpingClock implements Clock {
  private offsetMs: number;

  constructor(start: string | Date) {
    this.offsetMs = instantMs(start) - Date.now();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves to `instant` and runs on from there; never backwards (no code must survive that). */
  jumpTo(instant: string | Date): void {
    const target = instantMs(instant);
    if (target < this.now().getTime()) throw new RangeError(`the clock only moves forward, not to ${new Date(target).toISOString()}`);
    this.offsetMs = target - Date.now();
  }
}

function instantMs(value: string | Date): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(value)}`);
  return ms;
}
