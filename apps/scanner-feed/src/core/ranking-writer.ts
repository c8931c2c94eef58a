import type { ListUpdate } from './feed-plan.js';

/**
 * Where a tick's updates go. The Redis adapter writes each update's stream entry, rows and sequence in
 * one MULTI/EXEC, so a reader never sees a list newer than its sequence. A rejection leaves it unknown
 * what was applied (the reply may be lost after EXEC ran), so the feed follows one with snapshots.
 */
export interface RankingWriter {
  write(updates: readonly ListUpdate[]): Promise<void>;
}
