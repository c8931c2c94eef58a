import { describe, expect, it } from 'vitest';
import { countersBy, metricSamples } from './prometheus-text.js';

const PAGE = `# HELP scanner_ws_list_loads_total Loads of a list from Redis.
# TYPE scanner_ws_list_loads_total counter
scanner_ws_list_loads_total{reason="subscribe",outcome="ok"} 11
scanner_ws_list_loads_total{reason="no_state",outcome="ok"} 2
scanner_ws_list_loads_total_extra 5
scanner_ws_connections 5000
`;

describe('metricSamples', () => {
  it('reads the labelled samples of one metric and nothing of a longer name', () => {
    expect(metricSamples(PAGE, 'scanner_ws_list_loads_total')).toEqual([
      { labels: { reason: 'subscribe', outcome: 'ok' }, value: 11 },
      { labels: { reason: 'no_state', outcome: 'ok' }, value: 2 },
    ]);
    expect(metricSamples(PAGE, 'scanner_ws_connections')).toEqual([{ labels: {}, value: 5000 }]);
  });
});

describe('countersBy', () => {
  it('keys the samples by the chosen labels', () => {
    expect(countersBy(PAGE, 'scanner_ws_list_loads_total', ['reason', 'outcome'])).toEqual({ 'subscribe/ok': 11, 'no_state/ok': 2 });
    expect(countersBy(PAGE, 'scanner_ws_list_loads_total', ['outcome'])).toEqual({ ok: 13 });
  });
});
