import type { Client } from '@temporalio/client';
import type { AuditAnchorResult } from '../workflows/audit-anchor/workflow.ts';

const POLL_MS = 200;

type Run = { workflowId: string; firstExecutionRunId: string };
const runKey = (r: Run) => `${r.workflowId}/${r.firstExecutionRunId}`;

/**
 * Starts a run of the anchor schedule now and waits for its result. An anchor is believed only
 * as far as a run of the anchor workflow stands behind it (audit/anchor-witness.ts), so a
 * sealing asked for by hand goes through the schedule too, never straight to the table. The
 * run is the first one the schedule lists that it had not finished before: the one the trigger
 * started, or one already going when asked.
 */
export async function triggerAnchor(
  client: Client,
  scheduleId: string,
  opts: { timeoutMs?: number; progress?: (line: string) => void } = {},
): Promise<AuditAnchorResult> {
  const schedule = client.schedule.getHandle(scheduleId);
  const before = (await schedule.describe()).info;
  // Recent actions include runs still going: those are not "before" this request, they are it.
  const running = new Set(before.runningActions.map((a) => runKey(a.workflow)));
  const known = new Set(
    before.recentActions.map((a) => runKey(a.action.workflow)).filter((k) => !running.has(k)),
  );
  // A run already going seals the anchor asked for (the schedule would skip a second one).
  if (before.runningActions.length === 0) await schedule.trigger();
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    const info = (await schedule.describe()).info;
    const runs = [
      ...info.runningActions.map((a) => a.workflow),
      ...info.recentActions.map((a) => a.action.workflow),
    ];
    const started = runs.find((r) => !known.has(runKey(r)));
    if (started) {
      const { workflowId, firstExecutionRunId } = started;
      opts.progress?.(`anchor run ${workflowId} started; waiting for its result`);
      return (await client.workflow.getHandle(workflowId, firstExecutionRunId).result()) as AuditAnchorResult;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the schedule ${scheduleId} started no run within ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} s: is it paused?`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
