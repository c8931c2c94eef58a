import { describe, expect, it } from 'vitest';
import { ancestorsOf, canEnter, firstUnenterable } from './dir-access.js';

const postgresUser = { uid: 101, gid: 104 };
const dir = (path: string, mode: number, uid = 0, gid = 0) => ({ path, mode: 0o040000 | mode, uid, gid });

describe('canEnter', () => {
  it('reads the owner, group or other execute bit that applies to the user', () => {
    expect(canEnter(dir('/work', 0o755), postgresUser)).toBe(true);
    expect(canEnter(dir('/root', 0o700), postgresUser)).toBe(false);
    expect(canEnter(dir('/srv', 0o750, 0, 104), postgresUser)).toBe(true);
    expect(canEnter(dir('/srv', 0o705, 0, 104), postgresUser)).toBe(false);
    expect(canEnter(dir('/home/pg', 0o700, 101, 104), postgresUser)).toBe(true);
    expect(canEnter(dir('/root', 0o700), { uid: 0, gid: 0 })).toBe(true);
  });
});

describe('firstUnenterable', () => {
  it('finds the private folder above the data folder (a checkout under /root)', () => {
    const entries = [dir('/', 0o755), dir('/root', 0o700), dir('/root/app', 0o755)];
    expect(firstUnenterable(entries, postgresUser)).toBe('/root');
    expect(firstUnenterable([dir('/', 0o755), dir('/work', 0o755)], postgresUser)).toBeNull();
  });
});

describe('ancestorsOf', () => {
  it('lists the folders from the root down', () => {
    expect(ancestorsOf('/work/main/.local-stack')).toEqual(['/', '/work', '/work/main', '/work/main/.local-stack']);
    expect(ancestorsOf('/')).toEqual(['/']);
  });
});
