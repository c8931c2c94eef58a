import { describe, expect, it } from 'vitest';
import { parseDemoConfig } from './demo-config.js';

describe('parseDemoConfig', () => {
  it('accepts the server answer', () => {
    expect(parseDemoConfig({ wsPath: '/ws/scanner', authRequired: false, extra: 1 })).toEqual({ wsPath: '/ws/scanner', authRequired: false });
  });

  it.each([[null], ['text'], [{ wsPath: 'ws', authRequired: false }], [{ wsPath: '/ws' }], [{ authRequired: true }]])('refuses %j', (value) => {
    expect(() => parseDemoConfig(value)).toThrow(/demo-config\.json/);
  });
});
