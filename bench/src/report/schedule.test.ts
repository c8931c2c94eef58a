import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './bench-args.js';
import { interleaved } from './schedule.js';

describe('interleaved', () => {
  it('runs every variant once per repetition, in variant order: A, B, C, A, B, C', () => {
    const runs = interleaved(['A', 'B', 'C'], 2).map((run) => `${run.repetition}${run.variant}`);
    expect(runs).toEqual(['0A', '0B', '0C', '1A', '1B', '1C']);
  });

  it('refuses no variants and a repetition count below 1 or fractional', () => {
    expect(() => interleaved([], 3)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => interleaved(['A'], 0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => interleaved(['A'], 1.5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('parseBenchArgs', () => {
  it('is a real run by default and a smoke run with --quick', () => {
    expect(parseBenchArgs([])).toEqual({ quick: false });
    expect(parseBenchArgs(['--quick'])).toEqual({ quick: true });
  });

  it('refuses anything else with UNKNOWN_OPTION', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(expect.objectContaining({ code: 'UNKNOWN_OPTION' }));
  });
});
