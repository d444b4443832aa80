import { describe, expect, it } from 'vitest';
import { clockStatuses, type ClockId, type ClockState } from '../../domain/case-clocks.ts';
import type { CaseView } from '../../domain/case-model.ts';
import { arrivedUpdate, caseViewQuery } from '../../workflows/rectification-case/messages.ts';
import {
  actorOf,
  caseInput,
  saveHistory,
  shanghai,
  startCase,
  steps,
  useCaseStack,
} from '../support/case-harness.ts';
import { viewAfterStep } from '../../api/step-view.ts';

// Monday 2 November 2026, 09:00 in Shanghai; each test starts where the last left the clock.
const stack = useCaseStack({ startAt: new Date('2026-11-02T09:00:00+08:00') });
const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const reporter = { name: '李同学', email: 'li.student@demo.edu.cn' };

/**
 * Withdraws a case at the end of a test: a case left running keeps timers whose workflow
 * tasks nobody polls once the test's worker is gone, and they hold the file's clock.
 */
const withdraw = (dir: Parameters<typeof steps>[0], handle: Parameters<typeof steps>[1]) =>
  steps(dir, handle).withdraw('测试结束 end of test');

/**
 * Runs a test on a worker and withdraws its cases when it ends, passed or failed: one left
 * running would hold the next test's clock.
 */
async function inWorker(fn: (tq: string, opened: Parameters<typeof steps>[1][]) => Promise<void>) {
  await stack.withWorker(async (tq) => {
    const opened: Parameters<typeof steps>[1][] = [];
    try {
      await fn(tq, opened);
    } finally {
      for (const h of opened) await withdraw(stack.dir, h).catch(() => undefined);
    }
  });
}

/** Each case-level clock's state at the test server's now. */
async function states(v: CaseView): Promise<Partial<Record<ClockId, ClockState>>> {
  const now = await stack.env.currentTimeMs();
  return Object.fromEntries(clockStatuses(v, now).map((s) => [s.id, s.state]));
}

