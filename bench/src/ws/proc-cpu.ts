import { readFile } from 'node:fs/promises';

/** Linux reports /proc times in USER_HZ, 100 per second on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used so far (/proc/<pid>/stat fields 14 and 15). */
export async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after it start past its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export interface MachineCpu {
  readonly busy: number;
  readonly total: number;
}

/** Busy and total jiffies of all cores since boot (/proc/stat), for the machine's utilisation over a window. */
export async function machineCpu(): Promise<MachineCpu> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/** Percent of all cores busy between two readings. */
export function machineBusyPercent(before: MachineCpu, after: MachineCpu): number {
  const total = after.total - before.total;
  return total <= 0 ? 0 : (100 * (after.busy - before.busy)) / total;
}
