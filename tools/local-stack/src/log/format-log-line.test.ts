import { describe, expect, it } from 'vitest';
import { formatLogLine } from './format-log-line.js';

describe('formatLogLine', () => {
  it('turns a pino line into service, New York time, level, event and fields', () => {
    // 04:45:34Z on 2026-11-21 is 23:45:34 on the 20th in New York (EST).
    const line = JSON.stringify({ level: 30, time: Date.parse('2026-11-21T04:45:34Z'), pid: 7, hostname: 'h', service: 'websocket-server', event: 'server_started', port: 9000, ws_path: '/ws/scanner' });
    expect(formatLogLine('ws', line)).toBe('[ws] 23:45:34 INFO  server_started port=9000 ws_path=/ws/scanner');
  });

  it('reads ISO times (the maintenance service) and shows the message when it says more than the event', () => {
    const line = JSON.stringify({ level: 40, time: '2026-07-01T13:00:05.000Z', event: 'job_lock_held', msg: 'lock held elsewhere', holder: 'vm-1' });
    expect(formatLogLine('maintenance', line)).toBe('[maintenance] 09:00:05 WARN  job_lock_held "lock held elsewhere" holder=vm-1');
  });

  it('quotes strings with spaces, keeps objects as compact JSON and shortens long values', () => {
    const line = JSON.stringify({ level: 30, event: 'x', detail: 'HTTP 200: unchanged', counts: { a: 1 }, list: ['a', 'b'], long: 'y'.repeat(500) });
    const text = formatLogLine('feed', line);
    expect(text).toContain('detail="HTTP 200: unchanged"');
    expect(text).toContain('counts={"a":1}');
    expect(text).toContain('list=["a","b"]');
    expect(text).toMatch(/long=y{190,}…/);
    expect(text.length).toBeLessThan(400);
  });

  it('shows an error by its type and message, without the stack', () => {
    const line = JSON.stringify({ level: 50, event: 'server_start_failed', err: { type: 'Error', message: 'listen EADDRINUSE', stack: 'Error: listen\n    at x' } });
    expect(formatLogLine('ws', line)).toBe('[ws] ERROR server_start_failed err="Error: listen EADDRINUSE"');
  });

  it('passes other lines through, prefixed', () => {
    expect(formatLogLine('postgres', '2026-11-21 04:50:00.123 UTC [9] LOG:  database system is ready to accept connections  ')).toBe(
      '[postgres] 2026-11-21 04:50:00.123 UTC [9] LOG:  database system is ready to accept connections',
    );
    expect(formatLogLine('ws', '{not json')).toBe('[ws] {not json');
    expect(formatLogLine('ws', '{"no":"level"}')).toBe('[ws] {"no":"level"}');
  });
});
