import { createRedisKeys } from '@scanner/redis-keys';
import { BenchError } from '../../report/bench-error.js';

/** What the two baseline servers take from their environment (the main process sets it). */
export interface BaselineEnv {
  readonly port: number;
  readonly redisUrl: string;
  readonly redisKeyPrefix: string;
}

export function baselineEnv(env: Record<string, string | undefined>): BaselineEnv {
  const port = Number(env['PORT']);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new BenchError('INVALID_ARGUMENT', `PORT must be a port number, got ${JSON.stringify(env['PORT'])}`);
  }
  const redisKeyPrefix = env['REDIS_KEY_PREFIX'] ?? '';
  createRedisKeys(redisKeyPrefix); // refuses a malformed prefix
  return { port, redisUrl: env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', redisKeyPrefix };
}
