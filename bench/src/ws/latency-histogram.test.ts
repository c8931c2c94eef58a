import { describe, expect, it } from 'vitest';
import { percentile } from '../report/stats.js';
import { LatencyRecorder, histogramPercentile, mergeHistograms, summarizeLatency } from './latency-histogram.js';

/** A seeded generator, so a failure reproduces. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function recorded(values: readonly number[]) {
  const recorder = new LatencyRecorder();
  for (const value of values) recorder.record(value);
  return recorder.histogram();
}

describe('LatencyRecorder', () => {
  it('counts samples per whole millisecond, in ascending order', () => {
    const histogram = recorded([5, 3, 5, 3.4, 120]);
    expect(histogram).toEqual({ buckets: [[3, 2], [5, 2], [120, 1]], count: 5, negative: 0 });
  });

  it('counts a negative sample as 0 ms and tallies it apart', () => {
    expect(recorded([-2, 4])).toEqual({ buckets: [[0, 1], [4, 1]], count: 2, negative: 1 });
  });

  it('starts over after reset', () => {
    const recorder = new LatencyRecorder();
    recorder.record(9);
    recorder.reset();
    recorder.record(1);
    expect(recorder.histogram()).toEqual({ buckets: [[1, 1]], count: 1, negative: 0 });
  });
});

describe('histogramPercentile', () => {
  it('agrees with the report nearest-rank percentile on the raw samples', () => {
    const random = lcg(7);
    for (let round = 0; round < 20; round += 1) {
      const values = Array.from({ length: 1 + Math.floor(random() * 500) }, () => Math.floor(random() * random() * 400));
      const histogram = recorded(values);
      for (const p of [0, 1, 50, 90, 99, 99.9, 100]) {
        expect(histogramPercentile(histogram, p)).toBe(percentile(values, p));
      }
    }
  });

  it('refuses an empty histogram and p outside 0..100 with INVALID_ARGUMENT', () => {
    expect(() => histogramPercentile(recorded([]), 50)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => histogramPercentile(recorded([1]), 101)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('mergeHistograms', () => {
  it('is the histogram of all the samples of its parts', () => {
    const a = [1, 2, 2, 90];
    const b = [2, 3, 400, -1];
    expect(mergeHistograms([recorded(a), recorded(b)])).toEqual(recorded([...a, ...b]));
  });

  it('summarises p50, p99 and max of the merged samples', () => {
    const low = Array.from({ length: 99 }, () => 10);
    expect(summarizeLatency(mergeHistograms([recorded(low), recorded([250])]))).toEqual({ count: 100, p50: 10, p99: 10, max: 250 });
  });
});
