export { type ConnectionState, ScannerClient, type ScannerClientEvents } from './scanner-client.js';
export type { ListTable, TableUpdate } from './list-table.js';
export { DEFAULTS, type ScannerClientOptions, type Timers, type TokenProvider } from './options.js';
export type { WebSocketConstructorLike, WebSocketLike } from './websocket-like.js';
export { CLIENT_ERROR_CODES, type ClientErrorCode, ScannerClientError, type ScannerClientErrorEvent } from './errors.js';
export { type BackoffOptions, fullJitterDelay, reconnectDelay } from './backoff.js';
export { SCANNER_LISTS, type ScannerList, type ScannerRow, isScannerList } from '@scanner/shared-types';
