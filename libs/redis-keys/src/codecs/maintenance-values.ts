import { type MaintenanceStatusRecord, type Result, validateMaintenanceStatus } from '@scanner/shared-types';
import { type ValueDecodeError, decodeJsonText, encodeCheckedJson } from './value-codec.js';

/** The value of `maintenance:executed:<date>`, as the seed writes it. */
export const MAINTENANCE_EXECUTED_FLAG = '1';

/** Whether a GET of `maintenance:executed:<date>` says that session's cycle fully succeeded. */
export function isMaintenanceExecuted(value: string | null): boolean {
  return value === MAINTENANCE_EXECUTED_FLAG;
}

/** `maintenance:status:<date>`. */
export function encodeMaintenanceStatus(record: MaintenanceStatusRecord): string {
  return encodeCheckedJson(record, validateMaintenanceStatus, 'a maintenance status record');
}

export function decodeMaintenanceStatus(text: string | null): Result<MaintenanceStatusRecord, ValueDecodeError> {
  return decodeJsonText(text, 'the status record', validateMaintenanceStatus);
}
