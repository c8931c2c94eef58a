import { isDeepStrictEqual } from 'node:util';
import type { ScannerList, ServerMessage } from '@scanner/shared-types';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRows } from '@scanner/websocket-server/testing/upstream';
import type { CheckedClient } from '../src/checked-ws-client.js';
import { type RunningServer, ServerWorld, TRADING_DAY, cutAll, logEvents, proxyOf, readyz, restoreAll } from '../src/server-world.js';
import { waitFor, within } from '../src/wait-until.js';

/**
 * Scenario 1a: the WebSocket server loses Redis (its three connections go through TCP proxies the test
 * controls; the upstream writer keeps writing straight to Redis). What must hold: clients stay
 * connected and are served from memory, /readyz tells the truth, and after the fault every client's
 * table equals upstream's list, reached without a sequence break (deltas in order, or a fresh snapshot).
 */

const RECOVERY_TIMEOUT_MS = 10_000;
/** Each tick raises a different row's price, so every delta is visible in the rows. */
const ROTATE = { rank: 'rotate' } as const;

/** Sets trading:current_day and starts the server with its three connections behind proxies; `env` overrides the defaults. */
async function startServer(w: ServerWorld, env: Record<string, string> = {}): Promise<RunningServer> {
  await w.upstream.announceNewDay(TRADING_DAY, { publish: false });
  return w.startServer({
    proxied: true,
    env: { LOG_LEVEL: 'silent', STREAM_BLOCK_MS: '200', NEW_DAY_CHECK_INTERVAL_MS: '250', REDIS_COMMAND_TIMEOUT_MS: '2000', ...env },
  });
}

/** Every client's table of every list equals upstream's rows at upstream's sequence (a TableBreak fails at once). */
function converged(w: ServerWorld, subscriptions: ReadonlyArray<readonly [CheckedClient, readonly ScannerList[]]>): Promise<true> {
  return waitFor(
    'every client table to equal upstream',
    () =>
      subscriptions.every(([client, lists]) =>
        lists.every((list) => {
          const table = client.rebuilt(list);
          return table.sequence === w.upstream.sequenceOf(list) && isDeepStrictEqual(table.rows, w.upstream.rowsOf(list));
        }),
      ),
    RECOVERY_TIMEOUT_MS,
  );
}

const sequences = (frames: ServerMessage[]) => frames.map((m) => `${m.type}:${'sequence' in m ? m.sequence : '?'}`);
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => `delta:${from + i}`);

