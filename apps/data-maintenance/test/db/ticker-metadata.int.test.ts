import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activeSymbols,
  deactivateNotSeenSince,
  readMetadata,
  recordSeen,
  setActive,
  symbolsMissingDetails,
  upsertMetadata,
} from '../../src/db/ticker-metadata.js';
import type { TickerDetails } from '../../src/sources/market-data-source.js';
import { createTestDatabase, tableChecksum, type TestDatabase } from '../support/test-database.js';

function details(symbol: string, name: string, extra: Partial<TickerDetails> = {}): TickerDetails {
  return {
    symbol,
    name,
    marketCap: 1e9,
    sector: 'Technology',
    industry: 'Software',
    floatShares: 5e6,
    sharesOutstanding: 1e7,
    exchange: 'XNAS',
    type: 'CS',
    active: true,
    ...extra,
  };
}

const at = (date: string) => ({ date, updatedAt: new Date(`${date}T22:00:00Z`) });

describe('ticker_metadata', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('upserting the same details twice leaves identical rows', async () => {
    const batch = [details('AAA', 'Aaa Inc'), details('BBB', 'Bbb Corp', { marketCap: null, sector: null })];
    expect(await upsertMetadata(db.pool, batch, at('2026-11-20'))).toEqual({ inserted: 2, updated: 0 });
    const before = await tableChecksum(db.pool, 'ticker_metadata', 'symbol');
    expect(await upsertMetadata(db.pool, batch, at('2026-11-20'))).toEqual({ inserted: 0, updated: 2 });
    expect(await tableChecksum(db.pool, 'ticker_metadata', 'symbol')).toEqual(before);
    const bbb = (await readMetadata(db.pool, ['BBB'])).get('BBB');
    expect(bbb).toMatchObject({ name: 'Bbb Corp', marketCap: null, sector: null, firstSeen: '2026-11-20', lastSeen: '2026-11-20' });
    expect(bbb?.updatedAt?.toISOString()).toBe('2026-11-20T22:00:00.000Z');
  });

  it('an older date widens first_seen but does not roll the details back', async () => {
    await upsertMetadata(db.pool, [details('AAA', 'New Name')], at('2026-11-20'));
    await upsertMetadata(db.pool, [details('AAA', 'Old Name', { active: false })], at('2026-11-10'));
    const aaa = (await readMetadata(db.pool)).get('AAA');
    expect(aaa).toMatchObject({ name: 'New Name', active: true, firstSeen: '2026-11-10', lastSeen: '2026-11-20' });
    expect(aaa?.updatedAt?.toISOString()).toBe('2026-11-20T22:00:00.000Z');
  });

  it('records symbols seen in a session without details, and lists what still needs details', async () => {
    await upsertMetadata(db.pool, [details('AAA', 'Aaa Inc')], at('2026-11-19'));
    expect(await recordSeen(db.pool, ['AAA', 'NEW'], '2026-11-20')).toEqual({ inserted: 1, updated: 1 });
    const rows = await readMetadata(db.pool);
    expect(rows.get('NEW')).toMatchObject({ name: null, active: true, firstSeen: '2026-11-20', lastSeen: '2026-11-20', updatedAt: null });
    expect(rows.get('AAA')).toMatchObject({ name: 'Aaa Inc', firstSeen: '2026-11-19', lastSeen: '2026-11-20' });
    expect(await symbolsMissingDetails(db.pool)).toEqual(['NEW']);
    expect(await activeSymbols(db.pool)).toEqual(['AAA', 'NEW']);
  });

  it('deactivates symbols, by name or by not being seen since a date', async () => {
    await recordSeen(db.pool, ['AAA', 'BBB'], '2026-11-19');
    await recordSeen(db.pool, ['AAA', 'CCC'], '2026-11-20');
    expect(await deactivateNotSeenSince(db.pool, '2026-11-20')).toEqual(['BBB']);
    expect(await activeSymbols(db.pool)).toEqual(['AAA', 'CCC']);
    expect(await setActive(db.pool, ['CCC', 'UNKNOWN'], false)).toBe(1);
    expect(await activeSymbols(db.pool)).toEqual(['AAA']);
  });

  it('a deactivated symbol that trades in a newer session is active again; re-recording an old session is not', async () => {
    await recordSeen(db.pool, ['AAA', 'BBB'], '2026-11-19');
    await setActive(db.pool, ['AAA', 'BBB'], false);
    await recordSeen(db.pool, ['AAA', 'BBB'], '2026-11-19');
    expect(await activeSymbols(db.pool)).toEqual([]);
    await recordSeen(db.pool, ['BBB'], '2026-11-20');
    expect(await activeSymbols(db.pool)).toEqual(['BBB']);
  });

  it('refuses a bad batch whole', async () => {
    await expect(upsertMetadata(db.pool, [details('AAA', 'A', { marketCap: Number.NaN })], at('2026-11-20'))).rejects.toMatchObject({
      code: 'INVALID_ROWS',
    });
    await expect(upsertMetadata(db.pool, [details(' A', 'A')], at('2026-11-20'))).rejects.toMatchObject({ code: 'INVALID_ROWS' });
    expect((await readMetadata(db.pool)).size).toBe(0);
  });
});
