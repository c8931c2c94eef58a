import { nyseCalendar } from '@scanner/market-calendar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dailyBarCounts, loadDailyHistory, readDailyBars, replaceDailyBars, symbolsTradedOn } from '../../src/db/market-data-daily.js';
import { withTransaction } from '../../src/db/pool.js';
import type { DailyBar } from '../../src/sources/market-data-source.js';
import { createTestDatabase, tableChecksum, type TestDatabase } from '../support/test-database.js';

function bar(symbol: string, date: string, close: number, extra: Partial<DailyBar> = {}): DailyBar {
  return { symbol, date, open: close - 0.5, high: close + 1, low: close - 1, close, volume: 1_000_000, vwap: close - 0.1, trades: 1234, ...extra };
}

describe('market_data_daily', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('replacing a date twice with the same bars leaves identical rows', async () => {
    const date = '2026-11-20';
    const bars = [bar('AAA', date, 10.1), bar('BBB', date, 5 + 1 / 3, { vwap: null, trades: null, volume: 0.1 + 0.2 }), bar('CCC', date, 1234.5678)];
    const first = await replaceDailyBars(db.pool, date, bars);
    expect(first).toEqual({ deleted: 0, inserted: 3 });
    const before = await tableChecksum(db.pool, 'market_data_daily', 'symbol, date');
    const second = await replaceDailyBars(db.pool, date, bars);
    expect(second).toEqual({ deleted: 3, inserted: 3 });
    expect(await tableChecksum(db.pool, 'market_data_daily', 'symbol, date')).toEqual(before);
    // Doubles come back bit for bit (5 + 1/3, 0.1 + 0.2).
    expect(await readDailyBars(db.pool, date)).toEqual(bars);
  });

  it('COPY carries symbols with characters the text format escapes', async () => {
    const date = '2026-11-20';
    const odd = ['BRK.A', 'A\\B', 'TAB\tX', 'NL\nX', 'ÜNI'];
    await replaceDailyBars(db.pool, date, odd.map((s, i) => bar(s, date, i + 1)));
    expect((await symbolsTradedOn(db.pool, date)).sort()).toEqual([...odd].sort());
  });

  it('a date replace drops the symbols that are no longer in the batch and leaves other dates alone', async () => {
    await replaceDailyBars(db.pool, '2026-11-19', [bar('AAA', '2026-11-19', 9)]);
    await replaceDailyBars(db.pool, '2026-11-20', [bar('AAA', '2026-11-20', 10), bar('GONE', '2026-11-20', 5)]);
    await replaceDailyBars(db.pool, '2026-11-20', [bar('AAA', '2026-11-20', 11)]);
    expect(await symbolsTradedOn(db.pool, '2026-11-20')).toEqual(['AAA']);
    expect(Object.fromEntries(await dailyBarCounts(db.pool, '2026-11-01', '2026-11-30'))).toEqual({ '2026-11-19': 1, '2026-11-20': 1 });
  });

  it('a symbols-scoped replace touches only the batch symbols', async () => {
    const date = '2026-11-20';
    await replaceDailyBars(db.pool, date, [bar('AAA', date, 10), bar('BBB', date, 20)]);
    const res = await replaceDailyBars(db.pool, date, [bar('BBB', date, 21), bar('NEW', date, 3)], { scope: 'symbols' });
    expect(res).toEqual({ deleted: 1, inserted: 2 });
    expect((await readDailyBars(db.pool, date)).map((b) => [b.symbol, b.close])).toEqual([
      ['AAA', 10],
      ['BBB', 21],
      ['NEW', 3],
    ]);
  });

  it('refuses a bad batch whole and keeps the rows it would have replaced', async () => {
    const date = '2026-11-20';
    await replaceDailyBars(db.pool, date, [bar('AAA', date, 10)]);
    const before = await tableChecksum(db.pool, 'market_data_daily', 'symbol, date');
    await expect(replaceDailyBars(db.pool, date, [bar('AAA', date, Number.NaN)])).rejects.toMatchObject({ code: 'INVALID_ROWS' });
    await expect(replaceDailyBars(db.pool, date, [bar('AAA', '2026-11-19', 10)])).rejects.toMatchObject({ code: 'INVALID_ROWS' });
    await expect(replaceDailyBars(db.pool, date, [bar('AAA', date, 10), bar('AAA', date, 11)])).rejects.toMatchObject({
      code: 'INVALID_ROWS',
    });
    await expect(replaceDailyBars(db.pool, '2026-02-30', [])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await tableChecksum(db.pool, 'market_data_daily', 'symbol, date')).toEqual(before);
  });

  it('joins the caller transaction: a rollback undoes the replace', async () => {
    const date = '2026-11-20';
    await replaceDailyBars(db.pool, date, [bar('AAA', date, 10)]);
    await expect(
      withTransaction(db.pool, async (tx) => {
        await replaceDailyBars(tx, date, [bar('ZZZ', date, 1)]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await symbolsTradedOn(db.pool, date)).toEqual(['AAA']);
  });

  it('loads the last N sessions per symbol, oldest first, optionally only symbols that traded on the last day', async () => {
    const sessions = nyseCalendar.lastSessions(6, '2026-11-20');
    for (const [i, date] of sessions.entries()) {
      const bars = [bar('AAA', date, 10 + i)];
      if (i < 4) bars.push(bar('OLD', date, 50 + i));
      await replaceDailyBars(db.pool, date, bars);
    }
    await replaceDailyBars(db.pool, '2026-11-23', [bar('AAA', '2026-11-23', 99)]);

    const history = await loadDailyHistory(db.pool, { upTo: '2026-11-20', maxSessions: 4 });
    expect(history.get('AAA')?.map((b) => b.date)).toEqual(sessions.slice(2));
    expect(history.get('AAA')?.map((b) => b.close)).toEqual([12, 13, 14, 15]);
    expect(history.get('OLD')?.map((b) => b.date)).toEqual(sessions.slice(2, 4));

    const traded = await loadDailyHistory(db.pool, { upTo: '2026-11-20', maxSessions: 4, onlyTradedOnUpTo: true });
    expect([...traded.keys()]).toEqual(['AAA']);
    const some = await loadDailyHistory(db.pool, { upTo: '2026-11-20', maxSessions: 100, symbols: ['OLD'] });
    expect([...some.keys()]).toEqual(['OLD']);
    expect(some.get('OLD')).toHaveLength(4);
  });
});
