import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildExit } from './child-process.js';

export type WaitOutcome = { readonly kind: 'ready' } | { readonly kind: 'timeout' } | { readonly kind: 'exited'; readonly exit: ChildExit } | { readonly kind: 'aborted' };

/**
 * Polls `check` until it says yes, the process it waits for exits, the time is up or the stack is
 * being stopped, whichever comes first.
 */
export async function waitUntil(options: {
  readonly check: () => Promise<boolean>;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly exited?: Promise<ChildExit>;
  readonly signal?: AbortSignal;
}): Promise<WaitOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  const seen: { exit: ChildExit | null } = { exit: null };
  void options.exited?.then((value) => {
    seen.exit = value;
  });
  for (;;) {
    if (options.signal?.aborted === true) return { kind: 'aborted' };
    if (seen.exit !== null) return { kind: 'exited', exit: seen.exit };
    if (await options.check().catch(() => false)) return { kind: 'ready' };
    if (Date.now() >= deadline) return { kind: 'timeout' };
    await sleep(options.intervalMs ?? 250);
  }
}

/** GET `url` answers 200. */
export async function httpOk(url: string, timeoutMs = 2000): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await response.body?.cancel();
  return response.status === 200;
}
