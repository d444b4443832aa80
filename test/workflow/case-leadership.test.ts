import { describe, expect, it } from 'vitest';
import { caseViewQuery } from '../../workflows/rectification-case/messages.ts';
import {
  caseInput,
  caseMails,
  emailOf,
  mailLog,
  saveHistory,
  shanghai,
  startCase,
  steps,
  useCaseStack,
} from '../support/case-harness.ts';

// Seed 002: a major problem reaches school leadership within 48 hours. The case tells
// leadership at once and again 8 hours before the limit unless it is over by then.
const stack = useCaseStack({ startAt: new Date('2026-11-23T09:00:00+08:00') });
const MIN = 60_000;
const HOUR = 60 * MIN;
const SEC = 1_000;

describe('major severity: leadership notice', () => {
  it('notifies leadership at once and again at 40 hours while the case is open', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      // repair/major: on site within 30 minutes; the stage's own reminders and escalations
      // (15, 27, 30 min; then hourly up the chain) are stepped through on the way.
      const input = caseInput(dir, await stack.now(), { severity: 'major' });
      const { handle, view: opened } = await startCase(env, tq, input);
      const hop = (ms: number) => stack.advanceTo(ms, handle);
      await hop(Date.parse(opened.openedAt) + SEC);
      const t0 = Date.parse(opened.deadlines[0]!.startedAt);
      const leadership = emailOf(dir, 'lead-huang');
      const notices = async () =>
        (await handle.query(caseViewQuery)).notices.filter((n) => n.kind === 'leadership_notice');
      const noticeMails = async () => (await mailLog(input.caseId)).filter((l) => l.startsWith('重大问题'));

      expect(await noticeMails()).toEqual([`重大问题 ${leadership}`]);
      // Read without clicking through: where, since when (campus time) and who has it.
      const [notice] = (await caseMails(input.caseId)).filter((m) => m.tag === '重大问题');
      expect(notice?.text).toMatch(
        /，地点：[^，]+，开案时间：2026\/11\/23 09:00 \(Asia\/Shanghai\)，当前环节：/,
      );
      expect(notice?.text).toMatch(/，经办人：[^。]+。/);
      expect(notice?.text).toMatch(/, opened 2026\/11\/23 09:00 \(Asia\/Shanghai\), now at the stage/);
      const first = await notices();
      expect(first).toHaveLength(1);
      expect(first[0]).toMatchObject({ level: 'leadership', to: ['lead-huang'], stage: 'analysing' });
      expect(Math.abs(Date.parse(first[0]!.at) - t0)).toBeLessThan(5_000);

      for (const at of [15 * MIN, 27 * MIN, 30 * MIN, 90 * MIN, 150 * MIN, 210 * MIN])
        await hop(t0 + at + SEC);
      await hop(t0 + 40 * HOUR - MIN);
      expect(await notices()).toHaveLength(1);
      await hop(t0 + 40 * HOUR + SEC);
      const both = await notices();
      expect(both).toHaveLength(2);
      expect(shanghai(both[1]!.at)).toBe(shanghai(t0 + 40 * HOUR));
      expect(shanghai(both[1]!.at)).toBe('2026-11-25 01:00');
      await hop(t0 + 60 * HOUR);
      expect(await notices()).toHaveLength(2);
      // Two notices, each emailed exactly once (the stage's escalation to leadership is another kind).
      expect(await noticeMails()).toEqual([`重大问题 ${leadership}`, `重大问题 ${leadership}`]);

      await steps(dir, handle).withdraw('重复报修 duplicate');
      await stack.result(handle);
      await saveHistory(handle, 'major-leadership-two-notices');
    });
  });

  it('sends no second notice when the case is over before 40 hours', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), { severity: 'major' });
      const { handle, view: opened } = await startCase(env, tq, input);
      const t0 = Date.parse(opened.openedAt);
      await stack.advanceTo(t0 + SEC, handle);
      const s = steps(dir, handle);
      await s.rootCause();
      await s.confirm();
      await s.report();
      await s.review(true, '复查合格'); // no reporter: closed at once
      const final = await stack.result(handle);
      expect(final.stage).toBe('closed');
      await stack.advanceTo(t0 + 48 * HOUR);
      expect(final.notices.filter((n) => n.kind === 'leadership_notice')).toHaveLength(1);
      expect((await mailLog(input.caseId)).filter((l) => l.startsWith('重大问题'))).toEqual([
        `重大问题 ${emailOf(dir, 'lead-huang')}`,
      ]);
      await saveHistory(handle, 'major-closed-before-second-notice');
    });
  });
});
