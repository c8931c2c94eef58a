import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { BenchError } from '../../report/bench-error.js';
import type { GeneratorCommand, GeneratorCommandName, GeneratorReply, ResultOf } from './generator-messages.js';

const GENERATOR_ENTRY = resolve(import.meta.dirname, 'load-generator.ts');

type CommandBody<C extends GeneratorCommandName> = Omit<Extract<GeneratorCommand, { cmd: C }>, 'id' | 'cmd'>;

/** Splits `total` clients over `parts` processes as evenly as possible. */
export function shares(total: number, parts: number): number[] {
  if (!Number.isInteger(total) || total < 0 || !Number.isInteger(parts) || parts < 1) {
    throw new BenchError('INVALID_ARGUMENT', `cannot split ${total} clients over ${parts} processes`);
  }
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The load-generator processes, driven together: each command goes to all and resolves with every answer. */
export class GeneratorPool {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(readonly processes: readonly ChildProcess[]) {
    for (const child of processes) {
      child.on('message', (reply: GeneratorReply) => {
        const waiting = this.pending.get(reply.id);
        if (waiting === undefined) return;
        this.pending.delete(reply.id);
        if (reply.ok) waiting.resolve(reply.result);
        else waiting.reject(new BenchError('RUN_FAILED', `load generator: ${reply.error.code}: ${reply.error.message}`));
      });
      child.on('exit', (code, signal) => {
        for (const [id, waiting] of this.pending) {
          this.pending.delete(id);
          waiting.reject(new BenchError('RUN_FAILED', `a load generator exited (${code ?? signal}) during a command`));
        }
      });
    }
  }

  static start(count: number): GeneratorPool {
    const processes = Array.from({ length: count }, () =>
      fork(GENERATOR_ENTRY, [], {
        execArgv: ['--import', 'tsx', '--conditions=development'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    return new GeneratorPool(processes);
  }

  get size(): number {
    return this.processes.length;
  }

  /** Sends the same command to every process. */
  all<C extends GeneratorCommandName>(cmd: C, body: CommandBody<C>): Promise<Array<ResultOf[C]>> {
    return Promise.all(this.processes.map((child) => this.one(child, cmd, body)));
  }

  /** A command whose body differs per process (e.g. each one's share of the clients). */
  each<C extends GeneratorCommandName>(cmd: C, bodyOf: (index: number) => CommandBody<C>): Promise<Array<ResultOf[C]>> {
    return Promise.all(this.processes.map((child, index) => this.one(child, cmd, bodyOf(index))));
  }

  private one<C extends GeneratorCommandName>(child: ChildProcess, cmd: C, body: CommandBody<C>): Promise<ResultOf[C]> {
    const id = this.nextId++;
    return new Promise<ResultOf[C]>((resolvePromise, reject) => {
      this.pending.set(id, { resolve: resolvePromise as (value: unknown) => void, reject });
      child.send({ ...body, id, cmd });
    });
  }

  /** Process ids, for CPU accounting from /proc. */
  pids(): number[] {
    return this.processes.flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.processes.map(
        (child) =>
          new Promise<void>((resolvePromise) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolvePromise();
            child.once('exit', () => resolvePromise());
            child.disconnect();
            setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
          }),
      ),
    );
  }
}
