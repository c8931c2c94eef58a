import { type RedisKeys, decodeScannerRows, decodeSequence } from '@scanner/redis-keys';
import type { ScannerList } from '@scanner/shared-types';
import type { Redis } from 'ioredis';
import type { LoadedList } from '../../core/list-state.js';

/** The keys of a list hold something the codecs refuse; the list cannot be served until upstream rewrites it. */
export class SnapshotLoadError extends Error {
  constructor(
    readonly code: 'INVALID_ROWS' | 'INVALID_SEQUENCE',
    message: string,
  ) {
    super(message);
    this.name = 'SnapshotLoadError';
  }
}

export type ListLoader = (list: ScannerList) => Promise<LoadedList>;

/**
 * Rows and sequence in ONE atomic read (MGET): two GETs could straddle an upstream write and pair
 * new rows with an old sequence, which the next delta would then be applied on.
 */
export function redisListLoader(redis: Redis, keys: RedisKeys): ListLoader {
  return async (list) => {
    const [rowsText, sequenceText] = await redis.mget(keys.scannerCategory(list), keys.scannerSequence(list));
    const rows = decodeScannerRows(rowsText ?? null);
    if (!rows.ok && rows.error.code !== 'MISSING') {
      throw new SnapshotLoadError('INVALID_ROWS', `${keys.scannerCategory(list)}: ${rows.error.message}`);
    }
    const sequence = decodeSequence(sequenceText ?? null);
    if (!sequence.ok && sequence.error.code !== 'MISSING') {
      throw new SnapshotLoadError('INVALID_SEQUENCE', `${keys.scannerSequence(list)}: ${sequence.error.message}`);
    }
    return { rows: rows.ok ? rows.value : null, sequence: sequence.ok ? sequence.value : null };
  };
}
