import { describe, expect, it } from 'vitest';
import { submitRootCauseUpdate } from '../../workflows/rectification-case/messages.ts';
import { actorOf, caseInput, shanghai, startCase, useCaseStack } from '../support/case-harness.ts';
import { viewAfterStep } from '../../api/step-view.ts';

// Monday 1 March 2027: the bundled official calendar ends with 2026 and this test's worker has
// no calendar file declaring 2027, so working-day deadlines there count weekends only.
const stack = useCaseStack({ startAt: new Date('2027-03-01T09:00:00+08:00') });

describe('a deadline in a year without official calendar data', () => {
  it('is flagged approximate, with a bilingual note, in the case view', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), { source: 'evaluation' });
      const { handle } = await startCase(env, tq, input);
      const v = await viewAfterStep(
        handle,
        handle.executeUpdate(submitRootCauseUpdate, {
          args: [
            {
              actor: actorOf(dir, 'sup-wang'),
              causes: ['照明损坏'],
              responsibleId: 'staff-zhou',
              plan: '更换灯具',
            },
          ],
        }),
      );
      // Analysis runs on the clock (24 hours): exact whatever the year.
      const analysing = v.deadlines.find((d) => d.stage === 'analysing');
      expect(analysing).toMatchObject({ approximate: false });
      expect(analysing?.note).toBeUndefined();
      // Sign-off is one working day: counted without 2027's holidays, and it says so.
      const signoff = v.deadlines.find((d) => d.stage === 'awaiting_signoff');
      expect(signoff).toMatchObject({ approximate: true });
      expect(shanghai(signoff?.due ?? '')).toBe('2027-03-02 18:00');
      expect(signoff?.note?.zh).toMatch(/2027 年.*暂按周末计算工作日/);
      expect(signoff?.note?.en).toMatch(/2027.*weekends only/);
    });
  });
});
