import type { MarketDataSource } from '@scanner/data-maintenance';

/**
 * A data source that adds up the time spent waiting on it: how much of a task is the source (generating,
 * fetching over HTTP, reading files) and how much is the pipeline (computing, PostgreSQL, Redis).
 */
export interface TimedSource {
  readonly source: MarketDataSource;
  /** Seconds spent inside the source's calls so far. */
  seconds(): number;
}

export function timedSource(inner: MarketDataSource): TimedSource {
  let total = 0;
  const timed = async <T>(call: () => Promise<T>): Promise<T> => {
    const began = performance.now();
    try {
      return await call();
    } finally {
      total += (performance.now() - began) / 1000;
    }
  };
  const source: MarketDataSource = {
    name: inner.name,
    dailyBars: (date) => timed(() => inner.dailyBars(date)),
    intradayBars: (date, symbols) => timed(() => inner.intradayBars(date, symbols)),
    tickerDetails: (symbols) => timed(() => inner.tickerDetails(symbols)),
    close: () => inner.close(),
    ...(inner.stats ? { stats: inner.stats.bind(inner) } : {}),
  };
  return { source, seconds: () => total };
}
