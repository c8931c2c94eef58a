import { randomInt } from 'node:crypto';
import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type PlannedKill, killPlan, locatePoint, parseSeed } from '../src/process-kill-plan.js';
import { seededRandom } from '../src/seeded-random.js';
import { type MaintenanceProcess, startMaintenanceService, timeline } from '../src/process-maintenance-service.js';
import { type ScenarioState, type UndisturbedRun, cycleCompleted, freshScenarioState, ledgerOf, pollFor, runUndisturbed } from '../src/process-scenario.js';
import type { LedgerRun } from '../src/state-checksums.js';
import { expectRecoveredLikeUndisturbed } from './recovered-cycle.js';

/**
 * Scenario 3: the maintenance service (`serve`, catching the session up on start) is killed with SIGKILL
 * at seeded random instants across its cycle and restarted each time; after the last kill it is left to
 * finish. Its final state must be the state of an undisturbed run of the same cycle. Replay a failing run
 * with the seed it logged: FAULT_SEED=<seed> npm run test:faults.
 */

const DATE = '2026-11-20';
/** Friday 2026-11-20 18:00 New York: the 17:00 cycle of the day is due. */
const NOW = '2026-11-20T23:00:00.000Z';
/** Enough synthetic tickers for a cycle of a second or two: kills land inside tasks, not between them. */
const UNIVERSE = 250;
const KILLS = 10;
/** Of the kills, this share lands in a start-up (migrations, the lock, marking the dead run interrupted). */
const STARTUP_SHARE = 0.2;
const SEED = parseSeed(process.env['FAULT_SEED']) ?? randomInt(0, 2 ** 31);

interface Kill {
  readonly round: number;
  /** `startup`: counted from `service_starting`; `cycle`: from the start of the task the point falls in. */
  readonly from: 'startup' | 'cycle';
  /** Where in the start-up, or in the undisturbed cycle, the kill was aimed (0..1). */
  readonly fraction: number;
  /** The task that point falls in (cycle kills); the delay is counted from its start in this process. */
  readonly task: string | null;
  readonly delayMs: number;
  /**
   * What the ledger shows the process was doing: a task name, `startup` (no run of its own yet),
   * `between_tasks`, `finishing` (every task of its run done), or `after_<status>` (its run had ended).
   */
  readonly landed: string;
}

