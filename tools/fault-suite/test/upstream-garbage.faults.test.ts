import { decodeScannerRows, encodeScannerRows, encodeSequence, encodeTradingDate } from '@scanner/redis-keys';
import type { ScannerList } from '@scanner/shared-types';
import { makeRows } from '@scanner/websocket-server/testing/upstream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { garbageKeyValues } from '../src/garbage-category-values.js';
import { type RunningServer, ServerWorld, logEvents } from '../src/server-world.js';
import { metricSum, scrapeMetric, scrapeMetrics } from '../src/metrics-scrape.js';
import { seededRandom } from '../src/seeded-random.js';
import { type EntryContext, type GarbageEntry, randomGarbageEntries, tableGarbageEntries, validDeltaFields } from '../src/garbage-stream-entries.js';
import type { CheckedClient } from '../src/checked-ws-client.js';
import { randomValidDeltas } from '../src/random-valid-deltas.js';
import type { SeededRandom } from '../src/seeded-random.js';
import { waitFor } from '../src/wait-until.js';

/**
 * Scenario 6: a broken upstream. Garbage goes into stream:ranking:deltas (XADD only: the keys keep the
 * last valid state, as a real upstream's half-written or corrupted entry would) and into the
 * scanner:category / scanner:sequence keys. Every piece must be logged and counted, the server must
 * stay up, and every client's table must stay equal to the last valid upstream state, through frames
 * that all pass shared-types' own parser.
 */

const TODAY = '2025-11-26';
const DURING_SESSION = '2025-11-26T15:00:00.000Z';
const YESTERDAY_EVENING = '2025-11-25T22:00:00.000Z';
const FUTURE_DAY = '2030-01-02T15:00:00.000Z';
const SEED = Number(process.env['GARBAGE_SEED'] ?? 20_251_126);
const RANDOM_ENTRIES = 300;
const LISTS: readonly ScannerList[] = ['winners', 'losers', 'gappers_up'];
/** A list no client watches and the server does not hold: every subscribe to it reads the keys. */
const COLD_LIST: ScannerList = 'momentum_up';

let world: ServerWorld;
let running: RunningServer;
let clients: CheckedClient[];

beforeEach(async () => {
  world = new ServerWorld(DURING_SESSION);
  await world.redis.set(world.keys.tradingCurrentDay, encodeTradingDate(TODAY));
  const now = world.clock.now().toISOString();
  for (const [index, list] of LISTS.entries()) {
    await world.upstream.snapshot(list, makeRows(12 + index * 3, now, { tag: list.slice(0, 3).toUpperCase(), volume: true }), { sequence: 100 * (index + 1) });
  }
  running = await world.startServer();
  clients = [];
  const plan: ScannerList[][] = [[...LISTS], ['winners'], ['losers', 'gappers_up']];
  for (const [index, lists] of plan.entries()) {
    const client = await world.connect(running, `watcher${index}`);
    for (const list of lists) expect(await client.subscribe(list)).toMatchObject({ type: 'snapshot', epoch: TODAY });
    clients.push(client);
  }
});
afterEach(() => world.cleanup());

function contextOf(list: ScannerList): EntryContext {
  return { list, sequence: world.upstream.sequenceOf(list), rows: world.upstream.rowsOf(list), timestamp: world.clock.now().toISOString() };
}

/** A valid delta of a random kind (price update, removal, addition, swap of two ranks), as upstream writes on a normal tick. */
function randomDelta(list: ScannerList, random: SeededRandom): Promise<number> {
  return world.upstream.delta(list, randomValidDeltas(world.upstream.rowsOf(list), random, world.clock.now().toISOString()));
}

/** One valid delta on every list, then every watcher holds upstream's last sequence of each of its lists. */
async function settleWithValidUpdates(random = seededRandom(SEED + 1)): Promise<void> {
  for (const list of LISTS) await randomDelta(list, random);
  for (const client of clients) {
    for (const list of LISTS.filter((l) => client.table(l) !== undefined || client.frames(l).length > 0)) {
      await waitFor(`${client.name} at ${list} ${world.upstream.sequenceOf(list)}`, () => client.table(list)?.sequence === world.upstream.sequenceOf(list));
    }
    await client.barrier();
  }
}

/** Each watcher's table of each of its lists equals upstream's last valid state, and so do the keys. */
async function expectTablesEqualUpstream(): Promise<void> {
  for (const list of LISTS) {
    const stored = decodeScannerRows(await world.redis.get(world.keys.scannerCategory(list)));
    expect(stored.ok && stored.value, `scanner:category:${list}`).toEqual(world.upstream.rowsOf(list));
  }
  for (const client of clients) {
    for (const list of LISTS) {
      const table = client.table(list);
      if (client.frames(list).length === 0) continue;
      expect(table, `${client.name}'s ${list}`).toEqual({ epoch: TODAY, sequence: world.upstream.sequenceOf(list), rows: world.upstream.rowsOf(list) });
    }
  }
}

