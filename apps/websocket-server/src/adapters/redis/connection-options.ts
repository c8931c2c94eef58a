import type { RedisOptions } from 'ioredis';

export type RedisRole = 'commands' | 'subscriber' | 'stream';

/**
 * The ioredis options of each of the server's three connections. A subscriber waiting for Redis must
 * fail fast and get SNAPSHOT_UNAVAILABLE, not hang; the blocking stream reader retries on its own and
 * must not time out (XREAD BLOCK holds its connection on purpose).
 *
 * `commandTimeoutMs` (REDIS_COMMAND_TIMEOUT_MS) bounds a read on the commands connection (a snapshot
 * MGET, trading:current_day). Without it a read queued while the connection hangs (a reconnect accepted
 * at TCP level that never answers, a black-holed network) waits forever: maxRetriesPerRequest only counts
 * refused reconnects. It must stay well above the event-loop stalls of a busy node: the timer also fires
 * when the reply has arrived but the loop has not read it yet.
 */
export function redisConnectionOptions(role: RedisRole, commandTimeoutMs: number): RedisOptions {
  return {
    connectionName: `websocket-server:${role}`,
    maxRetriesPerRequest: role === 'stream' ? null : 2,
    ...(role === 'commands' ? { commandTimeout: commandTimeoutMs } : {}),
  };
}