describe('case-level clocks (time-skipping, seeds 000 and 002)', () => {
  it('general repair reported 30 minutes before it was opened: on site in 2 hours and done in 24, both met', async () => {
    const { dir, env } = stack;
    await inWorker(async (tq, opened) => {
      const now = await stack.now();
      const input = {
        ...caseInput(dir, now, { source: 'repair', severity: 'routine' }),
        reportedAt: new Date(now.getTime() - 30 * MIN).toISOString(),
      };
      const { handle, view } = await startCase(env, tq, input);
      opened.push(handle);
      const on = view.clocks!.find((c) => c.id === 'on_site_arrival')!;
      // From the report, not from the opening: 2 hours after it.
      expect(on.startedAt).toBe(input.reportedAt);
      expect(Date.parse(on.due) - Date.parse(input.reportedAt)).toBe(2 * HOUR);
      expect(await states(view)).toEqual({ on_site_arrival: 'pending', small_repair_done: 'pending' });
      const s = steps(dir, handle);
      await stack.advanceTo(Date.parse(on.due) - 5 * MIN, handle);
      let v = await viewAfterStep(
        handle,
        handle.executeUpdate(arrivedUpdate, {
          args: [{ actor: actorOf(dir, 'staff-zhou'), note: '已到场' }],
        }),
      );
      expect(v.timeline.at(-1)?.action).toBe('arrived');
      await s.rootCause();
      await s.confirm();
      await s.report();
      await stack.advanceTo(Date.parse(on.startedAt) + 30 * HOUR, handle);
      v = await handle.query(caseViewQuery);
      expect(await states(v)).toEqual({ on_site_arrival: 'met', small_repair_done: 'met' });
      await withdraw(dir, handle);
      await saveHistory(handle, 'clocks-repair-met');
    });
  });

  it('urgent repair left alone: on site in 30 minutes breached, a late arrival stays breached; small repair breached at 24 hours', async () => {
    const { dir, env } = stack;
    await inWorker(async (tq, opened) => {
      const input = caseInput(dir, await stack.now(), { source: 'repair', severity: 'urgent' });
      const { handle, view } = await startCase(env, tq, input);
      opened.push(handle);
      const start = Date.parse(view.clocks![0]!.startedAt);
      await stack.advanceTo(start + 29 * MIN, handle);
      expect((await states(await handle.query(caseViewQuery))).on_site_arrival).toBe('pending');
      await stack.advanceTo(start + 31 * MIN, handle);
      expect(await states(await handle.query(caseViewQuery))).toEqual({
        on_site_arrival: 'breached',
        small_repair_done: 'pending',
      });
      await handle.executeUpdate(arrivedUpdate, { args: [{ actor: actorOf(dir, 'staff-zhou') }] });
      await stack.advanceTo(start + 24 * HOUR + MIN, handle);
      const v = await handle.query(caseViewQuery);
      expect(await states(v)).toEqual({ on_site_arrival: 'breached', small_repair_done: 'breached' });
      expect(clockStatuses(v, Date.now()).find((c) => c.id === 'on_site_arrival')?.metAt).toBeDefined();
      await withdraw(dir, handle);
      await saveHistory(handle, 'clocks-repair-breached');
    });
  });

  it('general complaint: responded, investigated and answered in writing within its limits, all met', async () => {
    const { dir, env } = stack;
    await inWorker(async (tq, opened) => {
      const input = caseInput(dir, await stack.now(), { source: 'complaint', severity: 'routine', reporter });
      const { handle, view } = await startCase(env, tq, input);
      opened.push(handle);
      expect(await states(view)).toEqual({
        complaint_response: 'pending',
        complaint_investigation: 'pending',
        complaint_written_result: 'pending',
      });
      // The working-day clocks keep the working days of the pinned calendar a pause is counted in.
      const kept = (id: string) => view.clocks?.find((c) => c.id === id)?.working;
      expect(kept('complaint_written_result')).toMatchObject({ timeZone: input.policy.timeZone });
      expect(kept('complaint_written_result')?.days).toMatch(/^[01]{120,}$/);
      expect(kept('complaint_investigation')?.from).toBe(kept('complaint_written_result')?.from);
      expect(kept('complaint_response')).toBeUndefined();
      const s = steps(dir, handle);
      await stack.advanceTo(Date.parse(view.openedAt) + 3 * HOUR, handle);
      await s.rootCause();
      await s.confirm();
      await s.report();
      const v = await s.review(true, '合格');
      expect(v.stage).toBe('follow_up');
      expect(await states(v)).toEqual({
        complaint_response: 'met',
        complaint_investigation: 'met',
        complaint_written_result: 'met',
      });
      await withdraw(dir, handle);
    });
  });

  it('major complaint left alone: handled in 48 hours, investigated in 3 and answered in 5 working days all breached; leadership told at once', async () => {
    const { dir, env } = stack;
    await inWorker(async (tq, opened) => {
      const input = caseInput(dir, await stack.now(), { source: 'complaint', severity: 'major', reporter });
      const { handle, view } = await startCase(env, tq, input);
      opened.push(handle);
      const due = (id: ClockId) => Date.parse(view.clocks!.find((c) => c.id === id)!.due);
      expect(shanghai(due('complaint_investigation')).slice(11)).toBe('18:00');
      await stack.advanceTo(due('complaint_handled') + MIN, handle);
      expect(await states(await handle.query(caseViewQuery))).toEqual({
        complaint_handled: 'breached',
        complaint_investigation: 'pending',
        complaint_written_result: 'pending',
        leadership_report: 'met',
      });
      await stack.advanceTo(due('complaint_investigation') + MIN, handle);
      expect((await states(await handle.query(caseViewQuery))).complaint_investigation).toBe('breached');
      await stack.advanceTo(due('complaint_written_result') + MIN, handle);
      expect((await states(await handle.query(caseViewQuery))).complaint_written_result).toBe('breached');
      await withdraw(dir, handle);
      await saveHistory(handle, 'clocks-complaint-major-breached');
    });
  });

  it('a major problem whose chain names no leader: the 48-hour leadership clock is breached', async () => {
    const { dir, env } = stack;
    await inWorker(async (tq, opened) => {
      const base = caseInput(dir, await stack.now(), { source: 'inspection', severity: 'major' });
      const input = {
        ...base,
        policy: {
          ...base.policy,
          escalationChain: base.policy.escalationChain.filter((l) => l.level !== 'leadership'),
        },
      };
      const { handle, view } = await startCase(env, tq, input);
      opened.push(handle);
      const start = Date.parse(view.openedAt);
      await stack.advanceTo(start + 47 * HOUR, handle);
      expect((await states(await handle.query(caseViewQuery))).leadership_report).toBe('pending');
      await stack.advanceTo(start + 48 * HOUR + MIN, handle);
      expect(await states(await handle.query(caseViewQuery))).toEqual({ leadership_report: 'breached' });
      await withdraw(dir, handle);
    });
  });

  it('evaluation findings: measures within 15 working days met by one, breached by another', async () => {
    const { dir, env } = stack;
    await inWorker(async (tq, opened) => {
      const done = await startCase(env, tq, caseInput(dir, await stack.now(), { source: 'evaluation' }));
      const idle = await startCase(env, tq, caseInput(dir, await stack.now(), { source: 'evaluation' }));
      opened.push(done.handle, idle.handle);
      const s = steps(dir, done.handle);
      await s.rootCause();
      await s.confirm();
      const v = await s.report();
      expect(await states(v)).toEqual({ evaluation_measures: 'met' });
      const due = Date.parse(idle.view.clocks![0]!.due);
      // 15 working days from a Monday: three weeks on, a Monday again, at the end of the working day.
      expect(shanghai(due)).toMatch(/ 18:00$/);
      expect(due - Date.parse(idle.view.openedAt)).toBeGreaterThan(18 * 24 * HOUR);
      await withdraw(dir, done.handle);
      await stack.advanceTo(due - HOUR, idle.handle);
      expect(await states(await idle.handle.query(caseViewQuery))).toEqual({
        evaluation_measures: 'pending',
      });
      await stack.advanceTo(due + MIN, idle.handle);
      expect(await states(await idle.handle.query(caseViewQuery))).toEqual({
        evaluation_measures: 'breached',
      });
    });
  });
});
