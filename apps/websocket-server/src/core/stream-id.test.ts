import { describe, expect, it } from 'vitest';
import { compareStreamIds, entriesLost } from './stream-id.js';

describe('compareStreamIds', () => {
  it('orders by time part, then sequence part, numerically', () => {
    expect(compareStreamIds('9-0', '10-0')).toBe(-1);
    expect(compareStreamIds('10-2', '10-10')).toBe(-1);
    expect(compareStreamIds('1700000000000-5', '1700000000000-5')).toBe(0);
    expect(compareStreamIds('1700000000001-0', '1700000000000-99')).toBe(1);
    expect(compareStreamIds('0-0', '0-1')).toBe(-1);
  });

  it('keeps precision past 2^53', () => {
    expect(compareStreamIds('18446744073709551615-0', '18446744073709551614-0')).toBe(1);
  });

  it('refuses text that is not a stream id', () => {
    expect(() => compareStreamIds('$', '0-0')).toThrow(/not a stream id: \$/);
    expect(() => compareStreamIds('1-0', '1')).toThrow(/not a stream id: 1/);
  });
});

describe('entriesLost', () => {
  it('is zero when every entry added since the baseline was read', () => {
    expect(entriesLost({ added: 110, lastGeneratedId: '50-0' }, { position: '50-0', baseAdded: 100, read: 10 })).toBe(0);
  });

  it('counts entries added but never read (trimmed before the reader got to them)', () => {
    expect(entriesLost({ added: 113, lastGeneratedId: '50-0' }, { position: '50-0', baseAdded: 100, read: 10 })).toBe(3);
  });

  it('cannot tell while entries past the position wait to be read', () => {
    expect(entriesLost({ added: 113, lastGeneratedId: '51-0' }, { position: '50-0', baseAdded: 100, read: 10 })).toBeNull();
  });

  it('treats a stream deleted and recreated as lost', () => {
    expect(entriesLost({ added: 2, lastGeneratedId: '50-0' }, { position: '50-0', baseAdded: 100, read: 10 })).toBe(2);
  });
});
