import type { ProfileSummary } from '../ws/cpu-profile.js';
import type { TaskMeasurement } from './measurement.js';

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function topFrames(summary: ProfileSummary, shown: number): string {
  return summary.top
    .slice(0, shown)
    .map((f) => `${f.frame} ${f.percentOfBusy.toFixed(0)}%`)
    .join('; ');
}

/** One sentence for a missed target's explanation: how much of the profiled run was idle, and the top functions by self time. */
export function describeProfile(what: string, summary: ProfileSummary, shown = 8): string {
  return (
    `CPU profile of ${what} (V8 sampling profiler, one extra unmeasured run): ${s(summary.sampledMs)} sampled, ` +
    `${s(summary.idleMs)} idle (waiting on PostgreSQL, Redis, sockets or the disk), ${s(summary.sampledMs - summary.idleMs)} on the CPU; ` +
    `top functions by self time (share of CPU time): ${topFrames(summary, shown)}.`
  );
}

/** The slowest profiled tasks, each with its idle (waiting) and CPU time and its top functions. */
export function describeTaskProfiles(tasks: readonly TaskMeasurement[], count = 3, shown = 6): string {
  const slowest = [...tasks].filter((t) => t.profile !== undefined).sort((a, b) => b.seconds - a.seconds).slice(0, count);
  const parts = slowest.map((t) => {
    const p = t.profile as ProfileSummary;
    return `${t.task} (${t.seconds.toFixed(1)} s in this run): ${s(p.idleMs)} idle waiting on PostgreSQL/Redis, ${s(p.sampledMs - p.idleMs)} on the CPU, top functions ${topFrames(p, shown)}`;
  });
  return `Per-task CPU profile (V8 sampling profiler, one extra unmeasured run of the cycle): ${parts.join(' | ')}.`;
}

/** A pattern in a task's profile and what it says about the code (not a measurement: a reading of the profile). */
interface Reading {
  readonly task: string;
  readonly frame: RegExp;
  readonly text: string;
}

const READINGS: readonly Reading[] = [
  {
    task: 'calculate_rvol_averages',
    frame: /postgres-date|parseRow|parseDataRowMessage/,
    text:
      'calculate_rvol_averages reads every slot row of its five-session window into Node (one object per row, slot_time parsed into a Date it does not use) ' +
      'to average them; averaging in PostgreSQL (AVG ... GROUP BY symbol, slot_number, or INSERT ... SELECT into volume_slot_averages) and reading back only the averages would remove most of that parsing and garbage',
  },
  {
    task: 'calculate_atr',
    frame: /parseRow|parseDataRowMessage|utf8Slice/,
    text: 'calculate_atr parses every daily bar of the ATR window (one object per row) in Node; reading only high, low, close per symbol as arrays (array_agg) would cut the per-row parsing',
  },
  {
    task: 'load_volume_slots',
    frame: /copy-rows\.ts|\(garbage collector\)/,
    text: 'load_volume_slots builds one object per slot row and encodes each (slot_time through toISOString) as COPY text; encoding straight from the computed slots would cut that',
  },
];

/** What the slowest tasks' profiles point at, where a known pattern shows among their top functions. */
export function readProfiles(tasks: readonly TaskMeasurement[], count = 3, within = 6): string[] {
  const slowest = [...tasks].filter((t) => t.profile !== undefined).sort((a, b) => b.seconds - a.seconds).slice(0, count);
  return slowest.flatMap((t) => {
    const frames = (t.profile as ProfileSummary).top.slice(0, within).map((f) => f.frame);
    return READINGS.filter((r) => r.task === t.task && frames.some((f) => r.frame.test(f))).map((r) => r.text);
  });
}

/** What the profile of replaceVolumeSlots points at (the floor target), where a known pattern shows. */
export function readLoadProfile(summary: ProfileSummary, within = 6): string[] {
  const frames = summary.top.slice(0, within).map((f) => f.frame);
  const readings: string[] = [];
  if (frames.some((f) => /copy-rows\.ts/.test(f))) {
    readings.push('the rows are turned into COPY text in JavaScript, value by value (each slot_time Date through toISOString), while psql sends the CSV bytes as they are');
  }
  if (frames.some((f) => /validate\.ts|validateRows/.test(f))) {
    readings.push('every row is validated first (symbol, slot, finite volume, no duplicate key), which the floor does not do');
  }
  return readings;
}
