import { WorkflowUpdateStage } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { checklistFor, type InspectionRound } from '../../domain/inspection.ts';
import { inspectionRoundQuery, recordChecksUpdate } from '../../workflows/inspection-round/messages.ts';
import { inspectionRoundKit } from '../support/inspection-rounds.ts';
import { call, useApiStack } from './harness.ts';

/**
 * A post that changes a failed item while another post is still opening that item's case: the
 * case will cite the failure, so the change is refused as one made after the case opened is
 * (409), not taken over the failure with the case opened all the same.
 */
const s = useApiStack();

const daily = checklistFor('daily').map((i) => i.id);
const { openRound, roundNow } = inspectionRoundKit(() => s.deps, { from: 28_000, span: 1_000 });

const failure = { itemId: daily[0]!, result: 'fail' as const, note: '灭火器过期，压力不足', roomId: 'A101' };

/** The fail posted straight to the round, answered once its validator took it (its case still opening). */
async function failAccepted(id: string) {
  return s.deps.temporal.workflow.getHandle(id).startUpdate(recordChecksUpdate, {
    args: [{ by: 'sup-wang', results: [failure], finish: false }],
    waitForStage: WorkflowUpdateStage.ACCEPTED,
  });
}

const itemOf = (r: InspectionRound) => r.results.find((x) => x.itemId === failure.itemId);

describe('a change to an item whose case is being opened', () => {
  it('is refused with 409 naming the item; the item keeps its failure, note and case', async () => {
    const id = await openRound();
    const opening = await failAccepted(id);
    const pass = await call(s.app, 'POST', `/api/inspections/${id}/results?lang=en`, {
      as: 'sup-smith',
      body: { results: [{ itemId: failure.itemId, result: 'pass' }], finish: false },
    });
    expect(pass.status).toBe(409);
    const problem = (await pass.json()) as { detail: string; errors: { field: string; message: string }[] };
    expect(problem.detail).toBe(
      `Cases are being opened for failed items (${failure.itemId}), so their results can no longer be changed. They are handled in the cases; nothing of this post was saved.`,
    );
    expect(problem.errors).toEqual([{ field: 'results.0.result', message: problem.detail }]);

    const ended = await opening.result();
    const caseId = ended.cases[failure.itemId];
    expect(caseId).toMatch(/^ZG-/);
    for (const round of [
      ended,
      await s.deps.temporal.workflow.getHandle(id).query(inspectionRoundQuery),
      await roundNow(id),
    ])
      expect(itemOf(round)).toMatchObject({
        result: 'fail',
        note: failure.note,
        roomId: 'A101',
        by: 'sup-wang',
      });

    // Once open, the case names itself in the refusal, as before.
    const later = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-smith',
      body: { results: [{ itemId: failure.itemId, result: 'pass' }], finish: false },
    });
    expect(later.status).toBe(409);
    expect(((await later.json()) as { detail: string }).detail).toContain(caseId);
  });

  it('takes the same failure sent again meanwhile (a retry): one case, the failure kept', async () => {
    const id = await openRound();
    const opening = await failAccepted(id);
    const again = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { results: [failure], finish: false },
    });
    expect(again.status).toBe(200);
    const ended = await opening.result();
    const round = await roundNow(id);
    expect(round.cases).toEqual(ended.cases);
    expect(itemOf(round)).toMatchObject({ result: 'fail', note: failure.note });
  });
});
