import { randomBytes } from 'node:crypto';
import { MAX_CLIENT_MESSAGE_LENGTH, type ScannerList } from '@scanner/shared-types';
import { type FakeUpstream, makeRows } from '@scanner/websocket-server/testing/upstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFuzzSession } from '../src/frame-fuzzer-session.js';
import { planSessions } from '../src/frame-fuzzer-plan.js';
import { type FuzzCase, generateFuzzCases } from '../src/frame-fuzzer.js';
import { settledMemory } from '../src/memory-gc.js';
import { MiB, type MemorySample, exceededBounds, formatMiB, memoryGrowth } from '../src/memory-sample.js';
import { RawWsConnection, type RefusedUpgrade } from '../src/ws-raw-framer-socket.js';
import { OPCODES, encodeFrame } from '../src/ws-raw-framer.js';
import { scrapeMetric } from '../src/metrics-scrape.js';
import { type RunningServer, ServerWorld } from '../src/server-world.js';
import { waitFor } from '../src/wait-until.js';
import { tickContinuously } from './continuous-ticks.js';
import { WAIT_MS, WsClient } from './well-behaved-client.js';

/**
 * Scenario 5: hostile clients. While well-behaved clients follow two live lists, other connections send
 * 10,000 fuzzed frames, flood the connection cap, flood pings without reading, and storm subscribe and
 * unsubscribe. The server must answer each bad frame with its documented code, stay up, keep its memory
 * and its connection count bounded, and deliver every delta to the well-behaved clients in order.
 */

const TRADING_DAY = '2025-11-26';
/** Wednesday 10:00 New York: a session in progress. */
const DURING_SESSION = '2025-11-26T15:00:00.000Z';
const MAX_CONNECTIONS = 50;
const MAX_PAYLOAD_BYTES = 8192;
const RATE_BURST = 200;
const MAX_VIOLATIONS = 10;
const LIVE_LISTS: readonly ScannerList[] = ['winners', 'losers'];
const FUZZ_SEED = 50_517;
const FUZZ_CASES = 10_000;
const FUZZ_CONCURRENCY = 12;

const ENV = {
  MAX_CONNECTIONS: String(MAX_CONNECTIONS),
  // Above the protocol's 4096 characters, so both FRAME_TOO_LARGE and 1009 are reachable.
  MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES),
  MESSAGE_RATE_PER_SECOND: '20',
  MESSAGE_RATE_BURST: String(RATE_BURST),
  RATE_LIMIT_MAX_VIOLATIONS: String(MAX_VIOLATIONS),
  RATE_LIMIT_WINDOW_MS: '10000',
  PING_INTERVAL_MS: '5000',
};

/** Numbers for docs/reliability.md, printed at the end. */
const measured: Record<string, unknown> = {};

let world: ServerWorld;
let upstream: FakeUpstream;
let running: RunningServer;
let bystanders: WsClient[];
let ticker: ReturnType<typeof tickContinuously>;
let baseline: MemorySample;
/** Storm clients that stay connected to the end and must hold the right tables too. */
const survivors: Array<{ client: WsClient; lists: ScannerList[] }> = [];

async function runAll<T, R>(items: readonly T[], concurrency: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await run(items[index] as T);
      }
    }),
  );
  return results;
}

const connectionCount = () => running.server.clients().length;

beforeAll(async () => {
  world = new ServerWorld(DURING_SESSION);
  upstream = world.upstream;
  await upstream.announceNewDay(TRADING_DAY, { publish: false });
  for (const list of LIVE_LISTS) await upstream.snapshot(list, makeRows(10, world.clock.now().toISOString(), { tag: list.slice(0, 1).toUpperCase() }));
  // Silent: 10,000 fuzzed frames' worth of captured log lines would be counted as the server's memory.
  running = await world.startServer({ env: ENV, logs: 'silent' });
  const both = await WsClient.connect(running.wsUrl);
  bystanders = [await WsClient.connect(running.wsUrl), await WsClient.connect(running.wsUrl), both];
  await bystanders[0]?.subscribe('winners');
  await bystanders[1]?.subscribe('losers');
  for (const list of LIVE_LISTS) await both.subscribe(list);
  ticker = tickContinuously(upstream, LIVE_LISTS, 20);
  await waitFor('the first live deltas', () => bystanders.every((b) => b.messages.some((m) => m.type === 'delta')), WAIT_MS);
  baseline = await settledMemory();
  measured['baseline'] = { heapUsed: formatMiB(baseline.heapUsed), rss: formatMiB(baseline.rss) };
});