describe('scenario 1a: Redis outage under the WebSocket server', () => {
  const worlds: ServerWorld[] = [];
  const world = () => {
    const w = new ServerWorld();
    worlds.push(w);
    return w;
  };
  afterEach(async () => {
    await Promise.all(worlds.splice(0).map((w) => w.cleanup()));
  });

  it('cut: serves cached snapshots, /readyz goes not-ready then ready, and the stream resumes where it stopped', async () => {
    const w = world();
    const now = w.clock.now().toISOString();
    await w.upstream.snapshot('winners', makeRows(20, now, { tag: 'W' }));
    await w.upstream.snapshot('losers', makeRows(15, now, { tag: 'L' }));
    await w.upstream.snapshot('gappers_up', makeRows(10, now, { tag: 'G' }));
    const running = await startServer(w);
    const a = await w.connect(running);
    await a.subscribe('winners');
    await a.subscribe('losers');
    const b = await w.connect(running);
    await b.subscribe('winners');
    for (let i = 0; i < 5; i++) {
      await w.upstream.priceTick('winners', ROTATE);
      await w.upstream.priceTick('losers', ROTATE);
    }
    await converged(w, [
      [a, ['winners', 'losers']],
      [b, ['winners']],
    ]);
    expect((await readyz(running)).status).toBe(200);

    const fromA = a.messages.length;
    const fromB = b.messages.length;
    const winnersAtCut = w.upstream.sequenceOf('winners');
    const losersAtCut = w.upstream.sequenceOf('losers');
    cutAll(running);
    // Each connection notices its reset on its own tick: wait until /readyz reports all of them down.
    const down = await waitFor('/readyz to report Redis and the stream reader down', async () => {
      const r = await readyz(running);
      return r.status === 503 && !r.body.redis && !r.body.subscriber && !r.body.stream ? r : undefined;
    });
    expect(down.body.ready).toBe(false);

    // A client arriving during the outage gets the held list: exactly what upstream had written.
    const c = await w.connect(running);
    const cached = await c.subscribe('winners');
    expect(cached).toMatchObject({ type: 'snapshot', list: 'winners', sequence: winnersAtCut });
    expect(cached.type === 'snapshot' && cached.rows).toEqual(w.upstream.rowsOf('winners'));
    // A list the server never held cannot be read now: a stable error code, the connection stays open.
    const d = await w.connect(running);
    expect(await d.subscribe('gappers_up')).toMatchObject({ type: 'error', code: 'SNAPSHOT_UNAVAILABLE', list: 'gappers_up' });
    expect(d.closed).toBeNull();

    // Upstream goes on writing while the server cannot read.
    for (let i = 0; i < 6; i++) {
      await w.upstream.priceTick('winners', ROTATE);
      await w.upstream.priceTick('losers', ROTATE);
    }
    await w.upstream.priceTick('gappers_up', ROTATE);
    expect((await readyz(running)).status).toBe(503);
    expect([a.closed, b.closed, c.closed]).toEqual([null, null, null]);

    const restoredAt = performance.now();
    restoreAll(running);
    await waitFor('/readyz to say ready again', async () => (await readyz(running)).status === 200, RECOVERY_TIMEOUT_MS);
    const recoveryMs = performance.now() - restoredAt;
    await converged(w, [
      [a, ['winners', 'losers']],
      [b, ['winners']],
      [c, ['winners']],
    ]);

    // Resumed from its position: the outage's entries arrive as deltas, each once, in order, no resync.
    expect(sequences(a.frames('winners', fromA))).toEqual(range(winnersAtCut + 1, 6));
    expect(sequences(a.frames('losers', fromA))).toEqual(range(losersAtCut + 1, 6));
    expect(sequences(b.frames('winners', fromB))).toEqual(range(winnersAtCut + 1, 6));
    // The list that could not be read is readable again, at upstream's state.
    const later = await d.subscribe('gappers_up');
    expect(later).toMatchObject({ type: 'snapshot', sequence: w.upstream.sequenceOf('gappers_up') });
    expect(later.type === 'snapshot' && later.rows).toEqual(w.upstream.rowsOf('gappers_up'));
    for (const client of [a, b, c, d]) expect(client.refused).toEqual([]);
    expect(proxyOf(running, 'stream').counters.accepted).toBeGreaterThanOrEqual(2);
    // eslint-disable-next-line no-console -- the numbers go into docs/reliability.md
    console.info(`[redis-outage] cut: ready again ${recoveryMs.toFixed(0)} ms after restore; ${proxyOf(running, 'commands').counters.refused} reconnects refused`);
  });

  it("cut that black-holes reconnects ('hold'): a subscriber still gets an answer, and everything resumes after", async () => {
    const w = world();
    const now = w.clock.now().toISOString();
    await w.upstream.snapshot('winners', makeRows(20, now, { tag: 'W' }));
    await w.upstream.snapshot('gappers_up', makeRows(10, now, { tag: 'G' }));
    const running = await startServer(w);
    const a = await w.connect(running);
    await a.subscribe('winners');
    await w.upstream.priceTick('winners', ROTATE);
    await converged(w, [[a, ['winners']]]);

    const fromA = a.messages.length;
    const atCut = w.upstream.sequenceOf('winners');
    // The links drop and every reconnect is accepted but never answered: no error ever reaches ioredis.
    for (const role of ['commands', 'subscriber', 'stream'] as const) proxyOf(running, role).cut('hold');
    await waitFor('/readyz to say not ready', async () => (await readyz(running)).status === 503);
    const d = await w.connect(running);
    // Found by this scenario: the MGET waited in the offline queue forever and the subscriber got nothing.
    expect(await d.subscribe('gappers_up', { timeoutMs: RECOVERY_TIMEOUT_MS })).toMatchObject({ type: 'error', code: 'SNAPSHOT_UNAVAILABLE', list: 'gappers_up' });
    for (let i = 0; i < 4; i++) await w.upstream.priceTick('winners', ROTATE);

    restoreAll(running);
    await waitFor('/readyz to say ready again', async () => (await readyz(running)).status === 200, RECOVERY_TIMEOUT_MS);
    await converged(w, [[a, ['winners']]]);
    expect(sequences(a.frames('winners', fromA))).toEqual(range(atCut + 1, 4));
    const later = await d.subscribe('gappers_up');
    expect(later.type === 'snapshot' && later.rows).toEqual(w.upstream.rowsOf('gappers_up'));
    for (const client of [a, d]) expect(client.refused).toEqual([]);
  });

  it('cut while upstream trims the stream: the lost entries are noticed and clients get one fresh snapshot', async () => {
    const w = world();
    await w.upstream.snapshot('winners', makeRows(20, w.clock.now().toISOString(), { tag: 'W' }));
    const running = await startServer(w);
    const a = await w.connect(running);
    await a.subscribe('winners');
    for (let i = 0; i < 3; i++) await w.upstream.priceTick('winners', ROTATE);
    await converged(w, [[a, ['winners']]]);

    const fromA = a.messages.length;
    cutAll(running);
    await waitFor('/readyz to say not ready', async () => (await readyz(running)).status === 503);
    for (let i = 0; i < 8; i++) await w.upstream.priceTick('winners', ROTATE);
    // MAXLEN trimming while the server is away: 6 of the 8 entries it has not read are gone.
    expect(await w.upstream.trimStream(2)).toBeGreaterThanOrEqual(6);
    restoreAll(running);
    await waitFor('/readyz to say ready again', async () => (await readyz(running)).status === 200, RECOVERY_TIMEOUT_MS);
    await converged(w, [[a, ['winners']]]);

    const after = a.frames('winners', fromA);
    expect(after.filter((m) => m.type === 'snapshot')).toHaveLength(1);
    expect(logEvents(running.logs, 'stream_entries_lost').map((l) => l['lost'])).toEqual([6]);
    expect(a.refused).toEqual([]);
  });

  it('latency on every connection: concurrent misses share one read, deltas keep flowing, /readyz stays ready', async () => {
    const w = world();
    const now = w.clock.now().toISOString();
    await w.upstream.snapshot('winners', makeRows(20, now, { tag: 'W' }));
    await w.upstream.snapshot('gappers_up', makeRows(12, now, { tag: 'G' }));
    const running = await startServer(w);
    for (const role of ['commands', 'subscriber', 'stream'] as const) proxyOf(running, role).delay(150);

    // Five clients miss the same list at once, while each Redis round trip takes at least 300 ms.
    const clients = await Promise.all(Array.from({ length: 5 }, () => w.connect(running)));
    const answers = await Promise.all(clients.map((client) => client.subscribe('gappers_up')));
    for (const answer of answers) {
      expect(answer).toMatchObject({ type: 'snapshot', sequence: w.upstream.sequenceOf('gappers_up') });
      expect(answer.type === 'snapshot' && answer.rows).toEqual(w.upstream.rowsOf('gappers_up'));
    }
    // One read of Redis, and all five were answered from it (none from memory after it: they were concurrent).
    const loads = (await running.server.metrics.listLoads.get()).values.filter((v) => v.labels.reason === 'subscribe');
    expect(loads.map((v) => [v.labels.outcome, v.value])).toEqual([['ok', 1]]);
    const sources = (await running.server.metrics.snapshotSource.get()).values.filter((v) => v.value > 0).map((v) => [v.labels.source, v.value]);
    expect(sources).toEqual([['redis', 5]]);

    const a = clients[0] as CheckedClient;
    await a.subscribe('winners');
    const readiness: number[] = [];
    for (let i = 0; i < 10; i++) {
      await w.upstream.priceTick('winners', ROTATE);
      await w.upstream.priceTick('gappers_up', ROTATE);
      if (i % 3 === 0) readiness.push((await readyz(running)).status);
    }
    await converged(w, [[a, ['winners', 'gappers_up']], ...clients.slice(1).map((c) => [c, ['gappers_up']] as const)]);
    expect(readiness.every((status) => status === 200)).toBe(true);
    expect(a.frames('winners').filter((m) => m.type === 'snapshot')).toHaveLength(1);
    expect(proxyOf(running, 'stream').counters.bytesToClient).toBeGreaterThan(0);
    for (const client of clients) expect(client.refused).toEqual([]);
  });

  it('a reply cut in the middle (stream read, then snapshot read): no duplicate, no gap, no corrupt table', async () => {
    const w = world();
    const now = w.clock.now().toISOString();
    await w.upstream.snapshot('winners', makeRows(20, now, { tag: 'W' }));
    await w.upstream.snapshot('gappers_up', makeRows(40, now, { tag: 'G' }));
    // Long block and check intervals: the only big replies on the connections are the ones under test.
    const running = await startServer(w, { STREAM_BLOCK_MS: '5000', NEW_DAY_CHECK_INTERVAL_MS: '60000' });
    const a = await w.connect(running);
    await a.subscribe('winners');
    await w.upstream.priceTick('winners', ROTATE);
    await converged(w, [[a, ['winners']]]);

    // The XREAD reply carrying the next delta is cut halfway; the reader must neither lose nor repeat it.
    const fromA = a.messages.length;
    const atDrop = w.upstream.sequenceOf('winners');
    const streamDrop = proxyOf(running, 'stream').dropMidReply({ minBytes: 100 });
    await w.upstream.priceTick('winners', ROTATE);
    const streamReport = await within('the stream reply to be cut', streamDrop);
    expect(streamReport.deliveredBytes).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) await w.upstream.priceTick('winners', ROTATE);
    await converged(w, [[a, ['winners']]]);
    expect(sequences(a.frames('winners', fromA))).toEqual(range(atDrop + 1, 4));

    // The MGET reply of a list nobody holds is cut halfway: the subscriber gets the true rows or a clear
    // error it can retry, never a half-read list.
    const b = await w.connect(running);
    const snapshotDrop = proxyOf(running, 'commands').dropMidReply({ minBytes: 500 });
    const first = await b.subscribe('gappers_up', { timeoutMs: RECOVERY_TIMEOUT_MS });
    const report = await within('the snapshot reply to be cut', snapshotDrop);
    expect(report.deliveredBytes).toBeGreaterThan(0);
    const answer = first.type === 'error' ? await b.subscribe('gappers_up', { timeoutMs: RECOVERY_TIMEOUT_MS }) : first;
    if (first.type === 'error') expect(first).toMatchObject({ code: 'SNAPSHOT_UNAVAILABLE' });
    expect(answer).toMatchObject({ type: 'snapshot', sequence: w.upstream.sequenceOf('gappers_up') });
    expect(answer.type === 'snapshot' && answer.rows).toEqual(w.upstream.rowsOf('gappers_up'));
    await w.upstream.priceTick('gappers_up', ROTATE);
    await converged(w, [
      [a, ['winners']],
      [b, ['gappers_up']],
    ]);
    expect(await readyz(running)).toMatchObject({ status: 200 });
    for (const client of [a, b]) expect(client.refused).toEqual([]);
    // eslint-disable-next-line no-console -- the numbers go into docs/reliability.md
    console.info(
      `[redis-outage] drop: stream reply cut after ${streamReport.deliveredBytes}/${streamReport.chunkBytes} bytes, ` +
        `snapshot reply after ${report.deliveredBytes}/${report.chunkBytes} bytes, first answer ${first.type}`,
    );
  });
});
