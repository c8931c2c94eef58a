import { describe, expect, it } from 'vitest';
import { cumulativeVolumeShare, meanRegularIntensity, volumeIntensity } from './volume-profile.js';

const at = (h: number, m = 0) => h * 60 + m;

describe.each([
  ['a full day', 390, at(20)],
  ['an early-close day', 210, at(17)],
])('volume profile on %s', (_name, regularMinutes, postClose) => {
  it('accumulates nothing before 04:00 and the whole day by the end of the post-market', () => {
    expect(cumulativeVolumeShare(at(3, 59), regularMinutes)).toBe(0);
    expect(cumulativeVolumeShare(at(4), regularMinutes)).toBe(0);
    expect(cumulativeVolumeShare(postClose, regularMinutes)).toBeCloseTo(1, 12);
    expect(cumulativeVolumeShare(at(23), regularMinutes)).toBeCloseTo(1, 12);
    expect(volumeIntensity(at(2), regularMinutes)).toBe(0);
    expect(volumeIntensity(postClose + 1, regularMinutes)).toBe(0);
  });

  it('has an intensity that is the derivative of the cumulative share', () => {
    let integral = 0;
    for (let minute = at(4); minute < postClose; minute += 0.25) {
      integral += volumeIntensity(minute + 0.125, regularMinutes) * 0.25;
      expect(integral).toBeCloseTo(cumulativeVolumeShare(minute + 0.25, regularMinutes), 4);
    }
  });

  it('is U-shaped in the regular session and thin outside it', () => {
    const open = volumeIntensity(at(9, 30), regularMinutes);
    const midday = volumeIntensity(at(9, 30) + regularMinutes / 2, regularMinutes);
    const close = volumeIntensity(at(9, 30) + regularMinutes - 0.01, regularMinutes);
    expect(open / midday).toBeCloseTo(4, 5);
    expect(close / midday).toBeCloseTo(4, 1);
    expect(volumeIntensity(at(5), regularMinutes)).toBeLessThan(midday / 10);
    expect(volumeIntensity(postClose - 1, regularMinutes)).toBeLessThan(midday);
    expect(meanRegularIntensity(regularMinutes)).toBeCloseTo(
      (cumulativeVolumeShare(at(9, 30) + regularMinutes, regularMinutes) - cumulativeVolumeShare(at(9, 30), regularMinutes)) / regularMinutes,
      12,
    );
  });
});
