import type { RankingStreamErrorCode } from '@scanner/redis-keys';
import { SCANNER_LISTS, type ScannerList, type ScannerRow } from '@scanner/shared-types';
import type { SeededRandom } from './seeded-random.js';

/** What the server holds for one list when the garbage arrives: the garbage is built around it. */
export interface EntryContext {
  readonly list: ScannerList;
  /** The sequence held; a valid next delta would be sequence + 1. */
  readonly sequence: number;
  readonly rows: readonly ScannerRow[];
  /** A production time of the current trading day. */
  readonly timestamp: string;
}

/** A stream entry no valid upstream writes, and the code decodeRankingStreamEntry must refuse it with. */
export interface GarbageEntry {
  readonly name: string;
  readonly fields: string[];
  readonly code: RankingStreamErrorCode;
}

/** Nesting far past what JSON.stringify survives (about 5,000 levels): the encoder would throw on it. */
export const DEEP_NESTING = 20_000;

const HUGE_NUMBER_TEXT = '1e400';
const FIELD_ORDER = { delta: ['type', 'list', 'sequence', 'deltas', 'timestamp', 'change_count'], snapshot: ['type', 'list', 'sequence', 'rows', 'timestamp', 'count'] };

/** The field list of a valid delta that updates the top row (what a healthy upstream writes next). */
export function validDeltaFields(ctx: EntryContext, deltasJson?: string, changeCount?: number): string[] {
  const top = ctx.rows[0];
  const deltas = top === undefined ? [] : [{ action: 'update', rank: top.rank, symbol: top.symbol, data: { price: 1, timestamp: ctx.timestamp } }];
  const json = deltasJson ?? JSON.stringify(deltas);
  const count = changeCount ?? deltas.length;
  return ['type', 'delta', 'list', ctx.list, 'sequence', String(ctx.sequence + 1), 'deltas', json, 'timestamp', ctx.timestamp, 'change_count', String(count)];
}

/** The field list of a valid snapshot of `ctx.rows` at the next sequence. */
export function validSnapshotFields(ctx: EntryContext, rowsJson?: string, count?: number): string[] {
  const json = rowsJson ?? JSON.stringify(ctx.rows);
  return ['type', 'snapshot', 'list', ctx.list, 'sequence', String(ctx.sequence + 1), 'rows', json, 'timestamp', ctx.timestamp, 'count', String(count ?? ctx.rows.length)];
}

export function withField(fields: readonly string[], name: string, value: string): string[] {
  const out = [...fields];
  const index = out.findIndex((field, i) => i % 2 === 0 && field === name);
  if (index < 0) throw new Error(`no field ${name}`);
  out[index + 1] = value;
  return out;
}

export function withoutField(fields: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < fields.length; i += 2) if (fields[i] !== name) out.push(fields[i] as string, fields[i + 1] as string);
  return out;
}

/** `value` with `marker` (a JSON string) replaced by raw JSON text JSON.stringify could never write. */
function rawJson(value: unknown, marker: string, raw: string): string {
  return JSON.stringify(value).replace(JSON.stringify(marker), raw);
}

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** Rows with one row's field set to raw JSON text (a number too big for a double, deep nesting). */
function rowsWithRaw(ctx: EntryContext, field: string, raw: string): string {
  const marker = '\u0000RAW\u0000';
  const rows = ctx.rows.map((row, i) => (i === 0 ? { ...row, [field]: marker } : row));
  return rawJson(rows, marker, raw);
}

function deltasWithRaw(ctx: EntryContext, field: string, raw: string): string {
  const marker = '\u0000RAW\u0000';
  const top = ctx.rows[0];
  if (top === undefined) throw new Error('the context needs rows');
  return rawJson([{ action: 'update', rank: top.rank, symbol: top.symbol, data: { [field]: marker, timestamp: ctx.timestamp } }], marker, raw);
}

function deltaWithItem(ctx: EntryContext, item: unknown): string[] {
  return validDeltaFields(ctx, JSON.stringify([item]), 1);
}

function snapshotWithRows(ctx: EntryContext, rows: unknown[]): string[] {
  return validSnapshotFields(ctx, JSON.stringify(rows), rows.length);
}

/**
 * The table of hand-written garbage: one broken thing per entry, every field the decoder checks, in the
 * order it checks them (so the expected code is the one that field gives).
 */
