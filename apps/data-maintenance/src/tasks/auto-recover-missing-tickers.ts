import { FULL_DAY_SLOTS, type IsoDate } from '@scanner/market-calendar';
import { decodeMarketSnapshot, isValidSymbol } from '@scanner/redis-keys';
import { atrOnDate } from '../core/atr.js';
import { computeSlotAverages, rvolWindow } from '../core/rvol-averages.js';
import { computeVolumeSlots } from '../core/volume-slots.js';
import { type AtrRow, replaceAtr } from '../db/atr-daily.js';
import { loadDailyHistory } from '../db/market-data-daily.js';
import { activeSymbols, readMetadata, upsertMetadata } from '../db/ticker-metadata.js';
import { newerBaselineThan, replaceAverages } from '../db/volume-slot-averages.js';
import { type VolumeSlotRow, readSlotsForSessions, replaceVolumeSlots, toVolumeSlotRows } from '../db/volume-slots.js';
import { replaceHashes, replaceStrings } from '../redis/replace-keys.js';
import { atrEntries, averagesBySymbol, metadataEntries, rvolEntries } from './cache-entries.js';
import { type RedisTargetDeps, redisDetails, redisTarget } from './redis-target.js';
import type { TaskContext } from './task-context.js';
import { MAX_NAMED, type SymbolFailure, type TaskResult, completed, describeFailures, errorInfo, failed, fromTickerFailures } from './task-result.js';

export type AutoRecoverDeps = Pick<TaskContext, 'pool' | 'source'> & RedisTargetDeps;

/**
 * Tickers the upstream scanner sees live (`snapshot:enriched:latest`) that are not in the universe are
 * verified with the data source (details exist and say active) and added: ticker_metadata (active), the
 * session's volume slots, and the ATR and RVOL baselines their stored history allows, in the database
 * and in Redis, so the scanner has them tonight instead of after tomorrow's run. A symbol the source
 * does not know is left out and named. No snapshot (upstream not running) means nothing to recover.
 */
export async function autoRecoverMissingTickers(deps: AutoRecoverDeps, date: IsoDate): Promise<TaskResult> {
  const text = await deps.redis.get(deps.keys.enrichedSnapshot);
  if (text === null) return completed({ counts: { candidates: 0, recovered: 0 }, details: { snapshot: 'absent' } });
  const snapshot = decodeMarketSnapshot(text);
  if (!snapshot.ok) return failed(`snapshot:enriched:latest is unreadable: ${snapshot.error.code}: ${snapshot.error.message}`);

  const invalid = snapshot.value.tickers.map((t) => t.ticker).filter((s) => !isValidSymbol(s));
  const universe = new Set(await activeSymbols(deps.pool));
  const candidates = [...new Set(snapshot.value.tickers.map((t) => t.ticker).filter((s) => isValidSymbol(s) && !universe.has(s)))].sort();
  const base = { snapshot_tickers: snapshot.value.tickers.length, candidates: candidates.length };
  if (candidates.length === 0) {
    return completed({ counts: { ...base, recovered: 0 }, skipped: { invalid_symbol: invalid } });
  }

  let fetched;
  try {
    fetched = await deps.source.tickerDetails(candidates);
  } catch (error) {
    const { code, message } = errorInfo(error);
    return failed(`the ${deps.source.name} source could not verify ${candidates.length} new tickers: ${code}: ${message}`, { counts: base });
  }
  const notFound = fetched.failures.filter((f) => f.code === 'NOT_FOUND').map((f) => f.symbol);
  const failures: SymbolFailure[] = fromTickerFailures(fetched.failures.filter((f) => f.code !== 'NOT_FOUND'));
  const asked = new Set(candidates);
  const verified = [...fetched.values.values()].filter((d) => asked.has(d.symbol));
  const inactive = verified.filter((d) => !d.active).map((d) => d.symbol);
  const recovered = verified.filter((d) => d.active);
  const symbols = recovered.map((d) => d.symbol);

  const updatedAt = deps.calendar.session(date).marketClose;
  if (recovered.length > 0) await upsertMetadata(deps.pool, recovered, { date, updatedAt });
  // As in calculate_rvol_averages: an older date's baseline never replaces a newer one, in the table or Redis.
  const superseded = await newerBaselineThan(deps.pool, date);
  const history =
    symbols.length > 0 ? await recoverHistory(deps, date, symbols, failures, superseded === null) : { atr: [], averages: new Map(), slots: 0 };

  const target = await redisTarget(deps, date);
  let written = 0;
  if (target.write && symbols.length > 0) {
    const metadata = metadataEntries(deps.keys, (await readMetadata(deps.pool, symbols)).values());
    const hashes = [...atrEntries(deps.keys, history.atr), ...(superseded === null ? rvolEntries(deps.keys, history.averages) : [])];
    written = (await replaceStrings(deps.redis, metadata, target.options)) + (await replaceHashes(deps.redis, hashes, target.options));
  }

  const parts = {
    counts: {
      ...base,
      recovered: symbols.length,
      not_found: notFound.length,
      inactive_at_source: inactive.length,
      failed: failures.length,
      volume_slot_rows: history.slots,
      atr_computed: history.atr.length,
      rvol_symbols: history.averages.size,
    },
    failures,
    skipped: { not_found_at_source: notFound, inactive_at_source: inactive, invalid_symbol: invalid },
    details: {
      recovered: symbols.slice(0, MAX_NAMED),
      averages_stored: superseded === null ? { written: true } : { written: false, reason: superseded },
      ...redisDetails(target, written),
    },
  };
  if (failures.length > 0) return failed(describeFailures('could not be recovered', failures), parts);
  return completed(parts);
}