describe('crash loop (SIGKILL at random points of a cycle, restarted until it completes)', () => {
  let reference: UndisturbedRun;
  let s: ScenarioState;
  const processes: MaintenanceProcess[] = [];
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    // eslint-disable-next-line no-console -- the seed is what replays a failure
    console.info(`crash-loop seed ${SEED} (replay with FAULT_SEED=${SEED})`);
    const undisturbed = await freshScenarioState('crashref', UNIVERSE);
    cleanups.push(() => undisturbed.cleanup());
    reference = await runUndisturbed(undisturbed, NOW, DATE);
    s = await freshScenarioState('crash', UNIVERSE);
    cleanups.push(() => s.cleanup());
  }, 60_000);

  afterAll(async () => {
    for (const p of processes) await p.stop('SIGKILL');
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it(`killed at up to ${KILLS} seeded points, it ends in the state of an undisturbed run: same tables, no duplicate, same Redis keys, each task completed once`, async () => {
    const started = performance.now();
    const clock = timeline(NOW);
    const plan = killPlan(seededRandom(SEED).next, KILLS, STARTUP_SHARE);
    const kills: Kill[] = [];
    const ledgerNow = () => ledgerOf(s, DATE);
    onTestFailed(async () => {
      // eslint-disable-next-line no-console -- the seed, the kills and the ledger are what a failure is read from
      console.error(`seed ${SEED}; kills ${JSON.stringify(kills)}\nledger ${JSON.stringify(await ledgerNow())}\nlast process:\n${processes.at(-1)?.stderr().slice(-4000) ?? ''}`);
    });
    // A kill can land after the cycle completed (a process faster than the undisturbed one): the rest of the plan is moot then.
    for (let round = 1; round <= KILLS; round += 1) {
      if ((await cycleCompleted(s, DATE)) !== null) break;
      const before = await ledgerNow();
      const p = startMaintenanceService(s.env, clock());
      processes.push(p);
      const point = await killPoint(p, plan[round - 1] ?? { from: 'startup', fraction: 0 }, reference, round);
      await new Promise((resolve) => setTimeout(resolve, point.delayMs));
      expect(await p.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      kills.push({ round, ...point, landed: landing(before, await ledgerNow()) });
    }

    // Left alone now: the next process takes the lock once the dead holder's lease lapses, and finishes.
    const last = startMaintenanceService(s.env, clock());
    processes.push(last);
    await pollFor('the last service started', async () => last.find((e) => e['event'] === 'service_started') ?? (last.running() ? null : failExit(last)), 30_000);
    const ledger = await pollFor('the cycle completed after the kills', () => cycleCompleted(s, DATE), 45_000);
    expect(await last.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const totalMs = Math.round(performance.now() - started);

    // The ledger: every task completed exactly once for the date, one run completed (the last), none left running.
    const final = await expectRecoveredLikeUndisturbed(s, reference, ledger);
    expect(ledger.filter((r) => r.status === 'running')).toEqual([]);
    // The kills did land in the cycle (not all in start-ups), so the comparison above is about something.
    const inTasks = kills.filter((k) => (MAINTENANCE_TASKS as readonly string[]).includes(k.landed) || k.landed === 'finishing');
    expect(inTasks.length).toBeGreaterThanOrEqual(3);
    // eslint-disable-next-line no-console -- the numbers docs/reliability.md reports
    console.info(
      JSON.stringify({
        scenario: 'crash-loop',
        seed: SEED,
        kills,
        runs: ledger.map((r) => [r.runId, r.status, r.tasks.length]),
        temporary_keys_left: Object.keys(final.redis.temporary).length,
        reference_cycle_ms: reference.timeline.finishedAt - reference.timeline.startedAt,
        total_ms: totalMs,
      }),
    );
  }, 90_000);
});

/** Waits for the moment the kill is counted from (this process's start-up, or its cycle's start) and gives the delay. */
async function killPoint(p: MaintenanceProcess, planned: PlannedKill, reference: UndisturbedRun, round: number): Promise<Omit<Kill, 'round' | 'landed'>> {
  const exited = () => (p.running() ? null : failExit(p));
  if (planned.from === 'startup') {
    await pollFor(`round ${round}: service_starting`, async () => p.find((e) => e['event'] === 'service_starting') ?? exited(), 30_000, 5);
    return { from: 'startup', fraction: planned.fraction, task: null, delayMs: Math.round(planned.fraction * reference.startupMs) };
  }
  const started = await pollFor(`round ${round}: the cycle started`, async () => p.find((e) => e['event'] === 'maintenance_cycle_started') ?? exited(), 30_000, 5);
  const tasks = Array.isArray(started['tasks']) ? (started['tasks'] as string[]) : [];
  const point = locatePoint(reference.timeline, planned.fraction);
  // The point is behind where this run resumes (an earlier kill landed later than aimed): at once.
  if (!tasks.includes(point.task)) return { from: 'cycle', fraction: planned.fraction, task: point.task, delayMs: 0 };
  await pollFor(`round ${round}: ${point.task} started`, async () => p.find((e) => e['event'] === 'task_started' && e['task'] === point.task) ?? exited(), 30_000, 5);
  return { from: 'cycle', fraction: planned.fraction, task: point.task, delayMs: point.offsetMs };
}

function failExit(p: MaintenanceProcess): never {
  throw new Error(`the service exited on its own before it was killed:\n${p.stderr().slice(-2000)}`);
}

/** Where a kill landed, from the ledger before the process started and after it died. */
function landing(before: readonly LedgerRun[], after: readonly LedgerRun[]): string {
  const known = new Set(before.map((r) => r.runId));
  const own = after.filter((r) => !known.has(r.runId)).at(-1);
  if (own === undefined) return 'startup';
  if (own.status !== 'running') return `after_${own.status}`;
  const task = own.taskRuns.find((t) => t.status === 'running');
  return task?.task ?? (own.taskRuns.length === own.tasks.length ? 'finishing' : 'between_tasks');
}
