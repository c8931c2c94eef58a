import { type Clock, nyseCalendar } from '@scanner/market-calendar';
import { errorText } from '../../src/cli/run-cli.js';
import { loadConfig } from '../../src/config.js';
import { runService } from '../../src/service/run-service.js';
import { shutdownSignals } from '../../src/service/shutdown-signals.js';

/**
 * The test entry of the service process: `maintenance serve` as main.ts wires it, except for the clock,
 * which starts at the instant given as `--now <ISO instant>` and then advances in real time, so process
 * tests stand on a chosen trading day whatever the machine's date. Configured by the environment.
 *
 *   node --conditions=development --import tsx test/support/service-process.ts --now 2026-11-20T23:00:00Z
 */
function offsetClock(start: Date): Clock {
  const origin = performance.now();
  return { now: () => new Date(start.getTime() + (performance.now() - origin)) };
}

function startInstant(argv: readonly string[]): Date {
  const index = argv.indexOf('--now');
  const value = index === -1 ? undefined : argv[index + 1];
  const at = value === undefined ? Number.NaN : Date.parse(value);
  if (Number.isNaN(at)) throw new Error('usage: service-process.ts --now <ISO instant>');
  return new Date(at);
}

const stopRequested = shutdownSignals(process, (signal) => process.stderr.write(`${signal} again: exiting at once\n`));
runService(loadConfig(process.env), { clock: offsetClock(startInstant(process.argv)), calendar: nyseCalendar, stopRequested })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`${errorText(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    setTimeout(() => process.exit(), 2000).unref();
  });
