import { PassThrough } from 'node:stream';
import { ManualClock, newYorkInstant, nyseCalendar } from '@scanner/market-calendar';
import { describe, expect, it } from 'vitest';
import type { MaintenanceConfig } from '../config.js';
import type { CliOutput } from './cli-output.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { type CliEnvironment, runCli } from './run-cli.js';

/** runCli up to the point where it would connect: `open` records that it was asked, and refuses. */
function environment(argv: string[], extra: Partial<CliEnvironment> = {}) {
  const errors: string[] = [];
  const lines: unknown[] = [];
  const opened: MaintenanceConfig[] = [];
  const out: CliOutput = { json: (v) => lines.push(v), isTty: false, terminal: new PassThrough() };
  const env: CliEnvironment = {
    argv,
    env: { MARKET_DATA_SOURCE: 'synthetic', NEW_DAY_TIME: '03:30' },
    clock: new ManualClock(newYorkInstant('2026-11-20', 9, 0)),
    calendar: nyseCalendar,
    out,
    errorLine: (text) => errors.push(text),
    open: (config) => {
      opened.push(config);
      return Promise.reject(Object.assign(new Error('not in a unit test'), { code: 'REDIS_UNAVAILABLE' }));
    },
    ...extra,
  };
  return { env, errors, lines, opened };
}

describe('runCli serve', () => {
  it('hands the loaded config to environment.serve and returns its exit code, without opening clients', async () => {
    const served: MaintenanceConfig[] = [];
    const t = environment(['serve'], { serve: (config) => (served.push(config), Promise.resolve(EXIT.OK as ExitCode)) });
    expect(await runCli(t.env)).toBe(EXIT.OK);
    expect(served).toHaveLength(1);
    expect(served[0]?.schedules.newDayMinute).toBe(210);
    expect(t.opened).toEqual([]);
  });

  it('exits 2 with SERVE_UNAVAILABLE when no service is wired in', async () => {
    const t = environment(['serve']);
    expect(await runCli(t.env)).toBe(EXIT.USAGE);
    expect(t.errors.join('\n')).toContain('error SERVE_UNAVAILABLE:');
    expect(t.opened).toEqual([]);
  });

  it('a service that throws exits 1 with the error code', async () => {
    const t = environment(['serve'], { serve: () => Promise.reject(Object.assign(new Error('port taken'), { code: 'EADDRINUSE' })) });
    expect(await runCli(t.env)).toBe(EXIT.FAILED);
    expect(t.errors).toEqual(['error EADDRINUSE: port taken']);
  });

  it('a bad configuration exits 2 before the service starts', async () => {
    let called = false;
    const t = environment(['serve'], { env: { MARKET_DATA_SOURCE: 'synthetic', CONTROL_PORT: 'x' }, serve: () => ((called = true), Promise.resolve(EXIT.OK as ExitCode)) });
    expect(await runCli(t.env)).toBe(EXIT.USAGE);
    expect(called).toBe(false);
    expect(t.errors.join('\n')).toContain('CONTROL_PORT');
  });
});

describe('runCli new-day', () => {
  it('exits 2 with NOT_CURRENT_DAY for a day other than the announced one, before connecting', async () => {
    const t = environment(['new-day', '--date', '2026-11-19']);
    expect(await runCli(t.env)).toBe(EXIT.USAGE);
    expect(t.errors.join('\n')).toContain('error NOT_CURRENT_DAY:');
    expect(t.opened).toEqual([]);
  });

  it('reads NEW_DAY_TIME from the config: before it, today is not the day to announce yet', async () => {
    const early = environment(['new-day', '--date', '2026-11-20'], { clock: new ManualClock(newYorkInstant('2026-11-20', 3, 15)) });
    expect(await runCli(early.env)).toBe(EXIT.USAGE);
    expect(early.errors.join('\n')).toContain('NOT_CURRENT_DAY');

    const late = environment(['new-day', '--date', '2026-11-20'], { clock: new ManualClock(newYorkInstant('2026-11-20', 3, 30)) });
    expect(await runCli(late.env)).toBe(EXIT.FAILED); // accepted, then the unit test's `open` refuses
    expect(late.opened).toHaveLength(1);
  });

  it('exits 2 with NOT_A_TRADING_DAY for a holiday', async () => {
    const t = environment(['new-day', '--date', '2026-11-26']);
    expect(await runCli(t.env)).toBe(EXIT.USAGE);
    expect(t.errors.join('\n')).toContain('error NOT_A_TRADING_DAY:');
    expect(t.opened).toEqual([]);
  });
});
