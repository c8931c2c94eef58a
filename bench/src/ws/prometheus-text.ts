/** One sample of a metric in Prometheus text exposition: its labels and value. */
export interface MetricSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Every sample of metric `name` in a /metrics page (labels without escapes, as prom-client writes them). */
export function metricSamples(text: string, name: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    const match = /^(?:\{([^}]*)\})?\s+(\S+)$/.exec(rest);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)) {
      const [, label, labelValue] = pair;
      if (label !== undefined && labelValue !== undefined) labels[label] = labelValue;
    }
    const value = Number(match[2]);
    if (Number.isFinite(value)) samples.push({ labels, value });
  }
  return samples;
}

/** The samples of `name` keyed by the values of `labelNames` joined with '/', e.g. "subscribe/ok". */
export function countersBy(text: string, name: string, labelNames: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const sample of metricSamples(text, name)) {
    const key = labelNames.map((label) => sample.labels[label] ?? '').join('/');
    counts[key] = (counts[key] ?? 0) + sample.value;
  }
  return counts;
}
