import type { TickerFailure } from '../sources/market-data-source.js';

/** How a task ended, in the ledger's words (shared-types MAINTENANCE_TASK_STATUSES). */
export type TaskOutcome = 'completed' | 'failed' | 'skipped';

/** A symbol the task could not do, and why. */
export interface SymbolFailure {
  readonly symbol: string;
  readonly code: string;
  readonly message: string;
  readonly attempts?: number;
}

/**
 * What every task returns: the truth about what it did, JSON-serializable (it goes into the ledger and
 * `maintenance:status:<date>`). Lists of symbols are capped at MAX_NAMED; `counts` always holds the totals.
 */
export interface TaskResult {
  readonly status: TaskOutcome;
  /** Why it failed or was skipped; absent on success. */
  readonly reason?: string;
  readonly counts: Readonly<Record<string, number>>;
  /** Symbols that failed (the first MAX_NAMED; `counts.failed` is the total). */
  readonly failures: readonly SymbolFailure[];
  /** Symbols left out on purpose, by reason (the first MAX_NAMED of each; `counts` has the totals). */
  readonly skipped: Readonly<Record<string, readonly string[]>>;
  /** Anything else worth knowing: sessions used, Redis written or not and why, ... */
  readonly details: Readonly<Record<string, unknown>>;
}

export const MAX_NAMED = 100;

export interface ResultParts {
  readonly counts?: Record<string, number>;
  readonly failures?: readonly SymbolFailure[];
  readonly skipped?: Record<string, readonly string[]>;
  readonly details?: Record<string, unknown>;
}

export function completed(parts: ResultParts = {}): TaskResult {
  return build('completed', undefined, parts);
}

export function failed(reason: string, parts: ResultParts = {}): TaskResult {
  return build('failed', reason, parts);
}

export function skipped(reason: string, parts: ResultParts = {}): TaskResult {
  return build('skipped', reason, parts);
}

function build(status: TaskOutcome, reason: string | undefined, parts: ResultParts): TaskResult {
  const skippedNamed: Record<string, string[]> = {};
  for (const [why, symbols] of Object.entries(parts.skipped ?? {})) {
    if (symbols.length > 0) skippedNamed[why] = [...symbols].sort().slice(0, MAX_NAMED);
  }
  const failures = [...(parts.failures ?? [])].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  return {
    status,
    ...(reason === undefined ? {} : { reason }),
    counts: { ...(parts.counts ?? {}) },
    failures: failures.slice(0, MAX_NAMED),
    skipped: skippedNamed,
    details: { ...(parts.details ?? {}) },
  };
}

export function fromTickerFailures(failures: readonly TickerFailure[]): SymbolFailure[] {
  return failures.map((f) => ({ symbol: f.symbol, code: f.code, message: f.message, attempts: f.attempts }));
}

/** "3 tickers failed at the source: AAA (TIMEOUT), BBB (RATE_LIMITED), ..." — names them, bounded. */
export function describeFailures(what: string, failures: readonly SymbolFailure[], shown = 10): string {
  const sorted = [...failures].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  const named = sorted.slice(0, shown).map((f) => `${f.symbol} (${f.code})`).join(', ');
  const more = failures.length > shown ? `, and ${failures.length - shown} more` : '';
  return `${failures.length} ticker${failures.length === 1 ? '' : 's'} ${what}: ${named}${more}`;
}

/** The message and stable code of anything thrown. */
export function errorInfo(error: unknown): { code: string; message: string } {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  return { code, message };
}
