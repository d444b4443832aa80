import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { AnchorBase, AnchorFindings, AuditActivities } from '../../activities/audit-anchor.ts';

export interface AuditAnchorInput {
  /** How many of the newest anchors keep their list of heads (older ones keep root and findings). */
  keepHeads?: number | undefined;
  /**
   * The anchor to build on, for a run started by hand after a recorded one. Runs the Schedule
   * starts get the previous run's result from Temporal itself (its last completion result).
   */
  previous?: AnchorBase | undefined;
}

export interface AuditAnchorResult {
  anchorId: string;
  seq: number;
  hash: string;
  root: string;
  caseCount: number;
  findings: AnchorFindings;
  pruned: string[];
  /** The seq of the anchor this one built on (the previous run's), null for the first. */
  basedOn?: number | null;
}

export const DEFAULT_KEEP_HEADS = 35;

// Collecting reads every case's new entries: long, so it heartbeats and may take a while.
const collecting = proxyActivities<AuditActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});
const quick = proxyActivities<AuditActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/**
 * One anchor of the audit trail (started daily by a Schedule): heads of every
 * case's chain → Merkle root → an entry chained to the previous anchor. A
 * short run of three activities, so its history stays small whatever the
 * number of cases; the root it returns also lives in Temporal's history, out
 * of reach of anyone who can only write to DynamoDB.
 */
export async function auditAnchor(input: AuditAnchorInput = {}): Promise<AuditAnchorResult> {
  const info = workflowInfo();
  // Unique per run, stable across activity retries: the anchor's idempotency key.
  const anchorId = `${info.workflowId}/${info.runId}`;
  // Built on what the previous run recorded in Temporal, never on whatever the table's newest
  // anchor row is: a row forged there must not become the base of the next real anchor.
  const previous = input.previous ?? recordedBase(info.lastResult);
  const collected = await collecting.collectAnchorHeads({ anchorId, previous });
  const sealed = await quick.sealAnchor({ ...collected, at: new Date().toISOString() });
  const { pruned } = await quick.pruneAnchorHeads({ keep: input.keepHeads ?? DEFAULT_KEEP_HEADS });
  return {
    anchorId,
    seq: sealed.seq,
    hash: sealed.hash,
    root: sealed.root,
    caseCount: collected.caseCount,
    findings: collected.findings,
    pruned,
    basedOn: collected.basedOn,
  };
}

/** The base a previous run's result gives, or null when there is none or it is not an anchor's. */
function recordedBase(last: unknown): AnchorBase | null {
  if (typeof last !== 'object' || last === null) return null;
  const r = last as Partial<Record<keyof AnchorBase, unknown>>;
  if (
    typeof r.anchorId !== 'string' ||
    typeof r.seq !== 'number' ||
    typeof r.hash !== 'string' ||
    typeof r.root !== 'string' ||
    typeof r.caseCount !== 'number'
  )
    return null;
  return { anchorId: r.anchorId, seq: r.seq, hash: r.hash, root: r.root, caseCount: r.caseCount };
}
