import { describe, expect, it } from 'vitest';
import { parseSlotCsv, slotCsvLine } from './session-fixtures.js';

describe('the slot CSV', () => {
  it('reads back exactly the rows it was written from', () => {
    const rows = [
      { symbol: 'ABCD', date: '2026-11-20', slotNumber: 0, slotTime: new Date('2026-11-20T14:35:00.000Z'), volumeAccumulated: 1234.5 },
      { symbol: 'BRK.B', date: '2026-11-20', slotNumber: 77, slotTime: new Date('2026-11-20T21:00:00.000Z'), volumeAccumulated: 0 },
    ];
    const text = `${rows.map(slotCsvLine).join('\n')}\n`;
    expect(text.split('\n')[0]).toBe('ABCD,2026-11-20,0,2026-11-20T14:35:00.000Z,1234.5');
    expect(parseSlotCsv(text)).toEqual(rows);
  });
});
