import type { IsoDate } from '@scanner/market-calendar';
import type { MaintenanceTaskName } from '@scanner/shared-types';

/** What `POST /trigger` asks for: null date = the last closed session; null tasks = the whole cycle (resuming). */
export interface TriggerRequest {
  readonly date: IsoDate | null;
  readonly tasks: readonly MaintenanceTaskName[] | null;
}

export type TriggerResult =
  | { readonly accepted: true; readonly runOf: IsoDate; readonly tasks: readonly MaintenanceTaskName[] | null }
  | { readonly accepted: false; readonly code: 'LOCK_HELD'; readonly message: string; readonly holder: string | null }
  | { readonly accepted: false; readonly code: 'NOT_A_TRADING_DAY' | 'SESSION_NOT_CLOSED' | 'SHUTTING_DOWN'; readonly message: string };

export interface HealthReport {
  readonly ok: boolean;
  readonly checks: Readonly<Record<string, { readonly ok: boolean; readonly detail: string | null }>>;
}

/** What the control HTTP server asks of the running service (implemented by the service, src/service/). */
export interface ControlPort {
  health(): Promise<HealthReport>;
  /** JSON-serializable. */
  status(): Promise<unknown>;
  /** Resolves once the lock is taken (accepted, the run goes on in the background) or refused. */
  trigger(request: TriggerRequest): Promise<TriggerResult>;
}