afterAll(async () => {
  await ticker?.stop().catch(() => undefined);
  for (const client of [...(bystanders ?? []), ...survivors.map((s) => s.client)]) client.close();
  await world?.cleanup();
  process.stdout.write(`[hostile-clients] ${JSON.stringify(measured)}\n`);
});

describe('scenario 5: hostile clients', () => {
  it('answers 10,000 fuzzed frames, sent over hundreds of connections, each with its documented error or close code', async () => {
    const cases = generateFuzzCases({ seed: FUZZ_SEED, count: FUZZ_CASES, maxPayloadBytes: MAX_PAYLOAD_BYTES, maxMessageLength: MAX_CLIENT_MESSAGE_LENGTH });
    // Under the burst, so every answer a session gets is its own cases' (the rate limit has its own test).
    const sessions = planSessions(cases, 150);
    const started = performance.now();
    const outcomes = await runAll(sessions, FUZZ_CONCURRENCY, (session) => runFuzzSession(running.wsUrl, session));
    const problems = outcomes.flatMap((o) => o.problems);
    expect(problems.slice(0, 10)).toEqual([]);

    // The server's own count of every error code it sent equals the cases that expect it.
    const expectedByCode = new Map<string, number>();
    for (const c of cases) if (c.expect.kind === 'error') expectedByCode.set(c.expect.code, (expectedByCode.get(c.expect.code) ?? 0) + 1);
    for (const [code, count] of expectedByCode) expect(await scrapeMetric(running.httpUrl, 'scanner_ws_client_errors_total', { code }), code).toBe(count);
    const closes = new Map<number, number>();
    for (const o of outcomes) if (o.closeCode !== null) closes.set(o.closeCode, (closes.get(o.closeCode) ?? 0) + 1);

    expect((await fetch(`${running.httpUrl}/healthz`)).status).toBe(200);
    await waitFor('the fuzzing connections to be gone', () => connectionCount() === bystanders.length, WAIT_MS);
    measured['fuzz'] = {
      cases: cases.length,
      connections: sessions.length,
      frames: outcomes.reduce((n, o) => n + o.frames, 0),
      bytes: formatMiB(outcomes.reduce((n, o) => n + o.bytes, 0)),
      replies: outcomes.reduce((n, o) => n + o.replies, 0),
      pongs: outcomes.reduce((n, o) => n + o.pongs, 0),
      fragmented: cases.filter((c: FuzzCase) => c.fragmented).length,
      closeCodes: Object.fromEntries(closes),
      errorCodes: Object.fromEntries(expectedByCode),
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    };
  });

  it('terminates a client that floods pings without reading, holding next to nothing for it', async () => {
    const opened = await RawWsConnection.open(running.wsUrl);
    if (opened.kind !== 'open') throw new Error(`upgrade refused with ${opened.status}`);
    await opened.waitFor('the greeting', () => opened.texts().length > 0);
    const id = (JSON.parse(opened.texts()[0] ?? '{}') as { connection_id?: string }).connection_id;
    opened.pauseReading();
    const ping = encodeFrame({ fin: true, rsv: 0, opcode: OPCODES.PING, payload: randomBytes(125) }, randomBytes(4));
    const batch = Buffer.concat(Array.from({ length: 512 }, () => ping));
    let sent = 0;
    let maxBuffered = 0;
    const limit = 256 * MiB;
    while (sent < limit && (await opened.sendRawPaced(batch))) {
      sent += batch.length;
      const stats = running.server.clients().find((c) => c.id === id);
      maxBuffered = Math.max(maxBuffered, stats?.bufferedAmount ?? 0);
    }
    await waitFor('the flooder to be dropped', () => running.server.clients().every((c) => c.id !== id), WAIT_MS);
    expect(sent).toBeLessThan(limit);
    expect(opened.closeFrame).toBeNull();
    // ws answers pings itself and terminates a peer with more than 60 pongs unsent (maxPendingAutoPongs).
    expect(maxBuffered).toBeLessThan(256 * 1024);
    opened.destroy();
    measured['pingFlood'] = { sentBeforeTermination: formatMiB(sent), maxServerBuffered: maxBuffered };
    expect((await fetch(`${running.httpUrl}/healthz`)).status).toBe(200);
  });

  it('refuses a connection flood past MAX_CONNECTIONS with 503 TOO_MANY_CONNECTIONS, and the count comes back when they close', async () => {
    const before = connectionCount();
    const refusedBefore = await scrapeMetric(running.httpUrl, 'scanner_ws_upgrades_refused_total', { reason: 'connection_cap' });
    const attempts = 80;
    const results = await Promise.all(Array.from({ length: attempts }, () => RawWsConnection.open(running.wsUrl)));
    const accepted = results.filter((r): r is RawWsConnection => r.kind === 'open');
    const refused = results.filter((r): r is RefusedUpgrade => r.kind === 'refused');
    expect(accepted).toHaveLength(MAX_CONNECTIONS - before);
    expect(refused).toHaveLength(attempts - (MAX_CONNECTIONS - before));
    for (const r of refused) {
      expect(r.status).toBe(503);
      expect(r.headers['retry-after']).toBe('5');
      expect(JSON.parse(r.body)).toMatchObject({ code: 'TOO_MANY_CONNECTIONS' });
    }
    expect(await scrapeMetric(running.httpUrl, 'scanner_ws_upgrades_refused_total', { reason: 'connection_cap' })).toBe(refusedBefore + refused.length);
    await Promise.all(accepted.map((c) => c.waitFor('the greeting', () => c.texts().length > 0)));
    expect(connectionCount()).toBe(MAX_CONNECTIONS);
    const extra = await RawWsConnection.open(running.wsUrl);
    expect(extra.kind === 'refused' && extra.status).toBe(503);

    // Broken handshakes are refused by ws itself and never count as connections.
    const noKey = await RawWsConnection.open(running.wsUrl, { key: null });
    const badVersion = await RawWsConnection.open(running.wsUrl, { version: '99' });
    const wrongPath = await RawWsConnection.open(running.wsUrl.replace('/ws/scanner', '/ws/other'));
    expect([noKey, badVersion, wrongPath].map((r) => (r.kind === 'refused' ? r.status : 101))).toEqual([503, 503, 404]);

    // Half leave with a close handshake, half just drop their TCP connection.
    accepted.forEach((c, i) => (i % 2 === 0 ? c.send({ fin: true, rsv: 0, opcode: OPCODES.CLOSE, payload: Buffer.from([0x03, 0xe8]) }) : c.destroy()));
    await waitFor('the flood to be gone', () => connectionCount() === before, WAIT_MS);
    expect(await scrapeMetric(running.httpUrl, 'scanner_ws_connections')).toBe(before);
    const again = await RawWsConnection.open(running.wsUrl);
    expect(again.kind).toBe('open');
    if (again.kind === 'open') again.destroy();
    const noKeyNow = await RawWsConnection.open(running.wsUrl, { key: null });
    expect(noKeyNow.kind === 'refused' && noKeyNow.status).toBe(400);
    await waitFor('the probe to be gone', () => connectionCount() === before, WAIT_MS);
    measured['connectionFlood'] = { attempts, accepted: accepted.length, refused503: refused.length };
  });

  it('answers subscribe/unsubscribe storms within the rate in full, and past it with RATE_LIMITED, then 4029', async () => {
    const lists: ScannerList[] = ['winners', 'losers', 'gappers_up'];
    // Within the burst: sub/unsub pairs on random lists, ending subscribed to a known set.
    const within = await Promise.all(Array.from({ length: 6 }, () => WsClient.connect(running.wsUrl)));
    const finals: ScannerList[][] = [];
    let pairs = 0;
    within.forEach((client, n) => {
      const final = n % 2 === 0 ? [...LIVE_LISTS] : ['winners' as const];
      finals.push(final);
      for (let i = 0; i < 90; i++) {
        const list = lists[(i * 7 + n) % lists.length] as ScannerList;
        client.send({ action: i % 3 === 0 ? 'subscribe' : 'subscribe_list', list });
        client.send({ action: i % 2 === 0 ? 'unsubscribe' : 'unsubscribe_list', list });
        pairs++;
      }
      for (const list of final) client.send({ action: 'subscribe_list', list });
    });
    for (const [n, client] of within.entries()) {
      const final = finals[n] ?? [];
      await waitFor('every unsubscribe answered', () => client.messages.filter((m) => m.type === 'unsubscribed_list').length === 90, WAIT_MS);
      for (const list of final) await client.next((m) => m.type === 'snapshot' && m['list'] === list, { from: 1 });
      expect(client.messages.filter((m) => m.type === 'error')).toEqual([]);
      const id = String(client.messages[0]?.['connection_id']);
      await waitFor(`the storm's final subscriptions of ${id}`, () => {
        const stats = running.server.clients().find((c) => c.id === id);
        return stats !== undefined && [...stats.lists].sort().join() === [...final].sort().join();
      }, WAIT_MS);
      survivors.push({ client, lists: final });
    }

    // Past the burst: one connection, then five at once.
    const stormOnce = async () => {
      const client = await WsClient.connect(running.wsUrl);
      for (let i = 0; i < 2 * RATE_BURST; i++) client.send({ action: i % 2 === 0 ? 'subscribe_list' : 'unsubscribe_list', list: lists[Math.floor(i / 2) % lists.length] });
      const closed = await waitFor('the 4029 close', () => client.closed, WAIT_MS);
      return { client, closed };
    };
    const stormed = [await stormOnce(), ...(await Promise.all(Array.from({ length: 5 }, stormOnce)))];
    for (const { client, closed } of stormed) {
      expect(closed.code).toBe(4029);
      const errors = client.messages.filter((m) => m.type === 'error').map((m) => String(m['code']));
      expect(errors.filter((c) => c === 'RATE_LIMITED')).toHaveLength(MAX_VIOLATIONS - 1);
      // A dropped subscribe leaves its unsubscribe nothing to undo: that, and only that, may be refused too.
      expect(errors.filter((c) => c !== 'RATE_LIMITED' && c !== 'NOT_SUBSCRIBED')).toEqual([]);
      expect(client.messages.filter((m) => m.type === 'unsubscribed_list').length).toBeGreaterThanOrEqual(RATE_BURST / 2 - 1);
    }
    expect(await scrapeMetric(running.httpUrl, 'scanner_ws_server_closes_total', { reason: 'rate_limited' })).toBe(stormed.length);
    await waitFor('the stormers to be gone', () => connectionCount() === bystanders.length + survivors.length, WAIT_MS);
    measured['storms'] = { withinRateClients: within.length, pairs, pastRateClients: stormed.length, rateLimitedEach: MAX_VIOLATIONS - 1, close: 4029 };
  });

  it('kept the bystanders whole: every delta in order, tables equal upstream; memory and connections back to normal', async () => {
    const ticks = await ticker.stop();
    for (const { client, lists } of [...bystanders.map((client, i) => ({ client, lists: i === 0 ? ['winners' as const] : i === 1 ? ['losers' as const] : [...LIVE_LISTS] })), ...survivors]) {
      for (const list of lists) {
        await waitFor(`${list} at upstream's sequence`, () => client.sequenceOf(list) === upstream.sequenceOf(list), WAIT_MS);
        const rebuilt = client.rebuild(list);
        expect(rebuilt.rows).toEqual(upstream.rowsOf(list));
        expect(rebuilt.sequence).toBe(upstream.sequenceOf(list));
      }
      expect(client.messages.filter((m) => m.type === 'error')).toEqual([]);
      expect(client.closed).toBeNull();
    }
    // The bystanders never needed a second snapshot: no gap, no resync, nothing withheld.
    for (const client of bystanders) {
      for (const list of LIVE_LISTS) {
        const messages = client.listMessages(list);
        if (messages.length === 0) continue;
        expect(messages.filter((m) => m.type === 'snapshot')).toHaveLength(1);
        const sequences = messages.map((m) => Number(m['sequence']));
        expect(sequences).toEqual(sequences.map((_, i) => (sequences[0] ?? 0) + i));
      }
    }

    for (const { client } of survivors) client.close();
    await waitFor('only the bystanders left', () => connectionCount() === bystanders.length, WAIT_MS);
    expect(await scrapeMetric(running.httpUrl, 'scanner_ws_connections')).toBe(bystanders.length);
    expect((await fetch(`${running.httpUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${running.httpUrl}/readyz`)).status).toBe(200);

    const after = await settledMemory();
    const growth = memoryGrowth(baseline, after);
    measured['memory'] = { heapGrowth: formatMiB(growth.heapUsed), rssGrowth: formatMiB(growth.rss), externalGrowth: formatMiB(growth.external) };
    measured['bystanders'] = { ticks, sequences: Object.fromEntries(LIVE_LISTS.map((l) => [l, upstream.sequenceOf(l)])) };
    // Generous: the suite's own records (every message the bystanders got) live in this heap too.
    expect(exceededBounds(growth, { heapUsed: 48 * MiB, rss: 256 * MiB, external: 32 * MiB })).toEqual([]);
  });
});
