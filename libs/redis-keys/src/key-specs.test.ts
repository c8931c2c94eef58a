import { describe, expect, it } from 'vitest';
import { createRedisKeys } from './create-redis-keys.js';
import { KEY_SPECS, type RedisKeyName } from './key-specs.js';

const keys = createRedisKeys('t:');

/** Every builder with sample arguments, keyed as KEY_SPECS is. */
const built: Record<RedisKeyName, string> = {
  scannerCategory: keys.scannerCategory('winners'),
  scannerSequence: keys.scannerSequence('winners'),
  rankingDeltas: keys.rankingDeltas,
  polygonSnapshot: keys.polygonSnapshot,
  enrichedSnapshot: keys.enrichedSnapshot,
  tickerMetadata: keys.tickerMetadata('AAPL'),
  atrData: keys.atrData('AAPL'),
  rvolHistAvg: keys.rvolHistAvg('AAPL'),
  tickerUniverse: keys.tickerUniverse,
  polygonWsActiveTickers: keys.polygonWsActiveTickers,
  maintenanceExecuted: keys.maintenanceExecuted('2026-11-20'),
  maintenanceStatus: keys.maintenanceStatus('2026-11-20'),
  maintenanceLastRun: keys.maintenanceLastRun,
  newDayChannel: keys.newDayChannel,
  tradingCurrentDay: keys.tradingCurrentDay,
  maintenanceLock: keys.maintenanceLock,
  maintenanceNewDayLock: keys.maintenanceNewDayLock,
  tmp: keys.tmp(keys.tickerUniverse, 'tok'),
};

const samples: Record<string, string> = { list: 'winners', symbol: 'AAPL', date: '2026-11-20', token: 'tok', key: 'ticker:universe' };

describe('KEY_SPECS', () => {
  it('documents exactly the keys the builders make', () => {
    expect(Object.keys(KEY_SPECS).sort()).toEqual(Object.keys(built).sort());
    for (const [name, spec] of Object.entries(KEY_SPECS)) {
      const expected = `t:${spec.pattern.replace(/<(\w+)>/g, (_m, part: string) => samples[part] ?? `<${part}>`)}`;
      expect(built[name as RedisKeyName], name).toBe(expected);
    }
  });

  it('gives every entry a writer, a purpose and a TTL rule', () => {
    for (const [name, spec] of Object.entries(KEY_SPECS)) {
      expect(spec.writer, name).not.toBe('');
      expect(spec.purpose.length, name).toBeGreaterThan(20);
      expect(['none', 'calendar', 'lease'], name).toContain(spec.ttl);
    }
  });

  it('puts the calendar TTL on the per-ticker caches maintenance writes', () => {
    const calendarKeys = Object.entries(KEY_SPECS)
      .filter(([, spec]) => spec.ttl === 'calendar')
      .map(([name]) => name)
      .sort();
    expect(calendarKeys).toEqual(['atrData', 'rvolHistAvg', 'tickerMetadata']);
  });

  it('never expires the level-triggered current day', () => {
    expect(KEY_SPECS.tradingCurrentDay.ttl).toBe('none');
    expect(KEY_SPECS.maintenanceLock.ttl).toBe('lease');
  });
});
