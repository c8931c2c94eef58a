import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import { parseTriggerRequest } from './parse-trigger-request.js';

const refused = (body: unknown) => {
  const parsed = parseTriggerRequest(body);
  if (parsed.ok) throw new Error(`accepted ${JSON.stringify(body)}`);
  return parsed.error;
};

describe('parseTriggerRequest', () => {
  it('an empty object (or nulls) asks for the default date and the whole cycle', () => {
    expect(parseTriggerRequest({})).toEqual({ ok: true, value: { date: null, tasks: null } });
    expect(parseTriggerRequest({ date: null, tasks: null })).toEqual({ ok: true, value: { date: null, tasks: null } });
  });

  it('takes a real date and task names, returning the tasks in cycle order', () => {
    expect(parseTriggerRequest({ date: '2026-11-20', tasks: ['sync_redis', 'load_ohlc'] })).toEqual({
      ok: true,
      value: { date: '2026-11-20', tasks: ['load_ohlc', 'sync_redis'] },
    });
    expect(parseTriggerRequest({ tasks: [...MAINTENANCE_TASKS].reverse() })).toEqual({ ok: true, value: { date: null, tasks: [...MAINTENANCE_TASKS] } });
  });

  it('refuses a body that is not an object, and unknown fields (a misspelt field must not run the whole cycle)', () => {
    for (const body of [null, [], 'run', 7, true]) expect(refused(body).code).toBe('INVALID_BODY');
    expect(refused({ task: ['load_ohlc'] })).toEqual({ code: 'INVALID_BODY', message: 'unknown field "task"; expected date, tasks' });
    expect(refused(JSON.parse('{"__proto__": {"tasks": null}}'))).toMatchObject({ code: 'INVALID_BODY' });
  });

  it('refuses a date that is not a real YYYY-MM-DD, or outside the calendar', () => {
    for (const date of ['2026-02-30', '2026-11-20T00:00:00Z', '20261120', '', 20261120, {}]) {
      expect(refused({ date }).code).toBe('INVALID_DATE');
    }
    expect(refused({ date: '1900-01-02' })).toMatchObject({ code: 'INVALID_DATE' });
    expect(refused({ date: 'x'.repeat(1000) }).message.length).toBeLessThan(100);
  });

  it('refuses tasks that are not a list of strings (INVALID_BODY), and empty, unknown or repeated names (UNKNOWN_TASK)', () => {
    expect(refused({ tasks: 'load_ohlc' }).code).toBe('INVALID_BODY');
    expect(refused({ tasks: [1] }).code).toBe('INVALID_BODY');
    expect(refused({ tasks: [] }).code).toBe('UNKNOWN_TASK');
    expect(refused({ tasks: ['load_ohlc', 'cleanup_old_data'] })).toEqual({
      code: 'UNKNOWN_TASK',
      message: `unknown task "cleanup_old_data"; expected ${MAINTENANCE_TASKS.join(', ')}`,
    });
    expect(refused({ tasks: ['load_ohlc', 'sync_redis', 'load_ohlc'] })).toEqual({ code: 'UNKNOWN_TASK', message: 'named more than once: load_ohlc' });
  });

  it('checks the date before the tasks', () => {
    expect(refused({ date: 'tomorrow', tasks: ['nope'] }).code).toBe('INVALID_DATE');
  });
});