export function tableGarbageEntries(ctx: EntryContext): GarbageEntry[] {
  const delta = validDeltaFields(ctx);
  const snapshot = validSnapshotFields(ctx);
  const top = ctx.rows[0];
  if (top === undefined) throw new Error('the context needs rows');
  const entries: GarbageEntry[] = [];
  const add = (name: string, fields: string[], code: RankingStreamErrorCode) => entries.push({ name, fields, code });

  for (const name of FIELD_ORDER.delta) add(`delta without ${name}`, withoutField(delta, name), 'INVALID_ENTRY');
  for (const name of FIELD_ORDER.snapshot) add(`snapshot without ${name}`, withoutField(snapshot, name), 'INVALID_ENTRY');
  add('field named twice', [...delta, 'sequence', String(ctx.sequence + 1)], 'INVALID_ENTRY');
  add('a lone unknown field', ['garbage', 'yes'], 'INVALID_ENTRY');

  for (const type of ['explode', '', 'DELTA', 'snapshot ', 'delta\u0000']) add(`type ${JSON.stringify(type)}`, withField(delta, 'type', type), 'UNKNOWN_TYPE');
  for (const list of ['all_stocks', '', 'Winners', ' winners', 'winners\n', 'x'.repeat(10_000), '__proto__']) {
    add(`list ${JSON.stringify(list.slice(0, 20))}`, withField(delta, 'list', list), 'UNKNOWN_LIST');
  }
  for (const sequence of ['two', '', '-1', '0', '1.5', '1e3', '01', ' 5', '0x10', 'Infinity', '99999999999999999999', '9007199254740993']) {
    add(`sequence ${JSON.stringify(sequence)}`, withField(delta, 'sequence', sequence), 'INVALID_SEQUENCE');
  }
  for (const timestamp of ['yesterday', '', '2025-13-40T00:00:00Z', '1764169200', '2025-11-26', 'T15:00:00Z']) {
    add(`timestamp ${JSON.stringify(timestamp)}`, withField(delta, 'timestamp', timestamp), 'INVALID_TIMESTAMP');
  }
  for (const json of ['{not json', '', 'NaN', '[1,', "['single']", '[{"action":"update",}]', `[${'x'.repeat(1_000_000)}]`]) {
    add(`deltas text ${JSON.stringify(json.slice(0, 20))}`, withField(delta, 'deltas', json), 'INVALID_JSON');
    add(`rows text ${JSON.stringify(json.slice(0, 20))}`, withField(snapshot, 'rows', json), 'INVALID_JSON');
  }

  // Wrong types and shapes in the payloads.
  for (const json of ['{}', '"deltas"', '42', 'null', 'true', '[1,2]', '[null]', '[[]]']) add(`deltas ${json}`, validDeltaFields(ctx, json, 1), 'INVALID_DELTAS');
  const { symbol, rank } = top;
  const items: [string, unknown][] = [
    ['unknown action', { action: 'explode', symbol }],
    ['add without data', { action: 'add', rank, symbol: 'NEW' }],
    ['update with rank "1"', { action: 'update', rank: '1', symbol, data: {} }],
    ['update with rank 0', { action: 'update', rank: 0, symbol, data: {} }],
    ['update with rank 1.5', { action: 'update', rank: 1.5, symbol, data: {} }],
    ['update with rank 1e300', { action: 'update', rank: 1e300, symbol, data: {} }],
    ['update with data null', { action: 'update', rank, symbol, data: null }],
    ['update with data [1]', { action: 'update', rank, symbol, data: [1] }],
    ['remove with empty symbol', { action: 'remove', symbol: '' }],
    ['remove with numeric symbol', { action: 'remove', symbol: 7 }],
    ['rerank without old_rank', { action: 'rerank', symbol, new_rank: 2 }],
    ['rerank to -1', { action: 'rerank', symbol, old_rank: rank, new_rank: -1 }],
  ];
  for (const [name, item] of items) add(`delta item: ${name}`, deltaWithItem(ctx, item), 'INVALID_DELTAS');
  add('delta data with a number beyond a double', validDeltaFields(ctx, deltasWithRaw(ctx, 'price', HUGE_NUMBER_TEXT), 1), 'INVALID_DELTAS');
  add('delta data nested past the encoder', validDeltaFields(ctx, deltasWithRaw(ctx, 'note', deepArray(DEEP_NESTING)), 1), 'INVALID_DELTAS');

  for (const json of ['{}', '"rows"', '7', 'null', '[1,2,3]', '[null]', '["AAPL"]']) add(`rows ${json}`, validSnapshotFields(ctx, json, 3), 'INVALID_ROWS');
  const row = (patch: Record<string, unknown>) => ({ ...top, ...patch });
  const rowCases: [string, unknown[]][] = [
    ['row without symbol', [{ rank: 1, timestamp: ctx.timestamp }]],
    ['row without rank', [{ symbol: 'A', timestamp: ctx.timestamp }]],
    ['row without timestamp', [{ symbol: 'A', rank: 1 }]],
    ['row with rank -3', [row({ rank: -3 })]],
    ['row with rank 1e300', [row({ rank: 1e300 })]],
    ['row with rank "1"', [row({ rank: '1' })]],
    ['row with timestamp null', [row({ timestamp: null })]],
    ['row with timestamp {}', [row({ timestamp: {} })]],
    ['row with empty symbol', [row({ symbol: '' })]],
    ['the same symbol twice', [row({ rank: 1 }), row({ rank: 2 })]],
  ];
  for (const [name, rows] of rowCases) add(name, snapshotWithRows(ctx, rows), 'INVALID_ROWS');
  add('row with a number beyond a double', validSnapshotFields(ctx, rowsWithRaw(ctx, 'price', HUGE_NUMBER_TEXT)), 'INVALID_ROWS');
  add('row with a negative number beyond a double', validSnapshotFields(ctx, rowsWithRaw(ctx, 'volume', '-1e999')), 'INVALID_ROWS');
  add('row nested past the encoder', validSnapshotFields(ctx, rowsWithRaw(ctx, 'note', deepArray(DEEP_NESTING))), 'INVALID_ROWS');

  for (const count of ['2', 'abc', '', '-1', '1.0', '99999999999999999999']) add(`change_count ${JSON.stringify(count)}`, withField(delta, 'change_count', count), 'INVALID_COUNT');
  for (const count of [String(ctx.rows.length + 1), '0', 'many']) add(`count ${JSON.stringify(count)}`, withField(snapshot, 'count', count), 'INVALID_COUNT');
  return entries;
}

