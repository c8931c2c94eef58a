import { addCalendarDays, type IsoDate } from '@scanner/market-calendar';
import { planPartitionRetention, type DatePartition } from '../core/partition-retention.js';
import { DbError } from './db-error.js';
import { quoteIdent } from './identifiers.js';
import { atomically, type Db, type Transactional, type TxClient } from './pool.js';
import { checkDate, checkDates } from './validate.js';

/**
 * `partitioned`: native declarative partitioning, one partition per day, created here.
 * `hypertable`: TimescaleDB with 1-day chunks; the extension creates chunks on insert and drops them
 * with drop_chunks (this path is not exercised by the tests: the extension is not on the CI machine).
 */
export type VolumeSlotsStorage = 'partitioned' | 'hypertable';

export type { DatePartition } from '../core/partition-retention.js';

/** The name of a day's partition: `volume_slots_p20260309`. */
export function partitionName(date: IsoDate): string {
  return `volume_slots_p${checkDate(date).replaceAll('-', '')}`;
}

export async function volumeSlotsStorage(db: Db): Promise<VolumeSlotsStorage> {
  const res = await db.query<{ partitioned: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'volume_slots'::regclass) AS partitioned`,
  );
  return res.rows[0]?.partitioned ? 'partitioned' : 'hypertable';
}

/** Every partition (or chunk) of volume_slots with its date range, oldest first. */
export async function listPartitions(db: Db): Promise<DatePartition[]> {
  if ((await volumeSlotsStorage(db)) === 'hypertable') {
    const res = await db.query<DatePartition>(
      `SELECT chunk_schema || '.' || chunk_name AS name, range_start::date::text AS "from", range_end::date::text AS "to"
       FROM timescaledb_information.chunks
       WHERE hypertable_schema = current_schema() AND hypertable_name = 'volume_slots'
       ORDER BY range_start`,
    );
    return res.rows;
  }
  const res = await db.query<{ name: string; bound: string }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'volume_slots'::regclass`,
  );
  return res.rows
    .map((r) => ({ name: r.name, ...parseBound(r.bound) }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/**
 * Creates the one-day partitions of `dates` that no partition covers yet; returns the names created.
 * Serialized by an advisory lock per schema so two loaders cannot race on the same day. On a pool it
 * runs in its own short transaction, which is what loads should do ahead of time: creating a
 * partition locks the parent table until the transaction ends.
 */
export async function ensurePartitions(db: Transactional, dates: readonly IsoDate[]): Promise<string[]> {
  const wanted = [...new Set(checkDates(dates))].sort();
  if (wanted.length === 0) return [];
  return atomically(db, async (tx) => {
    if ((await volumeSlotsStorage(tx)) === 'hypertable') return [];
    await lockPartitions(tx);
    const existing = await listPartitions(tx);
    const created: string[] = [];
    for (const date of wanted) {
      if (existing.some((p) => date >= p.from && date < p.to)) continue;
      const name = partitionName(date);
      await tx.query(
        `CREATE TABLE ${quoteIdent(name)} PARTITION OF volume_slots FOR VALUES FROM ('${date}') TO ('${addCalendarDays(date, 1)}')`,
      );
      created.push(name);
    }
    return created;
  });
}

/** Drops the named partitions (DROP TABLE, never DELETE); returns the names dropped. */
async function dropPartitions(db: Transactional, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  return atomically(db, async (tx) => {
    await lockPartitions(tx);
    const present = new Set((await listPartitions(tx)).map((p) => p.name));
    const dropped: string[] = [];
    for (const name of names) {
      if (!present.has(name)) continue;
      await tx.query(`DROP TABLE ${quoteIdent(name)}`);
      dropped.push(name);
    }
    return dropped;
  });
}

/** Calendar days of volume_slots kept when the caller does not say (the weekly cleanup's default). */
const DEFAULT_RETENTION_DAYS = 15;

export interface DropBeforeOptions {
  /** The New York date the cleanup runs on. */
  readonly today: IsoDate;
  /** Default `DEFAULT_RETENTION_DAYS`. */
  readonly retentionDays?: number;
  /** Dates that must survive (see planPartitionRetention). */
  readonly protect?: readonly IsoDate[];
}

export interface DropBeforeResult {
  readonly cutoff: IsoDate;
  readonly dropped: readonly string[];
  readonly kept: number;
}

/** The weekly cleanup: drops every partition entirely before `today - retentionDays`. */
export async function dropExpiredPartitions(db: Transactional, options: DropBeforeOptions): Promise<DropBeforeResult> {
  const today = checkDate(options.today, 'today');
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  return atomically(db, async (tx) => {
    if ((await volumeSlotsStorage(tx)) === 'hypertable') return dropExpiredChunks(tx, today, retentionDays, options.protect ?? []);
    const plan = planPartitionRetention({
      partitions: await listPartitions(tx),
      today,
      retentionDays,
      protect: options.protect ?? [],
    });
    const dropped = await dropPartitions(tx, plan.drop.map((p) => p.name));
    return { cutoff: plan.cutoff, dropped, kept: plan.keep.length };
  });
}

async function dropExpiredChunks(tx: TxClient, today: IsoDate, retentionDays: number, protect: readonly IsoDate[]): Promise<DropBeforeResult> {
  // drop_chunks takes one bound, so a protected date older than the cutoff moves the bound back to it.
  const cutoff = [addCalendarDays(today, -retentionDays), ...protect].reduce((a, b) => (b < a ? b : a));
  const ext = await tx.query<{ schema: string }>(
    `SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'timescaledb'`,
  );
  const res = await tx.query<{ name: string }>(
    `SELECT ${quoteIdent(ext.rows[0]?.schema ?? 'public')}.drop_chunks('volume_slots', older_than => $1::date)::text AS name`,
    [cutoff],
  );
  const kept = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM timescaledb_information.chunks
     WHERE hypertable_schema = current_schema() AND hypertable_name = 'volume_slots'`,
  );
  return { cutoff, dropped: res.rows.map((r) => r.name), kept: kept.rows[0]?.n ?? 0 };
}

async function lockPartitions(tx: TxClient): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('data-maintenance:partitions'), hashtext(current_schema()))`);
}

/** `FOR VALUES FROM ('2026-03-09') TO ('2026-03-10')` → the two dates. */
function parseBound(bound: string): { from: IsoDate; to: IsoDate } {
  const match = /FROM \('(\d{4}-\d{2}-\d{2})'\) TO \('(\d{4}-\d{2}-\d{2})'\)/.exec(bound);
  if (!match?.[1] || !match[2]) {
    // A partition with MINVALUE/MAXVALUE or a DEFAULT partition was made by hand; retention must not guess.
    throw new DbError('UNEXPECTED_PARTITION', `volume_slots has a partition this service did not create: ${bound}`);
  }
  return { from: match[1], to: match[2] };
}
