import { describe, expect, it } from 'vitest';
import type { CaseView, NoticeView } from '../../domain/case-model.ts';
import { DEFAULT_WORKING_HOURS } from '../../domain/quiet-hours.ts';
import { caseViewQuery, submitRootCauseUpdate } from '../../workflows/rectification-case/messages.ts';
import {
  actorOf,
  caseInput,
  caseMails,
  saveHistory,
  shanghai,
  startCase,
  steps,
  useCaseStack,
} from '../support/case-harness.ts';
import { viewAfterStep } from '../../api/step-view.ts';

// Monday 2 November 2026, 09:00 in Shanghai; the campus works 08:00-20:00 (the default).
const stack = useCaseStack({ startAt: new Date('2026-11-02T09:00:00+08:00') });
const SEC = 1_000;
const MIN = 60 * SEC;
const local = (s: string) => Date.parse(`${s.replace(' ', 'T')}:00+08:00`);

const noticesOf = (v: CaseView, stage: string, kind: NoticeView['kind']) =>
  v.notices.filter((n) => n.stage === stage && n.kind === kind);

describe('quiet hours (time-skipping)', () => {
  it('a routine reminder due at 00:30 goes out at 08:00; the next escalation rung a working day of working time after the breach', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), { workingHours: DEFAULT_WORKING_HOURS });
      const { handle } = await startCase(env, tq, input);
      const hop = (at: string) => stack.advanceTo(local(at) + SEC, handle);
      const reminders = async () => (await caseMails(input.caseId)).filter((m) => m.tag === '提醒').length;

      await hop('2026-11-03 07:00');
      let v = await viewAfterStep(
        handle,
        handle.executeUpdate(submitRootCauseUpdate, {
          args: [
            {
              actor: actorOf(dir, 'sup-wang'),
              causes: ['阀芯老化'],
              responsibleId: 'staff-zhou',
              plan: '更换阀芯',
            },
          ],
        }),
      );
      // Sign-off: one working day, Wed 18:00; 50% and 90% of the 35 hours are Wed 00:30 and 14:30.
      const signoff = v.deadlines.at(-1)!;
      expect(shanghai(signoff.due)).toBe('2026-11-04 18:00');
      const before = await reminders();
      await hop('2026-11-04 00:30');
      await hop('2026-11-04 07:58');
      expect(await reminders()).toBe(before);
      await hop('2026-11-04 08:00');
      expect(await reminders()).toBe(before + 1);
      await hop('2026-11-04 14:30');
      expect(await reminders()).toBe(before + 2);
      await hop('2026-11-04 18:00');
      // Sign-off is a working-day rule: the next rung is one working day of working time
      // later (08:00-20:00), Wed 18:00-20:00 and Thu 08:00-18:00, so Thu 18:00, never at night.
      await hop('2026-11-05 17:58');
      v = await handle.query(caseViewQuery);
      expect(noticesOf(v, 'awaiting_signoff', 'escalation').map((n) => [n.level, shanghai(n.at)])).toEqual([
        ['grid_l3', '2026-11-04 18:00'],
      ]);
      await hop('2026-11-05 18:00');
      v = await handle.query(caseViewQuery);
      expect(noticesOf(v, 'awaiting_signoff', 'reminder').map((n) => shanghai(n.at))).toEqual([
        '2026-11-04 08:00',
        '2026-11-04 14:30',
      ]);
      expect(noticesOf(v, 'awaiting_signoff', 'escalation').map((n) => [n.level, shanghai(n.at)])).toEqual([
        ['grid_l3', '2026-11-04 18:00'],
        ['grid_l2', '2026-11-05 18:00'],
      ]);
      // Its next rung (Fri 18:00) falls before the next test's clock: a case left running
      // without its worker would hold that clock.
      await steps(dir, handle).withdraw('测试结束 end of test');
      await saveHistory(handle, 'quiet-hours-routine-held');
    });
  });

  it('an urgent case at night: its first reminder and the breach rungs go at once, the rest wait for 08:00', async () => {
    const { dir, env } = stack;
    await stack.advanceTo(local('2026-11-06 23:00'));
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), {
        severity: 'urgent',
        workingHours: DEFAULT_WORKING_HOURS,
      });
      const { handle, view } = await startCase(env, tq, input);
      const hop = (ms: number) => stack.advanceTo(ms, handle);
      const d = view.deadlines[0]!;
      const start = Date.parse(d.startedAt);
      expect(Date.parse(d.due) - start).toBe(30 * MIN);
      // Reminders at 50% and 90% (15 and 27 minutes), the breach at 30, the working group 30 later.
      for (const m of [15, 27, 30]) await hop(start + m * MIN + SEC);
      await hop(start + 60 * MIN + SEC);
      let v = await handle.query(caseViewQuery);
      expect(
        noticesOf(v, 'analysing', 'reminder').map((n) => Math.round((Date.parse(n.at) - start) / MIN)),
      ).toEqual([15]);
      expect(noticesOf(v, 'analysing', 'escalation').map((n) => n.level)).toEqual([
        'grid_l3',
        'grid_l2',
        'grid_l1',
      ]);
      await hop(local('2026-11-07 08:00') + SEC);
      v = await handle.query(caseViewQuery);
      // The reminder held past the deadline is dropped; the working group hears at 08:00.
      expect(noticesOf(v, 'analysing', 'reminder')).toHaveLength(1);
      expect(noticesOf(v, 'analysing', 'escalation').map((n) => [n.level, shanghai(n.at).slice(11)])).toEqual(
        [
          ['grid_l3', shanghai(d.due).slice(11)],
          ['grid_l2', shanghai(d.due).slice(11)],
          ['grid_l1', shanghai(d.due).slice(11)],
          ['working_group', '08:00'],
        ],
      );
      await saveHistory(handle, 'quiet-hours-urgent-at-night');
    });
  });
});
