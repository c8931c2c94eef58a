import { type ChildExit, type ManagedChild, describeExit } from '../adapters/child-process.js';
import type { StackLog } from '../log/stack-log.js';

/**
 * Everything the stack started, and the order it is stopped in: the apps first (together), then the
 * Redis and then the PostgreSQL they write to, so that no service loses its store while it is still
 * recording its own shutdown (the maintenance service marks an interrupted run in PostgreSQL).
 */

/** 0 = the apps, 1 = the private Redis, 2 = the embedded PostgreSQL. */
export type StopTier = 0 | 1 | 2;

export interface RunningChild {
  readonly label: string;
  readonly child: ManagedChild;
  readonly tier: StopTier;
  readonly stopSignal: NodeJS.Signals;
  readonly stopTimeoutMs: number;
}

export interface UnexpectedExit {
  readonly label: string;
  readonly exit: ChildExit;
}

export class RunningSet {
  private readonly children: RunningChild[] = [];
  private stopping = false;

  constructor(private readonly log: StackLog) {}

  add(entry: RunningChild): void {
    this.children.push(entry);
    this.log.stack(`${entry.label} started (pid ${entry.child.pid ?? '?'})`);
  }

  list(): readonly RunningChild[] {
    return this.children;
  }

  /** Resolves with the first child that ends before the stack stops it; never resolves otherwise. */
  firstUnexpectedExit(): Promise<UnexpectedExit> {
    return new Promise((resolve) => {
      for (const entry of this.children) {
        void entry.child.exited.then((exit) => {
          if (!this.stopping) resolve({ label: entry.label, exit });
        });
      }
    });
  }

  /** Stops everything, tier by tier; resolves when all are gone. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const tier of [0, 1, 2] as const) {
      const group = this.children.filter((c) => c.tier === tier && !c.child.hasExited());
      await Promise.all(
        group.map(async (entry) => {
          this.log.stack(`stopping ${entry.label} (${entry.stopSignal})`);
          const started = Date.now();
          const exit = await entry.child.stop(entry.stopSignal, entry.stopTimeoutMs);
          const forced = Date.now() - started >= entry.stopTimeoutMs;
          this.log.stack(`${entry.label} stopped: ${forced ? `did not stop within ${entry.stopTimeoutMs} ms and was killed` : describeExit(exit)}`);
        }),
      );
    }
  }

  /** A second Ctrl-C: no more waiting. */
  killAll(): void {
    this.stopping = true;
    for (const entry of this.children) {
      if (entry.child.pid === undefined || entry.child.hasExited()) continue;
      try {
        process.kill(-entry.child.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
}
