import { describe, expect, it } from 'vitest';
import { type CpuProfile, shortLocation, summarizeProfile } from './cpu-profile.js';

const ROOT = '/work/repo';

function node(id: number, functionName: string, url = '', lineNumber = 0) {
  return { id, callFrame: { functionName, url, lineNumber } };
}

describe('summarizeProfile', () => {
  const profile: CpuProfile = {
    nodes: [
      node(1, '(root)'),
      node(2, '(idle)'),
      node(3, 'send', 'file:///work/repo/node_modules/ws/lib/sender.js', 9),
      node(4, 'publish', 'file:///work/repo/apps/websocket-server/dist/adapters/ws/broadcaster.js', 29),
      node(5, '', 'node:internal/stream_base_commons', 0),
      node(6, 'send', 'file:///work/repo/node_modules/ws/lib/sender.js', 9),
    ],
    samples: [2, 3, 4, 3, 2, 5, 6],
    timeDeltas: [500, 1000, 2000, 1000, 500, 1000, 3000],
  };

  it('adds up self time per function across nodes, skips idle and ranks by time', () => {
    const summary = summarizeProfile(profile, ROOT);
    expect(summary.sampledMs).toBe(9);
    expect(summary.idleMs).toBe(1);
    expect(summary.top).toEqual([
      { frame: 'send (ws/lib/sender.js:10)', selfMs: 5, percentOfBusy: 62.5 },
      { frame: 'publish (apps/websocket-server/dist/adapters/ws/broadcaster.js:30)', selfMs: 2, percentOfBusy: 25 },
      { frame: '(anonymous) (node:internal/stream_base_commons:1)', selfMs: 1, percentOfBusy: 12.5 },
    ]);
  });

  it('keeps only the top n', () => {
    expect(summarizeProfile(profile, ROOT, 1).top.map((f) => f.frame)).toEqual(['send (ws/lib/sender.js:10)']);
  });

  it('refuses samples and time deltas of different lengths with INVALID_ARGUMENT', () => {
    expect(() => summarizeProfile({ ...profile, timeDeltas: [1] }, ROOT)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('shortLocation', () => {
  it('shortens packages to their own path and repository files to the repository path', () => {
    expect(shortLocation('file:///a/node_modules/x/node_modules/ws/lib/b.js', ROOT)).toBe('ws/lib/b.js');
    expect(shortLocation('file:///work/repo/bench/src/ws/a.ts', ROOT)).toBe('bench/src/ws/a.ts');
    expect(shortLocation('node:internal/net', ROOT)).toBe('node:internal/net');
    expect(shortLocation('', ROOT)).toBe('');
  });
});
