import { nyseCalendar, systemClock } from '@scanner/market-calendar';
import { streamOutput } from './cli/cli-output.js';
import { EXIT } from './cli/exit-codes.js';
import { errorText, runCli } from './cli/run-cli.js';
import { openClients } from './open-clients.js';
import { runService } from './service/run-service.js';
import { shutdownSignals } from './service/shutdown-signals.js';

// The composition root: `maintenance <command>` (tsx src/main.ts, or node dist/main.js).
// config -> logger -> clients -> command; the clients are closed when the command ends.
// `serve` runs until SIGTERM/SIGINT (subscribed here only, and only for `serve`); a second one exits at once.

const calendar = nyseCalendar;
const clock = systemClock;

runCli({
  argv: process.argv.slice(2),
  env: process.env,
  clock,
  calendar,
  out: streamOutput(process.stdout),
  errorLine: (text) => process.stderr.write(`${text}\n`),
  open: (config) => openClients(config, { clock, calendar, startEvent: 'cli_started' }),
  serve: (config) =>
    runService(config, {
      clock,
      calendar,
      stopRequested: shutdownSignals(process, (signal) => process.stderr.write(`${signal} again: exiting now without waiting for the task under way\n`)),
    }),
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`${errorText(error)}\n`);
    process.exitCode = EXIT.FAILED;
  })
  .finally(() => {
    // A stray handle (a retry timer in a client) must not keep a finished command alive.
    setTimeout(() => process.exit(), 2000).unref();
  });
