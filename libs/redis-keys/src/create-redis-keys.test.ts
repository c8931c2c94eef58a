import { SCANNER_LISTS, type ScannerList } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import { createRedisKeys } from './create-redis-keys.js';
import { RedisKeyError } from './redis-key-error.js';

function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof RedisKeyError ? error.code : `not a RedisKeyError: ${String(error)}`;
  }
  return undefined;
}

describe('createRedisKeys without a prefix', () => {
  const keys = createRedisKeys();

  it('builds the seed names byte for byte', () => {
    expect(keys.scannerCategory('winners')).toBe('scanner:category:winners');
    expect(keys.scannerSequence('gappers_down')).toBe('scanner:sequence:gappers_down');
    expect(keys.rankingDeltas).toBe('stream:ranking:deltas');
    expect(keys.polygonSnapshot).toBe('snapshot:polygon:latest');
    expect(keys.enrichedSnapshot).toBe('snapshot:enriched:latest');
    expect(keys.tickerMetadata('AAPL')).toBe('metadata:ticker:AAPL');
    expect(keys.atrData('BRK.B')).toBe('atr:data:BRK.B');
    expect(keys.rvolHistAvg('BACpB')).toBe('rvol:hist:avg:BACpB');
    expect(keys.tickerUniverse).toBe('ticker:universe');
    expect(keys.polygonWsActiveTickers).toBe('polygon_ws:active_tickers');
    expect(keys.maintenanceExecuted('2025-11-25')).toBe('maintenance:executed:2025-11-25');
    expect(keys.maintenanceStatus('2025-11-25')).toBe('maintenance:status:2025-11-25');
    expect(keys.maintenanceLastRun).toBe('maintenance:last_run');
    expect(keys.newDayChannel).toBe('trading:new_day');
  });

  it("builds this project's own keys", () => {
    expect(keys.tradingCurrentDay).toBe('trading:current_day');
    expect(keys.maintenanceLock).toBe('maintenance:lock');
    expect(keys.maintenanceNewDayLock).toBe('maintenance:lock:new_day');
    expect(keys.tmp('ticker:universe', 'run-42')).toBe('tmp:run-42:ticker:universe');
  });

  it('builds a key for every list', () => {
    for (const list of SCANNER_LISTS) expect(keys.scannerCategory(list)).toBe(`scanner:category:${list}`);
  });
});

describe('createRedisKeys with a prefix', () => {
  const keys = createRedisKeys('test:ab12:');

  it('puts it in front of every key and the channel', () => {
    expect(keys.prefix).toBe('test:ab12:');
    expect(keys.scannerCategory('losers')).toBe('test:ab12:scanner:category:losers');
    expect(keys.rankingDeltas).toBe('test:ab12:stream:ranking:deltas');
    expect(keys.tickerMetadata('ACAHW')).toBe('test:ab12:metadata:ticker:ACAHW');
    expect(keys.maintenanceStatus('2026-11-20')).toBe('test:ab12:maintenance:status:2026-11-20');
    expect(keys.newDayChannel).toBe('test:ab12:trading:new_day');
    expect(keys.tradingCurrentDay).toBe('test:ab12:trading:current_day');
    expect(keys.maintenanceLock).toBe('test:ab12:maintenance:lock');
    expect(keys.maintenanceNewDayLock).toBe('test:ab12:maintenance:lock:new_day');
  });

  it('builds SCAN patterns that match this prefix only', () => {
    expect(keys.patterns).toEqual({
      tickerMetadata: 'test:ab12:metadata:ticker:*',
      atrData: 'test:ab12:atr:data:*',
      rvolHistAvg: 'test:ab12:rvol:hist:avg:*',
      tmp: 'test:ab12:tmp:*',
    });
  });

  it('puts temporary keys outside the families, under the same prefix', () => {
    const tmp = keys.tmp(keys.rvolHistAvg('AAPL'), 'c0ffee');
    expect(tmp).toBe('test:ab12:tmp:c0ffee:rvol:hist:avg:AAPL');
    expect(tmp.startsWith('test:ab12:rvol:hist:avg:')).toBe(false);
  });

  it('gets the symbol back from a full key', () => {
    expect(keys.symbolOf('tickerMetadata', 'test:ab12:metadata:ticker:BRK.A')).toBe('BRK.A');
    expect(keys.symbolOf('atrData', keys.atrData('BACpB'))).toBe('BACpB');
    expect(keys.symbolOf('rvolHistAvg', keys.rvolHistAvg('ACAHW'))).toBe('ACAHW');
  });

  it('gives no symbol for keys of another prefix, family or shape', () => {
    expect(keys.symbolOf('tickerMetadata', 'metadata:ticker:AAPL')).toBeNull();
    expect(keys.symbolOf('tickerMetadata', 'test:zz:metadata:ticker:AAPL')).toBeNull();
    expect(keys.symbolOf('atrData', keys.tickerMetadata('AAPL'))).toBeNull();
    expect(keys.symbolOf('tickerMetadata', 'test:ab12:metadata:ticker:')).toBeNull();
    expect(keys.symbolOf('tickerMetadata', 'test:ab12:metadata:ticker:AAPL:tmp:x')).toBeNull();
  });
});

