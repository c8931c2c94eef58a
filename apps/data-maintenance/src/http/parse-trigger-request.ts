import { CalendarError, type IsoDate, parseIsoDate } from '@scanner/market-calendar';
import { MAINTENANCE_TASKS, type MaintenanceTaskName } from '@scanner/shared-types';
import type { TriggerRequest } from './control-port.js';

export type TriggerRequestError = { readonly code: 'INVALID_BODY' | 'INVALID_DATE' | 'UNKNOWN_TASK'; readonly message: string };

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: TriggerRequestError };
const refuse = (code: TriggerRequestError['code'], message: string) => ({ ok: false, error: { code, message } }) as const;
/** Shown back to the caller, bounded. */
const shown = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);

const FIELDS = ['date', 'tasks'];
const TASK_NAMES: readonly string[] = MAINTENANCE_TASKS;

/**
 * The `POST /trigger` body `{date?: 'YYYY-MM-DD', tasks?: string[]}` (null = absent). Any other field is
 * refused: a misspelt `task` must not quietly run the whole cycle. Tasks come back in cycle order, as the
 * CLI's `--tasks` does: later tasks read what earlier ones wrote.
 */
export function parseTriggerRequest(body: unknown): Parsed<TriggerRequest> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return refuse('INVALID_BODY', 'expected a JSON object {date?, tasks?}');
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((f) => !FIELDS.includes(f));
  if (unknown.length > 0) {
    const named = unknown.slice(0, 10).map(shown).join(', ');
    return refuse('INVALID_BODY', `unknown field${unknown.length > 1 ? 's' : ''} ${named}; expected date, tasks`);
  }
  const date = dateField(fields['date']);
  if (!date.ok) return date;
  const tasks = tasksField(fields['tasks']);
  if (!tasks.ok) return tasks;
  return { ok: true, value: { date: date.value, tasks: tasks.value } };
}

function dateField(value: unknown): Parsed<IsoDate | null> {
  if (value === undefined || value === null) return { ok: true, value: null };
  if (typeof value !== 'string') return refuse('INVALID_DATE', 'date must be a string YYYY-MM-DD');
  try {
    parseIsoDate(value);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof CalendarError && error.code === 'OUT_OF_RANGE') return refuse('INVALID_DATE', `date ${shown(value)}: ${error.message}`);
    return refuse('INVALID_DATE', `date ${shown(value)} is not a real date as YYYY-MM-DD`);
  }
}

function tasksField(value: unknown): Parsed<MaintenanceTaskName[] | null> {
  if (value === undefined || value === null) return { ok: true, value: null };
  if (!Array.isArray(value) || !value.every((t): t is string => typeof t === 'string')) {
    return refuse('INVALID_BODY', 'tasks must be an array of task names');
  }
  if (value.length === 0) return refuse('UNKNOWN_TASK', `tasks is empty; omit it for the whole cycle, or name some of ${MAINTENANCE_TASKS.join(', ')}`);
  const unknown = value.filter((t) => !TASK_NAMES.includes(t));
  if (unknown.length > 0) {
    const named = unknown.slice(0, 10).map(shown).join(', ');
    return refuse('UNKNOWN_TASK', `unknown task${unknown.length > 1 ? 's' : ''} ${named}; expected ${MAINTENANCE_TASKS.join(', ')}`);
  }
  const repeated = [...new Set(value.filter((t, i) => value.indexOf(t) !== i))];
  if (repeated.length > 0) return refuse('UNKNOWN_TASK', `named more than once: ${repeated.join(', ')}`);
  return { ok: true, value: MAINTENANCE_TASKS.filter((t) => value.includes(t)) };
}
