import { describe, expect, it } from 'vitest';
import { captureLogs } from './log-capture.js';

describe('captureLogs', () => {
  it('records every level, with bindings and structured fields, synchronously', () => {
    const capture = captureLogs({ service: 'probe' });
    capture.logger.trace('t');
    capture.logger.warn({ event: 'stream_entry_invalid', count: 3 }, 'skipped');
    const lines = capture.lines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 10, msg: 't', service: 'probe' });
    expect(lines[1]).toMatchObject({ level: 40, msg: 'skipped', event: 'stream_entry_invalid', count: 3 });
    expect(capture.text().split('\n')).toHaveLength(2);
  });

  it('records lines of child loggers', () => {
    const capture = captureLogs();
    capture.logger.child({ component: 'hub' }).error({ err: new Error('boom') }, 'failed');
    const [line] = capture.lines();
    expect(line).toMatchObject({ component: 'hub', msg: 'failed' });
    expect((line?.['err'] as { message?: unknown } | undefined)?.message).toBe('boom');
  });

  it('keeps captures independent', () => {
    const a = captureLogs();
    const b = captureLogs();
    a.logger.info('only a');
    expect(a.lines()).toHaveLength(1);
    expect(b.lines()).toHaveLength(0);
    expect(b.text()).toBe('');
  });
});
