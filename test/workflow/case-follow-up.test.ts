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
import { uniqueId } from '../support/stack.ts';

const stack = useCaseStack();
const DAY = 86_400_000;
const SEC = 1_000;

const newReporter = () => ({ name: '张同学', email: `${uniqueId('stu')}@students.demo.edu.cn` });

describe('follow-up (回访)', () => {
  it('a score below 3 reopens the case for review; a later good score closes it', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const reporter = newReporter();
      const input = caseInput(dir, await stack.now(), { reporter });
      const { handle } = await startCase(env, tq, input);
      const s = steps(dir, handle);
      await s.rootCause();
      await s.confirm();
      await s.report();
      let v = await s.review(true, '复查合格');
      expect(v.stage).toBe('follow_up');
      v = await s.rate(reporter, 2, '还在漏水');
      expect([v.stage, v.round]).toEqual(['reviewing', 2]);
      expect(v.followUp).toMatchObject({ score: 2, outcome: 'reopened', comment: '还在漏水' });
      v = await s.review(true, '再次复查合格');
      expect(v.stage).toBe('follow_up');
      v = await s.rate(reporter, 4);
      expect(v.stage).toBe('closed');
      expect(v.followUp).toMatchObject({ score: 4, outcome: 'rated' });
      await stack.result(handle);
      const mails = await mailLog(input.caseId);
      // The survey went out once per round, the reopening to both supervisors once, and to the
      // technician whose work it was.
      expect(mails.filter((l) => l.startsWith('处理结果'))).toEqual([
        `处理结果 ${reporter.email}`,
        `处理结果 ${reporter.email}`,
      ]);
      expect(mails.filter((l) => l.startsWith('重新复查'))).toEqual(
        [
          `重新复查 ${emailOf(dir, 'sup-wang')}`,
          `重新复查 ${emailOf(dir, 'sup-smith')}`,
          `重新复查 ${emailOf(dir, 'staff-zhou')}`,
        ].sort(),
      );
      await saveHistory(handle, 'follow-up-low-score-reopens');
    });
  });

  it('closes the case unrated when the reporter does not answer in 7 days', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const reporter = newReporter();
      const input = caseInput(dir, await stack.now(), { reporter });
      const { handle } = await startCase(env, tq, input);
      const s = steps(dir, handle);
      await s.rootCause();
      await s.confirm();
      await s.report();
      const v = await s.review(true, '复查合格');
      const d = v.deadlines.at(-1)!;
      expect(d.stage).toBe('follow_up');
      const start = Date.parse(d.startedAt);
      expect(Date.parse(d.due) - start).toBe(7 * DAY);
      for (const f of [0.5, 0.9]) await stack.advanceTo(start + Math.round(f * 7 * DAY) + SEC, handle);
      await stack.advanceTo(start + 7 * DAY - 60 * SEC, handle);
      expect((await handle.query(caseViewQuery)).stage).toBe('follow_up');
      await stack.advanceTo(start + 7 * DAY + SEC, handle);
      const final = await stack.result(handle);
      expect(final.stage).toBe('closed');
      expect(final.followUp).toMatchObject({ outcome: 'unrated' });
      expect(final.deadlines.at(-1)).toMatchObject({ stage: 'follow_up', state: 'cancelled' });
      expect(final.followUp?.score).toBeUndefined();
      expect(shanghai(final.closedAt!)).toBe(shanghai(start + 7 * DAY));
      expect(final.timeline.at(-1)).toMatchObject({ action: 'closed_unrated', actorId: 'system' });
      // The reporter was reminded of the survey at 50% and 90% of the week (patched path).
      const reminders = final.notices.filter((n) => n.kind === 'reminder' && n.stage === 'follow_up');
      expect(reminders.map((n) => shanghai(n.at))).toEqual([
        shanghai(start + 3.5 * DAY),
        shanghai(start + Math.round(0.9 * 7 * DAY)),
      ]);
      expect(reminders[0]?.to).toEqual([`reporter:${reporter.email.toLowerCase()}`]);
      const surveys = (await caseMails(input.caseId)).filter((m) => m.tag === '处理结果');
      expect(surveys.map((m) => m.to)).toEqual([reporter.email, reporter.email, reporter.email]);
      for (const m of surveys) expect(m.text).toMatch(/http:\/\/rectify\.test\/actions\/v1\./);
      const markers = ((await handle.fetchHistory()).events ?? []).filter(
        (e) => e.markerRecordedEventAttributes?.markerName === 'core_patch',
      );
      // No patch marker: a case opened now (rectificationCaseV2) takes every patch by its type
      // (two events and an action per marker; it took seven once, then one).
      expect(markers).toEqual([]);
      await saveHistory(handle, 'follow-up-timeout-unrated');
    });
  });
});