/** Every frame any client got passed parseServerMessage, nobody saw a sequence break, nobody was closed. */
function expectCleanClients(): void {
  for (const client of world.allClients()) {
    expect(client.refused, `${client.name}: frames refused by parseServerMessage`).toEqual([]);
    expect(client.breaks, `${client.name}: sequence breaks`).toEqual([]);
    expect(client.closed, `${client.name} was closed`).toBeNull();
  }
}

async function expectServerUp(): Promise<void> {
  expect((await fetch(`${running.httpUrl}/healthz`)).status).toBe(200);
  expect((await fetch(`${running.httpUrl}/readyz`)).status).toBe(200);
  expect(logEvents(running.logs, 'stream_entry_failed'), 'an entry the server could not handle').toEqual([]);
}

describe('scenario 6: garbage in stream:ranking:deltas', () => {
  it('table-driven and seeded random entries are each logged, counted by code and skipped; no client sees any of it', async () => {
    const random = seededRandom(SEED);
    const garbage: GarbageEntry[] = [...tableGarbageEntries(contextOf('winners'))];
    for (let i = 0; i < RANDOM_ENTRIES; i++) garbage.push(...randomGarbageEntries(random, 1, contextOf(random.pick(LISTS))));
    // eslint-disable-next-line no-console -- the seed replays a failure (GARBAGE_SEED=<seed>)
    console.info(`[upstream-garbage] seed ${SEED}: ${garbage.length} garbage entries (${garbage.length - RANDOM_ENTRIES} table, ${RANDOM_ENTRIES} random)`);

    const written: { id: string; entry: GarbageEntry }[] = [];
    let validWrites = 0;
    for (const [index, entry] of garbage.entries()) {
      written.push({ id: await world.upstream.garbageEntry(entry.fields), entry });
      // Valid updates between the garbage: the feed goes on, and garbage lands between real deltas.
      if (index % 7 === 0) {
        await randomDelta(random.pick(LISTS), random);
        validWrites++;
      }
    }
    await settleWithValidUpdates();

    await expectTablesEqualUpstream();
    expectCleanClients();
    await expectServerUp();
    // Skipped means skipped: each watcher got exactly one snapshot per list (its subscription's), no reloads.
    for (const client of clients) {
      for (const list of LISTS) expect(client.messages.filter((m) => m.type === 'snapshot' && m.list === list).length).toBeLessThanOrEqual(1);
    }

    const metrics = await scrapeMetrics(running.httpUrl);
    const expectedByCode = new Map<string, number>();
    for (const { entry } of written) expectedByCode.set(entry.code, (expectedByCode.get(entry.code) ?? 0) + 1);
    for (const [code, count] of expectedByCode) expect(metricSum(metrics, 'scanner_ws_stream_entries_invalid_total', { code }), code).toBe(count);
    expect(metricSum(metrics, 'scanner_ws_stream_entries_invalid_total')).toBe(written.length);
    expect(metricSum(metrics, 'scanner_ws_stream_entries_total', { outcome: 'delta_applied' })).toBe(validWrites + LISTS.length);

    const invalidLines = new Map(logEvents(running.logs, 'stream_entry_invalid').map((line) => [line['id'], line]));
    const unlogged = written
      .filter(({ id, entry }) => invalidLines.get(id)?.['code'] !== entry.code || invalidLines.get(id)?.['level'] !== 40)
      .map(({ id, entry }) => `${entry.name} (${id}): logged ${JSON.stringify(invalidLines.get(id)?.['code'])}, expected ${entry.code}`);
    expect(unlogged).toEqual([]);

    // A subscriber arriving after all of it gets the valid state from memory.
    const late = await world.connect(running, 'late');
    for (const list of LISTS) expect(await late.subscribe(list)).toMatchObject({ type: 'snapshot', rows: world.upstream.rowsOf(list), sequence: world.upstream.sequenceOf(list) });
    expectCleanClients();
  });

  it('gaps, duplicates, backward sequences, deltas for symbols not in the table and entries of the wrong day are each skipped with a metric and a log line', async () => {
    type Outcome = 'gap' | 'duplicate' | 'conflict' | 'stale_day' | 'future_day';
    interface Case {
      readonly name: string;
      readonly list: ScannerList;
      readonly fields: () => string[];
      readonly outcome: Outcome;
    }
    const held = (list: ScannerList) => world.upstream.sequenceOf(list);
    const top = (list: ScannerList) => {
      const row = world.upstream.rowsOf(list)[0];
      if (row === undefined) throw new Error(`${list} is empty`);
      return row;
    };
    const delta = (list: ScannerList, sequence: number, items: unknown[], timestamp?: string) =>
      ['type', 'delta', 'list', list, 'sequence', String(sequence), 'deltas', JSON.stringify(items), 'timestamp', timestamp ?? world.clock.now().toISOString(), 'change_count', String(items.length)];
    const bump = (list: ScannerList) => ({ action: 'update', rank: top(list).rank, symbol: top(list).symbol, data: { price: 9_999 } });
    const cases: Case[] = [];
    for (const list of LISTS) {
      cases.push(
        { name: 'gap of one', list, fields: () => delta(list, held(list) + 2, [bump(list)]), outcome: 'gap' },
        { name: 'gap of a million', list, fields: () => delta(list, held(list) + 1_000_000, [bump(list)]), outcome: 'gap' },
        { name: 'gap to 2^53 - 1', list, fields: () => delta(list, Number.MAX_SAFE_INTEGER, [bump(list)]), outcome: 'gap' },
        { name: 'exact replay of the last entry', list, fields: () => world.upstream.lastFields(list), outcome: 'duplicate' },
        { name: 'same sequence, other content', list, fields: () => delta(list, held(list), [{ action: 'remove', symbol: top(list).symbol }]), outcome: 'duplicate' },
        { name: 'backwards to 1', list, fields: () => delta(list, 1, [bump(list)]), outcome: 'duplicate' },
        { name: 'backwards by ten', list, fields: () => delta(list, held(list) - 10, [bump(list)]), outcome: 'duplicate' },
        { name: 'update of a symbol not in the table', list, fields: () => delta(list, held(list) + 1, [{ action: 'update', rank: 1, symbol: 'NOTLISTED', data: {} }]), outcome: 'conflict' },
        { name: 'remove of a symbol not in the table', list, fields: () => delta(list, held(list) + 1, [{ action: 'remove', symbol: 'GHOST' }]), outcome: 'conflict' },
        { name: 'add of a symbol already listed', list, fields: () => delta(list, held(list) + 1, [{ action: 'add', rank: 1, symbol: top(list).symbol, data: {} }]), outcome: 'conflict' },
        { name: 'rerank from a rank the row is not at', list, fields: () => delta(list, held(list) + 1, [{ action: 'rerank', symbol: top(list).symbol, old_rank: 999, new_rank: 2 }]), outcome: 'conflict' },
        { name: 'valid delta produced yesterday', list, fields: () => delta(list, held(list) + 1, [bump(list)], YESTERDAY_EVENING), outcome: 'stale_day' },
        { name: 'valid delta dated in 2030', list, fields: () => delta(list, held(list) + 1, [bump(list)], FUTURE_DAY), outcome: 'future_day' },
      );
    }
    const random = seededRandom(SEED + 2);
    const reloads = { gap: 0, conflict: 0 };
    for (const testCase of cases) {
      const { list, outcome } = testCase;
      const label = `${testCase.name} on ${list}`;
      const fields = testCase.fields();
      const sequence = Number(fields[fields.indexOf('sequence') + 1]);
      const counted = await scrapeMetric(running.httpUrl, 'scanner_ws_stream_entries_total', { outcome });
      const reloadLines = logEvents(running.logs, 'list_reload', { list }).length;
      await world.upstream.garbageEntry(fields);
      // The counter moving is the proof the entry was handled. A gap entry waits in the list's queue
      // during its reload and is counted again when replayed on the reloaded state: at least one.
      await waitFor(`${label}: outcome ${outcome} counted`, async () => (await scrapeMetric(running.httpUrl, 'scanner_ws_stream_entries_total', { outcome })) > counted);
      if (outcome === 'gap' || outcome === 'conflict') {
        reloads[outcome]++;
        // The reload is done (and its replay with it: the same synchronous step) once it is counted.
        await waitFor(`${label}: reload done`, async () => (await scrapeMetric(running.httpUrl, 'scanner_ws_list_loads_total', { reason: outcome, outcome: 'ok' })) === reloads[outcome]);
        const logged = logEvents(running.logs, 'list_reload', { list });
        expect(logged.length, label).toBe(reloadLines + 1);
        expect(logged.at(-1), label).toMatchObject({ level: 40, reason: outcome });
        if (outcome === 'gap') expect(String(logged.at(-1)?.['detail']), label).toContain(`got delta ${sequence}`);
      } else if (outcome === 'future_day') {
        expect(logEvents(running.logs, 'stream_entry_from_future_day', { list, sequence }), label).toHaveLength(1);
      } else {
        expect(logEvents(running.logs, 'stream_entry_ignored', { list, sequence, reason: outcome }).length, label).toBeGreaterThanOrEqual(1);
      }
      // The feed goes on after each one: the next valid delta applies on the last valid state.
      await randomDelta(list, random);
      for (const client of clients.filter((c) => c.frames(list).length > 0)) {
        await waitFor(`${client.name} at ${list} ${held(list)} after ${label}`, () => client.table(list)?.sequence === held(list));
        expect(client.table(list)?.rows, `${client.name}'s ${list} after ${label}`).toEqual(world.upstream.rowsOf(list));
      }
    }
    await settleWithValidUpdates();
    await expectTablesEqualUpstream();
    expectCleanClients();
    await expectServerUp();
    expect(running.server.epoch).toBe(TODAY);
    expect(await scrapeMetric(running.httpUrl, 'scanner_ws_new_day_applied_total')).toBe(0);
  });
});

