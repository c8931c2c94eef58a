import { newYorkWallTime } from '@scanner/market-calendar';

/**
 * The apps log pino JSON lines, made for machines. In one terminal with three services a person needs
 * `[ws] 23:51:02 INFO  server_started port=9000 …`: the service, New York time (the system's clock),
 * the level, the event name and the fields. A line that is not pino JSON is passed through as it is.
 */

const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line carries that say nothing about the event. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'service', 'event', 'msg']);
const MAX_VALUE_LENGTH = 200;

export function formatLogLine(prefix: string, line: string): string {
  const text = line.replace(/\s+$/, '');
  const record = pinoRecord(text);
  if (record === null) return `[${prefix}] ${text}`;
  const parts = [`[${prefix}]`];
  // pino writes epoch milliseconds by default; the maintenance service writes ISO strings.
  const time = record['time'];
  const epochMs = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : Number.NaN;
  if (Number.isFinite(epochMs)) parts.push(clockTime(epochMs));
  const level = record['level'];
  parts.push((typeof level === 'number' ? (LEVELS[level] ?? String(level)) : String(level)).padEnd(5));
  const event = record['event'];
  if (typeof event === 'string') parts.push(event);
  const msg = record['msg'];
  if (typeof msg === 'string' && msg !== '' && msg !== event) parts.push(`"${msg}"`);
  for (const [key, value] of Object.entries(record)) {
    if (HIDDEN.has(key) || value === undefined) continue;
    parts.push(`${key}=${fieldText(value)}`);
  }
  return parts.join(' ');
}

function pinoRecord(text: string): Record<string, unknown> | null {
  if (!text.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !('level' in value)) return null;
    return value as Record<string, unknown>;
  } catch {
    return null;
  }
}

function clockTime(epochMs: number): string {
  const wall = newYorkWallTime(new Date(epochMs));
  return [wall.hour, wall.minute, wall.second].map((n) => String(n).padStart(2, '0')).join(':');
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return truncate(/^[^\s"=]+$/.test(value) ? value : JSON.stringify(value));
  if (isErrorRecord(value)) return truncate(JSON.stringify(`${value.type ?? 'Error'}: ${value.message}`));
  return truncate(JSON.stringify(value) ?? String(value));
}

/** pino's err serializer: `{type, message, stack}`; the stack is noise in a terminal summary. */
function isErrorRecord(value: unknown): value is { type?: string; message: string } {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string' && 'stack' in value;
}

function truncate(text: string): string {
  return text.length <= MAX_VALUE_LENGTH ? text : `${text.slice(0, MAX_VALUE_LENGTH - 1)}…`;
}
