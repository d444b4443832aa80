import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../domain/case-model.ts';
import type { Severity } from '../../domain/sla.ts';
import { caseViewQuery } from '../../workflows/rectification-case/messages.ts';
import {
  caseInput,
  caseMails,
  emailOf,
  saveHistory,
  shanghai,
  startCase,
  useCaseStack,
} from '../support/case-harness.ts';

// Monday 2 November 2026, 09:00 in Shanghai. The clock is the file's: each test starts where
// the last one left it, and every case below still runs in daytime.
const stack = useCaseStack({ startAt: new Date('2026-11-02T09:00:00+08:00') });
const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Each escalation's rung and how long after the breach it went, in minutes. */
const escalations = (v: CaseView, due: string) =>
  v.notices
    .filter((n) => n.kind === 'escalation')
    .map((n) => [n.level, Math.round((Date.parse(n.at) - Date.parse(due)) / MIN)]);

/**
 * A repair case left in analysis until it breaches, with the clock moved through every
 * instant it wakes at (reminders, the breach, each rung) and then on for `tail`.
 */
async function overdueRepair(severity: Severity, wakes: number[], tail: number) {
  const { dir, env } = stack;
  return stack.withWorker(async (tq) => {
    const input = caseInput(dir, await stack.now(), { source: 'repair', severity });
    const { handle, view } = await startCase(env, tq, input);
    const d = view.deadlines[0]!;
    const start = Date.parse(d.startedAt);
    for (const f of [0.5, 0.9]) await stack.advanceTo(start + f * (Date.parse(d.due) - start) + SEC, handle);
    for (const w of wakes) await stack.advanceTo(Date.parse(d.due) + w + SEC, handle);
    await stack.advanceTo(Date.parse(d.due) + tail, handle);
    const v = await handle.query(caseViewQuery);
    return { input, handle, v, due: d.due };
  });
}

describe('escalation by severity (time-skipping, demo campus, room A101)', () => {
  it('a routine repair climbs one rung every stage length and never reaches leadership', async () => {
    const { input, handle, v, due } = await overdueRepair(
      'routine',
      [0, 2 * HOUR, 4 * HOUR, 6 * HOUR],
      3 * DAY,
    );
    expect(shanghai(due)).toBe('2026-11-02 11:00');
    expect(v.overdue).toBe(true);
    expect(escalations(v, due)).toEqual([
      ['grid_l3', 0],
      ['grid_l2', 120],
      ['grid_l1', 240],
      ['working_group', 360],
    ]);
    expect(v.notices.some((n) => n.to.includes('lead-huang'))).toBe(false);
    const mails = await caseMails(input.caseId);
    expect(
      mails
        .filter((m) => m.tag === '超时升级')
        .map((m) => m.to)
        .sort(),
    ).toEqual(
      // The building's supervisors hear of the breach too: once each, with its first rung.
      ['grid-a1c1', 'grid-a1f', 'grid-a1', 'wg-chen', 'wg-yang', 'sup-wang', 'sup-smith']
        .map((p) => emailOf(stack.dir, p))
        .sort(),
    );
    const first = mails.filter((m) => m.tag === '超时升级' && m.to === emailOf(stack.dir, 'sup-wang'));
    expect(first.map((m) => m.subject)).toEqual([
      `【超时升级】原因分析环节超时 ${input.caseId}：${input.title} / [Overdue] Analysis stage past its deadline ${input.caseId}: ${input.title}`,
    ]);
    await saveHistory(handle, 'routine-escalation-stops-at-working-group');
  });

  it('an urgent repair reaches the grid up to level 1 at the breach and the working group 30 minutes later', async () => {
    const { input, v, due } = await overdueRepair('urgent', [0, 30 * MIN], DAY);
    expect(escalations(v, due)).toEqual([
      ['grid_l3', 0],
      ['grid_l2', 0],
      ['grid_l1', 0],
      ['working_group', 30],
    ]);
    expect(v.notices.some((n) => n.to.includes('lead-huang'))).toBe(false);
    // Four rungs, three of them at once: the supervisors are mailed once each all the same.
    const told = (await caseMails(input.caseId)).filter((m) => m.tag === '超时升级').map((m) => m.to);
    for (const p of ['sup-wang', 'sup-smith'])
      expect(told.filter((to) => to === emailOf(stack.dir, p))).toHaveLength(1);
    expect(told).toHaveLength(5 + 2);
  });

  it('a major repair tells leadership when it opens and every rung, leadership included, at the breach', async () => {
    const { handle, v, due } = await overdueRepair('major', [0], HOUR);
    expect(escalations(v, due)).toEqual(
      ['grid_l3', 'grid_l2', 'grid_l1', 'working_group', 'leadership'].map((l) => [l, 0]),
    );
    // The first leadership notice went when the case opened, half an hour before the breach.
    const notices = v.notices.filter((n) => n.kind === 'leadership_notice');
    expect(notices.map((n) => Math.round((Date.parse(due) - Date.parse(n.at)) / MIN))).toEqual([30]);
    await saveHistory(handle, 'major-escalation-at-once');
  });
});
