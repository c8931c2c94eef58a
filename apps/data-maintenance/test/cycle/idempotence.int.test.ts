import { nyseCalendar } from '@scanner/market-calendar';
import { afterEach, describe, expect, it } from 'vitest';
import { backfillCommand } from '../../src/cli/commands/backfill-command.js';
import { runCycle } from '../../src/cycle/run-cycle.js';
import { SyntheticMarketDataSource } from '../../src/sources/synthetic/synthetic-source.js';
import { collectOutput } from '../support/collect-output.js';
import { type Harness, type KeyDump, createHarness, dataChecksums, dumpKeys, withoutTtl } from '../support/maintenance-harness.js';

const LAST = '2026-11-20';
const dates = nyseCalendar.lastSessions(25, LAST);

/**
 * "Identical state" = the same md5 of every data table's ordered rows (the ledger tables and
 * schema_migrations are excluded: they record when and how often something ran, which a re-run must
 * change) and the same Redis keys with the same types, values and TTL presence (status records reduced
 * as `dumpKeys` explains). TTL values are compared to within a minute: they were computed from the same
 * ManualClock instant, and Redis then counts them down in real time between the two dumps.
 */
async function snapshot(h: Harness) {
  return { tables: await dataChecksums(h.db), keys: await dumpKeys(h.redis, h.keys.prefix) };
}

function expectSameTtls(a: ReadonlyMap<string, KeyDump>, b: ReadonlyMap<string, KeyDump>): void {
  for (const [key, dump] of a) {
    const other = b.get(key);
    expect(other, key).toBeDefined();
    if (dump.ttl < 0) expect(other?.ttl, key).toBe(dump.ttl);
    else expect(Math.abs((other?.ttl ?? -99) - dump.ttl), key).toBeLessThanOrEqual(60);
  }
}

const backfill = (h: Harness, range: readonly string[], force = false) =>
  backfillCommand(h.deps, { dates: range, tasks: null, force, continueOnError: false }, collectOutput());

describe('idempotence', () => {
  const harnesses: Harness[] = [];
  const harness = async () => {
    const h = await createHarness({ source: new SyntheticMarketDataSource({ universeSize: 12, seed: 3 }), evening: LAST });
    harnesses.push(h);
    return h;
  };
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
  });

  it('running the same date twice leaves identical tables and keys', async () => {
    const h = await harness();
    expect(await backfill(h, dates)).toBe(0);
    const first = await snapshot(h);
    const again = await runCycle(h.deps, { date: LAST, tasks: null, trigger: 'test' });
    expect(again.succeeded).toBe(true);
    const second = await snapshot(h);
    expect(second.tables).toEqual(first.tables);
    expect(withoutTtl(second.keys)).toEqual(withoutTtl(first.keys));
    expectSameTtls(first.keys, second.keys);
    // The checksums cover real data, not empty tables.
    expect(first.tables['volume_slots']?.rows).toBe(25 * 12 * 78);
    expect(first.tables['atr_daily']?.rows).toBeGreaterThan(0);
  }, 120_000);

  it('a forced backfill over an overlapping range equals one backfill over the union', async () => {
    const once = await harness();
    expect(await backfill(once, dates)).toBe(0);

    const twice = await harness();
    expect(await backfill(twice, dates.slice(0, 18))).toBe(0);
    // Overlaps the first range by 6 dates, re-run on purpose (--force), then goes on to the end.
    expect(await backfill(twice, dates.slice(12), true)).toBe(0);
    const runs = await twice.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM maintenance_runs');
    expect(runs.rows[0]?.n).toBe(18 + 13);

    const a = await snapshot(once);
    const b = await snapshot(twice);
    expect(b.tables).toEqual(a.tables);
    expect(withoutTtl(b.keys)).toEqual(withoutTtl(a.keys));
    expectSameTtls(a.keys, b.keys);
  }, 180_000);

  it('a backfill resumed over an overlapping range skips what completed and ends in the same state', async () => {
    const once = await harness();
    expect(await backfill(once, dates.slice(-8))).toBe(0);
    const twice = await harness();
    expect(await backfill(twice, dates.slice(-8, -3))).toBe(0);
    const out = collectOutput();
    expect(await backfillCommand(twice.deps, { dates: dates.slice(-6), tasks: null, force: false, continueOnError: false }, out)).toBe(0);
    expect(out.lines.slice(0, 3)).toEqual(dates.slice(-6, -3).map((date) => ({ date, status: 'already_completed' })));
    expect((await snapshot(twice)).tables).toEqual((await snapshot(once)).tables);
    expect(withoutTtl((await snapshot(twice)).keys)).toEqual(withoutTtl((await snapshot(once)).keys));
  }, 120_000);
});
