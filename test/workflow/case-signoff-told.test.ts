import { describe, expect, it } from 'vitest';
import { handOverUpdate } from '../../workflows/rectification-case/messages.ts';
import { rectificationCase } from '../../workflows/rectification-case/workflow.ts';
import { viewAfterStep } from '../../api/step-view.ts';
import {
  actorOf,
  caseInput,
  caseMails,
  emailOf,
  saveHistory,
  startCase,
  steps,
  useCaseStack,
} from '../support/case-harness.ts';

// Thursday 5 November 2026, 10:00 in Shanghai.
const stack = useCaseStack({ startAt: new Date('2026-11-05T10:00:00+08:00') });
const SEC = 1_000;

describe('whoever must act next is told: the signed-off plan to its assignee, a hand-over to the other supervisors (time-skipping)', () => {
  for (const type of ['rectificationCaseV2', 'rectificationCase'] as const) {
    it(`a confirmed sign-off mails the assignee to rectify, by when and where (${type})`, async () => {
      const { dir, env } = stack;
      await stack.withWorker(async (tq) => {
        const input = caseInput(dir, await stack.now());
        const { handle } =
          type === 'rectificationCase'
            ? await startCase(env, tq, input, rectificationCase)
            : await startCase(env, tq, input);
        const s = steps(dir, handle);
        // 周强 analyses; 赵伟 answers for the plan and signs it.
        await s.rootCause('sup-wang', 'staff-zhao');
        const v = await s.confirm('staff-zhao');
        expect(v.stage).toBe('rectifying');
        await stack.advanceTo((await env.currentTimeMs()) + 5 * SEC, handle);
        const mails = (await caseMails(input.caseId)).filter((m) => m.tag === '已签字确认');
        expect(mails.map((m) => m.to)).toEqual([emailOf(dir, 'staff-zhou')]);
        const mail = mails[0];
        expect(mail?.subject).toBe(
          `【已签字确认】请开始整改 ${input.caseId}：水龙头漏水 Leaking tap / [Signed off] Please rectify ${input.caseId}: 水龙头漏水 Leaking tap`,
        );
        expect(mail?.text).toContain(
          '责任人赵伟已签字确认案件「水龙头漏水 Leaking tap」的问题认定与整改方案。请按方案完成整改，并在案件页面上报整改结果（附照片）。',
        );
        expect(mail?.text).toMatch(/整改时限：\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} \(Asia\/Shanghai\)/);
        expect(mail?.text).toContain(`打开案件页面报告整改：http://rectify.test/app/cases/${input.caseId}`);
        expect(mail?.text).toContain(
          '赵伟, the responsible staff member, has signed off the finding and rectification plan',
        );
        expect(mail?.text).toMatch(/Rectification due: \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
        // The promise the repair is held to, beside the stage's own deadline (e24d29e).
        expect(mail?.text).toMatch(/案件时限：零星维修24小时内完成，截止 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
        expect(mail?.text).toMatch(/Case clock: Small repair done within 24 hours, due \d{4}\/\d{2}\/\d{2}/);
        // The rectifying stage has no signed link: the case page is where it is reported.
        expect(mail?.text).not.toMatch(/\/actions\//);

        await s.withdraw('测试结束 end of test');
        await saveHistory(handle, type === 'rectificationCase' ? 'signoff-told-v1' : 'signoff-told-v2');
      });
    });
  }

  it('a hand-over to a supervisor, or by one, is not news to them: the notice goes to the other supervisors', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now());
      const { handle } = await startCase(env, tq, input);
      const handOver = (by: string, toId: string, reason: string) =>
        viewAfterStep(
          handle,
          handle.executeUpdate(handOverUpdate, { args: [{ actor: actorOf(dir, by), toId, reason }] }),
        );
      const mailsTo = async (id: string) => {
        await stack.advanceTo((await env.currentTimeMs()) + 5 * SEC, handle);
        return (await caseMails(input.caseId)).filter((m) => m.to === emailOf(dir, id));
      };

      // 周强 hands the case to 王建国, a supervisor of the building: he has the take-over mail only.
      let v = await handOver('staff-zhou', 'sup-wang', '需主管处理 needs a supervisor');
      expect(v.assigneeId).toBe('sup-wang');
      const wang = await mailsTo('sup-wang');
      expect(wang.filter((m) => m.tag === '整改')).toHaveLength(1);
      expect(wang.filter((m) => m.tag === '案件移交')).toEqual([]);
      const smith = (await mailsTo('sup-smith')).filter((m) => m.tag === '案件移交');
      expect(smith).toHaveLength(1);
      expect(smith[0]?.text).toContain('周强 has handed the case "水龙头漏水 Leaking tap" over to 王建国.');

      // 王建国 hands it on to 吴磊: he did it himself, so again only Anna Smith hears of it.
      v = await handOver('sup-wang', 'staff-wu', '换班 shift change');
      expect(v.assigneeId).toBe('staff-wu');
      expect((await mailsTo('sup-wang')).filter((m) => m.tag === '案件移交')).toEqual([]);
      const again = (await mailsTo('sup-smith')).filter((m) => m.tag === '案件移交');
      expect(again).toHaveLength(2);
      expect(
        again.some((m) =>
          m.text.includes('王建国 has handed the case "水龙头漏水 Leaking tap" over to 吴磊.'),
        ),
      ).toBe(true);

      // Decided by the mail activity alone: the workflow did as before, so no history is kept.
      await steps(dir, handle).withdraw('测试结束 end of test');
    });
  });
});
