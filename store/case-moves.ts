import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { readChain } from './audit-chain.ts';
import type { TableNames } from './clients.ts';

/**
 * A case's reassignments and hand-overs as its audit trail has them. The case record keeps only
 * who holds the case now; who held it before, and who moved it, are only in the trail.
 */
export interface CaseMove {
  how: 'reassigned' | 'handed_over';
  /** Who moved it: the supervisor reassigning, or the holder handing it over. */
  byId: string;
  fromId: string;
  toId: string;
  reason: string;
  at: string;
}

// Stored as payloadForStorage left it: the step's payload under `payload` (or only its hash when too big).
const movePayload = z.object({
  payload: z.object({ from: z.string(), to: z.string(), reason: z.string() }),
});
const moveAction = z.enum(['reassigned', 'handed_over']);

/** The case's moves, oldest first; an entry whose payload was stored only as a hash is skipped. */
export async function caseMoves(
  ddb: DynamoDBClient,
  tables: TableNames,
  caseId: string,
): Promise<CaseMove[]> {
  const moves: CaseMove[] = [];
  for (const e of await readChain(ddb, tables, caseId)) {
    const how = moveAction.safeParse(e.action);
    const payload = movePayload.safeParse(e.payload);
    if (!how.success || !payload.success) continue;
    const { from, to, reason } = payload.data.payload;
    moves.push({ how: how.data, byId: e.actor.id, fromId: from, toId: to, reason, at: e.at });
  }
  return moves;
}

/** Whether the person held the case once and it was moved away from them. */
export async function heldBefore(
  ddb: DynamoDBClient,
  tables: TableNames,
  caseId: string,
  personId: string,
): Promise<boolean> {
  return (await caseMoves(ddb, tables, caseId)).some((m) => m.fromId === personId);
}
