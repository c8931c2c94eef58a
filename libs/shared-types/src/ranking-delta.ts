import { z } from 'zod';
import type { DecodeError, Result } from './result.js';
import { positiveIntSchema } from './field-schemas.js';
import { validateWith } from './validate-with.js';
import { jsonValueProblem } from './json-limits.js';

/** A row's market fields as a delta carries them; the item's own `symbol` and `rank` are authoritative. */
export interface RowData {
  readonly [field: string]: unknown;
}

export interface AddDelta {
  readonly action: 'add';
  readonly rank: number;
  readonly symbol: string;
  readonly data: RowData;
}

export interface RemoveDelta {
  readonly action: 'remove';
  readonly symbol: string;
}

export interface RerankDelta {
  readonly action: 'rerank';
  readonly symbol: string;
  readonly old_rank: number;
  readonly new_rank: number;
}

export interface UpdateDelta {
  readonly action: 'update';
  readonly rank: number;
  readonly symbol: string;
  readonly data: RowData;
}

/** One change to a ranked list, as the upstream scanner writes it (DESIGN 4.2). */
export type RankingDelta = AddDelta | RemoveDelta | RerankDelta | UpdateDelta;

const symbol = z.string().min(1);
const rowData = z.looseObject({});

// Loose objects: fields upstream adds later are forwarded to clients instead of being dropped here.
export const rankingDeltaSchema = z.discriminatedUnion('action', [
  z.looseObject({ action: z.literal('add'), rank: positiveIntSchema, symbol, data: rowData }),
  z.looseObject({ action: z.literal('remove'), symbol }),
  z.looseObject({ action: z.literal('rerank'), symbol, old_rank: positiveIntSchema, new_rank: positiveIntSchema }),
  z.looseObject({ action: z.literal('update'), rank: positiveIntSchema, symbol, data: rowData }),
]);

/** Each item must survive being sent on as JSON (see scannerRowsSchema). */
export const rankingDeltasSchema = z.array(rankingDeltaSchema).superRefine((items, ctx) => {
  items.forEach((item, index) => {
    const problem = jsonValueProblem(item);
    if (problem !== null) ctx.addIssue({ code: 'custom', path: [index], message: problem });
  });
});

export function validateRankingDeltas(value: unknown): Result<RankingDelta[], DecodeError<'INVALID_DELTAS'>> {
  return validateWith(rankingDeltasSchema, value, 'INVALID_DELTAS');
}
