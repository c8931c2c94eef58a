import type { WindowReport } from './delivery-stats.js';
import type { WireProtocol } from './load-client.js';

/** Commands the main process sends a load-generator process over IPC; each is answered by `id`. */
export type GeneratorCommand =
  | {
      readonly id: number;
      readonly cmd: 'connect';
      readonly baseUrl: string;
      readonly protocol: WireProtocol;
      readonly count: number;
      /** Handshakes in flight at once (a connect storm is a separate command). */
      readonly concurrency: number;
      readonly subscribe: boolean;
      readonly timeoutMs: number;
    }
  | { readonly id: number; readonly cmd: 'subscribe'; readonly timeoutMs: number }
  | { readonly id: number; readonly cmd: 'window-start' }
  | { readonly id: number; readonly cmd: 'window-end' }
  | { readonly id: number; readonly cmd: 'await-closed'; readonly timeoutMs: number }
  | { readonly id: number; readonly cmd: 'storm'; readonly timeoutMs: number; readonly retryDelayMs: number }
  | { readonly id: number; readonly cmd: 'new-day-arm' }
  | { readonly id: number; readonly cmd: 'await-new-day'; readonly timeoutMs: number }
  | { readonly id: number; readonly cmd: 'close-all'; readonly timeoutMs: number };

export type GeneratorCommandName = GeneratorCommand['cmd'];

export interface ConnectResult {
  readonly connected: number;
  readonly failed: number;
  readonly firstError: string | null;
}

export interface SubscribeResult {
  /** Clients holding all 11 snapshots. */
  readonly complete: number;
  readonly timedOut: boolean;
}

export interface WindowEndResult {
  readonly report: WindowReport;
  /** This process's user + system CPU during the window, and the window's length by its own clock. */
  readonly cpuMs: number;
  readonly wallMs: number;
}

export interface StormResult {
  /** This process's clock when it started reconnecting its clients. */
  readonly startedAt: number;
  /** When each client held all 11 snapshots again (epoch ms), for those that did. */
  readonly readyAt: readonly number[];
  /** When each client's WebSocket handshake completed (epoch ms). */
  readonly connectedAt: readonly number[];
  readonly attempts: number;
  readonly failedAttempts: number;
  readonly timedOut: boolean;
}

export interface NewDayResult {
  /** When each client received `new_day` (epoch ms), for those that did. */
  readonly receivedAt: readonly number[];
  readonly missing: number;
}

export interface ResultOf {
  readonly connect: ConnectResult;
  readonly subscribe: SubscribeResult;
  readonly 'window-start': null;
  readonly 'window-end': WindowEndResult;
  readonly 'await-closed': { readonly open: number };
  readonly storm: StormResult;
  readonly 'new-day-arm': null;
  readonly 'await-new-day': NewDayResult;
  readonly 'close-all': { readonly open: number };
}

export type GeneratorReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { readonly code: string; readonly message: string } };
