import { nyseCalendar } from '@scanner/market-calendar';
import { decodeAtrData } from '@scanner/redis-keys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replaceDailyBars } from '../../src/db/market-data-daily.js';
import { calculateAtr } from '../../src/tasks/calculate-atr.js';
import { ATR_VECTOR_BARS, ATR_VECTOR_EXPECTED, ATR_VECTOR_PERIOD } from '../core/atr-test-vector.js';
import { type Harness, createHarness, standAt } from '../support/maintenance-harness.js';

// The 30 bars of the technicalindicators ATR(14) vector as 30 consecutive sessions ending 2026-11-20.
const sessions = nyseCalendar.lastSessions(ATR_VECTOR_BARS.length, '2026-11-20');

describe('calculate_atr on the technicalindicators ATR(14) vector', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    for (const [i, bar] of ATR_VECTOR_BARS.entries()) {
      const date = sessions[i] as string;
      await replaceDailyBars(h.db.pool, date, [{ symbol: 'VECT', date, open: bar.close, ...bar, volume: 1000, vwap: null, trades: null }]);
    }
  });
  afterEach(async () => {
    await h.close();
  });

  it('stores the 16 published values in atr_daily, read back from market_data_daily, to 1e-9', async () => {
    expect(ATR_VECTOR_PERIOD).toBe(h.ctx.settings.atrPeriod);
    const early = await calculateAtr(h.ctx, sessions[13] as string);
    expect(early).toMatchObject({ status: 'completed', counts: { computed: 0, insufficient_history: 1 }, skipped: { insufficient_history: ['VECT'] } });

    for (const date of sessions.slice(ATR_VECTOR_PERIOD)) {
      standAt(h.clock, date);
      const result = await calculateAtr(h.ctx, date);
      expect(result).toMatchObject({ status: 'completed', counts: { computed: 1, failed: 0 } });
    }
    const rows = await h.db.pool.query<{ date: string; atr: number; atr_percent: number }>(
      "SELECT date::text AS date, atr, atr_percent FROM atr_daily WHERE symbol = 'VECT' ORDER BY date",
    );
    expect(rows.rows.map((r) => r.date)).toEqual(sessions.slice(ATR_VECTOR_PERIOD));
    expect(rows.rows).toHaveLength(ATR_VECTOR_EXPECTED.length);
    for (const [i, row] of rows.rows.entries()) {
      expect(Math.abs(row.atr - (ATR_VECTOR_EXPECTED[i] as number))).toBeLessThan(1e-9);
      const close = (ATR_VECTOR_BARS[i + ATR_VECTOR_PERIOD] as { close: number }).close;
      expect(Math.abs(row.atr_percent - ((ATR_VECTOR_EXPECTED[i] as number) / close) * 100)).toBeLessThan(1e-9);
    }
    // The last one is also what the scanner reads from Redis.
    const cached = decodeAtrData(await h.redis.hgetall(h.keys.atrData('VECT')));
    expect(cached.ok && Math.abs(cached.value.atr - 1.307982853379376)).toBeLessThan(1e-9);
    expect(cached.ok && cached.value.date).toBe('2026-11-20');
    const latest = await h.db.pool.query<{ date: string }>("SELECT date::text AS date FROM latest_atr WHERE symbol = 'VECT'");
    expect(latest.rows).toEqual([{ date: '2026-11-20' }]);
  });

  it('fails when the session has no bars at all, and writes nothing', async () => {
    const result = await calculateAtr(h.ctx, '2026-11-23');
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('no daily bars stored for 2026-11-23');
    expect(await h.redis.exists(h.keys.atrData('VECT'))).toBe(0);
  });
});
