import { describe, expect, it } from 'vitest';
import { chartSpec } from './chart-spec.js';
import { chartFileNames, renderDocs, renderMarkdown } from './render-docs.js';
import { sampleResult } from './test-result.js';

describe('renderMarkdown', () => {
  const later = sampleResult({
    name: 'fanout',
    title: 'WebSocket fan-out: 5,000 clients',
    startedAt: '2026-11-20T23:00:00.000Z',
    charts: [],
    targets: [],
    notes: [],
  });
  const markdown = renderMarkdown([later, sampleResult()]);

  it('lists the results in the order they ran, linking GitHub heading anchors', () => {
    expect(markdown.indexOf('## Sample benchmark')).toBeLessThan(markdown.indexOf('## WebSocket fan-out'));
    expect(markdown).toContain('- [WebSocket fan-out: 5,000 clients](#websocket-fan-out-5000-clients)');
  });

  it('states the command, the machine and the repetitions of each result', () => {
    expect(markdown).toContain('- Command: `npm run bench:sample`');
    expect(markdown).toContain(
      '- Machine: 2 cores (Test CPU), 7.8 GiB memory, Linux 6.1 x64, Node v20.19.0, Redis 7.0.15, PostgreSQL 15.20',
    );
    expect(markdown).toContain('3 repetitions per measurement (median, min–max in brackets)');
  });

  it('renders tables, escaping pipes and formatting numbers', () => {
    expect(markdown).toContain('### Per task\n\n| task | wall s |\n|---|---|\n| load_ohlc | 1.20 (1.10–1.30) |\n| total | 12.50 |');
  });

  it('marks a missed target and gives its explanation', () => {
    expect(markdown).toContain('| cycle <= 30 s | 12.0 s | yes |  |');
    expect(markdown).toContain('| slot load <= 1.5x COPY | 1.8x | **no** | validation \\| parsing |');
  });

  it('links each chart to its SVG under benchmarks/ and lists the notes', () => {
    expect(markdown).toContain('![Wall time per method](benchmarks/sample-wall-time-per-method.svg)');
    expect(markdown).toContain('### Notes\n\n- History: 100 sessions.');
  });

  it('says a single-repetition run is a smoke run', () => {
    expect(renderMarkdown([sampleResult({ repetitions: 1 })])).toContain('1 repetition per measurement (a smoke run');
  });
});

describe('chartFileNames', () => {
  it('numbers charts whose titles would give the same file name', () => {
    const [chart] = sampleResult().charts;
    if (chart === undefined) throw new Error('the sample has a chart');
    const names = chartFileNames([sampleResult({ charts: [chart, { ...chart, title: 'Wall time, per method!' }] })]);
    expect(names).toEqual([['sample-wall-time-per-method.svg', 'sample-wall-time-per-method-2.svg']]);
  });
});

describe('chartSpec', () => {
  it('colours by group only when the bars have groups', () => {
    const [sample] = sampleResult().charts;
    if (sample === undefined) throw new Error('the sample has a chart');
    const plain = chartSpec(sample);
    expect(JSON.stringify(plain)).not.toContain('"color":{"field"');
    const grouped = chartSpec({
      title: 'p99',
      unit: 'ms',
      bars: [
        { label: '1,000', group: 'ours', median: 5, min: 4, max: 6 },
        { label: '1,000', group: 'socket.io', median: 9, min: 8, max: 10 },
      ],
    });
    expect(JSON.stringify(grouped)).toContain('"color":{"field":"group"');
    expect(JSON.stringify(grouped)).toContain('"yOffset":{"field":"group"');
  });
});

describe('renderDocs', () => {
  it('draws one SVG per chart with its title, bars and the min-max rule', async () => {
    const docs = await renderDocs([sampleResult()]);
    expect(docs.charts.map((chart) => chart.fileName)).toEqual(['sample-wall-time-per-method.svg']);
    const svg = docs.charts[0]?.svg ?? '';
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Wall time per method');
    expect(svg).toContain('original');
    expect(svg).toContain('seconds');
    expect(svg).toContain('mark-rule');
    expect(docs.markdown).toBe(renderMarkdown([sampleResult()]));
  });
});
