/**
 * A load-generator process (forked by generator-pool.ts): holds its share of the clients and answers
 * the main process's commands over IPC. Separate processes, so the clients' CPU is neither the server's
 * nor the main's, and each stays under the per-process file-descriptor limit.
 */
import { setPriority } from 'node:os';
import { SCANNER_LISTS } from '@scanner/shared-types';
import { DeliveryStats } from './delivery-stats.js';
import type { ConnectResult, GeneratorCommand, GeneratorReply, NewDayResult, ResultOf, StormResult } from './generator-messages.js';
import { LoadClient, type LoadClientEvents } from './load-client.js';

// The clients stand in for browsers on other machines: on this one they share the cores with the
// server under test, so they yield to it (nice 10) instead of taking an equal share; the same for every
// server compared.
setPriority(10);

/** Every 997th frame (a prime, so no list or client lines up with it) is also fully parsed. */
const stats = new DeliveryStats(997);
let clients: LoadClient[] = [];
const readyAt = new Map<number, number>();
const newDayAt = new Map<number, number>();
let newDayArmed = false;

const events: LoadClientEvents = {
  snapshotsComplete(client, at) {
    if (!readyAt.has(client.id)) readyAt.set(client.id, at);
  },
  newDay(client, at) {
    if (newDayArmed && !newDayAt.has(client.id)) newDayAt.set(client.id, at);
  },
  closed() {
    // Whoever waits for closes polls isOpen.
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` until it holds or `timeoutMs` passes; true when it held. */
async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await sleep(10);
  }
  return true;
}

async function connect(command: Extract<GeneratorCommand, { cmd: 'connect' }>): Promise<ConnectResult> {
  const created = Array.from(
    { length: command.count },
    (_, i) =>
      new LoadClient(clients.length + i, {
        baseUrl: command.baseUrl,
        protocol: command.protocol,
        stats,
        events,
      }),
  );
  clients = clients.concat(created);
  let next = 0;
  let connected = 0;
  let failed = 0;
  let firstError: string | null = null;
  const deadline = Date.now() + command.timeoutMs;
  // A refused handshake (a full accept queue) is tried again, as a browser would.
  const worker = async () => {
    while (next < created.length) {
      const client = created[next++];
      if (client === undefined) break;
      for (let attempt = 1; ; attempt += 1) {
        try {
          await client.connect(command.subscribe);
          connected += 1;
          break;
        } catch (error) {
          if (attempt >= 5 || Date.now() >= deadline) {
            failed += 1;
            firstError ??= (error as Error).message;
            break;
          }
          await sleep(250);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(command.concurrency, created.length) }, worker));
  return { connected, failed, firstError };
}

async function storm(command: Extract<GeneratorCommand, { cmd: 'storm' }>): Promise<StormResult> {
  readyAt.clear();
  const connectedAt: number[] = [];
  let attempts = 0;
  let failedAttempts = 0;
  const startedAt = Date.now();
  const deadline = startedAt + command.timeoutMs;
  // Every client at once: no pool, each retries on its own after a refusal.
  const reconnect = async (client: LoadClient) => {
    while (Date.now() < deadline) {
      attempts += 1;
      try {
        await client.connect(true);
        connectedAt.push(Date.now());
        return;
      } catch {
        failedAttempts += 1;
        await sleep(command.retryDelayMs * (0.5 + Math.random()));
      }
    }
  };
  await Promise.all(clients.map(reconnect));
  const remaining = Math.max(0, deadline - Date.now());
  const timedOut = !(await waitUntil(() => readyAt.size >= clients.length, remaining));
  return { startedAt, readyAt: [...readyAt.values()], connectedAt, attempts, failedAttempts, timedOut };
}

async function awaitNewDay(timeoutMs: number): Promise<NewDayResult> {
  await waitUntil(() => newDayAt.size >= clients.length, timeoutMs);
  return { receivedAt: [...newDayAt.values()], missing: clients.length - newDayAt.size };
}

let cpuAtStart = process.cpuUsage();
let windowStartedAt = Date.now();

async function handle(command: GeneratorCommand): Promise<ResultOf[GeneratorCommand['cmd']]> {
  switch (command.cmd) {
    case 'connect':
      return connect(command);
    case 'subscribe': {
      readyAt.clear();
      for (const client of clients) client.subscribeAll();
      const timedOut = !(await waitUntil(() => readyAt.size >= clients.length, command.timeoutMs));
      return { complete: clients.filter((c) => c.heldCount === SCANNER_LISTS.length).length, timedOut };
    }
    case 'window-start':
      cpuAtStart = process.cpuUsage();
      windowStartedAt = Date.now();
      stats.start();
      return null;
    case 'window-end': {
      const report = stats.stop();
      const cpu = process.cpuUsage(cpuAtStart);
      return { report, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: Date.now() - windowStartedAt };
    }
    case 'await-closed': {
      await waitUntil(() => clients.every((c) => !c.isOpen), command.timeoutMs);
      return { open: clients.filter((c) => c.isOpen).length };
    }
    case 'storm':
      return storm(command);
    case 'new-day-arm':
      newDayAt.clear();
      newDayArmed = true;
      return null;
    case 'await-new-day':
      return awaitNewDay(command.timeoutMs);
    case 'close-all': {
      for (const client of clients) client.close();
      await waitUntil(() => clients.every((c) => !c.isOpen), command.timeoutMs);
      const open = clients.filter((c) => c.isOpen).length;
      for (const client of clients) client.terminate();
      clients = [];
      readyAt.clear();
      return { open };
    }
  }
}

process.on('message', (message: GeneratorCommand) => {
  handle(message).then(
    (result) => process.send?.({ id: message.id, ok: true, result } satisfies GeneratorReply),
    (error: unknown) => {
      const code = (error as { code?: unknown }).code;
      const reply: GeneratorReply = {
        id: message.id,
        ok: false,
        error: { code: typeof code === 'string' ? code : 'GENERATOR_FAILED', message: (error as Error).message },
      };
      process.send?.(reply);
    },
  );
});
// The parent going away must not leave clients connected.
process.on('disconnect', () => process.exit(0));
