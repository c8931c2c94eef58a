import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { resolve } from 'node:path';
import { BenchError } from '../report/bench-error.js';
import { REDIS_URL } from './bench-redis.js';
import { REPO_ROOT, typeScriptChildArgs } from './node-args.js';
import type { ProbeReply, ProbeRequest, ProbeSample } from './probe/probe-messages.js';

export const SERVER_KINDS = ['ours', 'socketio', 'naive'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export const SERVER_LABELS: Readonly<Record<ServerKind, string>> = {
  ours: 'websocket-server',
  socketio: 'socket.io 4.8',
  naive: 'naive ws',
};

const OURS_MAIN = resolve(REPO_ROOT, 'apps/websocket-server/dist/main.js');
const BASELINE_MAIN: Readonly<Record<Exclude<ServerKind, 'ours'>, string>> = {
  socketio: resolve(import.meta.dirname, 'socketio-server.ts'),
  naive: resolve(import.meta.dirname, 'naive-ws-server.ts'),
};

/**
 * websocket-server's settings for the benchmark: the connection cap above the largest load, quiet logs
 * (the baselines log nothing either), everything else (rate limits, slow-client policy) as deployed.
 */
function oursEnv(port: number, prefix: string): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    MAX_CONNECTIONS: '50000',
    LOG_LEVEL: 'warn',
  };
}

export interface ServerProcessOptions {
  readonly kind: ServerKind;
  readonly port: number;
  readonly prefix: string;
  /** The transpiled probe (build-probe.ts). */
  readonly probePath: string;
  /** stdout and stderr of the server go here. */
  readonly logPath: string;
  /** Extra environment for the server (a diagnostic variant of a setting). */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

/** A probe request without its id (the id is added when it is sent). */
type ProbeCommand = ProbeRequest extends infer R ? (R extends ProbeRequest ? Omit<R, 'probe'> : never) : never;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** A server under test in its own process, with the probe loaded, spoken to over IPC. */
export class ServerProcess {
  private nextProbe = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly kind: ServerKind,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (reply: ProbeReply) => {
      const waiting = this.pending.get(reply.probe);
      if (waiting === undefined) return;
      this.pending.delete(reply.probe);
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(new BenchError('RUN_FAILED', `probe: ${reply.message}`));
    });
    this.exited = new Promise((resolvePromise) =>
      child.once('exit', (code, signal) => {
        for (const [id, waiting] of this.pending) {
          this.pending.delete(id);
          waiting.reject(new BenchError('RUN_FAILED', `${SERVER_LABELS[kind]} exited (${code ?? signal})`));
        }
        resolvePromise({ code, signal });
      }),
    );
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const { kind, port, prefix, probePath, logPath } = options;
    const node = ['--expose-gc'];
    const [args, env] =
      kind === 'ours'
        ? [[...node, '--import', probePath, OURS_MAIN], oursEnv(port, prefix)]
        : [
            [...node, ...typeScriptChildArgs(), '--import', probePath, BASELINE_MAIN[kind]],
            { PORT: String(port), REDIS_URL, REDIS_KEY_PREFIX: prefix },
          ];
    const log = openSync(logPath, 'a');
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', ...env, ...options.extraEnv },
      stdio: ['ignore', log, log, 'ipc'],
    });
    closeSync(log);
    const server = new ServerProcess(kind, port, child);
    await server.waitReady(60_000, logPath);
    return server;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new BenchError('RUN_FAILED', 'the server process has no pid');
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get baseUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** websocket-server: /readyz (Redis, stream reader and epoch up); the baselines: /healthz. */
  private async waitReady(timeoutMs: number, logPath: string): Promise<void> {
    const path = this.kind === 'ours' ? '/readyz' : '/healthz';
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!this.running) throw new BenchError('RUN_FAILED', `${SERVER_LABELS[this.kind]} exited at start; see ${logPath}`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}${path}`);
        if (response.ok) return;
        last = `${response.status} ${await response.text()}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.kill();
    throw new BenchError('RUN_FAILED', `${SERVER_LABELS[this.kind]} not ready within ${timeoutMs} ms (last ${path}: ${last}); see ${logPath}`);
  }

  private ask<T>(request: ProbeCommand): Promise<T> {
    const probe = this.nextProbe++;
    return new Promise<T>((resolvePromise, reject) => {
      if (!this.running) return reject(new BenchError('RUN_FAILED', `${SERVER_LABELS[this.kind]} is not running`));
      this.pending.set(probe, { resolve: resolvePromise as (value: unknown) => void, reject });
      this.child.send({ ...request, probe });
    });
  }

  /**
   * The server's CPU, memory and event-loop delay. One round trip per reading on purpose: an overloaded
   * server answers only when its event loop turns, which can take seconds.
   */
  sample(options: { gc?: boolean; resetLoopDelay?: boolean } = {}): Promise<ProbeSample> {
    return this.ask<ProbeSample>({ kind: 'sample', gc: options.gc ?? false, resetLoopDelay: options.resetLoopDelay ?? false });
  }

  profileStart(): Promise<null> {
    return this.ask<null>({ kind: 'profile-start' });
  }

  profileStop(path: string): Promise<{ path: string }> {
    return this.ask<{ path: string }>({ kind: 'profile-stop', path });
  }

  /** websocket-server's /readyz body ({ready, redis, subscriber, stream, epoch}). */
  async readiness(): Promise<{ readonly epoch: string | null }> {
    const response = await fetch(`http://127.0.0.1:${this.port}/readyz`);
    return (await response.json()) as { epoch: string | null };
  }

  /** websocket-server's Prometheus text (its own counters of what it sent and how it treated slow clients). */
  async metricsText(): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${this.port}/metrics`);
    return response.text();
  }

  /** SIGTERM (websocket-server closes every client with 1001), SIGKILL if it has not exited in 15 s. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  waitExit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }
}
