import { createCalendar } from '../../domain/calendar.ts';
import { addWorkingTime, workingDayMs } from '../../domain/working-time.ts';
import { describe, expect, it } from 'vitest';
import type { CaseView, NoticeView } from '../../domain/case-model.ts';
import {
  caseViewQuery,
  reportRectificationUpdate,
  reviewUpdate,
  searchKeys,
  signOffUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import {
  actorOf,
  caseInput,
  caseMails,
  emailOf,
  mailLog,
  saveHistory,
  shanghai,
  startCase,
  useCaseStack,
} from '../support/case-harness.ts';
import { ALWAYS_WORKING } from '../support/case-harness.ts';
import { viewAfterStep } from '../../api/step-view.ts';

// The clock starts on Fri 2026-09-25 09:00 in Shanghai (Mid-Autumn Festival), so a case
// opened at once runs through the National Day holiday 2026 and its make-up working days.
// Every instant below is the simulated one, read back in campus-local time.
const stack = useCaseStack({ startAt: new Date('2026-09-25T09:00:00+08:00') });
const MIN = 60_000;
const HOUR = 60 * MIN;

const SEC = 1_000;

const noticesOf = (v: CaseView, stage: string, kind: NoticeView['kind']) =>
  v.notices.filter((n) => n.stage === stage && n.kind === kind);

/** The instant a fraction of the way through a stage's time: 1 is the deadline itself. */
const instantAt = (d: { startedAt: string; due: string }, f: number) =>
  Date.parse(d.startedAt) + Math.round(f * (Date.parse(d.due) - Date.parse(d.startedAt)));

const count = async (caseId: string, tag: string) =>
  (await caseMails(caseId)).filter((m) => m.tag === tag).length;

describe('deadlines, reminders and escalations at the right simulated instants', () => {
  it('runs 15 working days across National Day 2026 and escalates up the whole grid after it', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), { source: 'evaluation' });
      const { handle } = await startCase(env, tq, input);
      const sup = actorOf(dir, 'sup-wang');
      const staff = actorOf(dir, 'staff-zhou');
      await handle.executeUpdate(submitRootCauseUpdate, {
        args: [
          { actor: sup, causes: ['消防通道堆放杂物'], responsibleId: 'staff-zhou', plan: '清理并张贴标识' },
        ],
      });
      let v = await viewAfterStep(
        handle,
        handle.executeUpdate(signOffUpdate, { args: [{ actor: staff, decision: 'confirm' }] }),
      );
      expect(v.stage).toBe('rectifying');
      const d = v.deadlines.at(-1)!;
      expect(d).toMatchObject({ stage: 'rectifying', state: 'pending', approximate: false });
      expect(shanghai(d.startedAt).slice(0, 10)).toBe('2026-09-25');
      // Mid-Autumn 09-25..27 and National Day 10-01..07 off, Sat 10-10 (调休) worked.
      expect(shanghai(d.due)).toBe('2026-10-22 18:00');

      const start = Date.parse(d.startedAt);
      const due = Date.parse(d.due);
      const span = due - start;
      const r1 = start + Math.round(0.5 * span);
      const r2 = start + Math.round(0.9 * span);

      const hop = (ms: number) => stack.advanceTo(ms, handle);
      await hop(r1 - MIN);
      expect(await count(input.caseId, '提醒')).toBe(0);
      await hop(r1 + SEC);
      expect(await count(input.caseId, '提醒')).toBe(1);
      await hop(r2 - MIN);
      expect(await count(input.caseId, '提醒')).toBe(1);
      await hop(r2 + SEC);
      expect(await count(input.caseId, '提醒')).toBe(2);
      await hop(due - MIN);
      expect(await count(input.caseId, '超时升级')).toBe(0);
      await hop(due + SEC);
      // The first rung (the room cluster's member) and the building's two supervisors.
      expect(await count(input.caseId, '超时升级')).toBe(3);

      v = await handle.query(caseViewQuery);
      expect(v.overdue).toBe(true);
      expect(v.deadlines.at(-1)).toMatchObject({ stage: 'rectifying', state: 'breached' });
      expect(shanghai(v.deadlines.at(-1)!.breachedAt!)).toBe('2026-10-22 18:00');
      const reminders = noticesOf(v, 'rectifying', 'reminder');
      expect(reminders).toHaveLength(2);
      for (const [i, n] of reminders.entries()) {
        expect(Math.abs(Date.parse(n.at) - [r1, r2][i]!)).toBeLessThan(5_000);
        expect(n.to).toEqual(['staff-zhou']);
      }

      // After the breach, one rung further up every period: for this working-day rule, its own
      // 15 working days of working time. A routine case climbs the grid, floor (level 2)
      // included, and stops at the working group.
      for (let k = 1; k <= 3; k++) await hop(due + k * span + SEC);
      v = await handle.query(caseViewQuery);
      const escalations = noticesOf(v, 'rectifying', 'escalation');
      expect(escalations.map((n) => n.level)).toEqual(['grid_l3', 'grid_l2', 'grid_l1', 'working_group']);
      const calendar = createCalendar();
      const period = 15 * workingDayMs(ALWAYS_WORKING);
      const wt = {
        timeZone: 'Asia/Shanghai',
        hours: ALWAYS_WORKING,
        isWorkingDay: (d: string) => calendar.isWorkingDay(d),
      };
      for (const [k, n] of escalations.entries())
        expect(Math.abs(Date.parse(n.at) - Date.parse(addWorkingTime(d.due, k * period, wt)))).toBeLessThan(
          5_000,
        );
      expect(shanghai(escalations[0]!.at)).toBe('2026-10-22 18:00');

      v = await viewAfterStep(
        handle,
        handle.executeUpdate(reportRectificationUpdate, {
          args: [{ actor: staff, summary: '已清理', evidence: ['photo-9.jpg'] }],
        }),
      );
      // Done late: the deadline stays breached, now closed; the case is no longer overdue.
      const closed = v.deadlines.find((x) => x.stage === 'rectifying')!;
      expect(closed.state).toBe('breached');
      expect(Date.parse(closed.closedAt!)).toBeGreaterThan(due + 3 * span);
      expect(v.overdue).toBe(false);
      // The review now starts in 2027, a year without official holiday data: flagged, not silently exact.
      expect(v.deadlines.at(-1)).toMatchObject({ stage: 'reviewing', approximate: true, state: 'pending' });
      expect(shanghai(v.deadlines.at(-1)!.due).startsWith('2027-01-')).toBe(true);

      v = await viewAfterStep(
        handle,
        handle.executeUpdate(reviewUpdate, {
          args: [{ actor: sup, passed: true, notes: '复查合格' }],
        }),
      );
      expect(v.stage).toBe('closed');
      await stack.result(handle);

      const zhou = emailOf(dir, 'staff-zhou');
      expect(await mailLog(input.caseId)).toEqual(
        [
          `整改 ${zhou}`,
          `待签字 ${zhou}`,
          `提醒 ${zhou}`,
          `提醒 ${zhou}`,
          `超时升级 ${emailOf(dir, 'grid-a1c1')}`,
          `超时升级 ${emailOf(dir, 'grid-a1f')}`,
          `超时升级 ${emailOf(dir, 'grid-a1')}`,
          `超时升级 ${emailOf(dir, 'wg-chen')}`,
          `超时升级 ${emailOf(dir, 'wg-yang')}`,
          // The building's supervisors, once each for the breach.
          `超时升级 ${emailOf(dir, 'sup-wang')}`,
          `超时升级 ${emailOf(dir, 'sup-smith')}`,
          `待复查 ${emailOf(dir, 'sup-wang')}`,
          `待复查 ${emailOf(dir, 'sup-smith')}`,
        ].sort(),
      );
      // Reminders and escalations name the due instant in campus time.
      for (const m of (await caseMails(input.caseId)).filter((x) => ['提醒', '超时升级'].includes(x.tag)))
        expect(m.text).toContain('2026/10/22 18:00 (Asia/Shanghai)');
      await saveHistory(handle, 'national-day-escalation');
    });
  });

  it('reminds and escalates every stage at its own instants (2027: weekends-only, flagged approximate)', async () => {
    const { dir, env } = stack;
    // Mon 2027-01-18 09:00 in Shanghai; the clock only moves forward from the first test.
    await stack.advanceTo(Date.parse('2027-01-18T09:00:00+08:00'));
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now()); // repair, routine: on site within 2 hours
      const { handle, view: opened } = await startCase(env, tq, input);
      const sup = actorOf(dir, 'sup-wang');
      const staff = actorOf(dir, 'staff-zhou');
      const hop = (ms: number) => stack.advanceTo(ms, handle);
      const tagged = async (tag: string) =>
        (await caseMails(input.caseId)).filter((m) => m.tag === tag).map((m) => m.to);

      // analysing: due 2 hours after opening; reminders at 50% and 90%; then one rung every 2 hours.
      const s0 = Date.parse(opened.deadlines[0]!.startedAt);
      expect(shanghai(opened.deadlines[0]!.due)).toBe('2027-01-18 11:00');
      // Routine: up the grid, floor (level 2) included, to the working group and no further.
      // The building's supervisors hear of the breach with its first rung, once each.
      const chain = ['grid-a1c1', 'sup-wang', 'sup-smith', 'grid-a1f', 'grid-a1', 'wg-chen', 'wg-yang'];
      const steps: [number, number, string[]][] = [
        [s0 + 60 * MIN - MIN, 0, []],
        [s0 + 60 * MIN + SEC, 1, []],
        [s0 + 108 * MIN - MIN, 1, []],
        [s0 + 108 * MIN + SEC, 2, []],
        [s0 + 2 * HOUR - MIN, 2, []],
        [s0 + 2 * HOUR + SEC, 2, chain.slice(0, 3)],
        [s0 + 4 * HOUR - MIN, 2, chain.slice(0, 3)],
        [s0 + 4 * HOUR + SEC, 2, chain.slice(0, 4)],
        [s0 + 6 * HOUR + SEC, 2, chain.slice(0, 5)],
        [s0 + 8 * HOUR + SEC, 2, chain],
        // The chain has ended: nothing more however long the stage stays open.
        [s0 + 22 * HOUR, 2, chain],
      ];
      for (const [when, reminders, escalated] of steps) {
        await hop(when);
        const at = shanghai(when);
        expect([at, (await tagged('提醒')).length]).toEqual([at, reminders]);
        expect([at, (await tagged('超时升级')).sort()]).toEqual([
          at,
          escalated.map((id) => emailOf(dir, id)).sort(),
        ]);
      }
      let v = await handle.query(caseViewQuery);
      expect(noticesOf(v, 'analysing', 'reminder').map((n) => shanghai(n.at))).toEqual([
        '2027-01-18 10:00',
        '2027-01-18 10:48',
      ]);
      expect(noticesOf(v, 'analysing', 'escalation').map((n) => [n.level, shanghai(n.at)])).toEqual([
        ['grid_l3', '2027-01-18 11:00'],
        ['grid_l2', '2027-01-18 13:00'],
        ['grid_l1', '2027-01-18 15:00'],
        ['working_group', '2027-01-18 17:00'],
      ]);
      expect(v.overdue).toBe(true);
      const described = await handle.describe();
      expect(described.typedSearchAttributes.get(searchKeys.overdue)).toBe(true);

      // awaiting_signoff: one working day after Tue 07:00 → Wed 18:00, flagged approximate (2027).
      await hop(Date.parse('2027-01-19T07:00:00+08:00'));
      v = await viewAfterStep(
        handle,
        handle.executeUpdate(submitRootCauseUpdate, {
          args: [{ actor: sup, causes: ['阀芯老化'], responsibleId: 'staff-zhou', plan: '更换阀芯' }],
        }),
      );
      expect(v.overdue).toBe(false);
      expect(v.deadlines[0]).toMatchObject({ stage: 'analysing', state: 'breached' });
      expect(shanghai(v.deadlines[0]!.closedAt!)).toBe('2027-01-19 07:00');
      const signoff = v.deadlines.at(-1)!;
      expect(signoff).toMatchObject({ stage: 'awaiting_signoff', approximate: true });
      expect(shanghai(signoff.due)).toBe('2027-01-20 18:00');
      for (const f of [0.5, 0.9, 1]) await hop(instantAt(signoff, f) + SEC);
      v = await handle.query(caseViewQuery);
      // 50% and 90% of the 35 hours from Tue 07:00: Wed 00:30 and Wed 14:30.
      expect(noticesOf(v, 'awaiting_signoff', 'reminder').map((n) => shanghai(n.at))).toEqual([
        '2027-01-20 00:30',
        '2027-01-20 14:30',
      ]);
      expect(noticesOf(v, 'awaiting_signoff', 'escalation').map((n) => [n.level, shanghai(n.at)])).toEqual([
        ['grid_l3', '2027-01-20 18:00'],
      ]);
      // The sign-off reminders carry the one-click link.
      const signoffReminders = (await caseMails(input.caseId)).filter(
        (m) => m.tag === '提醒' && m.text.includes('2027/01/20 18:00'),
      );
      expect(signoffReminders).toHaveLength(2);
      for (const m of signoffReminders) expect(m.text).toMatch(/http:\/\/rectify\.test\/actions\/v1\./);

      await handle.executeUpdate(signOffUpdate, { args: [{ actor: staff, decision: 'confirm' }] });
      v = await viewAfterStep(
        handle,
        handle.executeUpdate(reportRectificationUpdate, {
          args: [{ actor: staff, summary: '已更换阀芯', evidence: ['photo-1.jpg'] }],
        }),
      );
      // reviewing: two working days after Wed 18:00 → Fri 18:00; the supervisors are reminded.
      const review = v.deadlines.at(-1)!;
      expect(review).toMatchObject({ stage: 'reviewing', approximate: true });
      expect(shanghai(review.due)).toBe('2027-01-22 18:00');
      for (const f of [0.5, 0.9, 1]) await hop(instantAt(review, f) + SEC);
      v = await handle.query(caseViewQuery);
      const reviewReminders = noticesOf(v, 'reviewing', 'reminder');
      expect(reviewReminders).toHaveLength(2);
      for (const n of reviewReminders) expect(n.to).toEqual(['sup-wang', 'sup-smith']);
      expect(noticesOf(v, 'reviewing', 'escalation').map((n) => shanghai(n.at))).toEqual([
        '2027-01-22 18:00',
      ]);

      v = await viewAfterStep(
        handle,
        handle.executeUpdate(reviewUpdate, {
          args: [{ actor: sup, passed: true, notes: '复查合格' }],
        }),
      );
      expect(v.stage).toBe('closed');
      expect(v.deadlines.map((x) => [x.stage, x.state, Boolean(x.closedAt)])).toEqual([
        ['analysing', 'breached', true],
        ['awaiting_signoff', 'breached', true],
        ['rectifying', 'met', true],
        ['reviewing', 'breached', true],
      ]);
      await stack.result(handle);

      const zhou = emailOf(dir, 'staff-zhou');
      const wang = emailOf(dir, 'sup-wang');
      const smith = emailOf(dir, 'sup-smith');
      const l3 = emailOf(dir, 'grid-a1c1');
      expect(await mailLog(input.caseId)).toEqual(
        [
          `整改 ${zhou}`,
          ...Array<string>(4).fill(`提醒 ${zhou}`), // analysing ×2, sign-off ×2
          `待签字 ${zhou}`,
          `待复查 ${wang}`,
          `待复查 ${smith}`,
          `提醒 ${wang}`,
          `提醒 ${wang}`,
          `提醒 ${smith}`,
          `提醒 ${smith}`,
          `超时升级 ${l3}`, // analysing
          `超时升级 ${emailOf(dir, 'grid-a1f')}`,
          `超时升级 ${emailOf(dir, 'grid-a1')}`,
          `超时升级 ${emailOf(dir, 'wg-chen')}`,
          `超时升级 ${emailOf(dir, 'wg-yang')}`,
          `超时升级 ${l3}`, // sign-off
          `超时升级 ${l3}`, // review
          // The building's supervisors, once for each of the three breaches.
          ...[wang, smith].flatMap((to) => Array<string>(3).fill(`超时升级 ${to}`)),
        ].sort(),
      );
      await saveHistory(handle, 'every-stage-reminders');
    });
  });
});
