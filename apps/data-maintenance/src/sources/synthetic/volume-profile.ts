/**
 * The intraday shape of volume: the regular session is U-shaped (heavy at the open, a midday lull,
 * a second peak into the close), pre-market builds toward 09:30 and post-market fades after the
 * close. Weights are relative within their segment; `x` is the bar's position in it, in (0, 1).
 */

export function regularSessionWeight(x: number): number {
  return 0.55 + 2.6 * Math.exp(-x / 0.06) + 1.5 * Math.exp(-(1 - x) / 0.05);
}

export function preMarketWeight(x: number): number {
  return 0.15 + Math.exp((x - 1) / 0.2);
}

export function postMarketWeight(x: number): number {
  return 0.1 + Math.exp(-x / 0.08);
}

/** Weights of `count` bars of a segment, normalised to sum to 1. */
export function segmentShares(count: number, weight: (x: number) => number): number[] {
  const raw = Array.from({ length: count }, (_, i) => weight((i + 0.5) / count));
  const total = raw.reduce((sum, w) => sum + w, 0);
  return raw.map((w) => w / total);
}
