export { type DecodeError, type Result, err, ok } from './result.js';
export { validateWith } from './validate-with.js';
export { parseJson } from './parse-json.js';
export { quote } from './quote.js';
export { isIsoInstant } from './field-schemas.js';
export { MAX_LIST_NAME_LENGTH, SCANNER_LISTS, type ScannerList, isScannerList } from './scanner-lists.js';
export { type ScannerRow, validateScannerRows } from './scanner-row.js';
export {
  type AddDelta,
  type RankingDelta,
  type RemoveDelta,
  type RerankDelta,
  type RowData,
  type UpdateDelta,
  validateRankingDeltas,
} from './ranking-delta.js';
export { PROTOCOL_ERROR_CODES, type ProtocolError, type ProtocolErrorCode } from './protocol-errors.js';
export { CLOSE_CODES, type CloseCode } from './close-codes.js';
export {
  CLIENT_ACTION_ALIASES,
  MAX_CLIENT_MESSAGE_LENGTH,
  type ClientAction,
  type ClientMessage,
  type PingMessage,
  type ResumePoint,
  type ResyncMessage,
  type SubscribeListMessage,
  type UnsubscribeListMessage,
} from './client-messages.js';
export { parseClientMessage } from './parse-client-message.js';
export type {
  ConnectedMessage,
  DeltaMessage,
  ErrorMessage,
  NewDayMessage,
  PongMessage,
  ServerMessage,
  ServerMessageType,
  SnapshotMessage,
  SubscribedListMessage,
  UnsubscribedListMessage,
} from './server-messages.js';
export {
  encodeConnected,
  encodeDelta,
  encodeError,
  encodeNewDay,
  encodePong,
  encodeSnapshot,
  encodeSubscribedList,
  encodeUnsubscribedList,
} from './encode-server-message.js';
export { type ServerMessageError, type ServerMessageErrorCode, parseServerMessage } from './parse-server-message.js';
export {
  MAINTENANCE_TASKS,
  MAINTENANCE_TASK_STATUSES,
  type MaintenanceStatusRecord,
  type MaintenanceTaskName,
  type MaintenanceTaskResult,
  type MaintenanceTaskStatus,
  validateMaintenanceStatus,
} from './maintenance-status.js';
export { type DeltaConflict, applyRankingDeltas } from './apply-ranking-deltas.js';
export { diffRankings } from './diff-rankings.js';
