import { describe, expect, it } from 'vitest';
import type { ChildExit, ManagedChild } from '../adapters/child-process.js';
import type { StackLog } from '../log/stack-log.js';
import { RunningSet, type StopTier } from './running-set.js';

/** A child that records when it was asked to stop and ends when told to. */
function fakeChild(name: string, events: string[], options: { stopsWithin?: boolean } = {}) {
  let finish: (exit: ChildExit) => void = () => undefined;
  let done = false;
  const exited = new Promise<ChildExit>((resolve) => {
    finish = (exit) => {
      done = true;
      resolve(exit);
    };
  });
  const child: ManagedChild = {
    name,
    pid: 1000,
    exited,
    hasExited: () => done,
    stop: async (signal) => {
      events.push(`stop ${name} ${signal}`);
      // Let the other members of the tier be asked too before this one ends.
      await Promise.resolve();
      if (options.stopsWithin !== false) {
        events.push(`gone ${name}`);
        finish({ code: 0, signal: null });
      }
      return exited;
    },
  };
  return { child, crash: (code: number) => finish({ code, signal: null }) };
}

const silentLog: StackLog = { stack: () => undefined, child: () => undefined };

function add(set: RunningSet, label: string, tier: StopTier, events: string[], signal: NodeJS.Signals = 'SIGTERM') {
  const fake = fakeChild(label, events);
  set.add({ label, child: fake.child, tier, stopSignal: signal, stopTimeoutMs: 1000 });
  return fake;
}

describe('RunningSet.stopAll', () => {
  it('stops the apps together, then the private Redis, then the embedded PostgreSQL', async () => {
    const events: string[] = [];
    const set = new RunningSet(silentLog);
    add(set, 'postgres', 2, events, 'SIGINT');
    add(set, 'redis', 1, events);
    add(set, 'ws', 0, events);
    add(set, 'maintenance', 0, events);
    add(set, 'feed', 0, events);
    await set.stopAll();
    expect(events.slice(0, 3).sort()).toEqual(['stop feed SIGTERM', 'stop maintenance SIGTERM', 'stop ws SIGTERM']);
    expect(events.slice(3, 6).sort()).toEqual(['gone feed', 'gone maintenance', 'gone ws']);
    expect(events.slice(6)).toEqual(['stop redis SIGTERM', 'gone redis', 'stop postgres SIGINT', 'gone postgres']);
  });
});

describe('RunningSet.firstUnexpectedExit', () => {
  it('reports a child that ends on its own', async () => {
    const set = new RunningSet(silentLog);
    const events: string[] = [];
    add(set, 'ws', 0, events);
    const feed = add(set, 'feed', 0, events);
    const watch = set.firstUnexpectedExit();
    feed.crash(1);
    await expect(watch).resolves.toEqual({ label: 'feed', exit: { code: 1, signal: null } });
  });

  it('does not report the children it stops itself', async () => {
    const set = new RunningSet(silentLog);
    const events: string[] = [];
    add(set, 'ws', 0, events);
    const watch = set.firstUnexpectedExit();
    await set.stopAll();
    const outcome = await Promise.race([watch, new Promise((resolve) => setTimeout(() => resolve('none'), 50))]);
    expect(outcome).toBe('none');
  });
});
