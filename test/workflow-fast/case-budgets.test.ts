import { WorkflowUpdateFailedError, ApplicationFailure, type WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { CASE_BUDGETS, type BudgetName } from '../../domain/case-budgets.ts';
import {
  addCommentUpdate,
  adjudicateUpdate,
  CaseFailure,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitFollowUpUpdate,
  submitRootCauseUpdate,
  withdrawUpdate,
} from '../../workflows/rectification-case/messages.ts';
import type { rectificationCase } from '../../workflows/rectification-case/workflow.ts';
import { caseInput, people, reporter, useFastStack } from './harness.ts';
import { viewAfterStep } from '../../api/step-view.ts';

// The budgets a case pins when it opens, refused by its update validators (nothing in history).
const stack = useFastStack();
const { supervisor, assignee, responsible, reporterActor } = people;
type Handle = WorkflowHandle<typeof rectificationCase>;

const rootCause = { actor: assignee, causes: ['阀芯老化'], responsibleId: responsible.id, plan: '更换阀芯' };

/** The refusal of an update expected to be refused: its failure type and the budget it names. */
async function refusal(
  run: () => Promise<unknown>,
): Promise<{ type?: string; budget?: BudgetName; zh?: string; en?: string }> {
  try {
    await run();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const d = (err.cause.details?.[0] ?? {}) as { budget?: BudgetName; zh?: string; en?: string };
      return { type: err.cause.type ?? undefined, ...d };
    }
    throw err;
  }
  throw new Error('the update was accepted, but a refusal was expected');
}

async function toRectifying(h: Handle): Promise<void> {
  await h.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
  await h.executeUpdate(signOffUpdate, { args: [{ actor: responsible, decision: 'confirm' }] });
}
const rectify = (h: Handle, evidence = ['photo-1']) =>
  h.executeUpdate(reportRectificationUpdate, { args: [{ actor: responsible, summary: '已整改', evidence }] });
const review = (h: Handle, passed: boolean) =>
  h.executeUpdate(reviewUpdate, { args: [{ actor: supervisor, passed, notes: passed ? '' : '仍漏水' }] });
const rate = (h: Handle, score: number) =>
  h.executeUpdate(submitFollowUpUpdate, { args: [{ actor: reporterActor, score, comment: '' }] });

describe.concurrent('case budgets (stub activities)', () => {
  it('review rounds: the last round may not fail, nor a low score reopen it; passing still closes', async () => {
    const { handle } = await stack.start(caseInput({ reporter, maxFailedReviews: 99 }));
    await toRectifying(handle);
    for (let i = 1; i < CASE_BUDGETS.reviewRounds; i++) {
      await rectify(handle);
      expect((await review(handle, false)).stage).toBe('rectifying');
    }
    await rectify(handle);
    const r = await refusal(() => review(handle, false));
    expect(r).toMatchObject({ type: CaseFailure.Conflict, budget: 'reviewRounds' });
    expect(r.zh).toContain('复查轮次');
    expect(r.en).toContain('review rounds');
    expect((await review(handle, true)).stage).toBe('follow_up');
    expect(await refusal(() => rate(handle, 1))).toMatchObject({ budget: 'reviewRounds' });
    expect((await rate(handle, 4)).stage).toBe('closed');
    const final = await viewAfterStep(handle, handle.result());
    expect(final.reviews).toHaveLength(CASE_BUDGETS.reviewRounds);
    // Refusals leave no trace: the timeline holds the accepted steps only.
    expect(final.timeline.filter((e) => e.action === 'review_failed')).toHaveLength(
      CASE_BUDGETS.reviewRounds - 1,
    );
  });

  it('survey rounds: the last survey may not reopen the case', async () => {
    const { handle } = await stack.start(caseInput({ reporter }));
    await toRectifying(handle);
    await rectify(handle);
    await review(handle, true);
    for (let i = 1; i < CASE_BUDGETS.surveyRounds; i++) {
      expect((await rate(handle, 1)).stage).toBe('reviewing');
      await review(handle, true);
    }
    expect(await refusal(() => rate(handle, 2))).toMatchObject({
      type: CaseFailure.Conflict,
      budget: 'surveyRounds',
    });
    expect((await rate(handle, 3)).stage).toBe('closed');
  });

  it('disputes: one more than the budget is refused; a withdrawal is never refused by a budget', async () => {
    const { handle } = await stack.start(caseInput());
    for (let i = 0; i < CASE_BUDGETS.disputes; i++) {
      await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
      await handle.executeUpdate(signOffUpdate, {
        args: [{ actor: responsible, decision: 'dispute', reason: '非我责任' }],
      });
      await handle.executeUpdate(adjudicateUpdate, {
        args: [{ actor: supervisor, decision: 'revise', notes: '重新分析' }],
      });
    }
    await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
    const r = await refusal(() =>
      handle.executeUpdate(signOffUpdate, {
        args: [{ actor: responsible, decision: 'dispute', reason: '非我责任' }],
      }),
    );
    expect(r).toMatchObject({ type: CaseFailure.Conflict, budget: 'disputes' });
    expect(
      (await handle.executeUpdate(withdrawUpdate, { args: [{ actor: supervisor, reason: '另立新案' }] }))
        .stage,
    ).toBe('withdrawn');
  });

  it('evidence, total text and comment length: refused naming the budget, the case moves on', async () => {
    const { handle } = await stack.start(caseInput());
    const tooMuch = { ...rootCause, plan: '整'.repeat(CASE_BUDGETS.text) };
    expect(
      await refusal(() => handle.executeUpdate(submitRootCauseUpdate, { args: [tooMuch] })),
    ).toMatchObject({
      type: CaseFailure.Invalid,
      budget: 'text',
    });
    const long = '长'.repeat(CASE_BUDGETS.commentLength + 1);
    expect(
      await refusal(() =>
        handle.executeUpdate(addCommentUpdate, { args: [{ actor: supervisor, text: long }] }),
      ),
    ).toMatchObject({ type: CaseFailure.Invalid, budget: 'commentLength' });
    await toRectifying(handle);
    const photos = (n: number) => Array.from({ length: n }, (_, i) => `photo-${i}`);
    expect(await refusal(() => rectify(handle, photos(CASE_BUDGETS.evidence + 1)))).toMatchObject({
      type: CaseFailure.Conflict,
      budget: 'evidence',
    });
    expect((await rectify(handle, photos(CASE_BUDGETS.evidence))).stage).toBe('reviewing');
  });
});
