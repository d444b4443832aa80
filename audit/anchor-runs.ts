import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AnchorRuns, AnchorWitness } from './verify.ts';

/** The part of an anchor run's result (the audit-anchor workflow's) read here. */
interface AuditAnchorResult {
  anchorId: string;
  seq: number;
  hash: string;
  root: string;
  caseCount: number;
  basedOn?: number | null;
}

/**
 * The newest completed anchor run on a task queue and its recorded result, as Temporal keeps
 * them (unchecked: callers test the fields they need). Null before the first run. Throws when
 * Temporal cannot be asked (visibility queries need the dev server or a real cluster).
 */
export async function newestAnchorRun(
  client: Client,
  taskQueue: string,
): Promise<{ workflowId: string; result: Partial<AuditAnchorResult> } | null> {
  let newest: { workflowId: string; runId: string; closed: number } | null = null;
  let seen = 0;
  const queue = taskQueue.replace(/'/g, '');
  for await (const wf of client.workflow.list({
    query: `WorkflowType = 'auditAnchor' AND ExecutionStatus = 'Completed' AND TaskQueue = '${queue}'`,
    pageSize: 20,
  })) {
    const closed = wf.closeTime?.getTime() ?? 0;
    if (!newest || closed > newest.closed) newest = { workflowId: wf.workflowId, runId: wf.runId, closed };
    if (++seen >= 20) break;
  }
  if (!newest) return null;
  const result = (await client.workflow
    .getHandle(newest.workflowId, newest.runId)
    .result()) as Partial<AuditAnchorResult>;
  return { workflowId: newest.workflowId, result };
}

/**
 * The newest anchor as Temporal remembers it: the result of the latest completed anchor run on
 * this deployment's task queue. Someone who can rewrite every table still cannot rewrite that.
 * Null when Temporal has none or can't be asked.
 */
export async function anchorWitness(client: Client, taskQueue: string): Promise<AnchorWitness | null> {
  try {
    const newest = await newestAnchorRun(client, taskQueue);
    if (!newest) return null;
    const r = newest.result;
    if (typeof r.seq !== 'number' || typeof r.hash !== 'string' || typeof r.root !== 'string') return null;
    return {
      source: `temporal:${newest.workflowId}`,
      seq: r.seq,
      hash: r.hash,
      root: r.root,
      anchorId: r.anchorId,
      caseCount: r.caseCount,
      ...(r.basedOn !== undefined ? { basedOn: r.basedOn } : {}),
    };
  } catch (err) {
    console.warn('no anchor witness from Temporal', err instanceof Error ? err.message : err);
    return null;
  }
}

/**
 * Asks Temporal about the run an anchor row names (`<workflowId>/<runId>`, the anchor's id):
 * completed with the anchor it recorded, still running, or no such run (a row written by
 * something else than the anchor workflow, or a run that failed).
 */
export function anchorRuns(client: Client): AnchorRuns {
  return async (anchorId) => {
    const cut = anchorId.lastIndexOf('/');
    if (cut <= 0) return { status: 'absent' };
    const handle = client.workflow.getHandle(anchorId.slice(0, cut), anchorId.slice(cut + 1));
    try {
      const described = await handle.describe();
      if (described.type !== 'auditAnchor') return { status: 'absent' };
      if (described.status.name === 'RUNNING') return { status: 'running' };
      if (described.status.name !== 'COMPLETED') return { status: 'absent' };
      const result = (await handle.result()) as AuditAnchorResult;
      return { status: 'completed', seq: result.seq, hash: result.hash };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { status: 'absent' };
      // A run id that is not a UUID is refused by the server as invalid: no such run either.
      if ((err as { code?: number }).code === 3) return { status: 'absent' };
      throw err;
    }
  };
}