interface RecoveredHistory {
  readonly atr: AtrRow[];
  readonly averages: Map<string, Map<number, number>>;
  readonly slots: number;
}

/**
 * The session's slots from the source, then ATR and RVOL from what the database holds for them. The
 * averages are computed either way (the counts stay the same on a re-run) but stored only if `storeAverages`.
 */
async function recoverHistory(
  deps: AutoRecoverDeps,
  date: IsoDate,
  symbols: string[],
  failures: SymbolFailure[],
  storeAverages: boolean,
): Promise<RecoveredHistory> {
  const session = deps.calendar.session(date);
  const intraday = await deps.source.intradayBars(date, symbols);
  failures.push(...fromTickerFailures(intraday.failures));
  const slotRows: VolumeSlotRow[] = [];
  for (const symbol of symbols) {
    const bars = intraday.values.get(symbol);
    if (bars === undefined || bars.length === 0) continue;
    try {
      slotRows.push(...toVolumeSlotRows(symbol, date, computeVolumeSlots(bars, session).slots));
    } catch (error) {
      const { code, message } = errorInfo(error);
      failures.push({ symbol, code, message });
    }
  }
  if (slotRows.length > 0) await replaceVolumeSlots(deps.pool, date, slotRows, { scope: 'symbols', calendar: deps.calendar });

  const daily = await loadDailyHistory(deps.pool, { upTo: date, maxSessions: deps.settings.atrMaxSessions, symbols, calendar: deps.calendar });
  const atr: AtrRow[] = [];
  for (const [symbol, bars] of daily) {
    const outcome = atrOnDate(bars, date, deps.settings.atrPeriod);
    if (outcome.kind === 'ok') atr.push({ symbol, date, atr: outcome.atr, atrPercent: outcome.atrPercent });
  }
  if (atr.length > 0) await replaceAtr(deps.pool, date, atr, { scope: 'symbols' });

  const window = rvolWindow(deps.calendar, date, deps.settings.rvolSessions);
  const samples = await readSlotsForSessions(deps.pool, window.sessions, symbols);
  const rows = computeSlotAverages(samples, window.sessions, FULL_DAY_SLOTS);
  if (storeAverages && rows.length > 0) await replaceAverages(deps.pool, date, rows, { scope: 'symbols' });
  return { atr, averages: averagesBySymbol(rows), slots: slotRows.length };
}
