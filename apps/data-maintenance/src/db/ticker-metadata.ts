import type { IsoDate } from '@scanner/market-calendar';
import type { TickerDetails } from '../sources/market-data-source.js';
import { DbError } from './db-error.js';
import { atomically, type Db, type Transactional } from './pool.js';
import { checkDate, RowProblems } from './validate.js';

/** A ticker's details as the source gave them, plus what this service tracks about the ticker. */
export interface TickerMetadataRow extends TickerDetails {
  readonly firstSeen: IsoDate;
  readonly lastSeen: IsoDate;
  /** When details were last written (derived from the session, not the wall clock); null = never. */
  readonly updatedAt: Date | null;
}

export interface UpsertResult {
  readonly inserted: number;
  readonly updated: number;
}

export interface MetadataAsOf {
  /** The session the details were fetched for: widens first_seen/last_seen. */
  readonly date: IsoDate;
  /** The details' timestamp, derived from that session (e.g. its post-market close), never now(). */
  readonly updatedAt: Date;
}

const SELECT_METADATA = `symbol, name, market_cap AS "marketCap", sector, industry, float_shares AS "floatShares",
  shares_outstanding AS "sharesOutstanding", exchange, type, active, first_seen::text AS "firstSeen",
  last_seen::text AS "lastSeen", updated_at AS "updatedAt"`;

/**
 * Writes reference details, one statement for the batch (INSERT ... SELECT FROM unnest ... ON CONFLICT).
 * first_seen/last_seen only widen. Details are overwritten only by details as new or newer than the
 * stored ones, so re-running an older date after a newer one does not roll the details back; the same
 * batch twice leaves identical rows.
 */
export async function upsertMetadata(
  db: Transactional,
  details: readonly TickerDetails[],
  asOf: MetadataAsOf,
): Promise<UpsertResult> {
  checkDate(asOf.date, 'asOf.date');
  if (!(asOf.updatedAt instanceof Date) || Number.isNaN(asOf.updatedAt.getTime())) {
    throw new DbError('INVALID_ARGUMENT', 'asOf.updatedAt must be a valid Date');
  }
  const problems = new RowProblems(`ticker details as of ${asOf.date}`);
  for (const [i, d] of details.entries()) {
    const key = `details ${i} (${String(d.symbol)})`;
    problems.symbol(d.symbol, key);
    problems.distinct(d.symbol, key, 'symbol');
    problems.finite(d.marketCap, 'marketCap', key, { nullable: true, nonNegative: true });
    problems.finite(d.floatShares, 'floatShares', key, { nullable: true, nonNegative: true });
    problems.finite(d.sharesOutstanding, 'sharesOutstanding', key, { nullable: true, nonNegative: true });
    if (typeof d.active !== 'boolean') problems.add(`${key}: active must be a boolean`);
  }
  problems.throwIfAny();
  if (details.length === 0) return { inserted: 0, updated: 0 };
  return atomically(db, async (tx) => {
    const res = await tx.query<{ inserted: boolean }>(
      `INSERT INTO ticker_metadata AS t (symbol, name, market_cap, sector, industry, float_shares, shares_outstanding,
                                         exchange, type, active, first_seen, last_seen, updated_at)
       SELECT u.symbol, u.name, u.market_cap, u.sector, u.industry, u.float_shares, u.shares_outstanding,
              u.exchange, u.type, u.active, $10::date, $10::date, $11::timestamptz
       FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::text[], $6::float8[], $7::float8[],
                   $8::text[], $9::text[], $12::boolean[])
            AS u(symbol, name, market_cap, sector, industry, float_shares, shares_outstanding, exchange, type, active)
       ON CONFLICT (symbol) DO UPDATE SET
         first_seen = LEAST(t.first_seen, EXCLUDED.first_seen),
         last_seen  = GREATEST(t.last_seen, EXCLUDED.last_seen),
         name               = CASE WHEN t.updated_at IS NULL OR EXCLUDED.updated_at >= t.updated_at THEN EXCLUDED.name ELSE t.name END,
         market_cap         = CASE WHEN t.updated_at IS NULL OR EXCLUDED.updated_at >= t.updated_at THEN EXCLUDED.market_cap ELSE t.market_cap END,
         sector             = CASE WHEN t.updated_at IS NULL OR EXCLUDED.updated_at >= t.updated_at THEN EXCLUDED.sector ELSE t.sector END,
         industry           = CASE WHEN t.updated_at IS NULL OR EXCLUDED.updated_at >= t.updated_at THEN EXCLUDED.industry ELSE t.industry END,
         float_shares       = CASE WHEN t.updated_at IS NULL OR EXCLUDED.updated_at >= t.updated_at THEN EXCLUDED.float_shares ELSE t.float_shares END,
         shares_outstanding = CASE WHEN t.updated_at IS NULL OR EXCLUDED.updated_at >= t.updated_at THEN EXCLUDED.shares_outstanding ELSE t.shares_outstanding END,
         exchange           = CASE WHEN t.updated_at IS NULL OR EXCLUDED.updated_at >= t.updated_at THEN EXCLUDED.exchange ELSE t.exchange END,
         type               = CASE WHEN t.updated_at IS NULL OR EXCLUDED.updated_at >= t.updated_at THEN EXCLUDED.type ELSE t.type END,
         active             = CASE WHEN t.updated_at IS NULL OR EXCLUDED.updated_at >= t.updated_at THEN EXCLUDED.active ELSE t.active END,
         updated_at         = GREATEST(t.updated_at, EXCLUDED.updated_at)
       RETURNING (xmax = 0) AS inserted`,
      [
        details.map((d) => d.symbol),
        details.map((d) => d.name),
        details.map((d) => d.marketCap),
        details.map((d) => d.sector),
        details.map((d) => d.industry),
        details.map((d) => d.floatShares),
        details.map((d) => d.sharesOutstanding),
        details.map((d) => d.exchange),
        details.map((d) => d.type),
        asOf.date,
        asOf.updatedAt,
        details.map((d) => d.active),
      ],
    );
    const inserted = res.rows.filter((r) => r.inserted).length;
    return { inserted, updated: res.rows.length - inserted };
  });
}

