import { describe, expect, it } from 'vitest';
import {
  encodeConnected,
  encodeDelta,
  encodeError,
  encodeNewDay,
  encodePong,
  encodeSnapshot,
  encodeSubscribedList,
  encodeUnsubscribedList,
} from './encode-server-message.js';
import { parseServerMessage } from './parse-server-message.js';
import type { RankingDelta } from './ranking-delta.js';
import { SCANNER_LISTS } from './scanner-lists.js';

const rows = [
  { symbol: 'AAPL', rank: 1, timestamp: '2026-11-20T14:31:05.120Z', price: 231.5 },
  { symbol: 'BRK.B', rank: 2, timestamp: '2026-11-20T14:31:05.120Z', price: 480.2 },
];
const deltas: RankingDelta[] = [
  { action: 'rerank', symbol: 'AAPL', old_rank: 1, new_rank: 2 },
  { action: 'remove', symbol: 'BRK.B' },
];

describe('server message encoders', () => {
  it('put type first and derive the counts', () => {
    const text = encodeSnapshot({
      list: 'winners',
      epoch: '2026-11-20',
      sequence: 4179,
      rows,
      timestamp: '2026-11-20T14:31:05.120Z',
    });
    expect(text.startsWith('{"type":"snapshot",')).toBe(true);
    expect(JSON.parse(text)).toEqual({
      type: 'snapshot',
      list: 'winners',
      epoch: '2026-11-20',
      sequence: 4179,
      rows,
      count: 2,
      timestamp: '2026-11-20T14:31:05.120Z',
    });
    expect(JSON.parse(encodeDelta({ list: 'losers', epoch: '2026-11-20', sequence: 12, deltas, timestamp: 'x' }))).toMatchObject({
      type: 'delta',
      change_count: 2,
    });
  });

  it('send only the fields of the message', () => {
    const error = { code: 'UNKNOWN_LIST', message: 'unknown list "x"', path: 'list', list: 'x' } as const;
    expect(JSON.parse(encodeError(error))).toEqual({ type: 'error', code: 'UNKNOWN_LIST', message: 'unknown list "x"', list: 'x' });
    expect(JSON.parse(encodeError({ code: 'RATE_LIMITED', message: 'slow down' }))).toEqual({
      type: 'error',
      code: 'RATE_LIMITED',
      message: 'slow down',
    });
  });

  it('round-trip through parseServerMessage', () => {
    const frames = [
      encodeConnected({ connection_id: 'c-1', epoch: '2026-11-20', lists: SCANNER_LISTS, server_time: '2026-11-20T14:31:06.000Z' }),
      encodeConnected({ connection_id: 'c-2', epoch: null, lists: ['winners'], server_time: '2026-11-20T08:00:00.000Z' }),
      encodeSnapshot({ list: 'winners', epoch: '2026-11-20', sequence: 0, rows: [], timestamp: '2026-11-20T09:00:00.000Z' }),
      encodeSnapshot({ list: 'winners', epoch: '2026-11-20', sequence: 4179, rows, timestamp: '2026-11-20T14:31:05.120Z' }),
      encodeDelta({ list: 'losers', epoch: '2026-11-20', sequence: 4180, deltas, timestamp: '2026-11-20T14:31:07.000Z' }),
      encodeSubscribedList({ list: 'anomalies', epoch: null, sequence: 0 }),
      encodeSubscribedList({ list: 'anomalies', epoch: '2026-11-20', sequence: 17 }),
      encodeUnsubscribedList({ list: 'new_highs' }),
      encodeNewDay({ epoch: '2026-11-23', date: '2026-11-23' }),
      encodePong({ timestamp: '2026-11-20T14:31:06.000Z' }),
      encodeError({ code: 'UNKNOWN_LIST', message: 'unknown list', list: 'winnerz' }),
      encodeError({ code: 'INTERNAL_ERROR', message: 'sorry' }),
    ];
    for (const text of frames) {
      expect(parseServerMessage(text)).toEqual({ ok: true, value: JSON.parse(text) });
    }
  });
});

describe('parseServerMessage: refused frames', () => {
  const snapshot = JSON.parse(
    encodeSnapshot({ list: 'winners', epoch: '2026-11-20', sequence: 3, rows, timestamp: '2026-11-20T14:31:05.120Z' }),
  ) as Record<string, unknown>;

  it.each([
    ['not JSON', 'nope', 'INVALID_JSON'],
    ['an array', '[]', 'INVALID_MESSAGE'],
    ['no type', '{"list":"winners"}', 'INVALID_MESSAGE'],
    ['an unknown type', '{"type":"hello"}', 'UNKNOWN_TYPE'],
    ['a type named after an Object method', '{"type":"hasOwnProperty"}', 'UNKNOWN_TYPE'],
    ['a count that disagrees with rows', JSON.stringify({ ...snapshot, count: 3 }), 'INVALID_MESSAGE'],
    ['a bad row', JSON.stringify({ ...snapshot, rows: [{ symbol: 'A' }], count: 1 }), 'INVALID_MESSAGE'],
    ['an epoch that is no date', JSON.stringify({ ...snapshot, epoch: '20261120' }), 'INVALID_MESSAGE'],
    ['a null epoch in a snapshot', JSON.stringify({ ...snapshot, epoch: null }), 'INVALID_MESSAGE'],
    ['an unknown list', JSON.stringify({ ...snapshot, list: 'all' }), 'UNKNOWN_LIST'],
    ['a timestamp that is no instant', JSON.stringify({ ...snapshot, timestamp: 'now' }), 'INVALID_MESSAGE'],
    ['a delta with sequence 0', '{"type":"delta","list":"winners","epoch":"2026-11-20","sequence":0,"deltas":[],"change_count":0,"timestamp":"2026-11-20T14:00:00Z"}', 'INVALID_MESSAGE'],
    ['a change_count that disagrees', '{"type":"delta","list":"winners","epoch":"2026-11-20","sequence":1,"deltas":[],"change_count":1,"timestamp":"2026-11-20T14:00:00Z"}', 'INVALID_MESSAGE'],
    ['an unknown error code', '{"type":"error","code":"OOPS","message":"x"}', 'INVALID_MESSAGE'],
    ['a connected with an unknown list', '{"type":"connected","connection_id":"c","epoch":null,"lists":["winners","all"],"server_time":"2026-11-20T14:00:00Z"}', 'UNKNOWN_LIST'],
    ['a pong without timestamp', '{"type":"pong"}', 'INVALID_MESSAGE'],
  ])('refuses %s', (_label, text, code) => {
    expect(parseServerMessage(text)).toMatchObject({ ok: false, error: { code } });
  });
});
