import type { TopLevelSpec } from 'vega-lite';
import type { BenchChart } from './results.js';

const WIDTH = 560;
const BAR_STEP = 22;

/**
 * A horizontal bar per variant at its median, a black rule from min to max across the repetitions, and
 * the median printed at the bar's end. With groups, the bars of one label sit side by side, one colour
 * per group (e.g. the same client count for three servers).
 */
export function chartSpec(chart: BenchChart): TopLevelSpec {
  const grouped = chart.bars.some((bar) => bar.group !== undefined);
  const values = chart.bars.map((bar, order) => ({
    label: bar.label,
    group: bar.group ?? '',
    median: bar.median,
    min: bar.min,
    max: bar.max,
    order,
  }));
  const y = { field: 'label', type: 'nominal', title: null, sort: { field: 'order', op: 'min' } } as const;
  const yOffset = grouped ? { yOffset: { field: 'group', type: 'nominal', sort: null } } as const : {};
  const x = { field: 'median', type: 'quantitative', title: chart.unit, scale: { zero: true } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chart.title,
    width: WIDTH,
    height: grouped ? { step: BAR_STEP / 2 } : { step: BAR_STEP },
    data: { values },
    encoding: { y, ...yOffset },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x,
          ...(grouped ? { color: { field: 'group', type: 'nominal', title: null, sort: null } } : {}),
        },
      },
      {
        mark: { type: 'rule', color: 'black' },
        encoding: { x: { field: 'min', type: 'quantitative' }, x2: { field: 'max' } },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 },
        encoding: { x: { field: 'max', type: 'quantitative' }, text: { field: 'median', type: 'quantitative', format: ',.3~r' } },
      },
    ],
    config: { font: 'sans-serif', view: { stroke: null }, axis: { labelLimit: 320 } },
  };
}
