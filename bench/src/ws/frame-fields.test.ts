import { encodeConnected, encodeDelta, encodeNewDay, encodeSnapshot } from '@scanner/shared-types';
import { describe, expect, it } from 'vitest';
import { parsedFields, scannerFrameHead, socketIoEventHead, trailingTimestampMs } from './frame-fields.js';
import { eventPacket } from './load/socketio-wire.js';

const rows = [
  { symbol: 'AAA', rank: 1, timestamp: '2026-11-20T15:00:01.000Z', price: 10.5 },
  { symbol: 'BBB', rank: 2, timestamp: '2026-11-20T15:00:02.000Z', price: 3.25 },
];
const delta = {
  list: 'winners' as const,
  epoch: '2026-11-20',
  sequence: 4179,
  deltas: [
    { action: 'update' as const, rank: 1, symbol: 'AAA', data: { timestamp: '2026-11-20T15:00:09.000Z', price: 10.75 } },
    { action: 'rerank' as const, symbol: 'BBB', old_rank: 2, new_rank: 3 },
  ],
  timestamp: '2026-11-20T15:00:10.123Z',
};

describe('scannerFrameHead + trailingTimestampMs', () => {
  it('reads type, list and sequence of a delta, and its own timestamp (not a row timestamp)', () => {
    const frame = Buffer.from(encodeDelta(delta));
    expect(scannerFrameHead(frame)).toEqual({ kind: 'delta', list: 'winners', sequence: 4179 });
    expect(trailingTimestampMs(frame)).toBe(Date.parse('2026-11-20T15:00:10.123Z'));
  });

  it('reads a snapshot whose rows carry timestamps of their own', () => {
    const frame = Buffer.from(
      encodeSnapshot({ list: 'high_volume', epoch: '2026-11-20', sequence: 0, rows, timestamp: '2026-11-20T15:00:03.000Z' }),
    );
    expect(scannerFrameHead(frame)).toEqual({ kind: 'snapshot', list: 'high_volume', sequence: 0 });
    expect(trailingTimestampMs(frame)).toBe(Date.parse('2026-11-20T15:00:03.000Z'));
  });

  it('reads messages without list or sequence as such', () => {
    expect(scannerFrameHead(Buffer.from(encodeNewDay({ epoch: '2026-11-23', date: '2026-11-23' })))).toEqual({
      kind: 'new_day',
      list: null,
      sequence: null,
    });
    const connected = encodeConnected({ connection_id: 'c1', epoch: null, lists: ['winners'], server_time: '2026-11-20T15:00:00.000Z' });
    expect(scannerFrameHead(Buffer.from(connected))?.kind).toBe('connected');
  });

  it('returns null for a frame that is not one of our messages', () => {
    expect(scannerFrameHead(Buffer.from('42["delta",{}]'))).toBeNull();
    expect(scannerFrameHead(Buffer.from('{"typ'))).toBeNull();
    expect(trailingTimestampMs(Buffer.from('{"type":"pong"}'))).toBeNull();
    expect(trailingTimestampMs(Buffer.from('{"timestamp":"not a time"}'))).toBeNull();
  });

  it('agrees with a full JSON.parse of the same message', () => {
    const text = encodeDelta(delta);
    const full = parsedFields(JSON.parse(text));
    const frame = Buffer.from(text);
    expect(full).toEqual({ list: scannerFrameHead(frame)?.list, sequence: scannerFrameHead(frame)?.sequence, timestampMs: trailingTimestampMs(frame) });
  });
});

describe('socketIoEventHead', () => {
  it('reads the event name and the payload fields of a socket.io EVENT packet', () => {
    const { list, epoch, sequence, deltas, timestamp } = delta;
    const frame = Buffer.from(eventPacket('delta', { list, epoch, sequence, deltas, change_count: 2, timestamp }));
    expect(socketIoEventHead(frame)).toEqual({ kind: 'delta', list: 'winners', sequence: 4179 });
    expect(trailingTimestampMs(frame)).toBe(Date.parse(timestamp));
  });

  it('returns null for other engine.io packets', () => {
    expect(socketIoEventHead(Buffer.from('2'))).toBeNull();
    expect(socketIoEventHead(Buffer.from('40{"sid":"x"}'))).toBeNull();
  });
});
