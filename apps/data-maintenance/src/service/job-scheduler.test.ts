import schedule from 'node-schedule';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, nyseCalendar, systemClock } from '@scanner/market-calendar';
import { type JobSchedule, jobSchedules, nextFireTimes } from '../core/job-schedule.js';
import { type JobFire, type JobScheduler, createFireHandler, recurrenceRuleOf, startJobScheduler } from './job-scheduler.js';

const DEFAULTS = jobSchedules({ newDayMinute: 180, dailyMinute: 1020, weeklyCleanup: { weekday: 0, minute: 180 } });
const [NEW_DAY, DAILY, WEEKLY] = DEFAULTS as [JobSchedule, JobSchedule, JobSchedule];

/** A logger whose lines are kept, parsed, for assertions on the events. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, events: () => lines.map((l) => l['event']), lines };
}

/** The fire handler of a schedule, with the fires it lets through. */
function handlerFor(s: JobSchedule) {
  const fires: JobFire[] = [];
  const log = capturingLogger();
  const fire = createFireHandler({ schedule: s, calendar: nyseCalendar, logger: log.logger, onFire: (f) => void fires.push(f) });
  return { fire, fires, ...log };
}

describe('the fire handler (what a node-schedule fire does)', () => {
  it('a trading day: onFire with the New York date and the scheduled instant', () => {
    const h = handlerFor(NEW_DAY);
    h.fire(new Date('2026-11-20T08:00:00Z'));
    expect(h.fires).toEqual([{ job: 'new_day', date: '2026-11-20', scheduledAt: new Date('2026-11-20T08:00:00Z') }]);
    expect(h.events()).toEqual(['job_fired']);
  });

  it('the New York date, not the UTC one: 17:00 EDT is 21:00Z the same day, 22:00 EST likewise', () => {
    const h = handlerFor(DAILY);
    h.fire(new Date('2026-10-30T21:00:00Z'));
    h.fire(new Date('2026-11-02T22:00:00Z'));
    expect(h.fires.map((f) => f.date)).toEqual(['2026-10-30', '2026-11-02']);
  });

  it('a holiday: logs job_skipped_market_closed with the calendar reason and does not call onFire', () => {
    const h = handlerFor(NEW_DAY);
    h.fire(new Date('2026-11-26T08:00:00Z'));
    expect(h.fires).toEqual([]);
    expect(h.lines).toEqual([
      expect.objectContaining({
        event: 'job_skipped_market_closed',
        job: 'new_day',
        date: '2026-11-26',
        reason: 'Thanksgiving Day',
        closure: 'holiday',
      }),
    ]);
  });

  it('a weekend and Good Friday are skipped the same way; the early-close Friday runs', () => {
    const h = handlerFor(DAILY);
    h.fire(new Date('2026-11-21T22:00:00Z')); // Saturday
    h.fire(new Date('2026-04-03T21:00:00Z')); // Good Friday
    h.fire(new Date('2026-11-27T22:00:00Z')); // the day after Thanksgiving, closing at 13:00
    expect(h.fires.map((f) => f.date)).toEqual(['2026-11-27']);
    expect(h.lines.filter((l) => l['event'] === 'job_skipped_market_closed').map((l) => [l['date'], l['reason']])).toEqual([
      ['2026-11-21', 'Weekend'],
      ['2026-04-03', 'Good Friday'],
    ]);
  });

  it('the second pass of a repeated wall time is not a run', () => {
    const h = handlerFor({ job: 'weekly_cleanup', minuteOfDay: 90, days: { weekday: 0 } });
    h.fire(new Date('2026-11-01T05:30:00Z')); // 01:30 EDT
    h.fire(new Date('2026-11-01T06:30:00Z')); // 01:30 EST, an hour later
    expect(h.fires.map((f) => f.scheduledAt.toISOString())).toEqual(['2026-11-01T05:30:00.000Z']);
    expect(h.events()).toEqual(['job_fired', 'job_fire_ignored']);
  });

  it('an onFire that throws or rejects is logged, never thrown into node-schedule', async () => {
    const log = capturingLogger();
    const throwing = createFireHandler({
      schedule: NEW_DAY,
      calendar: nyseCalendar,
      logger: log.logger,
      onFire: () => {
        throw Object.assign(new Error('queue closed'), { code: 'SHUTTING_DOWN' });
      },
    });
    expect(() => throwing(new Date('2026-11-20T08:00:00Z'))).not.toThrow();
    const rejecting = createFireHandler({ schedule: DAILY, calendar: nyseCalendar, logger: log.logger, onFire: async () => Promise.reject(new Error('boom')) });
    rejecting(new Date('2026-11-20T22:00:00Z'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.lines.filter((l) => l['event'] === 'job_fire_failed').map((l) => [l['job'], l['code'], l['message']])).toEqual([
      ['new_day', 'SHUTTING_DOWN', 'queue closed'],
      ['daily_maintenance', 'ERROR', 'boom'],
    ]);
  });
});

describe('the node-schedule rules agree with the pure schedule', () => {
  /** What node-schedule would fire from `base` up to `end`, through the handler's filter. */
  function ruleFires(s: JobSchedule, base: Date, end: Date): string[] {
    const h = handlerFor(s);
    const rule = recurrenceRuleOf(s);
    for (let at = rule.nextInvocationDate(base); at.getTime() <= end.getTime(); at = rule.nextInvocationDate(at)) h.fire(at);
    return h.fires.map((f) => `${f.date} ${f.scheduledAt.toISOString()}`);
  }

  // node-schedule steps a time-zone-aware date second by second, then minute, then hour (some 60 ms a
  // day of search), so the windows are the two weeks around each switch plus one holiday week.
  const windows: Array<[string, Date, number]> = [
    ['the spring-forward weeks', new Date('2026-03-01T17:00:00Z'), 10],
    ['the fall-back weeks', new Date('2026-10-25T16:00:00Z'), 10],
  ];
  const schedules: Array<[string, JobSchedule]> = [
    ['new_day 03:00', NEW_DAY],
    ['daily 17:00', DAILY],
    ['weekly Sunday 03:00', WEEKLY],
    ['new_day 02:30 (a gap-hour time on trading days)', { ...NEW_DAY, minuteOfDay: 150 }],
    ['weekly Sunday 02:30 (inside the gap on the switch day)', { ...WEEKLY, minuteOfDay: 150 }],
    ['weekly Sunday 01:30 (repeated on the fall-back day)', { ...WEEKLY, minuteOfDay: 90 }],
    ['weekly Saturday 23:59', { job: 'weekly_cleanup', minuteOfDay: 1439, days: { weekday: 6 } }],
  ];

  const agree = (s: JobSchedule, base: Date, count: number) => {
    const pure = nextFireTimes(s, nyseCalendar, base, count);
    const end = pure.at(-1)?.at ?? base;
    expect(ruleFires(s, base, end)).toEqual(pure.map((f) => `${f.date} ${f.at.toISOString()}`));
  };

  for (const [window, base, sessions] of windows) {
    for (const [name, s] of schedules) {
      it(`${name}, ${window}`, () => agree(s, base, s.days === 'trading_days' ? sessions : 2));
    }
  }

  it('daily 17:00 over Thanksgiving week: the holiday filtered out, the early-close Friday kept', () => {
    expect(ruleFires(DAILY, new Date('2026-11-22T17:00:00Z'), new Date('2026-11-28T17:00:00Z'))).toEqual([
      '2026-11-23 2026-11-23T22:00:00.000Z',
      '2026-11-24 2026-11-24T22:00:00.000Z',
      '2026-11-25 2026-11-25T22:00:00.000Z',
      '2026-11-27 2026-11-27T22:00:00.000Z',
    ]);
  });

  it('the gap day of a Sunday 02:30 cleanup fires at 03:00 EDT, where node-schedule alone would skip the day', () => {
    const s: JobSchedule = { ...WEEKLY, minuteOfDay: 150 };
    expect(ruleFires(s, new Date('2026-03-07T12:00:00Z'), new Date('2026-03-08T12:00:00Z'))).toEqual(['2026-03-08 2026-03-08T07:00:00.000Z']);
  });
});

describe('startJobScheduler', () => {
  let scheduler: JobScheduler | null = null;
  afterEach(() => {
    scheduler?.stop();
    scheduler = null;
  });

  it('registers one node-schedule job per schedule and stop() leaves none pending', () => {
    const before = Object.keys(schedule.scheduledJobs);
    const log = capturingLogger();
    scheduler = startJobScheduler({
      schedules: DEFAULTS,
      calendar: nyseCalendar,
      clock: new ManualClock('2026-11-25T12:00:00Z'),
      logger: log.logger,
      onFire: () => undefined,
    });
    const jobs = Object.values(schedule.scheduledJobs);
    expect(jobs).toHaveLength(before.length + 3);
    // nextInvocation() is a CronDate at run time, whatever the typings say; getTime() works on both.
    for (const job of jobs) expect(job.nextInvocation()?.getTime()).toBeGreaterThan(Date.now());
    scheduler.stop();
    expect(Object.keys(schedule.scheduledJobs)).toEqual(before);
    expect(jobs.every((job) => job.pendingInvocations.length === 0)).toBe(true);
    expect(log.events()).toEqual(['job_scheduler_started', 'job_scheduler_stopped']);
  });

  it('next(): each job\'s next run from the injected clock, skipping Thanksgiving', () => {
    const clock = new ManualClock('2026-11-25T12:00:00Z'); // Wednesday 07:00 EST
    scheduler = startJobScheduler({ schedules: DEFAULTS, calendar: nyseCalendar, clock, logger: pino({ level: 'silent' }), onFire: () => undefined });
    const show = () => scheduler?.next().map((f) => `${f.job} ${f.date} ${f.at.toISOString()}`);
    expect(show()).toEqual([
      'new_day 2026-11-27 2026-11-27T08:00:00.000Z',
      'daily_maintenance 2026-11-25 2026-11-25T22:00:00.000Z',
      'weekly_cleanup 2026-11-29 2026-11-29T08:00:00.000Z',
    ]);
    clock.set('2026-11-25T22:00:00Z');
    expect(show()?.[1]).toBe('daily_maintenance 2026-11-27 2026-11-27T22:00:00.000Z');
  });

  it('the registered job fires at the pure schedule\'s next instant (New York time zone)', () => {
    scheduler = startJobScheduler({ schedules: [WEEKLY], calendar: nyseCalendar, clock: systemClock, logger: pino({ level: 'silent' }), onFire: () => undefined });
    const [job] = Object.values(schedule.scheduledJobs);
    const [expected] = scheduler.next();
    expect(job?.nextInvocation()?.getTime()).toBe(expected?.at.getTime());
  });

  it('refuses a bad schedule before registering anything', () => {
    const before = Object.keys(schedule.scheduledJobs);
    expect(() =>
      startJobScheduler({
        schedules: [NEW_DAY, { ...WEEKLY, days: { weekday: 9 } }],
        calendar: nyseCalendar,
        clock: new ManualClock('2026-11-25T12:00:00Z'),
        logger: pino({ level: 'silent' }),
        onFire: () => undefined,
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(Object.keys(schedule.scheduledJobs)).toEqual(before);
  });
});
