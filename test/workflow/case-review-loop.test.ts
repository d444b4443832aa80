import { describe, expect, it } from 'vitest';
import { readChain } from '../../store/audit-chain.ts';
import {
  caseInput,
  emailOf,
  mailLog,
  saveHistory,
  startCase,
  steps,
  useCaseStack,
} from '../support/case-harness.ts';

const stack = useCaseStack();

describe('the review loop', () => {
  it('two failed reviews send the case back round after round, then a pass closes it', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now());
      const { handle } = await startCase(env, tq, input);
      const s = steps(dir, handle);
      await s.rootCause();
      await s.confirm();
      for (const [round, notes] of [
        [1, '仍有渗水'],
        [2, '阀门未拧紧'],
      ] as const) {
        const reported = await s.report();
        expect([reported.stage, reported.round]).toEqual(['reviewing', round]);
        const failed = await s.review(false, notes);
        expect([failed.stage, failed.round, failed.failedReviews]).toEqual(['rectifying', round + 1, round]);
        expect(failed.deadlines.at(-1)).toMatchObject({
          stage: 'rectifying',
          round: round + 1,
          state: 'pending',
        });
      }
      await s.report();
      const v = await s.review(true, '复查合格');
      expect(v.stage).toBe('closed');
      expect(v.reviews.map((r) => [r.round, r.passed])).toEqual([
        [1, false],
        [2, false],
        [3, true],
      ]);
      expect(v.rectifications.map((r) => r.round)).toEqual([1, 2, 3]);
      expect(v.notices.filter((n) => n.kind === 'review_escalation')).toHaveLength(0);
      await stack.result(handle);

      const zhou = emailOf(dir, 'staff-zhou');
      const reviewRequests = [1, 2, 3].flatMap(() => [
        `待复查 ${emailOf(dir, 'sup-wang')}`,
        `待复查 ${emailOf(dir, 'sup-smith')}`,
      ]);
      expect(await mailLog(input.caseId)).toEqual(
        [
          `整改 ${zhou}`,
          `待签字 ${zhou}`,
          ...reviewRequests,
          `复查未通过 ${zhou}`,
          `复查未通过 ${zhou}`,
        ].sort(),
      );
      await saveHistory(handle, 'review-fail-fail-pass');
    });
  });

  it('the third failed review escalates the case to the working group (maxFailedReviews 3)', async () => {
    const { dir, env, deps } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now());
      expect(input.policy.maxFailedReviews).toBe(3);
      const { handle } = await startCase(env, tq, input);
      const s = steps(dir, handle);
      await s.rootCause();
      await s.confirm();
      for (let i = 1; i <= 2; i++) {
        await s.report();
        const v = await s.review(false, `第${i}次复查未通过`);
        expect(v.notices.filter((n) => n.kind === 'review_escalation')).toHaveLength(0);
      }
      await s.report();
      const v = await s.review(false, '第3次复查未通过');
      expect([v.stage, v.round, v.failedReviews]).toEqual(['rectifying', 4, 3]);
      const escalations = v.notices.filter((n) => n.kind === 'review_escalation');
      expect(escalations).toEqual([
        expect.objectContaining({ level: 'working_group', to: ['wg-chen', 'wg-yang'], round: 4 }),
      ]);
      await s.withdraw('转工作小组协调 handed to the working group');
      await stack.result(handle);

      expect((await mailLog(input.caseId)).filter((l) => l.startsWith('升级'))).toEqual(
        [`升级 ${emailOf(dir, 'wg-chen')}`, `升级 ${emailOf(dir, 'wg-yang')}`].sort(),
      );
      const chain = await readChain(deps.ddb, deps.tables, input.caseId);
      expect(chain.filter((e) => e.action === 'review_escalated').map((e) => e.payload)).toEqual([
        { payload: { failedReviews: 3, to: ['wg-chen', 'wg-yang'] } },
      ]);
      await saveHistory(handle, 'review-third-failure-escalates');
    });
  });
});
