import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { AnchorFindings, AuditActivities } from '../../activities/audit-anchor.ts';

export interface AuditAnchorInput {
  /** How many of the newest anchors keep their list of heads (older ones keep root and findings). */
  keepHeads?: number | undefined;
}

export interface AuditAnchorResult {
  anchorId: string;
  seq: number;
  hash: string;
  root: string;
  caseCount: number;
  findings: AnchorFindings;
  pruned: string[];
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
  const collected = await collecting.collectAnchorHeads({ anchorId });
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
  };
}
