/**
 * Reading counters from the server's Prometheus text (GET /metrics), the way an operator's scrape would:
 * a scenario asserts the counter moved, not that some in-process object did.
 */
export type MetricLabels = Readonly<Record<string, string>>;

const SAMPLE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** The sum of the samples of `name` whose labels include every given pair (0 when none match). */
export function metricSum(text: string, name: string, labels: MetricLabels = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const match = SAMPLE.exec(line.trim());
    if (match === null || match[1] !== name) continue;
    const sampleLabels = new Map([...(match[2] ?? '').matchAll(LABEL)].map((m) => [m[1], m[2]?.replace(/\\(.)/g, '$1')]));
    if (!Object.entries(labels).every(([key, value]) => sampleLabels.get(key) === value)) continue;
    const value = Number(match[3]);
    if (!Number.isNaN(value)) total += value;
  }
  return total;
}

export async function scrapeMetrics(httpUrl: string): Promise<string> {
  const response = await fetch(`${httpUrl}/metrics`);
  if (!response.ok) throw new Error(`GET ${httpUrl}/metrics answered ${response.status}`);
  return response.text();
}

export async function scrapeMetric(httpUrl: string, name: string, labels: MetricLabels = {}): Promise<number> {
  return metricSum(await scrapeMetrics(httpUrl), name, labels);
}
