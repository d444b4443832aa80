import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { readChain } from '../../store/audit-chain.ts';
import { createActivities } from '../../activities/index.ts';
import { effectWorkers, RectifyWorker } from '../../infra/worker.ts';
import { MAX_COMMENTS, MAX_COMMENT_LENGTH } from '../../domain/case-model.ts';
import {
  CaseFailure,
  caseViewQuery,
  openedUpdate,
  reviewUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import {
  actorOf,
  caseInput,
  refusalType,
  saveHistory,
  startCase,
  steps,
  useCaseStack,
} from '../support/case-harness.ts';
import { uniqueId } from '../support/stack.ts';
import { rectificationCaseV2 } from '../../workflows/rectification-case/workflow.ts';
import { viewAfterStep } from '../../api/step-view.ts';

const stack = useCaseStack();

/** The message a refused update carries. */
async function refusalMessage(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure)
      return err.cause.message;
    throw err;
  }
  throw new Error('the update was accepted, but a refusal was expected');
}

describe('withdrawal and refused steps', () => {
  it('withdraws a case from an open stage: closed deadline, terminal stage, workflow done', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now());
      const { handle } = await startCase(env, tq, input);
      const s = steps(dir, handle);
      await s.rootCause();
      await s.confirm();
      const v = await s.withdraw('重复案件 duplicate of another case');
      expect(v.stage).toBe('withdrawn');
      expect(v.withdrawal).toMatchObject({ by: 'sup-wang', reason: '重复案件 duplicate of another case' });
      expect(v.closedAt).toBeDefined();
      // Withdrawn: the open stage's deadline was neither met nor missed.
      expect(v.deadlines.at(-1)).toMatchObject({ stage: 'rectifying', state: 'cancelled' });
      expect(v.deadlines.at(-1)?.closedAt).toBeDefined();
      const final = await stack.result(handle);
      expect(final.stage).toBe('withdrawn');
      await saveHistory(handle, 'withdraw-while-rectifying');
    });
  });

  it('rejects the wrong person, the wrong role and the wrong stage, leaving no trace', async () => {
    const { dir, env, deps } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now());
      const { handle } = await startCase(env, tq, input);
      const s = steps(dir, handle);
      await s.rootCause();
      await s.confirm(); // rectifying, responsible staff-zhou
      const before = await handle.query(caseViewQuery);
      const chainBefore = await readChain(deps.ddb, deps.tables, input.caseId);
      const historyBefore = (await handle.fetchHistory()).events?.length ?? 0;

      // Wrong person: staff, but not the one responsible for this case.
      expect(await refusalType(() => s.report('staff-wu'))).toBe(CaseFailure.Forbidden);
      // Wrong role: an auditor reads everything and changes nothing.
      expect(await refusalType(() => s.comment('审计意见', 'audit-he'))).toBe(CaseFailure.Forbidden);
      expect(await refusalType(() => s.withdraw('no', 'audit-he'))).toBe(CaseFailure.Forbidden);
      // A supervisor of another building.
      expect(await refusalType(() => s.withdraw('no', 'sup-li'))).toBe(CaseFailure.Forbidden);
      // Wrong stage: the review is not open while the case is being rectified.
      expect(await refusalType(() => s.review(true, 'ok'))).toBe(CaseFailure.Conflict);
      expect(await refusalType(() => s.confirm())).toBe(CaseFailure.Conflict);
      // Invalid input: no cause, a failed review without notes, empty comment.
      expect(
        await refusalType(() =>
          handle.executeUpdate(submitRootCauseUpdate, {
            args: [{ actor: actorOf(dir, 'sup-wang'), causes: [], responsibleId: 'staff-zhou', plan: 'x' }],
          }),
        ),
      ).toBe(CaseFailure.Conflict); // the stage check comes first
      expect(await refusalType(() => s.comment('   '))).toBe(CaseFailure.Invalid);
      // Written in both languages, as every refusal is: the API gives each caller their half.
      expect(await refusalMessage(() => s.comment('   '))).toBe('text must not be empty / 评论内容不能为空');
      expect(await refusalType(() => s.comment('长'.repeat(MAX_COMMENT_LENGTH + 1)))).toBe(
        CaseFailure.Invalid,
      );
      await s.report();
      expect(
        await refusalType(() =>
          handle.executeUpdate(reviewUpdate, {
            args: [{ actor: actorOf(dir, 'sup-wang'), passed: false, notes: '' }],
          }),
        ),
      ).toBe(CaseFailure.Invalid);
      expect(
        await refusalMessage(() =>
          handle.executeUpdate(reviewUpdate, {
            args: [{ actor: actorOf(dir, 'sup-wang'), passed: false, notes: ' ' }],
          }),
        ),
      ).toBe('notes on a failed review must not be empty / 复查不通过的说明不能为空');

      // Rejected updates never reached the workflow's state, its history or the audit chain.
      const after = await handle.query(caseViewQuery);
      // Only the accepted report (and the review deadline it set) changed the case.
      expect(after.timeline.slice(before.timeline.length).map((t) => t.action)).toEqual([
        'rectification_reported',
        'deadline_set',
      ]);
      expect(after.version).toBe(before.version + 2);
      expect(after.comments).toEqual([]);
      const history = await handle.fetchHistory();
      const text = JSON.stringify(history);
      for (const who of ['staff-wu', 'audit-he', 'sup-li', '审计意见']) expect(text).not.toContain(who);
      const accepted = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
      const names = accepted.map(
        (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name,
      );
      expect(names).toEqual(['opened', 'submitRootCause', 'signOff', 'reportRectification']);
      expect(history.events!.length).toBeGreaterThan(historyBefore);
      const chainAfter = await readChain(deps.ddb, deps.tables, input.caseId);
      expect(chainAfter.slice(0, chainBefore.length)).toEqual(chainBefore);
      expect(chainAfter.slice(chainBefore.length).map((e) => e.action)).not.toContain('commented');

      await s.review(true, '复查合格');
      // Closed: every step is a conflict now, even for the right person.
      await stack.result(handle);
      await saveHistory(handle, 'refused-steps');
    });
  });

  it('refuses every step while the case is still being opened, then takes them once it is open', async () => {
    const { dir, env, deps, bundle } = stack;
    // The opening's records (step-1 'detected' with 'assigned') are held until the test lets them through.
    let letThrough!: () => void;
    const held = new Promise<void>((r) => (letThrough = r));
    let holding = false;
    const acts = createActivities(deps);
    const taskQueue = uniqueId('tq');
    const activities = {
      ...acts,
      applyTransition: async (input: Parameters<typeof acts.applyTransition>[0]) => {
        if (input.records.some((r) => /(^|:)step-1$/.test(r.stepId))) {
          holding = true;
          await held;
        }
        return acts.applyTransition(input);
      },
    };
    const opts = { connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue };
    // The record goes to the case's audit queue: its worker holds it.
    const worker = new RectifyWorker(
      await Worker.create({ ...opts, workflowBundle: bundle, activities }),
      await effectWorkers(opts, activities),
    );
    await worker.runUntil(async () => {
      const input = caseInput(dir, await stack.now());
      const handle = await env.client.workflow.start(rectificationCaseV2, {
        taskQueue,
        workflowId: input.caseId,
        args: [input],
      });
      await expect.poll(() => holding, { timeout: 30_000 }).toBe(true);
      // Decided, not yet written: the case is not open until its opening records are in.
      expect((await handle.query(caseViewQuery)).timeline.map((t) => t.action)).toEqual([
        'detected',
        'assigned',
      ]);
      expect(await readChain(deps.ddb, deps.tables, input.caseId)).toEqual([]);
      // Were one accepted, its record would queue behind the held one: let that through in time
      // for the test to fail on the acceptance rather than hang.
      const safety = setTimeout(letThrough, 10_000);
      const s = steps(dir, handle);
      expect(await refusalType(() => s.withdraw('重复案件 duplicate'))).toBe(CaseFailure.Conflict);
      expect(await refusalType(() => s.comment('已到现场'))).toBe(CaseFailure.Conflict);
      clearTimeout(safety);
      letThrough();

      // Once open, the creator's wait returns and the case takes steps as usual.
      const opened = await viewAfterStep(handle, handle.executeUpdate(openedUpdate, { args: [{}] }));
      expect(opened.stage).toBe('analysing');
      expect(opened.timeline.map((t) => t.action)).toEqual(['detected', 'assigned']);
      const v = await s.withdraw('重复案件 duplicate');
      expect(v.stage).toBe('withdrawn');
      expect((await stack.result(handle)).stage).toBe('withdrawn');
      const chain = await readChain(deps.ddb, deps.tables, input.caseId);
      expect(chain.map((e) => e.action).filter((a) => a !== 'email_sent')).toEqual([
        'detected',
        'assigned',
        'withdrawn',
      ]);
    });
  });

  it(`caps comments at ${MAX_COMMENTS} per case with a clear refusal`, async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now());
      const { handle } = await startCase(env, tq, input);
      const s = steps(dir, handle);
      for (let i = 1; i <= MAX_COMMENTS; i++) await s.comment(`第${i}条`, i % 2 ? 'sup-wang' : 'staff-zhou');
      expect((await handle.query(caseViewQuery)).comments).toHaveLength(MAX_COMMENTS);
      expect(await refusalType(() => s.comment('one too many'))).toBe(CaseFailure.Conflict);
      expect((await handle.query(caseViewQuery)).comments).toHaveLength(MAX_COMMENTS);
      await s.withdraw('test over');
      await stack.result(handle);
    });
  }, 180_000);
});
