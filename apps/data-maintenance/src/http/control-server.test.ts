import { type IncomingMessage, Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePrometheusText, valueOf } from '../../test/support/prometheus-text.js';
import { createMaintenanceMetrics } from '../metrics/maintenance-metrics.js';
import type { ControlPort, HealthReport, TriggerRequest, TriggerResult } from './control-port.js';
import { type ControlServer, startControlServer } from './control-server.js';
import { MAX_BODY_BYTES } from './read-json-body.js';

const TOKEN = 'control-token-0123456789abcdef';
const AUTH = { Authorization: `Bearer ${TOKEN}` };

/** A ControlPort whose answers each test sets, recording what it was asked. */
class FakeControl implements ControlPort {
  readonly triggers: TriggerRequest[] = [];
  healthAnswer: () => Promise<HealthReport> = async () => ({ ok: true, checks: { redis: { ok: true, detail: null } } });
  statusAnswer: () => Promise<unknown> = async () => ({ today: '2026-11-20', runs: [] });
  triggerAnswer: (request: TriggerRequest) => Promise<TriggerResult> = async (r) => ({ accepted: true, runOf: r.date ?? '2026-11-20', tasks: r.tasks });
  health() {
    return this.healthAnswer();
  }
  status() {
    return this.statusAnswer();
  }
  trigger(request: TriggerRequest) {
    this.triggers.push(request);
    return this.triggerAnswer(request);
  }
}

interface Started {
  readonly server: ControlServer;
  readonly control: FakeControl;
  readonly logs: Record<string, unknown>[];
  readonly rawLogs: string[];
}

async function start(token: string | null = TOKEN): Promise<Started> {
  const control = new FakeControl();
  const logs: Record<string, unknown>[] = [];
  const rawLogs: string[] = [];
  const logger = pino({ level: 'debug' }, {
    write: (line: string) => {
      rawLogs.push(line);
      logs.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  const metrics = createMaintenanceMetrics({ readLockHolders: async () => ({ data: 'host-1-abc', new_day: null }) });
  const server = await startControlServer({ host: '127.0.0.1', port: 0, token, control, metrics, logger });
  return { server, control, logs, rawLogs };
}

/** A request body that sends `first` and then never ends. */
function endlessBody(first: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(first);
    },
  });
}

const post = (url: string, body: RequestInit['body'], headers: Record<string, string> = AUTH) =>
  // duplex: a streamed body (endlessBody) needs it; Node's RequestInit type does not list it yet.
  fetch(`${url}/trigger`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body, duplex: 'half' } as RequestInit);

