import { nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import { lastClosedSession, parseCli } from './parse-cli.js';

// Saturday 2026-11-21 12:00 New York: the Friday session is the last closed one.
const context = { calendar: nyseCalendar, now: new Date('2026-11-21T17:00:00Z') };
const parse = (...argv: string[]) => parseCli(argv, context);
const codeOf = (...argv: string[]) => {
  const result = parse(...argv);
  return result.ok ? 'OK' : result.error.code;
};

describe('parseCli', () => {
  it('parses run with a date and tasks, putting tasks in cycle order', () => {
    expect(parse('run', '--date', '2026-11-20', '--tasks', 'sync_redis,load_ohlc')).toEqual({
      ok: true,
      value: { kind: 'run', date: '2026-11-20', tasks: ['load_ohlc', 'sync_redis'] },
    });
  });

  it('defaults run to the last closed session', () => {
    expect(parse('run')).toEqual({ ok: true, value: { kind: 'run', date: '2026-11-20', tasks: null } });
  });

  it('refuses bad arguments with stable codes', () => {
    expect(codeOf()).toBe('MISSING_COMMAND');
    expect(codeOf('frobnicate')).toBe('UNKNOWN_COMMAND');
    expect(codeOf('toString')).toBe('UNKNOWN_COMMAND');
    expect(codeOf('run', '--date', '2026-02-30')).toBe('INVALID_DATE');
    expect(codeOf('run', '--date', '20261120')).toBe('INVALID_DATE');
    expect(codeOf('run', '--date', '1999-12-31')).toBe('DATE_OUT_OF_RANGE');
    expect(codeOf('run', '--date', '2026-11-26')).toBe('NOT_A_TRADING_DAY');
    expect(codeOf('run', '--date', '2026-11-22')).toBe('NOT_A_TRADING_DAY');
    expect(codeOf('run', '--date', '2026-11-23')).toBe('SESSION_NOT_CLOSED');
    expect(codeOf('run', '--tasks', 'load_ohlc,nope')).toBe('UNKNOWN_TASK');
    expect(codeOf('run', '--tasks', ',')).toBe('UNKNOWN_TASK');
    expect(codeOf('run', '--dat', '2026-11-20')).toBe('UNKNOWN_OPTION');
    expect(codeOf('run', 'extra')).toBe('UNEXPECTED_ARGUMENT');
    expect(codeOf('run', '--date')).toBe('INVALID_OPTION');
    expect(codeOf('backfill', '--from', '2026-11-20', '--to', '2026-11-02')).toBe('INVALID_RANGE');
    expect(codeOf('backfill', '--to', '2026-11-20')).toBe('MISSING_OPTION');
    expect(codeOf('backfill', '--from', '2026-11-21', '--to', '2026-11-22')).toBe('NO_TRADING_DAYS');
    expect(codeOf('calendar', '--from', '2026-12-01', '--to', '2026-11-01')).toBe('INVALID_RANGE');
    expect(codeOf('calendar', '--from', '2026-11-01')).toBe('MISSING_OPTION');
    expect(codeOf('status', '--date', '2026-13-01')).toBe('INVALID_DATE');
  });

  it('gives a message that names the offending value', () => {
    const result = parse('run', '--tasks', 'load_ohlc,bogus_task');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('bogus_task');
  });

  it('parses backfill into the trading days of the range', () => {
    const later = { calendar: nyseCalendar, now: new Date('2026-12-01T12:00:00Z') };
    const result = parseCli(['backfill', '--from', '2026-11-24', '--to', '2026-11-30', '--force'], later);
    expect(result).toEqual({
      ok: true,
      value: {
        kind: 'backfill',
        from: '2026-11-24',
        to: '2026-11-30',
        dates: ['2026-11-24', '2026-11-25', '2026-11-27', '2026-11-30'],
        tasks: null,
        force: true,
        continueOnError: false,
      },
    });
  });

  it('refuses a backfill whose last day has not closed', () => {
    expect(codeOf('backfill', '--from', '2026-11-16', '--to', '2026-11-24')).toBe('SESSION_NOT_CLOSED');
  });

  it('accepts calendar ranges over holidays and future dates', () => {
    expect(parse('calendar', '--from', '2026-11-26', '--to', '2027-01-04')).toEqual({
      ok: true,
      value: { kind: 'calendar', from: '2026-11-26', to: '2027-01-04' },
    });
  });

  it('parses status, migrate, cleanup and help', () => {
    expect(parse('status')).toEqual({ ok: true, value: { kind: 'status', date: null } });
    expect(parse('status', '--date', '2026-11-20')).toEqual({ ok: true, value: { kind: 'status', date: '2026-11-20' } });
    expect(parse('migrate')).toEqual({ ok: true, value: { kind: 'migrate' } });
    expect(parse('cleanup')).toEqual({ ok: true, value: { kind: 'cleanup', date: '2026-11-21' } });
    expect(parse('--help')).toEqual({ ok: true, value: { kind: 'help' } });
    expect(parse('run', '--help')).toEqual({ ok: true, value: { kind: 'help' } });
  });
});

describe('parseCli new-day and serve', () => {
  it('parses new-day with a trading date, or without one (resolved later against NEW_DAY_TIME)', () => {
    expect(parse('new-day')).toEqual({ ok: true, value: { kind: 'new-day', date: null } });
    expect(parse('new-day', '--date', '2026-11-20')).toEqual({ ok: true, value: { kind: 'new-day', date: '2026-11-20' } });
  });

  it('refuses a closed day and bad new-day arguments with stable codes', () => {
    expect(codeOf('new-day', '--date', '2026-11-26')).toBe('NOT_A_TRADING_DAY');
    expect(codeOf('new-day', '--date', '2026-11-21')).toBe('NOT_A_TRADING_DAY');
    expect(codeOf('new-day', '--date', '2026-11-31')).toBe('INVALID_DATE');
    expect(codeOf('new-day', '--date')).toBe('INVALID_OPTION');
    expect(codeOf('new-day', '--tasks', 'load_ohlc')).toBe('UNKNOWN_OPTION');
    expect(codeOf('new-day', '2026-11-20')).toBe('UNEXPECTED_ARGUMENT');
  });

  it('parses serve, which takes no options', () => {
    expect(parse('serve')).toEqual({ ok: true, value: { kind: 'serve' } });
    expect(codeOf('serve', '--port', '1')).toBe('UNKNOWN_OPTION');
    expect(codeOf('serve', 'now')).toBe('UNEXPECTED_ARGUMENT');
  });
});

describe('lastClosedSession', () => {
  it('is today after the close and the previous session before it', () => {
    const at = (iso: string) => lastClosedSession({ calendar: nyseCalendar, now: new Date(iso) });
    expect(at('2026-11-20T21:00:01Z')).toBe('2026-11-20'); // 16:00:01 New York
    expect(at('2026-11-20T20:59:59Z')).toBe('2026-11-19');
    expect(at('2026-11-27T18:00:00Z')).toBe('2026-11-27'); // early close, 13:00 New York
    expect(at('2026-11-26T18:00:00Z')).toBe('2026-11-25'); // Thanksgiving
    expect(at('2026-11-23T04:00:00Z')).toBe('2026-11-20'); // Sunday night New York
  });
});
