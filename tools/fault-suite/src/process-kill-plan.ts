/**
 * Where a crash-loop scenario kills the maintenance process: seeded, so the run that failed can be
 * replayed exactly with the seed it logged, and timed against an undisturbed run of the same cycle.
 */

/** A bad seed is refused with a code rather than silently replaced by a random one. */
export class KillPlanError extends Error {
  override readonly name = 'KillPlanError';
  constructor(
    readonly code: 'INVALID_SEED' | 'INVALID_TIMELINE',
    message: string,
  ) {
    super(message);
  }
}

/** The seed from the environment (`FAULT_SEED=123`), or null when unset; anything else is refused. */
export function parseSeed(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  if (!/^\d{1,10}$/.test(text.trim())) throw new KillPlanError('INVALID_SEED', `a seed is a whole number from 0 to 4294967295, got "${text}"`);
  return checkSeed(Number(text.trim()));
}

function checkSeed(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new KillPlanError('INVALID_SEED', `a seed is a whole number from 0 to 4294967295, got ${seed}`);
  }
  return seed;
}

/** One cycle as an undisturbed run logged it: when it started, when each task started, when it ended (ms). */
export interface CycleTimeline {
  readonly startedAt: number;
  readonly taskStarts: ReadonlyMap<string, number>;
  readonly finishedAt: number;
}

/**
 * The last complete cycle in a process's log events (pino lines with `event` and an ISO `time`): the
 * `maintenance_cycle_started`, `task_started` and `maintenance_cycle_finished` of one run_id.
 */
export function cycleTimeline(events: ReadonlyArray<Readonly<Record<string, unknown>>>): CycleTimeline {
  const finished = events.filter((e) => e['event'] === 'maintenance_cycle_finished').at(-1);
  if (finished === undefined) throw new KillPlanError('INVALID_TIMELINE', 'no maintenance_cycle_finished event: the cycle never ended');
  const runId = finished['run_id'];
  const ofRun = events.filter((e) => e['run_id'] === runId);
  const started = ofRun.find((e) => e['event'] === 'maintenance_cycle_started');
  if (started === undefined) throw new KillPlanError('INVALID_TIMELINE', `run ${String(runId)} has no maintenance_cycle_started event`);
  const taskStarts = new Map<string, number>();
  for (const e of ofRun) if (e['event'] === 'task_started' && typeof e['task'] === 'string') taskStarts.set(e['task'], timeOf(e));
  return { startedAt: timeOf(started), taskStarts, finishedAt: timeOf(finished) };
}

function timeOf(event: Readonly<Record<string, unknown>>): number {
  const at = typeof event['time'] === 'string' ? Date.parse(event['time']) : Number.NaN;
  if (Number.isNaN(at)) throw new KillPlanError('INVALID_TIMELINE', `event ${String(event['event'])} has no ISO time`);
  return at;
}

/** One kill: in a process's start-up, or at a point of the cycle (a fraction of the undisturbed cycle's length). */
export type PlannedKill = { readonly from: 'startup'; readonly fraction: number } | { readonly from: 'cycle'; readonly fraction: number };

/**
 * `count` kills, each in a start-up with probability `startupShare`, the others at points spread at random
 * over the cycle, in increasing order: a restarted process resumes at the task it was killed in, so each
 * kill aims further into the cycle than the one before, and together they cover it from start to end
 * rather than piling up in its first task.
 */
export function killPlan(random: () => number, count: number, startupShare: number): PlannedKill[] {
  if (!Number.isInteger(count) || count < 0) throw new KillPlanError('INVALID_TIMELINE', `a kill count is a whole number, got ${count}`);
  const kinds = Array.from({ length: count }, () => (random() < startupShare ? 'startup' : 'cycle'));
  const points = kinds.filter((k) => k === 'cycle').map(() => random()).sort((a, b) => a - b);
  let next = 0;
  return kinds.map((kind) => (kind === 'startup' ? { from: 'startup', fraction: random() } : { from: 'cycle', fraction: points[next++] ?? 0 }));
}

/** A point of the cycle as the task it falls in and how far into that task. */
export interface CyclePoint {
  readonly task: string;
  readonly offsetMs: number;
}

/**
 * The task the planned point of the undisturbed cycle falls in, and how far into it. A kill is timed from
 * that task's start in the process being killed, not from the cycle's: the machine's load changes how long
 * a whole cycle takes much more than where in one task the point falls.
 */
export function locatePoint(timeline: CycleTimeline, fraction: number): CyclePoint {
  const target = timeline.startedAt + fraction * (timeline.finishedAt - timeline.startedAt);
  const starts = [...timeline.taskStarts].sort(([, a], [, b]) => a - b);
  const first = starts[0];
  if (first === undefined) throw new KillPlanError('INVALID_TIMELINE', 'the undisturbed run started no task');
  const [task, start] = starts.filter(([, at]) => at <= target).at(-1) ?? first;
  return { task, offsetMs: Math.max(0, Math.round(target - start)) };
}
