import { type IsoDate, isValidIsoDate } from '@scanner/market-calendar';
import type { LedgerProbe } from './bootstrap-plan.js';

/**
 * Reads what the maintenance CLI prints (apps/data-maintenance/README.md, "Output and exit codes"):
 * JSON lines on stdout, `error <CODE>: <message>` on stderr. Anything else is a broken contract, named.
 */

export class OutputError extends Error {
  override readonly name = 'OutputError';
  readonly code = 'UNEXPECTED_OUTPUT';
}

function jsonObjects(stdout: string): Array<Record<string, unknown>> {
  const objects: Array<Record<string, unknown>> = [];
  for (const line of stdout.split('\n')) {
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) objects.push(value as Record<string, unknown>);
    } catch {
      // A line that only looks like JSON is not the CLI's output line: skipped, the caller checks what it needs.
    }
  }
  return objects;
}

/** `status --date D` prints one object: `{date, trading_day, ledger: null | {status, ...}, redis}`. */
export function parseStatusOutput(stdout: string): LedgerProbe {
  const object = jsonObjects(stdout).find((o) => 'ledger' in o && 'date' in o);
  if (!object) throw new OutputError(`maintenance status printed no status object: ${JSON.stringify(stdout.slice(0, 200))}`);
  const date = object['date'];
  if (typeof date !== 'string' || !isValidIsoDate(date)) throw new OutputError(`maintenance status printed a bad date: ${JSON.stringify(date)}`);
  const ledger = object['ledger'];
  if (ledger === null) return { date: date as IsoDate, latestRunStatus: null };
  const status = typeof ledger === 'object' && ledger !== null ? (ledger as Record<string, unknown>)['status'] : undefined;
  if (typeof status !== 'string') throw new OutputError('maintenance status printed a ledger without a status');
  return { date: date as IsoDate, latestRunStatus: status };
}

export interface BackfillSummary {
  readonly outcome: string;
  readonly dates: number;
  readonly completed: number;
  readonly alreadyCompleted: number;
  readonly failed: number;
  readonly failedDates: readonly string[];
}

/** The summary line `backfill` prints last: `{backfill: completed|failed|stopped, dates, completed, ...}`. */
export function parseBackfillSummary(stdout: string): BackfillSummary {
  const object = jsonObjects(stdout).find((o) => typeof o['backfill'] === 'string');
  if (!object) throw new OutputError('maintenance backfill printed no summary line');
  const count = (name: string): number => {
    const value = object[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new OutputError(`backfill summary: bad ${name}: ${JSON.stringify(value)}`);
    return value;
  };
  const failedDates = object['failed_dates'];
  return {
    outcome: object['backfill'] as string,
    dates: count('dates'),
    completed: count('completed'),
    alreadyCompleted: count('already_completed'),
    failed: count('failed'),
    failedDates: Array.isArray(failedDates) ? failedDates.filter((d): d is string => typeof d === 'string') : [],
  };
}

/** One date's line of a backfill run (`{date, status, ...}`), for progress; null for any other line. */
export function parseBackfillDateLine(line: string): { readonly date: string; readonly status: string } | null {
  const [object] = jsonObjects(line);
  if (!object || typeof object['date'] !== 'string' || typeof object['status'] !== 'string' || 'backfill' in object) return null;
  return { date: object['date'], status: object['status'] };
}

/** The stable code of an `error <CODE>: <message>` line on the CLI's stderr, or null. */
export function cliErrorCode(stderr: string): string | null {
  const match = /^error ([A-Z0-9_]+):/m.exec(stderr);
  return match?.[1] ?? null;
}