/**
 * Records that symbols were seen in a session (they had a daily bar): new symbols get a row with no
 * details yet (`updated_at` null, active); known ones widen first_seen/last_seen. A known symbol seen
 * in a session newer than its last_seen is active again (trading is the strongest evidence, so a
 * symbol deactivated for silence comes back when it trades); re-recording a session already seen
 * leaves `active` as the details set it, so a re-run changes nothing.
 */
export async function recordSeen(db: Db, symbols: readonly string[], date: IsoDate): Promise<UpsertResult> {
  checkDate(date);
  const problems = new RowProblems(`symbols seen on ${date}`);
  for (const [i, s] of symbols.entries()) problems.symbol(s, `symbol ${i}`);
  problems.throwIfAny();
  if (symbols.length === 0) return { inserted: 0, updated: 0 };
  const res = await db.query<{ inserted: boolean }>(
    `INSERT INTO ticker_metadata AS t (symbol, active, first_seen, last_seen)
     SELECT DISTINCT s, true, $2::date, $2::date FROM unnest($1::text[]) AS s
     ON CONFLICT (symbol) DO UPDATE SET
       active     = CASE WHEN EXCLUDED.last_seen > t.last_seen THEN true ELSE t.active END,
       first_seen = LEAST(t.first_seen, EXCLUDED.first_seen),
       last_seen  = GREATEST(t.last_seen, EXCLUDED.last_seen)
     RETURNING (xmax = 0) AS inserted`,
    [[...symbols], date],
  );
  const inserted = res.rows.filter((r) => r.inserted).length;
  return { inserted, updated: res.rows.length - inserted };
}

/** Metadata keyed by symbol (all rows when `symbols` is absent). */
export async function readMetadata(db: Db, symbols?: readonly string[]): Promise<Map<string, TickerMetadataRow>> {
  const res =
    symbols === undefined
      ? await db.query<TickerMetadataRow>(`SELECT ${SELECT_METADATA} FROM ticker_metadata ORDER BY symbol`)
      : await db.query<TickerMetadataRow>(`SELECT ${SELECT_METADATA} FROM ticker_metadata WHERE symbol = ANY($1::text[]) ORDER BY symbol`, [
          [...symbols],
        ]);
  return new Map(res.rows.map((r) => [r.symbol, r]));
}

/** Every active symbol, sorted: the universe. */
export async function activeSymbols(db: Db): Promise<string[]> {
  const res = await db.query<{ symbol: string }>('SELECT symbol FROM ticker_metadata WHERE active ORDER BY symbol');
  return res.rows.map((r) => r.symbol);
}

/** Active symbols whose details were never fetched (enrich_metadata's to-do list), sorted. */
export async function symbolsMissingDetails(db: Db): Promise<string[]> {
  const res = await db.query<{ symbol: string }>(
    'SELECT symbol FROM ticker_metadata WHERE active AND updated_at IS NULL ORDER BY symbol',
  );
  return res.rows.map((r) => r.symbol);
}

/** Sets `active` for the symbols; returns how many rows changed. Unknown symbols are ignored. */
export async function setActive(db: Db, symbols: readonly string[], active: boolean): Promise<number> {
  if (symbols.length === 0) return 0;
  const res = await db.query('UPDATE ticker_metadata SET active = $2 WHERE symbol = ANY($1::text[]) AND active <> $2', [
    [...symbols],
    active,
  ]);
  return res.rowCount ?? 0;
}

/** Marks inactive every active symbol not seen since `date` (last_seen < date); returns those symbols. */
export async function deactivateNotSeenSince(db: Transactional, date: IsoDate): Promise<string[]> {
  checkDate(date);
  return atomically(db, async (tx) => {
    const res = await tx.query<{ symbol: string }>(
      'UPDATE ticker_metadata SET active = false WHERE active AND last_seen < $1 RETURNING symbol',
      [date],
    );
    return res.rows.map((r) => r.symbol).sort();
  });
}
