import { Context } from '@temporalio/activity';
import { newestAnchorRun } from '../audit/anchor-runs.ts';
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
    const newest = await newestAnchorRun(ctx.client, ctx.info.taskQueue);
    if (!newest) return null;
    const r = newest.result;
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
