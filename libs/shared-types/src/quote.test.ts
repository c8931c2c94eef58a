import { describe, expect, it } from 'vitest';
import { quote } from './quote.js';

describe('quote', () => {
  it('quotes short strings whole and cuts long ones', () => {
    expect(quote('AA PL')).toBe('"AA PL"');
    expect(quote('x'.repeat(1000))).toBe(`"${'x'.repeat(40)}..."`);
    expect(quote('a"\n')).toBe('"a\\"\\n"');
  });

  it('cuts at the length the caller asks for', () => {
    expect(quote('x'.repeat(64), 64)).toBe(`"${'x'.repeat(64)}"`);
    expect(quote('x'.repeat(65), 64)).toBe(`"${'x'.repeat(64)}..."`);
  });

  it('names the type of anything else, never its contents', () => {
    expect(quote(12)).toBe('number');
    expect(quote({ secret: 'x' })).toBe('object');
    expect(quote(undefined)).toBe('undefined');
  });
});
