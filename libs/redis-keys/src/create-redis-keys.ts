import type { IsoDate } from '@scanner/market-calendar';
import { type ScannerList, quote } from '@scanner/shared-types';
import { checkDate, checkList, checkPrefix, checkSymbol, checkToken } from './key-parts.js';
import { RedisKeyError } from './redis-key-error.js';
import { isValidSymbol } from './symbols.js';

/** The per-ticker key families: the ones SCAN walks and sync_redis prunes. */
export type TickerKeyFamily = 'tickerMetadata' | 'atrData' | 'rvolHistAvg';

const TICKER_FAMILY_HEADS: Readonly<Record<TickerKeyFamily, string>> = {
  tickerMetadata: 'metadata:ticker:',
  atrData: 'atr:data:',
  rvolHistAvg: 'rvol:hist:avg:',
};

/**
 * Every key, stream and channel, with the prefix applied. Each builder checks its variable part and
 * throws RedisKeyError for a bad one. Types, writers, readers and TTL rules are in `KEY_SPECS` too.
 */
export interface RedisKeys {
  readonly prefix: string;
  /** string, JSON rows of one list. Written by upstream, read by websocket-server. No TTL. */
  scannerCategory(list: ScannerList): string;
  /** string, integer sequence of one list. Written by upstream, read by websocket-server. No TTL. */
  scannerSequence(list: ScannerList): string;
  /** stream of snapshot/delta entries. Written by upstream, read by every websocket-server node. */
  readonly rankingDeltas: string;
  /** string, JSON market snapshot. Written and read by upstream. No TTL. */
  readonly polygonSnapshot: string;
  /** string, JSON enriched snapshot. Written by upstream, read by data-maintenance. No TTL. */
  readonly enrichedSnapshot: string;
  /** string, JSON ticker metadata. Written by data-maintenance, read by upstream. Calendar TTL. */
  tickerMetadata(symbol: string): string;
  /** hash {atr, atr_percent, date}. Written by data-maintenance, read by upstream. Calendar TTL. */
  atrData(symbol: string): string;
  /** hash slot -> average cumulative volume. Written by data-maintenance, read by upstream. Calendar TTL. */
  rvolHistAvg(symbol: string): string;
  /** set of active symbols. Written by data-maintenance (RENAME swap), read by upstream. No TTL. */
  readonly tickerUniverse: string;
  /** set of symbols upstream streams. Written by upstream; only read here. No TTL. */
  readonly polygonWsActiveTickers: string;
  /** string "1" when the session's cycle fully succeeded. Written and read by data-maintenance. No TTL. */
  maintenanceExecuted(date: IsoDate): string;
  /** string, JSON status record of the session's cycle. Written and read by data-maintenance. No TTL. */
  maintenanceStatus(date: IsoDate): string;
  /** string date of the last finished cycle. Written and read by data-maintenance. No TTL. */
  readonly maintenanceLastRun: string;
  /** Pub/Sub channel of the new-day event. Published by data-maintenance, heard by websocket-server. */
  readonly newDayChannel: string;
  /** string date of the current trading day, set with each new-day publish. Read by websocket-server. No TTL. */
  readonly tradingCurrentDay: string;
  /** string holder token of the single maintenance runner. Lease TTL, renewed by the holder. */
  readonly maintenanceLock: string;
  /**
   * string holder token of the one new-day announcer. Its own lease, apart from maintenanceLock, so a
   * long cycle never holds back the 03:00 announcement. Lease TTL, renewed by the holder.
   */
  readonly maintenanceNewDayLock: string;
  /**
   * Where to build a replacement for `key` (a key from these builders) before RENAMEing it into place.
   * Outside every family's namespace, so family SCANs never see half-built keys. Lease TTL.
   */
  tmp(key: string, token: string): string;
  /** SCAN MATCH patterns, prefix included. */
  readonly patterns: Readonly<Record<TickerKeyFamily | 'tmp', string>>;
  /** The symbol of a full per-ticker key of this prefix; null for any other key. */
  symbolOf(family: TickerKeyFamily, key: string): string | null;
}

/** Key builders for one deployment (or one test); `prefix` goes in front of every key and channel. */
export function createRedisKeys(prefix = ''): RedisKeys {
  const p = checkPrefix(prefix);
  const ticker = (family: TickerKeyFamily) => (symbol: string) =>
    `${p}${TICKER_FAMILY_HEADS[family]}${checkSymbol(symbol)}`;
  return {
    prefix: p,
    scannerCategory: (list) => `${p}scanner:category:${checkList(list)}`,
    scannerSequence: (list) => `${p}scanner:sequence:${checkList(list)}`,
    rankingDeltas: `${p}stream:ranking:deltas`,
    polygonSnapshot: `${p}snapshot:polygon:latest`,
    enrichedSnapshot: `${p}snapshot:enriched:latest`,
    tickerMetadata: ticker('tickerMetadata'),
    atrData: ticker('atrData'),
    rvolHistAvg: ticker('rvolHistAvg'),
    tickerUniverse: `${p}ticker:universe`,
    polygonWsActiveTickers: `${p}polygon_ws:active_tickers`,
    maintenanceExecuted: (date) => `${p}maintenance:executed:${checkDate(date)}`,
    maintenanceStatus: (date) => `${p}maintenance:status:${checkDate(date)}`,
    maintenanceLastRun: `${p}maintenance:last_run`,
    newDayChannel: `${p}trading:new_day`,
    tradingCurrentDay: `${p}trading:current_day`,
    maintenanceLock: `${p}maintenance:lock`,
    maintenanceNewDayLock: `${p}maintenance:lock:new_day`,
    tmp: (key, token) => {
      if (typeof key !== 'string' || key.length <= p.length || !key.startsWith(p)) {
        throw new RedisKeyError('INVALID_PREFIX', `${quote(key)} is not a key of prefix ${JSON.stringify(p)}`);
      }
      return `${p}tmp:${checkToken(token)}:${key.slice(p.length)}`;
    },
    patterns: {
      tickerMetadata: `${p}${TICKER_FAMILY_HEADS.tickerMetadata}*`,
      atrData: `${p}${TICKER_FAMILY_HEADS.atrData}*`,
      rvolHistAvg: `${p}${TICKER_FAMILY_HEADS.rvolHistAvg}*`,
      tmp: `${p}tmp:*`,
    },
    symbolOf: (family, key) => {
      const head = `${p}${TICKER_FAMILY_HEADS[family]}`;
      if (typeof key !== 'string' || !key.startsWith(head)) return null;
      const symbol = key.slice(head.length);
      return isValidSymbol(symbol) ? symbol : null;
    },
  };
}
