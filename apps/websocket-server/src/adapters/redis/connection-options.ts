import type { RedisOptions } from 'ioredis';

export type RedisRole = 'commands' | 'subscriber' | 'stream';

/**
 * How long a read on the commands connection (a snapshot MGET, trading:current_day) may take. Without
 * it a read queued while the connection hangs (a reconnect accepted at TCP level that never answers,
 * a black-holed network) waits forever: maxRetriesPerRequest only counts refused reconnects, so the
 * subscriber would get neither its snapshot nor SNAPSHOT_UNAVAILABLE.
 */
export const COMMAND_TIMEOUT_MS = 2_000;

/**
 * The ioredis options of each of the server's three connections. A subscriber waiting for Redis must
 * fail fast and get SNAPSHOT_UNAVAILABLE, not hang; the blocking stream reader retries on its own and
 * must not time out (XREAD BLOCK holds its connection on purpose).
 */
export function redisConnectionOptions(role: RedisRole, commandTimeoutMs = COMMAND_TIMEOUT_MS): RedisOptions {
  return {
    connectionName: `websocket-server:${role}`,
    maxRetriesPerRequest: role === 'stream' ? null : 2,
    ...(role === 'commands' ? { commandTimeout: commandTimeoutMs } : {}),
  };
}
