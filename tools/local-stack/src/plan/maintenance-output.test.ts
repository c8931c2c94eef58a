import { describe, expect, it } from 'vitest';
import { OutputError, cliErrorCode, parseBackfillDateLine, parseBackfillSummary, parseStatusOutput } from './maintenance-output.js';

describe('parseStatusOutput', () => {
  it('reads a date that was never run', () => {
    const stdout = '{"date":"2026-11-20","trading_day":true,"ledger":null,"redis":{"executed":false,"last_run":null,"status":null}}\n';
    expect(parseStatusOutput(stdout)).toEqual({ date: '2026-11-20', latestRunStatus: null });
  });

  it("reads the latest run's status", () => {
    const ledger = { run_id: 7, trigger: 'backfill', status: 'completed', tasks: [] };
    const stdout = `${JSON.stringify({ date: '2026-11-20', trading_day: true, ledger, redis: {} })}\n`;
    expect(parseStatusOutput(stdout)).toEqual({ date: '2026-11-20', latestRunStatus: 'completed' });
  });

  it('names output that is not the documented object', () => {
    expect(() => parseStatusOutput('')).toThrow(OutputError);
    expect(() => parseStatusOutput('{"date":"2026-02-30","ledger":null}')).toThrow(/bad date/);
    expect(() => parseStatusOutput('{"date":"2026-11-20","ledger":{"run_id":1}}')).toThrow(/without a status/);
  });
});

describe('backfill output', () => {
  const stdout = [
    '{"date":"2026-11-19","status":"already_completed"}',
    '{"date":"2026-11-20","status":"completed","run_id":37,"all_success":true}',
    '{"backfill":"completed","from":"2026-11-19","to":"2026-11-20","dates":2,"completed":1,"failed":0,"already_completed":1,"not_run":0,"failed_dates":[]}',
  ].join('\n');

  it('reads the summary line', () => {
    expect(parseBackfillSummary(stdout)).toEqual({ outcome: 'completed', dates: 2, completed: 1, alreadyCompleted: 1, failed: 0, failedDates: [] });
  });

  it('refuses a summary with a bad count', () => {
    expect(() => parseBackfillSummary('{"backfill":"failed","dates":2,"completed":-1}')).toThrow(/bad completed/);
    expect(() => parseBackfillSummary('{"date":"2026-11-20","status":"completed"}')).toThrow(/no summary/);
  });

  it('reads one date line for the progress, and nothing else', () => {
    const [first, second, summary] = stdout.split('\n');
    expect(parseBackfillDateLine(first ?? '')).toEqual({ date: '2026-11-19', status: 'already_completed' });
    expect(parseBackfillDateLine(second ?? '')).toEqual({ date: '2026-11-20', status: 'completed' });
    expect(parseBackfillDateLine(summary ?? '')).toBeNull();
    expect(parseBackfillDateLine('backfill [====] 3/30')).toBeNull();
  });
});

describe('cliErrorCode', () => {
  it('finds the stable code of an error line among the logs', () => {
    expect(cliErrorCode('{"level":50}\nerror LOCK_HELD: maintenance:lock is held by vm-1-abc\n')).toBe('LOCK_HELD');
    expect(cliErrorCode('error 42P01: relation "maintenance_runs" does not exist')).toBe('42P01');
    expect(cliErrorCode('all good')).toBeNull();
  });
});