describe('createRedisKeys refuses bad parts', () => {
  const keys = createRedisKeys('p:');

  it.each(['a b', 'a*', 'a?', 'a[b', 'a]', 'a\\b', 'tab\t', 'line\n', 'é', 'x'.repeat(129)])('prefix %j', (prefix) => {
    expect(thrownCode(() => createRedisKeys(prefix))).toBe('INVALID_PREFIX');
  });

  it('accepts the prefixes tests and deployments use', () => {
    for (const prefix of ['', 'test:1f3a9c:', 'prod-eu:', '{scanner}:', 'a.b_c-d/e']) {
      expect(thrownCode(() => createRedisKeys(prefix))).toBeUndefined();
    }
  });

  it.each(['', 'AA PL', 'X:BTC', 'AAPL*', 'A?', '[A]', 'ABCDEFGHIJKLMNOPQRSTUV'])('symbol %j', (symbol) => {
    expect(thrownCode(() => keys.tickerMetadata(symbol))).toBe('INVALID_SYMBOL');
    expect(thrownCode(() => keys.atrData(symbol))).toBe('INVALID_SYMBOL');
    expect(thrownCode(() => keys.rvolHistAvg(symbol))).toBe('INVALID_SYMBOL');
  });

  it.each(['Winners', 'all', '', '__proto__', 'winners:x'])('list %j', (list) => {
    expect(thrownCode(() => keys.scannerCategory(list as ScannerList))).toBe('UNKNOWN_LIST');
    expect(thrownCode(() => keys.scannerSequence(list as ScannerList))).toBe('UNKNOWN_LIST');
  });

  it.each(['2026-02-30', '2026-11-20T00:00:00Z', '20261120', '1999-12-31', '*'])('date %j', (date) => {
    expect(thrownCode(() => keys.maintenanceStatus(date))).toBe('INVALID_DATE');
    expect(thrownCode(() => keys.maintenanceExecuted(date))).toBe('INVALID_DATE');
  });

  it('refuses a temporary key for a key of another prefix, or a bad token', () => {
    expect(thrownCode(() => keys.tmp('ticker:universe', 'abc'))).toBe('INVALID_PREFIX');
    expect(thrownCode(() => keys.tmp('p:', 'abc'))).toBe('INVALID_PREFIX');
    for (const token of ['', 'a:b', 'a b', 'a*', 'x'.repeat(65)]) {
      expect(thrownCode(() => keys.tmp('p:ticker:universe', token))).toBe('INVALID_ARGUMENT');
    }
  });
});
