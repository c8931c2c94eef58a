import { CYCLE_TASKS, type CycleDeps, type Task, type TaskContext, runCycle } from '@scanner/data-maintenance';
import type { IsoDate } from '@scanner/market-calendar';
import type { MaintenanceTaskName } from '@scanner/shared-types';
import { BenchError } from '../report/bench-error.js';
import { startRssSampler } from '../report/rss-sampler.js';
import type { TaskMeasurement } from './measurement.js';
import { keysWritten, rowsWritten } from './task-counts.js';
import { type ProfileSummary, summarizeProfile } from '../ws/cpu-profile.js';
import { REPO_ROOT } from '../ws/node-args.js';
import { timedSource } from './timed-source.js';
import { withCpuProfile } from './with-cpu-profile.js';

export interface MeasuredCycle {
  readonly totalSeconds: number;
  readonly tasks: readonly TaskMeasurement[];
}

export interface MeasuredCycleOptions {
  readonly trigger: string;
  /** null: the whole cycle; else exactly these tasks, in cycle order (runCycle's `tasks`). */
  readonly tasks: readonly MaintenanceTaskName[] | null;
  /** An unmeasured run: each task also records its CPU profile. */
  readonly profile: boolean;
}

/**
 * The app's `runCycle` (the whole cycle, or the tasks asked for) with the real tasks, each wrapped to
 * time it and sample the RSS while it runs (and, on an unmeasured profiling run, record its CPU
 * profile). The wrapper only observes: it calls the task with the context the cycle built and returns
 * its result. A cycle that does not complete every task is an error: a failed run measures nothing.
 */
export async function measuredCycle(deps: CycleDeps, date: IsoDate, options: MeasuredCycleOptions): Promise<MeasuredCycle> {
  const { profile } = options;
  const measured: TaskMeasurement[] = [];
  const source = timedSource(deps.source);
  const wrap =
    (name: MaintenanceTaskName, task: Task<TaskContext>): Task<TaskContext> =>
    async (context, day) => {
      const rss = startRssSampler();
      const sourceBefore = source.seconds();
      const began = performance.now();
      let peakRssBytes = 0;
      let result;
      let cpu: ProfileSummary | null = null;
      try {
        if (profile) {
          const profiled = await withCpuProfile(() => task(context, day));
          result = profiled.result;
          cpu = summarizeProfile(profiled.profile, REPO_ROOT);
        } else {
          result = await task(context, day);
        }
      } finally {
        peakRssBytes = rss.stop();
      }
      const seconds = (performance.now() - began) / 1000;
      measured.push({
        task: name,
        status: result.status,
        seconds,
        sourceSeconds: source.seconds() - sourceBefore,
        peakRssBytes,
        rows: rowsWritten(name, result),
        keys: keysWritten(name, result),
        ...(cpu === null ? {} : { profile: cpu }),
      });
      return result;
    };
  const tasks = Object.fromEntries(
    Object.entries(CYCLE_TASKS).map(([name, task]) => [name, wrap(name as MaintenanceTaskName, task)]),
  ) as Record<MaintenanceTaskName, Task<TaskContext>>;

  const began = performance.now();
  const outcome = await runCycle({ ...deps, source: source.source, tasks }, { date, tasks: options.tasks, trigger: options.trigger });
  const totalSeconds = (performance.now() - began) / 1000;
  if (!outcome.succeeded) {
    const problems = [...outcome.results]
      .filter(([, result]) => result.status !== 'completed')
      .map(([task, result]) => `${task}: ${result.status} (${result.reason ?? ''})`);
    throw new BenchError('RUN_FAILED', `the ${date} cycle did not complete: ${problems.join('; ')}`);
  }
  return { totalSeconds, tasks: measured };
}
