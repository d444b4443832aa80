import { describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/case-model.ts';
import { handOverUpdate, reassignUpdate } from '../../workflows/rectification-case/messages.ts';
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

describe('a case taken over by a colleague: the mail of the step now theirs, and word to whoever had it (time-skipping)', () => {
  it('analysis: the assignment with the arrival link; sign-off: the sign-off request; rectifying: the assignment, with the arrival link while nobody recorded it', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), { source: 'repair' });
      const { handle } = await startCase(env, tq, input);
      const sup: Actor = { ...actorOf(dir, 'sup-wang'), supervises: ['bldg-a'] };
      const reassign = (toId: string, reason: string) =>
        viewAfterStep(handle, handle.executeUpdate(reassignUpdate, { args: [{ actor: sup, toId, reason }] }));
      const mailsTo = async (id: string) => {
        await stack.advanceTo((await env.currentTimeMs()) + 5 * SEC, handle);
        return (await caseMails(input.caseId)).filter((m) => m.to === emailOf(dir, id));
      };

      // Before the analysis: the new technician gets the assignment and its arrival link.
      let v = await reassign('staff-wu', '周强休假 on leave');
      expect([v.assigneeId, v.responsibleId]).toEqual(['staff-wu', 'staff-wu']);
      const wu = await mailsTo('staff-wu');
      expect(wu.map((m) => m.tag)).toEqual(['整改']);
      expect(wu[0]?.text).toMatch(/到场后点此登记到场：http:\/\/\S+\/actions\//);
      // The technician who had it is told it went to 吴磊, and why; his links are no longer his.
      const movedOff = (await mailsTo('staff-zhou')).filter((m) => m.tag === '案件已转交');
      expect(movedOff).toHaveLength(1);
      expect(movedOff[0]?.text).toContain('已由主管转交给吴磊处理');
      expect(movedOff[0]?.text).toContain('转交原因：周强休假 on leave');

      // Waiting for staff-wu's signature, handed back to staff-zhou: he is asked to sign, with the link.
      v = await steps(dir, handle).rootCause('sup-wang', 'staff-wu');
      expect(v.stage).toBe('awaiting_signoff');
      v = await reassign('staff-zhou', '吴磊调岗 moved to another post');
      expect([v.assigneeId, v.responsibleId]).toEqual(['staff-zhou', 'staff-zhou']);
      const zhou = (await mailsTo('staff-zhou')).filter((m) => m.subject.includes('待签字'));
      expect(zhou).toHaveLength(1);
      expect(zhou[0]?.text).toMatch(/打开签字确认页面：http:\/\/\S+\/actions\//);
      expect((await mailsTo('staff-wu')).filter((m) => m.tag === '案件已转交')).toHaveLength(1);

      // Confirmed, then handed over while rectifying: the assignment, and once on site no arrival link.
      await steps(dir, handle).confirm('staff-zhou');
      v = await viewAfterStep(
        handle,
        handle.executeUpdate(handOverUpdate, {
          args: [{ actor: actorOf(dir, 'staff-zhou'), toId: 'staff-wu', reason: '换班 shift change' }],
        }),
      );
      expect([v.stage, v.assigneeId, v.responsibleId]).toEqual(['rectifying', 'staff-wu', 'staff-wu']);
      const again = (await mailsTo('staff-wu')).filter((m) => m.tag === '整改');
      expect(again).toHaveLength(2);
      // The case has an on-site clock still waiting (nobody recorded the arrival): the link goes with it.
      expect(again.every((m) => /\/actions\//.test(m.text))).toBe(true);
      // Handed over by the one who held it: nobody tells him what he did himself.
      expect((await mailsTo('staff-zhou')).filter((m) => m.tag === '案件已转交')).toHaveLength(1);
      // The building's supervisors hear of a hand-over (a reassignment is theirs): who, to whom, why.
      for (const sup of ['sup-wang', 'sup-smith']) {
        const notice = (await mailsTo(sup)).filter((m) => m.tag === '案件移交');
        expect(notice).toHaveLength(1);
        expect(notice[0]?.text).toContain('周强已将案件「');
        expect(notice[0]?.text).toContain('」移交给吴磊处理。移交原因：换班 shift change。');
        expect(notice[0]?.text).toContain(`/app/cases/${input.caseId}`);
      }

      await steps(dir, handle).withdraw('测试结束 end of test');
      await saveHistory(handle, 'take-over-by-stage');
    });
  });
});
