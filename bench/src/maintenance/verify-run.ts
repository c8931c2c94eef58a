import { quoteIdent } from '@scanner/data-maintenance';
import { createRedisKeys } from '@scanner/redis-keys';
import { BenchError } from '../report/bench-error.js';
import { type BenchEnvironment, targetPartition } from './bench-environment.js';
import { FLOOR_TABLE } from './floors.js';
import type { Variant } from './measurement.js';
import { slotChecksum } from './slot-checksum.js';

async function countKeys(env: BenchEnvironment, pattern: string): Promise<number> {
  let count = 0;
  let cursor = '0';
  do {
    const [next, batch] = await env.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    count += batch.length;
    cursor = next;
  } while (cursor !== '0');
  return count;
}

function expect(actual: number | string, expected: number | string, what: string): void {
  if (actual !== expected) throw new BenchError('RUN_FAILED', `${what}: expected ${expected}, found ${actual}`);
}

/**
 * After each measured run, that it did the whole job: every slot row of the session, identical to the
 * reference rows (the same synthetic data through every path: in process, over HTTP, from flat files,
 * row by row, by psql), every daily bar, and a cache key of each family for every ticker. A run that
 * took a shortcut would be measured as faster than it is; this refuses it instead.
 */
export async function verifyRun(env: BenchEnvironment, variant: Variant): Promise<void> {
  const { plan, referenceSlots: reference } = env;
  const slots = await slotChecksum(env.pool, targetPartition(env));
  expect(slots.rows, reference.rows, `${variant}: slot rows of ${plan.target}`);
  expect(slots.md5, reference.md5, `${variant}: slot rows' checksum`);
  if (variant === 'floors') {
    const floor = await slotChecksum(env.pool, quoteIdent(FLOOR_TABLE));
    expect(floor.md5, reference.md5, 'floors: psql-copied rows\' checksum');
    return;
  }
  const daily = await env.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM market_data_daily WHERE date = $1', [plan.target]);
  expect(daily.rows[0]?.n ?? 0, plan.universe, `${variant}: daily bars of ${plan.target}`);
  const keys = createRedisKeys(env.target.prefix);
  for (const family of ['tickerMetadata', 'atrData', 'rvolHistAvg'] as const) {
    expect(await countKeys(env, keys.patterns[family]), plan.universe, `${variant}: ${family} keys`);
  }
  expect(await env.redis.scard(keys.tickerUniverse), plan.universe, `${variant}: ticker:universe members`);
}
