import { describe, expect, it } from 'vitest';
import { metricSum } from './metrics-scrape.js';

const TEXT = `# HELP scanner_ws_stream_entries_invalid_total Stream entries that failed to decode, by code
# TYPE scanner_ws_stream_entries_invalid_total counter
scanner_ws_stream_entries_invalid_total{code="INVALID_JSON"} 3
scanner_ws_stream_entries_invalid_total{code="UNKNOWN_LIST"} 2
scanner_ws_stream_entries_invalid_total_extra{code="INVALID_JSON"} 100
scanner_ws_list_loads_total{reason="gap",outcome="ok"} 4
scanner_ws_list_loads_total{reason="subscribe",outcome="failed"} 1
scanner_ws_new_day_messages_invalid_total 7
scanner_ws_odd{label="a \\"quoted\\" b"} 5
`;

describe('metricSum', () => {
  it('sums the samples of one metric, by label subset', () => {
    expect(metricSum(TEXT, 'scanner_ws_stream_entries_invalid_total')).toBe(5);
    expect(metricSum(TEXT, 'scanner_ws_stream_entries_invalid_total', { code: 'UNKNOWN_LIST' })).toBe(2);
    expect(metricSum(TEXT, 'scanner_ws_list_loads_total', { outcome: 'failed' })).toBe(1);
    expect(metricSum(TEXT, 'scanner_ws_list_loads_total', { reason: 'gap', outcome: 'ok' })).toBe(4);
  });

  it('reads unlabelled samples and escaped label values, and gives 0 for no match', () => {
    expect(metricSum(TEXT, 'scanner_ws_new_day_messages_invalid_total')).toBe(7);
    expect(metricSum(TEXT, 'scanner_ws_odd', { label: 'a "quoted" b' })).toBe(5);
    expect(metricSum(TEXT, 'scanner_ws_stream_entries_invalid_total', { code: 'INVALID_COUNT' })).toBe(0);
    expect(metricSum(TEXT, 'scanner_ws_missing')).toBe(0);
  });
});
