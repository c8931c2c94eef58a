import type { IsoDate } from '@scanner/market-calendar';
import { symbolsTradedOn } from '../db/market-data-daily.js';
import { deactivateNotSeenSince, readMetadata, recordSeen, upsertMetadata } from '../db/ticker-metadata.js';
import type { PerTickerResult, TickerDetails } from '../sources/market-data-source.js';
import { replaceStrings } from '../redis/replace-keys.js';
import { metadataEntries } from './cache-entries.js';
import { type RedisTargetDeps, redisDetails, redisTarget } from './redis-target.js';
import type { TaskContext } from './task-context.js';
import { MAX_NAMED, type TaskResult, completed, describeFailures, errorInfo, failed, fromTickerFailures } from './task-result.js';

export type EnrichMetadataDeps = Pick<TaskContext, 'pool' | 'source'> & RedisTargetDeps;

/**
 * Reference details (name, market cap, sector, float, ...) of every symbol with a bar that session into
 * ticker_metadata and metadata:ticker:<SYM>. The session also decides the universe: symbols seen get
 * first_seen/last_seen widened, and symbols without a bar in the last `inactiveAfterSessions` sessions
 * are marked inactive. `updated_at` is the session's close, not the wall clock, so a re-run writes the
 * same rows. A symbol the source has no details for (NOT_FOUND) is skipped and named; any other source
 * failure fails the task.
 */
export async function enrichMetadata(deps: EnrichMetadataDeps, date: IsoDate): Promise<TaskResult> {
  const symbols = await symbolsTradedOn(deps.pool, date);
  if (symbols.length === 0) return failed(`no daily bars stored for ${date}: load_ohlc has not loaded the session`);
  await recordSeen(deps.pool, symbols, date);

  let fetched: PerTickerResult<TickerDetails>;
  try {
    fetched = await deps.source.tickerDetails(symbols);
  } catch (error) {
    const { code, message } = errorInfo(error);
    return failed(`the ${deps.source.name} source could not give ticker details: ${code}: ${message}`, {
      counts: { symbols: symbols.length, enriched: 0, failed: symbols.length },
    });
  }
  const asked = new Set(symbols);
  const details = [...fetched.values.values()].filter((d) => asked.has(d.symbol));
  const notFound = fetched.failures.filter((f) => f.code === 'NOT_FOUND').map((f) => f.symbol);
  const failures = fromTickerFailures(fetched.failures.filter((f) => f.code !== 'NOT_FOUND'));

  const updatedAt = deps.calendar.session(date).marketClose;
  await upsertMetadata(deps.pool, details, { date, updatedAt });
  const cutoff = deps.calendar.lastSessions(deps.settings.inactiveAfterSessions, date)[0] ?? date;
  const deactivated = await deactivateNotSeenSince(deps.pool, cutoff);

  // Redis gets the rows as stored: an older date re-run does not roll details back (upsertMetadata).
  const stored = await readMetadata(deps.pool, details.map((d) => d.symbol));
  const target = await redisTarget(deps, date);
  let written = 0;
  if (target.write) written = await replaceStrings(deps.redis, metadataEntries(deps.keys, stored.values()), target.options);

  const parts = {
    counts: {
      symbols: symbols.length,
      enriched: details.length,
      not_found: notFound.length,
      failed: failures.length,
      deactivated: deactivated.length,
    },
    failures,
    skipped: { no_reference_data_at_source: notFound },
    details: { updated_at: updatedAt.toISOString(), inactive_if_not_seen_since: cutoff, deactivated: deactivated.slice(0, MAX_NAMED), ...redisDetails(target, written) },
  };
  if (failures.length > 0) return failed(describeFailures('failed at the source', failures), parts);
  return completed(parts);
}