type Mutator = (base: string[], kind: 'delta' | 'snapshot', ctx: EntryContext, random: SeededRandom) => Omit<GarbageEntry, 'name'>;

/** Random text that can never be the valid value of the field (the leading character sees to it). */
const junk = (random: SeededRandom, lead: string) => lead + random.text(random.int(0, 40));

const MUTATORS: Readonly<Record<string, Mutator>> = {
  drop_field: (base, kind, _ctx, random) => ({ fields: withoutField(base, random.pick(FIELD_ORDER[kind])), code: 'INVALID_ENTRY' }),
  repeat_field: (base, kind, _ctx, random) => {
    const name = random.pick(FIELD_ORDER[kind]);
    return { fields: [...base, name, junk(random, '~')], code: 'INVALID_ENTRY' };
  },
  bad_type: (base, _kind, _ctx, random) => ({ fields: withField(base, 'type', junk(random, random.pick(['!', 'X', ' ', '']))), code: 'UNKNOWN_TYPE' }),
  bad_list: (base, _kind, _ctx, random) => ({
    fields: withField(base, 'list', random.chance(0.3) ? `${random.pick(SCANNER_LISTS)}${junk(random, '_')}` : junk(random, '#')),
    code: 'UNKNOWN_LIST',
  }),
  bad_sequence: (base, _kind, _ctx, random) => ({
    fields: withField(base, 'sequence', random.pick(['0', '-' + String(random.int(1, 1e6)), `${random.int(1, 9)}.${random.int(0, 9)}`, '9'.repeat(random.int(17, 40)), junk(random, 'z')])),
    code: 'INVALID_SEQUENCE',
  }),
  bad_timestamp: (base, _kind, _ctx, random) => ({
    fields: withField(base, 'timestamp', random.pick([junk(random, 'q'), String(random.int(1_000_000_000, 2_000_000_000)), `2025-${random.int(13, 99)}-01T00:00:00Z`])),
    code: 'INVALID_TIMESTAMP',
  }),
  truncated_json: (base, kind, _ctx, random) => {
    const name = kind === 'delta' ? 'deltas' : 'rows';
    const text = base[base.indexOf(name) + 1] ?? '[]';
    return { fields: withField(base, name, text.slice(0, random.int(0, Math.max(0, text.length - 1)))), code: 'INVALID_JSON' };
  },
  junk_json: (base, kind, _ctx, random) => ({ fields: withField(base, kind === 'delta' ? 'deltas' : 'rows', junk(random, random.pick(['}', '\u0001', ']', 'x']))), code: 'INVALID_JSON' }),
  wrong_payload_type: (base, kind, _ctx, random) => {
    const json = random.pick(['{}', '"text"', String(random.int(-1e6, 1e6)), 'null', 'false', '[1]', '[null]', '["x"]', `{"${random.text(5, 'abc')}":[]}`]);
    return { fields: withField(base, kind === 'delta' ? 'deltas' : 'rows', json), code: kind === 'delta' ? 'INVALID_DELTAS' : 'INVALID_ROWS' };
  },
  bad_item: (_base, kind, ctx, random) => {
    const top = ctx.rows[0];
    if (top === undefined) throw new Error('the context needs rows');
    const badValue = random.pick<unknown>([0, -1, 1.5, '1', 1e300, null, true, [], {}]);
    if (kind === 'delta') {
      const field = random.pick(['rank', 'symbol', 'action', 'data'] as const);
      const item: Record<string, unknown> = { action: 'update', rank: top.rank, symbol: top.symbol, data: { price: 1 } };
      // 1, "1" and {} are valid for some fields: draw values invalid for the chosen one.
      item[field] = field === 'rank' ? badValue : field === 'data' ? random.pick([null, 1, 'x', [1]]) : random.pick([null, 1, '', { a: 1 }]);
      if (field === 'action') item[field] = random.pick(['', 'explode', 'ADD', null, 3]);
      return { fields: validDeltaFields(ctx, JSON.stringify([item]), 1), code: 'INVALID_DELTAS' };
    }
    const rows = ctx.rows.map((row) => ({ ...row }));
    const victim = rows[random.int(0, rows.length - 1)] as Record<string, unknown>;
    const field = random.pick(['rank', 'symbol', 'timestamp', 'duplicate'] as const);
    if (field === 'duplicate') victim['symbol'] = rows[rows.length === 1 ? 0 : (rows.indexOf(victim as ScannerRow) + 1) % rows.length]?.symbol;
    else if (field === 'rank') victim['rank'] = badValue === 1 ? 0 : badValue;
    else if (field === 'symbol') victim['symbol'] = random.pick([null, 1, '', []]);
    else victim['timestamp'] = random.pick([null, '', true, {}, []]);
    if (field === 'duplicate' && rows.length === 1) rows.push({ ...rows[0] } as ScannerRow);
    return { fields: validSnapshotFields(ctx, JSON.stringify(rows), rows.length), code: 'INVALID_ROWS' };
  },
  beyond_double: (_base, kind, ctx, random) => {
    const raw = random.pick(['1e400', '-1e400', `${random.int(1, 9)}e${random.int(309, 9999)}`]);
    return kind === 'delta'
      ? { fields: validDeltaFields(ctx, deltasWithRaw(ctx, random.pick(['price', 'volume', 'rvol']), raw), 1), code: 'INVALID_DELTAS' }
      : { fields: validSnapshotFields(ctx, rowsWithRaw(ctx, random.pick(['price', 'volume', 'rvol']), raw)), code: 'INVALID_ROWS' };
  },
  deep_nesting: (_base, kind, ctx, random) => {
    const raw = random.chance(0.5) ? deepArray(random.int(DEEP_NESTING / 2, DEEP_NESTING)) : `${'{"a":'.repeat(DEEP_NESTING / 2)}1${'}'.repeat(DEEP_NESTING / 2)}`;
    return kind === 'delta'
      ? { fields: validDeltaFields(ctx, deltasWithRaw(ctx, 'note', raw), 1), code: 'INVALID_DELTAS' }
      : { fields: validSnapshotFields(ctx, rowsWithRaw(ctx, 'note', raw)), code: 'INVALID_ROWS' };
  },
  wrong_count: (base, kind, ctx, random) => {
    const held = kind === 'delta' ? 1 : ctx.rows.length;
    const value = random.pick([String(held + random.int(1, 1000)), junk(random, 'n'), '-' + String(held), `${held}.0`, '9'.repeat(30)]);
    return { fields: withField(base, kind === 'delta' ? 'change_count' : 'count', value), code: 'INVALID_COUNT' };
  },
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);

/** `count` random garbage entries around `ctx`, one mutation each of a valid delta or snapshot. */
export function randomGarbageEntries(random: SeededRandom, count: number, ctx: EntryContext): GarbageEntry[] {
  return Array.from({ length: count }, (_, index) => {
    const kind = random.chance(0.5) ? 'delta' : 'snapshot';
    const base = kind === 'delta' ? validDeltaFields(ctx) : validSnapshotFields(ctx);
    const name = random.pick(MUTATOR_NAMES);
    const mutate = MUTATORS[name];
    if (mutate === undefined) throw new Error(`unreachable: mutator ${name}`);
    return { name: `random #${index} (seed ${random.seed}): ${name} of a ${kind}`, ...mutate(base, kind, ctx, random) };
  });
}