describe('scenario 6: garbage in scanner:category and scanner:sequence', () => {
  it('a subscriber to a list whose keys hold garbage gets SNAPSHOT_UNAVAILABLE, counted and logged; once upstream rewrites them it gets the valid state', async () => {
    const rows = makeRows(8, world.clock.now().toISOString(), { tag: 'MOM', volume: true });
    const values = garbageKeyValues(rows);
    const probe = await world.connect(running, 'probe');
    let failed = 0;
    for (const garbage of values) {
      // The other key of the pair stays valid: only the garbage can be the reason for the refusal.
      await world.redis.set(world.keys.scannerCategory(COLD_LIST), garbage.key === 'category' ? garbage.value : encodeScannerRows(rows));
      await world.redis.set(world.keys.scannerSequence(COLD_LIST), garbage.key === 'sequence' ? garbage.value : encodeSequence(7));
      const answer = await probe.subscribe(COLD_LIST);
      expect(answer, garbage.name).toMatchObject({ type: 'error', code: 'SNAPSHOT_UNAVAILABLE', list: COLD_LIST });
      failed++;
      expect(await scrapeMetric(running.httpUrl, 'scanner_ws_list_loads_total', { reason: 'subscribe', outcome: 'failed' }), garbage.name).toBe(failed);
      const logged = logEvents(running.logs, 'list_load_failed', { list: COLD_LIST });
      expect(logged, garbage.name).toHaveLength(failed);
      expect((logged.at(-1)?.['err'] as { code?: unknown } | undefined)?.code, garbage.name).toBe(garbage.code);
    }
    expect(probe.messages.filter((m) => m.type === 'snapshot')).toEqual([]);

    await world.upstream.snapshot(COLD_LIST, rows, { sequence: 7 });
    expect(await probe.subscribe(COLD_LIST)).toMatchObject({ type: 'snapshot', epoch: TODAY, sequence: 7, rows });
    await settleWithValidUpdates();
    await expectTablesEqualUpstream();
    expectCleanClients();
    await expectServerUp();
  });

  it('a reload that finds garbage keeps every watcher on its last valid table, and the next valid write brings them all to it', async () => {
    const random = seededRandom(SEED + 3);
    const values = garbageKeyValues(world.upstream.rowsOf('winners'));
    let loadsFailed = 0;
    for (const garbage of values) {
      const keepSequence = world.upstream.sequenceOf('winners');
      const categoryKey = world.keys.scannerCategory('winners');
      const sequenceKey = world.keys.scannerSequence('winners');
      await world.redis.set(garbage.key === 'category' ? categoryKey : sequenceKey, garbage.value);
      // A gap makes the server read the keys it cannot trust.
      await world.upstream.garbageEntry(validDeltaFields({ ...contextOf('winners'), sequence: keepSequence + 3 }));
      loadsFailed++;
      await waitFor(`${garbage.name}: the failed reload counted`, async () => (await scrapeMetric(running.httpUrl, 'scanner_ws_list_loads_total', { reason: 'gap', outcome: 'failed' })) === loadsFailed);
      for (const client of clients.filter((c) => c.frames('winners').length > 0)) {
        await client.barrier();
        expect(client.table('winners')?.sequence, `${client.name} after ${garbage.name}`).toBe(keepSequence);
      }
      // Upstream recovers: its next write (SET both keys, XADD) is the truth again.
      await randomDelta('winners', random);
      for (const client of clients.filter((c) => c.frames('winners').length > 0)) {
        await waitFor(`${client.name} back at winners ${world.upstream.sequenceOf('winners')} after ${garbage.name}`, () => client.table('winners')?.sequence === world.upstream.sequenceOf('winners'));
        expect(client.table('winners')?.rows).toEqual(world.upstream.rowsOf('winners'));
      }
    }
    expect(logEvents(running.logs, 'list_load_failed', { list: 'winners', reason: 'gap' })).toHaveLength(values.length);
    await settleWithValidUpdates();
    await expectTablesEqualUpstream();
    expectCleanClients();
    await expectServerUp();
  });
});
