import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntradayBar, MarketDataSource, PerTickerResult } from '../../src/sources/market-data-source.js';
import { SyntheticMarketDataSource } from '../../src/sources/synthetic/synthetic-source.js';
import { loadOhlc } from '../../src/tasks/load-ohlc.js';
import { loadVolumeSlots } from '../../src/tasks/load-volume-slots.js';
import { type Harness, createHarness } from '../support/maintenance-harness.js';

const DATE = '2026-11-20';

/** The synthetic source, except that it answers "no intraday bars" for the symbols given (a gap at the source). */
class GappySource extends SyntheticMarketDataSource {
  constructor(private readonly gaps: ReadonlySet<string>) {
    super({ universeSize: 5, seed: 9 });
  }

  override async intradayBars(date: string, symbols: readonly string[]): Promise<PerTickerResult<IntradayBar[]>> {
    const real = await super.intradayBars(date, symbols);
    return { values: new Map([...real.values].map(([s, bars]) => [s, this.gaps.has(s) ? [] : bars])), failures: real.failures };
  }
}

describe('load_volume_slots when the source has no intraday bars for a ticker that traded', () => {
  let h: Harness;
  let gap: string;
  beforeEach(async () => {
    gap = new SyntheticMarketDataSource({ universeSize: 5, seed: 9 }).symbols[0] as string;
    const source: MarketDataSource = new GappySource(new Set([gap]));
    h = await createHarness({ source, evening: DATE });
    expect((await loadOhlc(h.ctx, DATE)).status).toBe('completed');
  });
  afterEach(async () => {
    await h.close();
  });

  it('names the ticker as skipped and stores no day of zeros for it', async () => {
    const volume = await h.db.pool.query<{ volume: number }>('SELECT volume FROM market_data_daily WHERE symbol = $1 AND date = $2', [gap, DATE]);
    expect(volume.rows[0]?.volume).toBeGreaterThan(0);

    const result = await loadVolumeSlots(h.ctx, DATE);
    expect(result).toMatchObject({
      status: 'completed',
      counts: { symbols: 5, loaded: 4, rows: 4 * 78, without_intraday_bars: 1 },
      skipped: { no_intraday_bars_despite_daily_volume: [gap] },
    });
    const stored = await h.db.pool.query<{ symbol: string; n: number }>(
      'SELECT symbol, count(*)::int AS n FROM volume_slots WHERE date = $1 GROUP BY symbol ORDER BY symbol',
      [DATE],
    );
    expect(stored.rows.map((r) => r.symbol)).not.toContain(gap);
    expect(stored.rows.every((r) => r.n === 78)).toBe(true);
  });
});
