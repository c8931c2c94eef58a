import { MAINTENANCE_TASKS } from '@scanner/shared-types';
import { expect } from 'vitest';
import { type CycleState, type ScenarioState, type UndisturbedRun, captureState } from '../src/process-scenario.js';
import { HISTORY_TABLES, type LedgerRun, completedAttempts, differences, duplicated, without } from '../src/state-checksums.js';

/**
 * What every process-fault scenario (kills, PostgreSQL cuts) promises once the cycle has finished: the
 * data equals an undisturbed run's (the history tables aside: they record the attempts), no row counted
 * twice, and the ledger shows each task completed exactly once for the date, by the last run only.
 * Returns the final state for the scenario's own checks and report.
 */
export async function expectRecoveredLikeUndisturbed(s: ScenarioState, reference: UndisturbedRun, ledger: readonly LedgerRun[]): Promise<CycleState> {
  const final = await captureState(s);
  expect(differences(without(final.tables, HISTORY_TABLES), without(reference.state.tables, HISTORY_TABLES))).toEqual([]);
  expect(duplicated(final.keyCounts)).toEqual([]);
  expect(differences(final.redis.keys, reference.state.redis.keys)).toEqual([]);
  // A writer stopped mid-build leaves its temporary key: tolerable only because it expires.
  expect(Object.entries(final.redis.temporary).filter(([, ttl]) => ttl < 0)).toEqual([]);
  expect(Object.fromEntries(completedAttempts(ledger))).toEqual(Object.fromEntries(MAINTENANCE_TASKS.map((t) => [t, 1])));
  expect(ledger.filter((r) => r.status === 'completed').map((r) => r.runId)).toEqual([ledger.at(-1)?.runId]);
  return final;
}
