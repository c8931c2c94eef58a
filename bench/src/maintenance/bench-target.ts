/** Where a measured run writes: the services, the benchmark's own schema and key prefix, the session. */
export interface BenchTarget {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly schema: string;
  readonly prefix: string;
  readonly universe: number;
  readonly seed: number;
}
