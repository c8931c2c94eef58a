/**
 * Loaded into each server under test with `node --import` (transpiled to plain JS by build-probe.ts, so
 * the server itself runs exactly as deployed): answers the main process over IPC with the process's CPU,
 * memory and event-loop delay, runs gc() first when asked (the server is started with --expose-gc), and
 * takes a CPU profile of a window through the inspector. Node built-ins only.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ProbeReply, ProbeRequest, ProbeSample } from './probe-messages.js';

const NS_PER_MS = 1e6;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let session: Session | null = null;

function sample(gc: boolean): ProbeSample {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc && collect !== undefined) {
    // Twice: the first pass can leave garbage that only becomes unreachable once finalizers ran.
    collect();
    collect();
  }
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const count = loopDelay.count;
  return {
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    externalBytes: memory.external,
    cpuUserMicros: cpu.user,
    cpuSystemMicros: cpu.system,
    loopDelayP50Ms: count === 0 ? 0 : loopDelay.percentile(50) / NS_PER_MS,
    loopDelayP99Ms: count === 0 ? 0 : loopDelay.percentile(99) / NS_PER_MS,
    loopDelayMaxMs: count === 0 ? 0 : loopDelay.max / NS_PER_MS,
    at: Date.now(),
  };
}

async function handle(request: ProbeRequest): Promise<ProbeSample | null | { path: string }> {
  switch (request.kind) {
    case 'sample': {
      const result = sample(request.gc);
      if (request.resetLoopDelay) loopDelay.reset();
      return result;
    }
    case 'profile-start':
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      return null;
    case 'profile-stop': {
      if (session === null) throw new Error('no profile was started');
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = null;
      await writeFile(request.path, JSON.stringify(profile));
      return { path: request.path };
    }
  }
}

if (process.send !== undefined) {
  process.on('message', (message: ProbeRequest) => {
    if (typeof message !== 'object' || message === null || typeof message.probe !== 'number') return;
    handle(message).then(
      (result) => process.send?.({ probe: message.probe, ok: true, result } satisfies ProbeReply),
      (error: unknown) => process.send?.({ probe: message.probe, ok: false, message: String(error) } satisfies ProbeReply),
    );
  });
  // The channel alone must not keep a server alive that is otherwise done.
  process.channel?.unref();
}
