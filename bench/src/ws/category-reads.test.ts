import { describe, expect, it } from 'vitest';
import { CategoryReadTally, categoryListsRead } from './category-reads.js';

const P = 'bench-x:';

describe('categoryListsRead', () => {
  it('finds the category keys of this prefix that a GET or MGET reads', () => {
    expect(categoryListsRead(['mget', `${P}scanner:category:winners`, `${P}scanner:sequence:winners`], P)).toEqual(['winners']);
    expect(categoryListsRead(['GET', `${P}scanner:category:reversals`], P)).toEqual(['reversals']);
  });

  it('ignores other commands, other prefixes, other keys and unknown lists', () => {
    expect(categoryListsRead(['set', `${P}scanner:category:winners`, '[]'], P)).toEqual([]);
    expect(categoryListsRead(['mget', 'other:scanner:category:winners'], P)).toEqual([]);
    expect(categoryListsRead(['get', `${P}scanner:sequence:winners`], P)).toEqual([]);
    expect(categoryListsRead(['get', `${P}scanner:category:top_gainers`], P)).toEqual([]);
  });
});

describe('CategoryReadTally', () => {
  it('counts commands and reads per list', () => {
    const tally = new CategoryReadTally();
    tally.add(['mget', `${P}scanner:category:winners`, `${P}scanner:sequence:winners`], P);
    tally.add(['mget', `${P}scanner:category:winners`, `${P}scanner:category:losers`], P);
    tally.add(['get', `${P}trading:current_day`], P);
    expect(tally.commands).toBe(2);
    expect(tally.listReads).toBe(3);
    expect(Object.fromEntries(tally.byList())).toEqual({ winners: 2, losers: 1 });
  });
});
