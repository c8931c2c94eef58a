import { type Clock, type TradingCalendar, nyseCalendar, systemClock } from '@scanner/market-calendar';
import { FlatFileMarketDataSource } from './flatfiles/flat-file-source.js';
import type { MarketDataSource } from './market-data-source.js';
import { PolygonMarketDataSource } from './polygon/polygon-source.js';
import type { SourceConfig } from './source-config.js';
import { SyntheticMarketDataSource } from './synthetic/synthetic-source.js';

export interface SourceDependencies {
  readonly calendar?: TradingCalendar;
  /** For `Retry-After` given as an HTTP date. */
  readonly clock?: Clock;
  /** Polygon retry waits (tests pass one that records the delays instead of waiting). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Polygon backoff jitter, uniform in [0, 1). */
  readonly random?: () => number;
}

/** The configured market data source (DESIGN 5.3); the caller owns it and calls `close()`. */
export function createMarketDataSource(config: SourceConfig, deps: SourceDependencies = {}): MarketDataSource {
  const calendar = deps.calendar ?? nyseCalendar;
  switch (config.kind) {
    case 'polygon':
      return new PolygonMarketDataSource({
        apiKey: config.apiKey,
        baseUrl: config.baseUrl,
        requestsPerSecond: config.requestsPerSecond,
        concurrency: config.concurrency,
        timeoutMs: config.timeoutMs,
        maxRetries: config.maxRetries,
        floatEnabled: config.floatEnabled,
        clock: deps.clock ?? systemClock,
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        ...(deps.random ? { random: deps.random } : {}),
      });
    case 'flatfiles':
      return new FlatFileMarketDataSource({ root: config.dir, calendar });
    case 'synthetic':
      return new SyntheticMarketDataSource({ universeSize: config.universeSize, seed: config.seed, calendar });
  }
}
