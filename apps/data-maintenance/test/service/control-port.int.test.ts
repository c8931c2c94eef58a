import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ControlServer, startControlServer } from '../../src/http/control-server.js';
import { runsBetween } from '../../src/db/run-ledger.js';
import type { ServiceStatus } from '../../src/service/service-status.js';
import { type Harness, createHarness } from '../support/maintenance-harness.js';
import { type TestService, createTestService, gatedSource, testConfig } from './service-fixture.js';

const DATE = '2026-11-20';
const TOKEN = 'test-control-token-0123456789';

describe('the control port on the running service', () => {
  let h: Harness;
  let gate: ReturnType<typeof gatedSource>;
  let t: TestService;
  let server: ControlServer;

  const trigger = (body: unknown, token: string | null = TOKEN) =>
    fetch(`${server.url}/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    });
  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`);
    return { status: res.status, text: await res.text() };
  };
  const status = async () => JSON.parse((await get('/status')).text) as ServiceStatus;

  beforeEach(async () => {
    h = await createHarness({ universeSize: 4, evening: DATE });
    gate = gatedSource(h.source);
    const config = testConfig();
    t = createTestService({ ...h.deps, source: gate }, config);
    server = await startControlServer({ ...config.service.control, control: t.service.control, metrics: t.metrics, logger: h.deps.logger });
  });
  afterEach(async () => {
    gate.open();
    await t.service.shutdown();
    await server.close();
    await h.close();
  });

  it('refuses /trigger without the token, answers 409 during a run, shows the run in /status and its durations in /metrics', async () => {
    for (const token of [null, 'not-the-token-at-all-0000']) {
      const refused = await trigger({ date: DATE }, token);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    }
    expect(await runsBetween(h.db.pool, DATE, DATE)).toEqual([]);

    const accepted = await trigger({ date: DATE });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual({ accepted: true, date: DATE, tasks: null });
    await vi.waitFor(() => expect(gate.waiting()).toBe(true), { timeout: 10_000 });

    const busy = await trigger({});
    expect(busy.status).toBe(409);
    const holder = await h.redis.get(h.keys.maintenanceLock);
    expect(await busy.json()).toMatchObject({ code: 'LOCK_HELD', holder });

    const during = await status();
    expect(during.running).toEqual([{ job: 'daily_maintenance', date: DATE, trigger: 'http', started_at: expect.any(String) }]);
    expect(during.today).toMatchObject({ date: DATE, status: 'running', latest_run: { trigger: 'http', status: 'running' } });
    expect(during.today.tasks).toMatchObject({ load_ohlc: { status: 'completed' }, load_volume_slots: { status: 'running' } });
    expect(during.locks).toEqual({ data: holder, new_day: null });
    expect((await get('/metrics')).text).toContain(`maintenance_lock_holder{lock="data",holder="${holder}"} 1`);

    gate.open();
    await vi.waitFor(async () => expect((await status()).today.status).toBe('completed'), { timeout: 20_000, interval: 100 });
    const after = await status();
    expect(after.running).toEqual([]);
    expect(Object.values(after.today.tasks).map((task) => task.status)).toEqual(Array(7).fill('completed'));
    const metrics = (await get('/metrics')).text;
    for (const task of ['load_ohlc', 'load_volume_slots', 'sync_redis']) expect(metrics).toContain(`maintenance_task_duration_seconds_count{task="${task}"} 1`);
    expect(metrics).toContain(`maintenance_job_last_success_timestamp_seconds{job="daily_maintenance"} ${h.clock.now().getTime() / 1000}`);
    expect(metrics).toContain('maintenance_job_runs_total{job="daily_maintenance",status="completed"} 1');
    expect(metrics).not.toContain('maintenance_lock_holder{');
  }, 30_000);

  it('refuses a closed day and a session not closed yet, answers /health, and refuses triggers once stopping', async () => {
    const closed = await trigger({ date: '2026-11-26' });
    expect(closed.status).toBe(422);
    expect(await closed.json()).toMatchObject({ code: 'NOT_A_TRADING_DAY' });
    const open = await trigger({ date: '2026-11-23' });
    expect(open.status).toBe(422);
    expect(await open.json()).toMatchObject({ code: 'SESSION_NOT_CLOSED' });

    const health = await get('/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({ status: 'ok', checks: { postgres: { ok: true }, redis: { ok: true }, service: { ok: true } } });

    await t.service.shutdown();
    const stopping = await trigger({ date: DATE });
    expect(stopping.status).toBe(503);
    expect(await stopping.json()).toMatchObject({ code: 'SHUTTING_DOWN' });
    expect((await get('/health')).status).toBe(503);
    expect(await runsBetween(h.db.pool, DATE, DATE)).toEqual([]);
  }, 30_000);
});
