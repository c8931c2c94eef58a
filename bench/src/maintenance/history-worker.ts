import {
  SyntheticMarketDataSource,
  computeVolumeSlots,
  createPool,
  replaceDailyBars,
  replaceVolumeSlots,
  toVolumeSlotRows,
} from '@scanner/data-maintenance';
import { type IsoDate, nyseCalendar } from '@scanner/market-calendar';
import type { BenchTarget } from './bench-target.js';
import { childMain } from './child-process.js';
import { type SessionFixturePaths, writeSessionFixtures } from './session-fixtures.js';

/** One piece of the untimed setup, done by one of the setup processes. */
export type SetupJob =
  | { readonly kind: 'daily'; readonly date: IsoDate }
  | { readonly kind: 'slots'; readonly date: IsoDate }
  | { readonly kind: 'fixtures'; readonly target: IsoDate; readonly previous: IsoDate; readonly paths: SessionFixturePaths };

export interface HistoryWorkerInput {
  readonly target: BenchTarget;
  readonly jobs: readonly SetupJob[];
}

export interface HistoryWorkerOutput {
  readonly dailyRows: number;
  readonly slotRows: number;
  readonly fixtureSlotRows: number;
  readonly fixtureMinuteRows: number;
}

/**
 * Loads history with the app's own COPY modules (replaceDailyBars, replaceVolumeSlots) from the same
 * synthetic source the measured runs read, and writes the fixtures. Generating a synthetic session for
 * 12,000 tickers takes seconds, so the setup splits the sessions over one process per core.
 */
async function run(input: HistoryWorkerInput): Promise<HistoryWorkerOutput> {
  const { target } = input;
  const source = new SyntheticMarketDataSource({ universeSize: target.universe, seed: target.seed, calendar: nyseCalendar });
  const pool = createPool({ connectionString: target.databaseUrl, schema: target.schema, max: 2, applicationName: 'bench-setup' });
  const out = { dailyRows: 0, slotRows: 0, fixtureSlotRows: 0, fixtureMinuteRows: 0 };
  try {
    for (const job of input.jobs) {
      if (job.kind === 'daily') {
        out.dailyRows += (await replaceDailyBars(pool, job.date, await source.dailyBars(job.date))).inserted;
      } else if (job.kind === 'slots') {
        const session = nyseCalendar.session(job.date);
        const symbols = source.symbolsTradingOn(job.date);
        const intraday = await source.intradayBars(job.date, symbols);
        const rows = symbols.flatMap((symbol) => toVolumeSlotRows(symbol, job.date, computeVolumeSlots(intraday.values.get(symbol) ?? [], session).slots));
        out.slotRows += (await replaceVolumeSlots(pool, job.date, rows, { calendar: nyseCalendar })).inserted;
      } else {
        const written = await writeSessionFixtures(source, nyseCalendar, { target: job.target, previous: job.previous }, job.paths);
        out.fixtureSlotRows += written.slotRows;
        out.fixtureMinuteRows += written.minuteRows;
      }
    }
  } finally {
    await pool.end();
  }
  return out;
}

childMain(run);
