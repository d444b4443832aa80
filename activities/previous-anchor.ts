import { Context } from '@temporalio/activity';
import type { AnchorBase } from '../store/anchors.ts';

/**
 * The previous anchor run's recorded result, asked of Temporal from inside the anchor activity:
 * the newest completed `auditAnchor` run on this task queue. What a run builds on when its
 * Schedule did not hand it the last completion result. Null outside an activity, before the
 * first run, or where Temporal cannot list runs (the time-skipping test server): the table's
 * newest anchor is then the base, as before any run was recorded.
 */
export async function previousAnchorRun(): Promise<AnchorBase | null> {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return null;
  }
  try {
    const queue = ctx.info.taskQueue.replace(/'/g, '');
    let newest: { workflowId: string; runId: string; closed: number } | null = null;
    let seen = 0;
    for await (const wf of ctx.client.workflow.list({
      query: `WorkflowType = 'auditAnchor' AND ExecutionStatus = 'Completed' AND TaskQueue = '${queue}'`,
      pageSize: 20,
    })) {
      const closed = wf.closeTime?.getTime() ?? 0;
      if (!newest || closed > newest.closed) newest = { workflowId: wf.workflowId, runId: wf.runId, closed };
      if (++seen >= 20) break;
    }
    if (!newest) return null;
    const r = (await ctx.client.workflow.getHandle(newest.workflowId, newest.runId).result()) as Partial<
      Record<keyof AnchorBase, unknown>
    >;
    if (
      typeof r.anchorId !== 'string' ||
      typeof r.seq !== 'number' ||
      typeof r.hash !== 'string' ||
      typeof r.root !== 'string' ||
      typeof r.caseCount !== 'number'
    )
      return null;
    return { anchorId: r.anchorId, seq: r.seq, hash: r.hash, root: r.root, caseCount: r.caseCount };
  } catch (err) {
    ctx.log.warn('previous anchor run not read from Temporal', {
      error: err instanceof Error ? err.message : String(err),
    });
    return null;
  }
}
