import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { createdCaseSchema } from '../../api/schemas.ts';
import { readChain } from '../../store/audit-chain.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { caseViewQuery, signOffUpdate } from '../../workflows/rectification-case/messages.ts';
import { call, newCaseBody, useApiStack } from './harness.ts';

/**
 * A case reset in Temporal (ResetWorkflowExecution on the stack's dev server) takes its
 * steps again from the reset point: the new run's steps carry its own lineage, so they are
 * appended to the audit trail and written to the case record, not dropped as duplicates of
 * the abandoned run's steps with the same counter.
 */
const s = useApiStack();

const EventType = temporal.api.enums.v1.EventType;
const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };

describe('a case reset to before a step', () => {
  it('records the step taken again after the reset, beside the abandoned one', async () => {
    const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    expect(res.status).toBe(201);
    const { caseId } = createdCaseSchema.parse(await res.json());
    const rc = await call(s.app, 'POST', `/api/cases/${caseId}/root-cause`, {
      as: 'sup-wang',
      body: { causes: ['阀芯老化'], responsibleId: 'staff-zhou', plan: '更换阀芯' },
    });
    expect(rc.status).toBe(200);
    const handle = s.deps.temporal.workflow.getHandle(caseId);
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
    const before = await readChain(s.activityDeps.ddb, s.activityDeps.tables, caseId);
    expect(before.map((e) => e.action)).toContain('signed_off');

    // Back to the workflow task that took the sign-off, without it (no update reapplied).
    const { runId } = await handle.describe();
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const accepted = events.findIndex(
      (e) =>
        e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED &&
        e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === signOffUpdate.name,
    );
    expect(accepted).toBeGreaterThan(0);
    const taskDone = events
      .slice(0, accepted)
      .findLast((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    const reset = await s.deps.temporal.workflowService.resetWorkflowExecution({
      namespace: s.deps.env.TEMPORAL_NAMESPACE,
      workflowExecution: { workflowId: caseId, runId },
      reason: 'test: take the sign-off again',
      workflowTaskFinishEventId: taskDone?.eventId,
      requestId: randomUUID(),
      resetReapplyType: temporal.api.enums.v1.ResetReapplyType.RESET_REAPPLY_TYPE_NONE,
      resetReapplyExcludeTypes: [
        temporal.api.enums.v1.ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL,
        temporal.api.enums.v1.ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE,
      ],
    });
    expect(reset.runId).toBeTruthy();
    const current = s.deps.temporal.workflow.getHandle(caseId);
    expect((await current.query(caseViewQuery)).stage).toBe('awaiting_signoff');

    // This time the responsible person disputes: the same step counter, other content.
    await current.executeUpdate(signOffUpdate, {
      args: [{ actor: zhou, decision: 'dispute', reason: '原因认定有误' }],
    });
    const after = await readChain(s.activityDeps.ddb, s.activityDeps.tables, caseId);
    const actions = after.map((e) => e.action);
    // Both are in the trail: what the abandoned run did, and what the reset run did.
    expect(actions).toContain('signed_off');
    expect(actions).toContain('disputed');
    expect(after.length).toBeGreaterThan(before.length);
    // The record follows the reset run, although its version is no newer than the abandoned run's.
    const record = await getCaseRecord(s.activityDeps.ddb, s.activityDeps.tables, caseId);
    expect(record?.stage).toBe('adjudicating');
  });
});
