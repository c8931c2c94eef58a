import { describe, expect, it } from 'vitest';
import { type CycleTimeline, KillPlanError, cycleTimeline, killPlan, locatePoint, parseSeed } from './process-kill-plan.js';
import { seededRandom } from './seeded-random.js';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 20, 23, 0, 0) + ms).toISOString();

describe('parseSeed', () => {
  it('reads a whole number, and null when unset', () => {
    expect(parseSeed('123')).toBe(123);
    expect(parseSeed(' 0 ')).toBe(0);
    expect(parseSeed(undefined)).toBeNull();
    expect(parseSeed('')).toBeNull();
  });
  it('refuses anything else with INVALID_SEED', () => {
    for (const bad of ['abc', '-3', '1e3', '4294967296', '12345678901']) {
      expect(() => parseSeed(bad), bad).toThrow(expect.objectContaining({ code: 'INVALID_SEED' }));
    }
  });
});

describe('killPlan', () => {
  it('puts the cycle kills in increasing order and the start-up kills in between, reproducibly', () => {
    const plan = killPlan(seededRandom(9).next, 40, 0.25);
    expect(plan).toHaveLength(40);
    expect(killPlan(seededRandom(9).next, 40, 0.25)).toEqual(plan);
    const cycle = plan.filter((k) => k.from === 'cycle').map((k) => k.fraction);
    expect(cycle).toEqual([...cycle].sort((a, b) => a - b));
    expect(cycle.length).toBeGreaterThan(20);
    expect(plan.some((k) => k.from === 'startup')).toBe(true);
    expect(plan.every((k) => k.fraction >= 0 && k.fraction < 1)).toBe(true);
  });
  it('gives only cycle kills with a share of 0, only start-up kills with 1', () => {
    expect(killPlan(seededRandom(1).next, 10, 0).every((k) => k.from === 'cycle')).toBe(true);
    expect(killPlan(seededRandom(1).next, 10, 1).every((k) => k.from === 'startup')).toBe(true);
    expect(() => killPlan(seededRandom(1).next, -1, 0)).toThrow(KillPlanError);
  });
});

describe('cycleTimeline and locatePoint', () => {
  const events = [
    { event: 'maintenance_cycle_started', run_id: 1, time: at(0) },
    { event: 'task_started', run_id: 1, task: 'load_ohlc', time: at(5) },
    { event: 'maintenance_cycle_finished', run_id: 1, time: at(50) },
    // The run that counts is the last one that finished.
    { event: 'maintenance_cycle_started', run_id: 2, time: at(1000) },
    { event: 'task_started', run_id: 2, task: 'load_ohlc', time: at(1010) },
    { event: 'task_started', run_id: 2, task: 'calculate_atr', time: at(1600) },
    { event: 'task_started', run_id: 2, task: 'sync_redis', time: at(1900) },
    { event: 'maintenance_cycle_finished', run_id: 2, time: at(2000) },
  ];

  it('reads the last finished cycle from the log events', () => {
    const timeline = cycleTimeline(events);
    expect(timeline.startedAt).toBe(Date.parse(at(1000)));
    expect(timeline.finishedAt).toBe(Date.parse(at(2000)));
    expect([...timeline.taskStarts.keys()]).toEqual(['load_ohlc', 'calculate_atr', 'sync_redis']);
  });

  it('places a point of the cycle in the task it falls in, with the offset into that task', () => {
    const timeline: CycleTimeline = cycleTimeline(events);
    expect(locatePoint(timeline, 0.5)).toEqual({ task: 'load_ohlc', offsetMs: 490 });
    expect(locatePoint(timeline, 0.7)).toEqual({ task: 'calculate_atr', offsetMs: 100 });
    expect(locatePoint(timeline, 0.95)).toEqual({ task: 'sync_redis', offsetMs: 50 });
    // Before the first task starts: that task, at once.
    expect(locatePoint(timeline, 0)).toEqual({ task: 'load_ohlc', offsetMs: 0 });
    expect(() => locatePoint({ startedAt: 0, finishedAt: 10, taskStarts: new Map() }, 0.5)).toThrow(expect.objectContaining({ code: 'INVALID_TIMELINE' }));
  });

  it('refuses a log without a finished cycle or with a time it cannot read', () => {
    expect(() => cycleTimeline(events.slice(3, 6))).toThrow(expect.objectContaining({ code: 'INVALID_TIMELINE' }));
    expect(() => cycleTimeline([{ event: 'maintenance_cycle_started', run_id: 3, time: 'noon' }, { event: 'maintenance_cycle_finished', run_id: 3, time: at(1) }])).toThrow(
      KillPlanError,
    );
  });
});
