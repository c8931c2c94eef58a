import { pino } from 'pino';

export interface CapturedLogs {
  /** A logger at level `trace` whose every line is recorded in memory (and nowhere else). */
  logger: pino.Logger;
  /** Every recorded line, parsed, oldest first. */
  lines(): Record<string, unknown>[];
  /** Every recorded line as raw NDJSON, for failure messages. */
  text(): string;
}

/**
 * A pino logger writing into memory, so a test can assert that an event was logged (by its `event`,
 * `code` or `msg` field) instead of trusting that it was. The destination is synchronous: a line is
 * visible the moment the logging call returns.
 */
export function captureLogs(bindings: Record<string, unknown> = {}): CapturedLogs {
  const raw: string[] = [];
  const destination = {
    write(chunk: string): void {
      // pino writes one NDJSON line per call; split anyway in case a chunk ever carries several.
      for (const line of chunk.split('\n')) if (line.trim() !== '') raw.push(line);
    },
  };
  const logger = pino({ level: 'trace', base: bindings }, destination);
  return {
    logger,
    lines: () => raw.map(parseLine),
    text: () => raw.join('\n'),
  };
}

function parseLine(line: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // A line that is not JSON is kept, not dropped: the test must still be able to see it.
  }
  return { msg: line, unparsed: true };
}
