/**
 * The ATR(14) test vector of the `technicalindicators` package (anandanand84/technicalindicators,
 * test/directionalmovement/ATR.js; the StockCharts ATR worksheet): 30 bars and the 16 values its ATR
 * produces, copied verbatim. The bars have no open or volume; the vector does not need them.
 */
export const ATR_VECTOR_PERIOD = 14;

const HIGH = [
  48.7, 48.72, 48.9, 48.87, 48.82, 49.05, 49.2, 49.35, 49.92, 50.19, 50.12, 49.66, 49.88, 50.19, 50.36, 50.57, 50.65, 50.43,
  49.63, 50.33, 50.29, 50.17, 49.32, 48.5, 48.32, 46.8, 47.8, 48.39, 48.66, 48.79,
];
const LOW = [
  47.79, 48.14, 48.39, 48.37, 48.24, 48.64, 48.94, 48.86, 49.5, 49.87, 49.2, 48.9, 49.43, 49.73, 49.26, 50.09, 50.3, 49.21,
  48.98, 49.61, 49.2, 49.43, 48.08, 47.64, 41.55, 44.28, 47.31, 47.2, 47.9, 47.73,
];
const CLOSE = [
  48.16, 48.61, 48.75, 48.63, 48.74, 49.03, 49.07, 49.32, 49.91, 50.13, 49.53, 49.5, 49.75, 50.03, 50.31, 50.52, 50.41, 49.34,
  49.37, 50.23, 49.24, 49.93, 48.43, 48.18, 46.57, 45.41, 47.77, 47.72, 48.62, 47.85,
];

export const ATR_VECTOR_BARS: ReadonlyArray<{ readonly high: number; readonly low: number; readonly close: number }> = HIGH.map(
  (high, i) => ({ high, low: LOW[i] as number, close: CLOSE[i] as number }),
);

/** ATR values for bars 14..29. */
export const ATR_VECTOR_EXPECTED: readonly number[] = [
  0.5678571428571431, 0.5615816326530612, 0.5464686588921284, 0.5945780403998334, 0.5985367517998457, 0.6243555552427139,
  0.6576158727253769, 0.6770718818164214, 0.7608524616866771, 0.7679344287090573, 1.196653398086982, 1.291178155366483,
  1.3696654299831628, 1.3568321849843652, 1.3270584574854818, 1.307982853379376,
];