describe('the control server', () => {
  let s: Started;
  beforeEach(async () => {
    s = await start();
  });
  afterEach(async () => {
    await s.server.close();
  });

  it('listens on the port it was given (0: a free one) and says where', () => {
    expect(s.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.server.url.endsWith(':0')).toBe(false);
    expect(s.logs.find((l) => l['event'] === 'control_server_listening')).toMatchObject({ url: s.server.url, trigger_enabled: true });
  });

  describe('GET /health', () => {
    it('200 with the checks when healthy, 503 when a check fails', async () => {
      let res = await fetch(`${s.server.url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', checks: { redis: { ok: true, detail: null } } });

      const checks = { redis: { ok: true, detail: null }, database: { ok: false, detail: 'DATABASE_UNAVAILABLE: connection refused' } };
      s.control.healthAnswer = async () => ({ ok: false, checks });
      res = await fetch(`${s.server.url}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unhealthy', checks });
    });

    it('a health check that throws is a 503 with a code, not a crash', async () => {
      s.control.healthAnswer = async () => {
        throw Object.assign(new Error('pool ended'), { code: 'DATABASE_UNAVAILABLE' });
      };
      const res = await fetch(`${s.server.url}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: 'unhealthy',
        code: 'HEALTH_CHECK_FAILED',
        message: 'the health check could not run: DATABASE_UNAVAILABLE: pool ended',
        checks: {},
      });
      expect((await fetch(`${s.server.url}/health`)).status).toBe(503);
    });
  });

  describe('GET /status', () => {
    it('200 with what the service reports', async () => {
      const res = await fetch(`${s.server.url}/status`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual({ today: '2026-11-20', runs: [] });
    });

    it('503 STATUS_UNAVAILABLE when it cannot be read', async () => {
      s.control.statusAnswer = async () => {
        throw new Error('connect ECONNREFUSED');
      };
      const res = await fetch(`${s.server.url}/status`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ code: 'STATUS_UNAVAILABLE', message: 'the status could not be read: ERROR: connect ECONNREFUSED' });
    });
  });

  it('GET /metrics: the registry text with its content type', async () => {
    const res = await fetch(`${s.server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parsePrometheusText(await res.text());
    expect(valueOf(samples, 'maintenance_lock_holder', { lock: 'data', holder: 'host-1-abc' })).toBe(1);
    expect(valueOf(samples, 'maintenance_task_runs_total', { task: 'load_ohlc', status: 'completed' })).toBe(0);
  });

  it('404 NOT_FOUND for an unknown path, 405 with Allow for a known path and another method', async () => {
    for (const path of ['/', '/nope', '/health/', '/trigger/now', '/Health']) {
      const res = await fetch(`${s.server.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
    const cases: Array<[string, string, string]> = [
      ['POST', '/health', 'GET'],
      ['DELETE', '/status', 'GET'],
      ['GET', '/trigger', 'POST'],
      ['PUT', '/trigger', 'POST'],
      ['POST', '/metrics', 'GET'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await fetch(`${s.server.url}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
      expect(await res.json()).toEqual({ code: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed on ${path}; use ${allow}` });
    }
    expect((await fetch(`${s.server.url}/health?verbose=1`)).status).toBe(200);
  });

  describe('POST /trigger', () => {
    it('202 with the date and tasks the run was started for; an empty body is {}', async () => {
      let res = await post(s.server.url, null);
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accepted: true, date: '2026-11-20', tasks: null });

      res = await post(s.server.url, JSON.stringify({ date: '2026-11-19', tasks: ['sync_redis', 'calculate_atr'] }));
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accepted: true, date: '2026-11-19', tasks: ['calculate_atr', 'sync_redis'] });
      expect(s.control.triggers).toEqual([
        { date: null, tasks: null },
        { date: '2026-11-19', tasks: ['calculate_atr', 'sync_redis'] },
      ]);
      expect(s.logs.filter((l) => l['event'] === 'control_trigger_accepted')).toHaveLength(2);
    });

    it('401 without a token or with a wrong one, WWW-Authenticate: Bearer, the control never asked, no token logged', async () => {
      const wrong = 'wrong-token-0123456789abcdef';
      for (const headers of [{}, { Authorization: `Bearer ${wrong}` }, { Authorization: `Basic ${TOKEN}` }, { Authorization: `Bearer ${TOKEN}x` }]) {
        const res = await post(s.server.url, '{}', headers);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(await res.json()).toEqual({ code: 'UNAUTHORIZED', message: 'a valid bearer token is required' });
      }
      expect(s.control.triggers).toEqual([]);
      const refusals = s.logs.filter((l) => l['event'] === 'control_trigger_unauthorized');
      expect(refusals.map((l) => l['authorization_present'])).toEqual([false, true, true, true]);
      expect(s.rawLogs.join('\n')).not.toContain(wrong);
      expect(s.rawLogs.join('\n')).not.toContain(TOKEN);
    });

    it('checks the token before reading the body: a body that never ends still gets its 401', async () => {
      const res = await post(s.server.url, endlessBody(new TextEncoder().encode('{"date":')), {});
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(s.control.triggers).toEqual([]);
    });

    it('413 over 16 KiB, by Content-Length or as the bytes arrive; exactly 16 KiB is read', async () => {
      const exact = JSON.stringify({ date: '2026-11-20' }).padEnd(MAX_BODY_BYTES, ' ');
      expect(Buffer.byteLength(exact)).toBe(16 * 1024);
      expect((await post(s.server.url, exact)).status).toBe(202);

      let res = await post(s.server.url, `${exact} `);
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: `the body is at most ${MAX_BODY_BYTES} bytes` });

      // No Content-Length (chunked), and the client would go on sending: refused once past the limit.
      res = await post(s.server.url, endlessBody(new Uint8Array(MAX_BODY_BYTES + 1).fill(0x20)));
      expect(res.status).toBe(413);
      expect(s.control.triggers).toHaveLength(1);
    });

    it('400 with a code for bad bodies, the control never asked', async () => {
      const cases: Array<[string, string]> = [
        ['{"date":', 'INVALID_JSON'],
        ['not json', 'INVALID_JSON'],
        ['[]', 'INVALID_BODY'],
        ['"2026-11-20"', 'INVALID_BODY'],
        ['{"task":["load_ohlc"]}', 'INVALID_BODY'],
        ['{"tasks":"load_ohlc"}', 'INVALID_BODY'],
        ['{"date":"2026-02-30"}', 'INVALID_DATE'],
        ['{"date":"11/20/2026"}', 'INVALID_DATE'],
        ['{"tasks":[]}', 'UNKNOWN_TASK'],
        ['{"tasks":["load_ohlc","drop_everything"]}', 'UNKNOWN_TASK'],
        ['{"tasks":["load_ohlc","load_ohlc"]}', 'UNKNOWN_TASK'],
      ];
      for (const [body, code] of cases) {
        const res = await post(s.server.url, body);
        expect(res.status, body).toBe(400);
        const answer = (await res.json()) as { code: string; message: string };
        expect(answer.code, body).toBe(code);
        expect(typeof answer.message).toBe('string');
      }
      const invalidUtf8 = new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]);
      expect(await (await post(s.server.url, invalidUtf8)).json()).toMatchObject({ code: 'INVALID_JSON' });
      expect(s.control.triggers).toEqual([]);
    });

    it('409 with the holder while another run holds the lock', async () => {
      s.control.triggerAnswer = async () => ({
        accepted: false,
        code: 'LOCK_HELD',
        message: 'another maintenance runner holds the lock (host-2-99-x)',
        holder: 'host-2-99-x',
      });
      const res = await post(s.server.url, '{}');
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({ code: 'LOCK_HELD', message: 'another maintenance runner holds the lock (host-2-99-x)', holder: 'host-2-99-x' });
      expect(s.logs.find((l) => l['event'] === 'control_trigger_refused')).toMatchObject({ code: 'LOCK_HELD' });
    });

    it('422 for a closed day or a session not closed yet, 503 while shutting down', async () => {
      const cases: Array<[Extract<TriggerResult, { accepted: false }>, number]> = [
        [{ accepted: false, code: 'NOT_A_TRADING_DAY', message: '2026-11-26 is not a trading day (Thanksgiving)' }, 422],
        [{ accepted: false, code: 'SESSION_NOT_CLOSED', message: 'the 2026-11-20 session has not closed yet' }, 422],
        [{ accepted: false, code: 'SHUTTING_DOWN', message: 'the service is stopping' }, 503],
      ];
      for (const [result, status] of cases) {
        s.control.triggerAnswer = async () => result;
        const res = await post(s.server.url, '{}');
        expect(res.status).toBe(status);
        expect(await res.json()).toEqual({ code: result.code, message: result.message });
      }
    });

    it('500 TRIGGER_FAILED when the control throws, and the server goes on answering', async () => {
      s.control.triggerAnswer = async () => {
        throw Object.assign(new Error('Connection is closed.'), { code: 'REDIS_UNAVAILABLE' });
      };
      const res = await post(s.server.url, '{"date":"2026-11-20"}');
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ code: 'TRIGGER_FAILED', message: 'the run could not be started: REDIS_UNAVAILABLE: Connection is closed.' });
      expect(s.logs.find((l) => l['event'] === 'control_trigger_failed')).toMatchObject({ code: 'REDIS_UNAVAILABLE', date: '2026-11-20' });
      expect((await fetch(`${s.server.url}/health`)).status).toBe(200);
    });
  });

  it('with no token configured, /trigger is disabled (503), whatever the request says', async () => {
    const disabled = await start(null);
    try {
      for (const headers of [{}, AUTH]) {
        const res = await post(disabled.server.url, '{}', headers);
        expect(res.status).toBe(503);
        expect(await res.json()).toEqual({ code: 'TRIGGER_DISABLED', message: 'CONTROL_TOKEN is not configured: /trigger is disabled' });
      }
      expect(disabled.control.triggers).toEqual([]);
      expect((await fetch(`${disabled.server.url}/health`)).status).toBe(200);
    } finally {
      await disabled.server.close();
    }
  });

  it('refuses to start on a port already in use, with a code', async () => {
    const port = Number(new URL(s.server.url).port);
    const control = new FakeControl();
    const metrics = createMaintenanceMetrics({ readLockHolders: async () => ({ data: null, new_day: null }) });
    await expect(startControlServer({ host: '127.0.0.1', port, token: null, control, metrics, logger: pino({ level: 'silent' }) })).rejects.toMatchObject({
      name: 'ControlServerError',
      code: 'CONTROL_PORT_UNAVAILABLE',
      message: expect.stringContaining('EADDRINUSE'),
    });
  });
});

describe('closing the control server', () => {
  /** GET over a keep-alive agent; resolves with the response (body read) and the socket it came on. */
  const get = (agent: Agent, url: string) =>
    new Promise<{ res: IncomingMessage; body: string; socket: Socket }>((resolve, reject) => {
      const req = request(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ res, body, socket: req.socket as Socket }));
      });
      req.on('error', reject);
      req.end();
    });
  const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

  it('ends idle keep-alive connections and stops listening', async () => {
    const { server } = await start();
    const agent = new Agent({ keepAlive: true });
    try {
      const { res, socket } = await get(agent, `${server.url}/health`);
      expect(res.statusCode).toBe(200);
      expect(socket.destroyed).toBe(false);
      await server.close();
      await closed(socket);
      await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    } finally {
      agent.destroy();
    }
  });

  it('lets a request under way finish, then ends its connection', async () => {
    const s = await start();
    let answer: (value: unknown) => void = () => undefined;
    let asked: () => void = () => undefined;
    const wasAsked = new Promise<void>((resolve) => (asked = resolve));
    s.control.statusAnswer = () => {
      asked();
      return new Promise((resolve) => (answer = resolve));
    };
    const agent = new Agent({ keepAlive: true });
    try {
      const pending = get(agent, `${s.server.url}/status`);
      await wasAsked;
      const closing = s.server.close();
      answer({ finished: true });
      const { res, body, socket } = await pending;
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(body)).toEqual({ finished: true });
      await closing;
      await closed(socket);
    } finally {
      agent.destroy();
    }
  });
});
