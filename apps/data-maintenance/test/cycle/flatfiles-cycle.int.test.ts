import { nyseCalendar } from '@scanner/market-calendar';
import { afterEach, describe, expect, it } from 'vitest';
import { backfillCommand } from '../../src/cli/commands/backfill-command.js';
import { FlatFileMarketDataSource } from '../../src/sources/flatfiles/flat-file-source.js';
import { SyntheticMarketDataSource } from '../../src/sources/synthetic/synthetic-source.js';
import { collectOutput } from '../support/collect-output.js';
import { tempFlatFileRoot, writeSyntheticFlatFiles } from '../support/flat-file-fixtures.js';
import { type Harness, createHarness, dataChecksums } from '../support/maintenance-harness.js';

const LAST = '2026-11-20';
const dates = nyseCalendar.lastSessions(6, LAST);

describe('a backfill from Polygon flat files', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('gives the same tables as the same data taken from the source directly', async () => {
    const synthetic = new SyntheticMarketDataSource({ universeSize: 6, seed: 21 });
    const files = await tempFlatFileRoot();
    cleanups.push(files.remove);
    // The first backfill date's previous session is refreshed too, so its files are written as well.
    await writeSyntheticFlatFiles(files.root, synthetic, [nyseCalendar.previousTradingDay(dates[0] as string), ...dates]);

    const fromFiles: Harness = await createHarness({ source: new FlatFileMarketDataSource({ root: files.root, calendar: nyseCalendar }), evening: LAST });
    cleanups.push(() => fromFiles.close());
    const direct: Harness = await createHarness({ source: synthetic, evening: LAST });
    cleanups.push(() => direct.close());

    const out = collectOutput();
    expect(await backfillCommand(fromFiles.deps, { dates, tasks: null, force: false, continueOnError: false }, out)).toBe(0);
    expect(await backfillCommand(direct.deps, { dates, tasks: null, force: false, continueOnError: false }, collectOutput())).toBe(0);

    const a = await dataChecksums(fromFiles.db);
    const b = await dataChecksums(direct.db);
    // Flat files carry no vwap, so the daily rows differ in that column only; everything derived is equal.
    const daily = (h: Harness) => h.db.pool.query('SELECT symbol, date::text, open, high, low, close, volume FROM market_data_daily ORDER BY symbol, date');
    expect((await daily(fromFiles)).rows).toEqual((await daily(direct)).rows);
    for (const table of ['volume_slots', 'atr_daily', 'volume_slot_averages']) expect(a[table], table).toEqual(b[table]);
    expect(a['volume_slots']?.rows).toBe(6 * 6 * 78);
  }, 120_000);
});
