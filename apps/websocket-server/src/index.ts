/**
 * The app's public API for code outside it that drives the real server in-process (the fault suite in
 * tools/fault-suite). Re-exports only: the app itself is composed in main.ts.
 */
export { ConfigError, type ServerConfig, loadConfig } from './config.js';
export { type ClientStats, type ScannerServer, type ScannerServerDeps, type ServerRedis, createScannerServer } from './server.js';
export { type RedisRole, redisConnectionOptions } from './adapters/redis/connection-options.js';
