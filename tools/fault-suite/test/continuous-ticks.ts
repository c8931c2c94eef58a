import type { ScannerList } from '@scanner/shared-types';
import type { FakeUpstream } from '@scanner/websocket-server/testing/upstream';

/** Writes a tick to each list every `intervalMs` until stopped; `stop()` resolves after the last write. */
export function tickContinuously(upstream: FakeUpstream, lists: readonly ScannerList[], intervalMs: number): { stop(): Promise<number> } {
  let running = true;
  let ticks = 0;
  const loop = (async () => {
    while (running) {
      for (const list of lists) await upstream.priceTick(list);
      ticks++;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return ticks;
    },
  };
}
