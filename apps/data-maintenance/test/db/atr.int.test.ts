import { nyseCalendar } from '@scanner/market-calendar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atrOnDate, atrSeries } from '../../src/core/atr.js';
import { readAtr, readLatestAtr, replaceAtr } from '../../src/db/atr-daily.js';
import { loadDailyHistory, replaceDailyBars } from '../../src/db/market-data-daily.js';
import { ATR_VECTOR_BARS, ATR_VECTOR_EXPECTED, ATR_VECTOR_PERIOD } from '../core/atr-test-vector.js';
import { createTestDatabase, tableChecksum, type TestDatabase } from '../support/test-database.js';

describe('ATR through market_data_daily', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('reproduces the technicalindicators ATR(14) vector from bars stored as 30 consecutive sessions', async () => {
    const sessions = nyseCalendar.lastSessions(ATR_VECTOR_BARS.length, '2026-11-20');
    for (const [i, date] of sessions.entries()) {
      const v = ATR_VECTOR_BARS[i] as (typeof ATR_VECTOR_BARS)[number];
      await replaceDailyBars(db.pool, date, [
        { symbol: 'VEC', date, open: v.close, high: v.high, low: v.low, close: v.close, volume: 1000 + i, vwap: null, trades: null },
        // A neighbour on the same days, so the per-symbol split is exercised.
        { symbol: 'NOISE', date, open: 5, high: 6 + i, low: 4, close: 5 + i / 10, volume: 10, vwap: 5, trades: 3 },
      ]);
    }
    const target = sessions[sessions.length - 1] as string;
    const history = await loadDailyHistory(db.pool, { upTo: target, maxSessions: 100 });
    const bars = history.get('VEC') ?? [];
    expect(bars.map((b) => b.date)).toEqual(sessions);

    const series = atrSeries(bars, ATR_VECTOR_PERIOD);
    expect(series).toHaveLength(ATR_VECTOR_EXPECTED.length);
    series.forEach((value, i) => expect(Math.abs(value - (ATR_VECTOR_EXPECTED[i] as number))).toBeLessThan(1e-9));

    const outcome = atrOnDate(bars, target, ATR_VECTOR_PERIOD);
    if (outcome.kind !== 'ok') throw new Error(`expected an ATR, got ${outcome.kind}`);
    await replaceAtr(db.pool, target, [{ symbol: 'VEC', date: target, atr: outcome.atr, atrPercent: outcome.atrPercent }]);
    const stored = (await readLatestAtr(db.pool, ['VEC'])).get('VEC');
    expect(Math.abs((stored?.atr ?? 0) - 1.307982853379376)).toBeLessThan(1e-9);
    expect(stored?.atrPercent).toBe((outcome.atr / 47.85) * 100);
  });

  it('latest_atr gives each symbol its most recent row, and replacing a date twice changes nothing', async () => {
    await replaceAtr(db.pool, '2026-11-19', [
      { symbol: 'AAA', date: '2026-11-19', atr: 1, atrPercent: 10 },
      { symbol: 'BBB', date: '2026-11-19', atr: 2, atrPercent: 20 },
    ]);
    const day2 = [{ symbol: 'AAA', date: '2026-11-20', atr: 1.5, atrPercent: 15 }];
    await replaceAtr(db.pool, '2026-11-20', day2);
    const before = await tableChecksum(db.pool, 'atr_daily', 'symbol, date');
    await replaceAtr(db.pool, '2026-11-20', day2);
    expect(await tableChecksum(db.pool, 'atr_daily', 'symbol, date')).toEqual(before);

    const latest = await readLatestAtr(db.pool);
    expect([...latest.values()]).toEqual([
      { symbol: 'AAA', date: '2026-11-20', atr: 1.5, atrPercent: 15 },
      { symbol: 'BBB', date: '2026-11-19', atr: 2, atrPercent: 20 },
    ]);
    expect(await readAtr(db.pool, '2026-11-19', ['BBB'])).toEqual([{ symbol: 'BBB', date: '2026-11-19', atr: 2, atrPercent: 20 }]);
    await expect(
      replaceAtr(db.pool, '2026-11-20', [{ symbol: 'AAA', date: '2026-11-20', atr: Number.POSITIVE_INFINITY, atrPercent: 1 }]),
    ).rejects.toMatchObject({ code: 'INVALID_ROWS' });
  });
});
