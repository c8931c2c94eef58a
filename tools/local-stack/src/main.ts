import { resolve } from 'node:path';
import { nyseCalendar, systemClock } from '@scanner/market-calendar';
import { watchParentShell } from './adapters/parent-watch.js';
import { loadConfig } from './config.js';
import { createStackLog } from './log/stack-log.js';
import { StackError } from './stack-error.js';
import { RunningSet } from './stack/running-set.js';
import { runStack } from './stack/run-stack.js';

// The composition root of `npm start`: config -> log -> signals -> the stack. See ../README.md.

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
/** npm and tsx relay the terminal's Ctrl-C to us as well: the copies arrive within milliseconds. */
const RELAYED_SIGNAL_WINDOW_MS = 1000;

const log = createStackLog((text) => {
  process.stdout.write(text);
});

let config;
try {
  config = loadConfig(process.env, REPO_ROOT);
} catch (error) {
  if (!(error instanceof StackError)) throw error;
  log.stack(`error ${error.code}: ${error.message}`);
  process.exit(1);
}

const controller = new AbortController();
const running = new RunningSet(log);
let firstSignalAt = 0;
const onSignal = (signal: NodeJS.Signals) => {
  if (!controller.signal.aborted) {
    firstSignalAt = Date.now();
    log.stack(`${signal}: stopping everything (Ctrl-C again to kill at once)`);
    controller.abort();
    return;
  }
  if (Date.now() - firstSignalAt < RELAYED_SIGNAL_WINDOW_MS) return;
  log.stack(`${signal} again: killing everything now`);
  running.killAll();
  process.exit(1);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
if (config.underNpm) {
  watchParentShell(() => {
    if (controller.signal.aborted) return;
    log.stack("npm's shell is gone (npm was sent a signal it could not pass on): stopping everything");
    controller.abort();
  });
}

const code = await runStack({ config, log, clock: systemClock, calendar: nyseCalendar, stop: controller.signal, running });
process.exit(code);
