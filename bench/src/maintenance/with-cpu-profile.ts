import { Session } from 'node:inspector/promises';
import type { CpuProfile } from '../ws/cpu-profile.js';

/**
 * Runs `fn` under V8's sampling profiler (what `node --cpu-prof` records, scoped to this call): where a
 * target is missed, the profile says where the time went. Never used on a measured run.
 */
export async function withCpuProfile<T>(fn: () => Promise<T>): Promise<{ readonly result: T; readonly profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    let result: T;
    let profile: CpuProfile | null = null;
    try {
      result = await fn();
    } finally {
      // Stopped either way, so a failing run does not leave the profiler sampling.
      profile = (await session.post('Profiler.stop')).profile as unknown as CpuProfile;
    }
    return { result, profile };
  } finally {
    session.disconnect();
  }
}
