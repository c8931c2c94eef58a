import { nyseCalendar } from '@scanner/market-calendar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanupCommand } from '../../src/cli/commands/cleanup-command.js';
import { replaceVolumeSlots } from '../../src/db/volume-slots.js';
import { listPartitions } from '../../src/db/volume-slot-partitions.js';
import { collectOutput } from '../support/collect-output.js';
import { type Harness, createHarness } from '../support/maintenance-harness.js';

describe('the weekly cleanup', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ evening: '2026-11-22' });
    for (const date of nyseCalendar.sessionsBetween('2026-10-26', '2026-11-20')) {
      const open = nyseCalendar.session(date).marketOpen.getTime();
      await replaceVolumeSlots(h.db.pool, date, [{ symbol: 'AAA', date, slotNumber: 0, slotTime: new Date(open + 300_000), volumeAccumulated: 5 }], { partitionsAhead: 0 });
    }
  });
  afterEach(async () => {
    await h.close();
  });

  it('drops whole partitions older than 15 days and keeps the rest', async () => {
    const out = collectOutput();
    expect(await cleanupCommand(h.deps, { date: '2026-11-22' }, out)).toBe(0);
    // Sunday 2026-11-22 - 15 days = 2026-11-07: partitions of dates before it go.
    const dropped = nyseCalendar.sessionsBetween('2026-10-26', '2026-11-06').map((d) => `volume_slots_p${d.replaceAll('-', '')}`);
    expect(out.lines[0]).toMatchObject({ task: 'cleanup_old_data', status: 'completed', counts: { dropped: dropped.length }, details: { cutoff: '2026-11-07', dropped } });
    expect((await listPartitions(h.db.pool)).map((p) => p.from)).toEqual(nyseCalendar.sessionsBetween('2026-11-07', '2026-11-20'));
    const tables = await h.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY($1)",
      [dropped],
    );
    expect(tables.rows[0]?.n).toBe(0);
    const rows = await h.db.pool.query<{ first: string }>('SELECT min(date)::text AS first FROM volume_slots');
    expect(rows.rows[0]?.first).toBe('2026-11-09');
  });

  it('never drops the sessions the next RVOL averages need, whatever the retention', async () => {
    const short = { ...h.deps, settings: { ...h.deps.settings, retentionDays: 1 } };
    const out = collectOutput();
    expect(await cleanupCommand(short, { date: '2026-11-22' }, out)).toBe(0);
    expect((await listPartitions(h.db.pool)).map((p) => p.from)).toEqual(nyseCalendar.lastSessions(5, '2026-11-20'));
  });
});
