import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { BenchChart } from './results.js';
import { chartSpec } from './chart-spec.js';

/** The chart as a standalone SVG document, drawn by Vega without a browser or a canvas. */
export async function renderChartSvg(chart: BenchChart): Promise<string> {
  const view = new vega.View(vega.parse(compile(chartSpec(chart)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
