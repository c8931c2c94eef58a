import type { Timers } from '../../src/options.js';

interface Task {
  readonly at: number;
  readonly order: number;
  readonly callback: () => void;
}

/** Timers on a clock that only moves when the test says so; due callbacks run in time order. */
export class FakeTimers implements Timers {
  private nowMs = 1_000_000;
  private order = 0;
  private readonly tasks = new Map<number, Task>();

  setTimeout = (callback: () => void, ms: number): number => {
    const id = ++this.order;
    this.tasks.set(id, { at: this.nowMs + Math.max(0, ms), order: id, callback });
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.tasks.delete(handle as number);
  };

  now = (): number => this.nowMs;

  /** Moves the clock forward, running every callback that falls due (including ones scheduled meanwhile). */
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      const next = [...this.tasks.entries()].filter(([, t]) => t.at <= end).sort(([, a], [, b]) => a.at - b.at || a.order - b.order)[0];
      if (next === undefined) break;
      const [id, task] = next;
      this.tasks.delete(id);
      this.nowMs = task.at;
      task.callback();
    }
    this.nowMs = end;
  }

  /** Delays from now of the pending callbacks, soonest first. */
  pendingDelays(): number[] {
    return [...this.tasks.values()].map((t) => t.at - this.nowMs).sort((a, b) => a - b);
  }
}
