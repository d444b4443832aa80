import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import { EffectFailure } from '../../domain/effect-failure.ts';
import { readChain } from '../../store/audit-chain.ts';
import { getCaseRecord } from '../../store/case-records.ts';
import { testView } from '../support/audit-fixtures.ts';
import { testDeps, uniqueId } from '../support/stack.ts';

/**
 * A workflow's step id found again in DynamoDB Local: with the same content it is a retry
 * (one entry); with other content it is a collision, which fails for good with its type
 * instead of being answered `duplicate: true` with nothing appended.
 */
const deps = testDeps();

describe('a step id written twice', () => {
  const acts = createActivities(deps);
  const step = (caseId: string, over: Record<string, unknown> = {}) => ({
    caseId,
    stepId: 'run-1:step-1',
    at: '2026-09-01T08:00:00.000Z',
    actor: { id: 'sup-wang', role: 'supervisor', via: 'api' },
    action: 'detected',
    payload: { source: 'repair' },
    view: testView(caseId),
    checkContent: true,
    lineage: 'run-1',
    ...over,
  });

  it('is a duplicate when its content is the same (a retry)', async () => {
    const caseId = uniqueId('ZG-SAME');
    const first = await acts.recordStep(step(caseId));
    const again = await acts.recordStep(step(caseId));
    expect(again).toEqual({ seq: first.seq, hash: first.hash, duplicate: true });
    expect(await readChain(deps.ddb, deps.tables, caseId)).toHaveLength(1);
  });

  it('fails loudly, non-retryable, when its content differs (a counter restarted)', async () => {
    const caseId = uniqueId('ZG-COLLIDE');
    await acts.recordStep(step(caseId));
    const other = acts.recordStep(step(caseId, { action: 'withdrawn', payload: { reason: 'x' } }));
    await expect(other).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(other).rejects.toMatchObject({ type: EffectFailure.StepCollision, nonRetryable: true });
    expect((await readChain(deps.ddb, deps.tables, caseId)).map((e) => e.action)).toEqual(['detected']);
  });

  it('lets a record of another lineage replace a newer version (a reset run), never one of its own', async () => {
    const caseId = uniqueId('ZG-LINEAGE');
    await acts.recordStep(step(caseId, { view: testView(caseId, { version: 5 }) }));
    const older = acts.recordStep(
      step(caseId, { stepId: 'run-1:step-2', view: testView(caseId, { version: 3 }), action: 'commented' }),
    );
    await expect(older).rejects.toMatchObject({ type: EffectFailure.RecordConflict, nonRetryable: true });
    await acts.recordStep(
      step(caseId, {
        stepId: 'run-1/run-2:step-2',
        lineage: 'run-1/run-2',
        view: testView(caseId, { version: 3 }),
        action: 'withdrawn',
      }),
    );
    expect((await getCaseRecord(deps.ddb, deps.tables, caseId))?.version).toBe(3);
  });
});
