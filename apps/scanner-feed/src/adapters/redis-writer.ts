import { type RedisKeys, encodeRankingStreamEntry, encodeScannerRows, encodeSequence } from '@scanner/redis-keys';
import type { Redis } from 'ioredis';
import type { ListUpdate } from '../core/feed-plan.js';
import type { RankingWriter } from '../core/ranking-writer.js';

export interface RedisWriterOptions {
  readonly redis: Redis;
  readonly keys: RedisKeys;
  /** XADD MAXLEN ~ cap: the stream is trimmed in whole nodes, so it may run a little past this. */
  readonly streamMaxLen: number;
}

export class RedisWriteError extends Error {
  readonly code = 'REDIS_WRITE_FAILED';
  override readonly name = 'RedisWriteError';
}

/**
 * Writes exactly what the production scanner writes (DESIGN 4.2): `XADD stream:ranking:deltas`, then
 * `SET scanner:category:<list>` and `SET scanner:sequence:<list>`. A tick's updates share one
 * MULTI/EXEC: one round trip, and no reader sees a category newer than its sequence or the stream.
 */
export function createRedisWriter(options: RedisWriterOptions): RankingWriter {
  const { redis, keys, streamMaxLen } = options;
  return {
    async write(updates: readonly ListUpdate[]): Promise<void> {
      if (updates.length === 0) return;
      const tx = redis.multi();
      for (const update of updates) {
        tx.xadd(keys.rankingDeltas, 'MAXLEN', '~', String(streamMaxLen), '*', ...encodeRankingStreamEntry(update.entry));
        tx.set(keys.scannerCategory(update.list), encodeScannerRows(update.rows));
        tx.set(keys.scannerSequence(update.list), encodeSequence(update.sequence));
      }
      const replies = await tx.exec();
      if (replies === null) throw new RedisWriteError('MULTI was aborted; nothing was written');
      const failed = replies.find(([error]) => error !== null);
      if (failed) throw new RedisWriteError(`a command of the MULTI failed: ${String(failed[0])}`);
    },
  };
}
