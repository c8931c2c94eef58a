import type { IsoDate } from '@scanner/market-calendar';
import type { MaintenanceTaskName } from '@scanner/shared-types';

/** What the command line asked for, validated: every date is real, every run date is a closed session. */
export type CliCommand =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'run';
      readonly date: IsoDate;
      /** null: the whole cycle (resuming an incomplete run of the date). */
      readonly tasks: readonly MaintenanceTaskName[] | null;
    }
  | {
      readonly kind: 'backfill';
      /** The trading days of the range, oldest first (never empty). */
      readonly dates: readonly IsoDate[];
      readonly from: IsoDate;
      readonly to: IsoDate;
      readonly tasks: readonly MaintenanceTaskName[] | null;
      /** Re-run dates whose cycle already completed (default: skip them, which makes backfill resumable). */
      readonly force: boolean;
      /** Go on with the next date after a failed one (default: stop, since later ATR/RVOL read earlier days). */
      readonly continueOnError: boolean;
    }
  | { readonly kind: 'status'; readonly date: IsoDate | null }
  | { readonly kind: 'calendar'; readonly from: IsoDate; readonly to: IsoDate }
  | { readonly kind: 'migrate' }
  | { readonly kind: 'cleanup'; readonly date: IsoDate }
  | {
      readonly kind: 'new-day';
      /** A trading day; null: the day to announce now, which depends on NEW_DAY_TIME (resolved once the config is read). */
      readonly date: IsoDate | null;
    }
  | { readonly kind: 'serve' };

export const CLI_ERROR_CODES = [
  'MISSING_COMMAND',
  'UNKNOWN_COMMAND',
  'UNKNOWN_OPTION',
  'MISSING_OPTION',
  'INVALID_OPTION',
  'UNEXPECTED_ARGUMENT',
  'INVALID_DATE',
  'DATE_OUT_OF_RANGE',
  'NOT_A_TRADING_DAY',
  'SESSION_NOT_CLOSED',
  'INVALID_RANGE',
  'NO_TRADING_DAYS',
  'UNKNOWN_TASK',
  'NOT_CURRENT_DAY',
  'SERVE_UNAVAILABLE',
] as const;
export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];

export interface CliUsageError {
  readonly code: CliErrorCode;
  readonly message: string;
}

export const USAGE = `Usage: maintenance <command> [options]

Commands:
  run [--date YYYY-MM-DD] [--tasks a,b]
        Run one session's cycle (default: the last session whose market has closed). An incomplete
        earlier run of the date is resumed at its first task that did not complete.
  backfill --from YYYY-MM-DD [--to YYYY-MM-DD] [--tasks a,b] [--force] [--continue-on-error]
        Run every trading day of the range, oldest first. Dates whose cycle completed are skipped
        unless --force. Stops at the first failed date unless --continue-on-error.
  status [--date YYYY-MM-DD]     The ledger and Redis status of a date (default: the latest run), as JSON.
  calendar --from YYYY-MM-DD --to YYYY-MM-DD
        One JSON line per date: trading day, early close, session instants.
  migrate                        Apply pending database migrations.
  cleanup [--date YYYY-MM-DD]    Drop volume_slots partitions older than the retention (weekly job).
  new-day [--date YYYY-MM-DD]
        Announce the trading day: set trading:current_day, publish trading:new_day, clear the configured
        day caches, notify the WebSocket server. Only the current day (default): never a past one. A
        day already announced is not published again (exit 0, "published": false).
  serve                          Run the service: schedules, catch-up, health check, control port.
  help                           This text.

Tasks: load_ohlc, load_volume_slots, calculate_atr, calculate_rvol_averages, enrich_metadata,
       auto_recover_missing_tickers, sync_redis

Exit codes: 0 success, 1 a task or the run failed, 2 bad arguments or configuration (nothing ran).`;
