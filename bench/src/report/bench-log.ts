/**
 * Progress lines for the person running a benchmark, on stderr so stdout stays free for the result path.
 * One JSON object per line with an `event` field, like the apps' logs.
 */
export function benchLog(event: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
}
