import pino, { type Logger } from 'pino';

/**
 * Structured logs on stderr (synchronously, so nothing is lost on exit): stdout carries the commands'
 * JSON lines, which scripts parse.
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'data-maintenance' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ fd: 2, sync: true }));
}
