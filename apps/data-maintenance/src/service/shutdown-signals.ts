/** The part of `process` the composition root hands over: signal subscription and an immediate exit. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): never;
}

export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Settles with the first SIGTERM or SIGINT; a second one exits the process at once with 1 (an operator
 * who does not want to wait for the grace). Called only by a composition root (main.ts, the test entry).
 */
export function shutdownSignals(source: SignalSource, onSecond?: (signal: NodeJS.Signals) => void): Promise<string> {
  return new Promise((resolve) => {
    let received = false;
    const handle = (signal: NodeJS.Signals) => {
      if (received) {
        onSecond?.(signal);
        source.exit(1);
        return;
      }
      received = true;
      resolve(signal);
    };
    for (const name of SHUTDOWN_SIGNALS) source.on(name, handle);
  });
}
