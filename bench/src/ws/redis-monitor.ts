import { Redis } from 'ioredis';
import { REDIS_URL } from './bench-redis.js';
import { CategoryReadTally } from './category-reads.js';

/**
 * Counts, with MONITOR on a connection of its own, every GET/MGET of this prefix's category keys while
 * it runs. MONITOR sees each client's commands as Redis executes them, so the count is exact and
 * unaffected by other users of the same Redis (their keys have other prefixes), unlike INFO commandstats.
 */
export class CategoryReadMonitor {
  readonly tally = new CategoryReadTally();

  private constructor(private readonly connection: Redis, private readonly monitor: Redis) {}

  static async start(prefix: string): Promise<CategoryReadMonitor> {
    const connection = new Redis(REDIS_URL, { connectionName: 'bench-ws:monitor' });
    const monitor = await connection.monitor();
    const reads = new CategoryReadMonitor(connection, monitor);
    monitor.on('monitor', (_time: string, args: string[]) => reads.tally.add(args, prefix));
    return reads;
  }

  stop(): void {
    this.monitor.disconnect();
    this.connection.disconnect();
  }
}
