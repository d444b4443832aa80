import type { UpdateDefinition } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { clockStatuses, MAX_PAUSE_MS } from '../../domain/case-clocks.ts';
import type { Actor, CaseView } from '../../domain/case-model.ts';
import {
  arrivedUpdate,
  caseViewQuery,
  decidePauseUpdate,
  endPauseUpdate,
  handOverUpdate,
  reassignUpdate,
  reportRectificationUpdate,
  requestPauseUpdate,
  withdrawUpdate,
  type StepAck,
} from '../../workflows/rectification-case/messages.ts';
import {
  actorOf,
  caseInput,
  caseMails,
  emailOf,
  refusalType,
  saveHistory,
  settle,
  shanghai,
  startCase,
  steps,
  useCaseStack,
} from '../support/case-harness.ts';
import { viewAfterStep } from '../../api/step-view.ts';
import { createCalendar } from '../../domain/calendar.ts';
import { addWorkingTime } from '../../domain/working-time.ts';

// Thursday 5 November 2026, 10:00 in Shanghai.
const stack = useCaseStack({ startAt: new Date('2026-11-05T10:00:00+08:00') });
const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const local = (s: string) => Date.parse(`${s.replace(' ', 'T')}:00+08:00`);

const actions = (v: CaseView) => v.timeline.map((e) => e.action);
const calendar = createCalendar();
const workingOpts = {
  timeZone: 'Asia/Shanghai',
  hours: { from: '08:00', to: '20:00' },
  isWorkingDay: (d: string) => calendar.isWorkingDay(d),
};

describe('pauses, reassignment and the chain read at the breach (time-skipping)', () => {
  it('a working-day rule escalates in working time: a rung a working day after a Friday breach goes on Monday', async () => {
    const { dir, env } = stack;
    // First in the file: the clock still stands at Thursday 10:00.
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), { source: 'inspection' });
      const { handle } = await startCase(env, tq, input);
      const v0 = await steps(dir, handle).rootCause();
      // Sign-off: one working day, due Friday 18:00.
      const due = v0.deadlines.at(-1)!.due;
      expect(shanghai(due)).toBe('2026-11-06 18:00');
      for (const t of ['2026-11-06 18:00', '2026-11-07 02:00', '2026-11-08 18:00', '2026-11-09 18:00'])
        await stack.advanceTo(local(t) + SEC, handle);
      const v = await handle.query(caseViewQuery);
      expect(v.notices.filter((n) => n.kind === 'escalation').map((n) => [n.level, shanghai(n.at)])).toEqual([
        ['grid_l3', '2026-11-06 18:00'],
        ['grid_l2', '2026-11-09 18:00'],
      ]);
      await steps(dir, handle).withdraw('测试结束 end of test');
      await saveHistory(handle, 'escalation-working-time');
    });
  });

  it('a pause approved by a supervisor of the building now holds the arrival clock; a second one ends by itself', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const base = caseInput(dir, await stack.now(), { source: 'repair', severity: 'routine' });
      // The supervisor pinned at the opening has left; sup-wang supervises the building now.
      const input = { ...base, policy: { ...base.policy, supervisorIds: ['sup-gone'] } };
      const { handle, view } = await startCase(env, tq, input);
      const start = Date.parse(view.openedAt);
      const staff = actorOf(dir, 'staff-zhou');
      const sup: Actor = { ...actorOf(dir, 'sup-wang'), supervises: ['bldg-a'] };
      const run = <A>(u: UpdateDefinition<StepAck, [A]>, arg: A) =>
        viewAfterStep(handle, handle.executeUpdate(u, { args: [arg] }));

      await stack.advanceTo(start + 30 * MIN, handle);
      await run(requestPauseUpdate, { actor: staff, reason: 'student_absent', note: '学生上课，宿舍无人' });
      // Only a supervisor decides; the pause request went to the building's supervisors now.
      expect(
        await refusalType(() => run(decidePauseUpdate, { actor: staff, approve: true, notes: '' })),
      ).toBe('CaseStepForbidden');
      await stack.advanceTo(start + 40 * MIN, handle);
      let v = await run(decidePauseUpdate, { actor: sup, approve: true, notes: '同意' });
      expect(v.pauses?.[0]).toMatchObject({ state: 'approved', decidedBy: 'sup-wang' });
      const mails = await caseMails(input.caseId);
      expect(
        mails
          .filter((m) => m.tag === '暂停申请')
          .map((m) => m.to)
          .sort(),
      ).toEqual([emailOf(dir, 'sup-smith'), emailOf(dir, 'sup-wang')].sort());
      // Paused from 0:40 to 3:00: the 2-hour arrival clock is due at 4:20, so 3:10 is in time.
      await stack.advanceTo(start + 3 * HOUR, handle);
      await run(endPauseUpdate, { actor: staff });
      await stack.advanceTo(start + 3 * HOUR + 10 * MIN, handle);
      v = await run(arrivedUpdate, { actor: staff });
      const arrival = clockStatuses(v, await stack.env.currentTimeMs()).find(
        (c) => c.id === 'on_site_arrival',
      )!;
      expect(arrival.state).toBe('met');
      // Steps land a few milliseconds after the instant the clock was moved to.
      const paused = 2 * HOUR + 20 * MIN;
      expect(Math.abs(arrival.pausedMs - paused)).toBeLessThan(10 * SEC);
      expect(Math.abs(Date.parse(arrival.due) - start - 4 * HOUR - 20 * MIN)).toBeLessThan(10 * SEC);

      // A second pause nobody ends: it ends by itself after its reason's maximum.
      await run(requestPauseUpdate, { actor: staff, reason: 'waiting_for_parts', note: '等待阀芯到货' });
      v = await run(decidePauseUpdate, { actor: sup, approve: true, notes: '' });
      const endsBy = Date.parse(v.pauses![1]!.endsBy!);
      expect(endsBy - Date.parse(v.pauses![1]!.decidedAt!)).toBe(MAX_PAUSE_MS.waiting_for_parts);
      await stack.advanceTo(endsBy + SEC, handle);
      v = await handle.query(caseViewQuery);
      expect(v.pauses![1]).toMatchObject({ state: 'ended', endedHow: 'expired' });
      expect(actions(v).filter((a) => a.startsWith('pause_'))).toEqual([
        'pause_requested',
        'pause_approved',
        'pause_ended',
        'pause_requested',
        'pause_approved',
        'pause_ended',
      ]);
      expect(v.timeline.at(-1)).toMatchObject({ action: 'pause_ended', actorId: 'system' });
      // A third asked for and refused. The technician hears each answer, and of the pause that
      // ran out (the first they ended themselves).
      await run(requestPauseUpdate, { actor: staff, reason: 'outside_contractor', note: '等外包' });
      await run(decidePauseUpdate, { actor: sup, approve: false, notes: '请先联系外包确定时间' });
      await settle(handle);
      const told = (await caseMails(input.caseId))
        .filter((m) => m.tag.startsWith('暂停') && m.tag !== '暂停申请')
        .map((m) => `${m.tag} ${m.to}`)
        .sort();
      const zhou = emailOf(dir, 'staff-zhou');
      expect(told).toEqual(
        [`暂停已批准 ${zhou}`, `暂停已批准 ${zhou}`, `暂停已结束 ${zhou}`, `暂停未批准 ${zhou}`].sort(),
      );
      const refusal = (await caseMails(input.caseId)).find((m) => m.tag === '暂停未批准');
      expect(refusal?.text).toContain('请先联系外包确定时间');
      await run(withdrawUpdate, { actor: sup, reason: '测试结束 end of test' });
      // Its last effects done before the worker stops (the file's next test needs the clock).
      await settle(handle);
      await saveHistory(handle, 'pause-approved-and-expired');
    });
  });

  it('a supervisor reassigns the case, the new assignee hands it over; both recorded and told', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), { source: 'inspection' });
      const { handle } = await startCase(env, tq, input);
      const sup: Actor = { ...actorOf(dir, 'sup-wang'), supervises: ['bldg-a'] };
      expect(
        await refusalType(() =>
          handle.executeUpdate(reassignUpdate, {
            args: [{ actor: actorOf(dir, 'staff-zhou'), toId: 'staff-lee', reason: '休假' }],
          }),
        ),
      ).toBe('CaseStepForbidden');
      let v = await viewAfterStep(
        handle,
        handle.executeUpdate(reassignUpdate, {
          args: [{ actor: sup, toId: 'staff-lee', reason: '周强休假 on leave' }],
        }),
      );
      expect([v.assigneeId, v.responsibleId]).toEqual(['staff-lee', 'staff-lee']);
      // The former assignee may no longer hand it over; the new one may.
      expect(
        await refusalType(() =>
          handle.executeUpdate(handOverUpdate, {
            args: [{ actor: actorOf(dir, 'staff-zhou'), toId: 'staff-wu', reason: '换班' }],
          }),
        ),
      ).toBe('CaseStepForbidden');
      v = await viewAfterStep(
        handle,
        handle.executeUpdate(handOverUpdate, {
          args: [{ actor: actorOf(dir, 'staff-lee'), toId: 'staff-wu', reason: '换班 shift change' }],
        }),
      );
      expect(v.assigneeId).toBe('staff-wu');
      expect(
        v.timeline
          .filter((e) => ['reassigned', 'handed_over'].includes(e.action))
          .map((e) => [e.action, e.actorId]),
      ).toEqual([
        ['reassigned', 'sup-wang'],
        ['handed_over', 'staff-lee'],
      ]);
      // The one holding the case now takes its steps.
      const s = steps(dir, handle);
      v = await s.rootCause('staff-wu', 'staff-wu');
      expect(v.stage).toBe('awaiting_signoff');
      await stack.advanceTo((await stack.env.currentTimeMs()) + 5 * SEC, handle);
      const assigned = (await caseMails(input.caseId)).filter((m) => m.tag === '整改').map((m) => m.to);
      expect(assigned).toEqual(
        expect.arrayContaining([
          emailOf(dir, 'staff-zhou'),
          emailOf(dir, 'staff-lee'),
          emailOf(dir, 'staff-wu'),
        ]),
      );
      await steps(dir, handle).withdraw('测试结束 end of test');
      await saveHistory(handle, 'reassigned-and-handed-over');
    });
  });

  it('the escalation chain is read from the directory at the breach; the pinned one where the place is gone', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const pinnedOld = (c: ReturnType<typeof caseInput>) => ({
        ...c,
        policy: {
          ...c.policy,
          escalationChain: c.policy.escalationChain.map((l) =>
            l.level === 'grid_l1' ? { ...l, personIds: ['grid-former'] } : l,
          ),
        },
      });
      const now = await stack.now();
      const here = pinnedOld(caseInput(dir, now, { source: 'repair', severity: 'major' }));
      const gone = pinnedOld(
        caseInput(dir, now, {
          source: 'repair',
          severity: 'major',
          location: { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' },
        }),
      );
      const goneInput = { ...gone, location: { buildingId: 'bldg-demolished' } };
      const a = await startCase(env, tq, here);
      const b = await startCase(env, tq, goneInput);
      const due = Date.parse(a.view.deadlines[0]!.due);
      await stack.advanceTo(due + MIN, a.handle, b.handle);
      const l1 = (v: CaseView) => v.notices.find((n) => n.kind === 'escalation' && n.level === 'grid_l1')?.to;
      expect(l1(await a.handle.query(caseViewQuery))).toEqual(['grid-a1']);
      expect(l1(await b.handle.query(caseViewQuery))).toEqual(['grid-former']);
      for (const h of [a.handle, b.handle]) await steps(dir, h).withdraw('测试结束 end of test');
      await saveHistory(a.handle, 'escalation-chain-from-directory');
    });
  });
  it('a pause holds the stage deadline too: no reminder or breach while it runs, the due moves on by its length', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      // An urgent repair: analysis within 30 minutes (seed 000), reminders before it.
      const input = caseInput(dir, await stack.now(), { source: 'repair', severity: 'urgent' });
      const { handle, view } = await startCase(env, tq, input);
      const first = view.deadlines.at(-1)!;
      expect(first.stage).toBe('analysing');
      const start = Date.parse(first.startedAt);
      const planned = Date.parse(first.due);
      expect(planned - start).toBe(30 * MIN);
      const staff = actorOf(dir, 'staff-zhou');
      const sup: Actor = { ...actorOf(dir, 'sup-wang'), supervises: ['bldg-a'] };
      const run = <A>(u: UpdateDefinition<StepAck, [A]>, arg: A) =>
        viewAfterStep(handle, handle.executeUpdate(u, { args: [arg] }));

      await stack.advanceTo(start + 2 * MIN, handle);
      await run(requestPauseUpdate, { actor: staff, reason: 'student_absent', note: '学生不在，无法入室' });
      await stack.advanceTo(start + 5 * MIN, handle);
      let v = await run(decidePauseUpdate, { actor: sup, approve: true, notes: '同意' });
      expect(v.pauses?.[0]).toMatchObject({ state: 'approved', holdsStage: true });
      const approvedAt = Date.parse(v.pauses![0]!.decidedAt!);

      // Well past the planned due: the stage waits, nobody is reminded or escalated.
      await stack.advanceTo(planned + 40 * MIN, handle);
      v = await handle.query(caseViewQuery);
      expect(v.deadlines.at(-1)).toMatchObject({ stage: 'analysing', state: 'pending', due: first.due });
      expect(v.overdue).toBe(false);
      const sinceApproval = v.timeline.filter((e) => Date.parse(e.at) > approvedAt).map((e) => e.action);
      expect(sinceApproval).not.toContain('reminder_sent');
      expect(sinceApproval).not.toContain('deadline_breached');
      expect(v.notices.filter((n) => n.kind === 'escalation')).toEqual([]);

      v = await run(endPauseUpdate, { actor: staff });
      const ended = Date.parse(v.pauses![0]!.endedAt!);
      const held = ended - Math.max(approvedAt, start);
      const moved = v.deadlines.at(-1)!;
      expect(moved.heldMs).toBe(held);
      expect(Date.parse(moved.due)).toBe(planned + held);
      expect(v.timeline.at(-1)).toMatchObject({ action: 'pause_ended' });

      // Still in time just before the moved-on due; missed just after it, and only then.
      await stack.advanceTo(planned + held - 2 * MIN, handle);
      v = await handle.query(caseViewQuery);
      expect(v.deadlines.at(-1)!.state).toBe('pending');
      // The first reminder (half-way, not held back by quiet hours for an urgent case) came when
      // it was planned, moved on by the pause: not in a burst as the pause ended.
      const after = v.timeline.filter((e) => Date.parse(e.at) > ended && e.action === 'reminder_sent');
      expect(after.length).toBeGreaterThan(0);
      expect(Math.abs(Date.parse(after[0]!.at) - (start + 15 * MIN + held))).toBeLessThan(10 * SEC);
      await stack.advanceTo(planned + held + MIN, handle);
      v = await handle.query(caseViewQuery);
      const breached = v.deadlines.at(-1)!;
      expect(breached.state).toBe('breached');
      expect(Date.parse(breached.breachedAt!)).toBeGreaterThanOrEqual(planned + held);
      expect(v.overdue).toBe(true);
      await run(withdrawUpdate, { actor: sup, reason: '测试结束 end of test' });
      await settle(handle);
      await saveHistory(handle, 'pause-holds-stage');
    });
  });
  it('a stage that ends while a pause holds it is met with the time held; the next one is held from its start', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), { source: 'repair', severity: 'urgent' });
      const { handle, view } = await startCase(env, tq, input);
      const analysis = view.deadlines.at(-1)!;
      const start = Date.parse(analysis.startedAt);
      const staff = actorOf(dir, 'staff-zhou');
      const sup: Actor = { ...actorOf(dir, 'sup-wang'), supervises: ['bldg-a'] };
      const run = <A>(u: UpdateDefinition<StepAck, [A]>, arg: A) =>
        viewAfterStep(handle, handle.executeUpdate(u, { args: [arg] }));
      await run(requestPauseUpdate, { actor: staff, reason: 'waiting_for_parts', note: '等待配件' });
      await stack.advanceTo(start + 5 * MIN, handle);
      let v = await run(decidePauseUpdate, { actor: sup, approve: true, notes: '' });
      const approvedAt = Date.parse(v.pauses![0]!.decidedAt!);

      // The analysis lands 40 minutes in, past its planned 30, while the pause holds it.
      await stack.advanceTo(start + 40 * MIN, handle);
      v = await steps(dir, handle).rootCause();
      expect(v.stage).toBe('awaiting_signoff');
      const met = v.deadlines.find((d) => d.stage === 'analysing')!;
      expect(met.state).toBe('met');
      expect(met.heldMs).toBe(Date.parse(met.closedAt!) - approvedAt);
      expect(Date.parse(met.closedAt!)).toBeLessThanOrEqual(Date.parse(met.due));
      const signoff = v.deadlines.at(-1)!;
      expect(signoff).toMatchObject({ stage: 'awaiting_signoff', state: 'pending' });
      expect(signoff.heldMs).toBeUndefined();

      // Past the sign-off's planned due: held too, from the moment its stage began.
      await stack.advanceTo(Date.parse(signoff.due) + HOUR, handle);
      v = await handle.query(caseViewQuery);
      expect(v.deadlines.at(-1)).toMatchObject({ state: 'pending', due: signoff.due });
      v = await run(endPauseUpdate, { actor: staff });
      const ended = Date.parse(v.pauses![0]!.endedAt!);
      const movedOn = v.deadlines.at(-1)!;
      expect(movedOn.heldMs).toBe(ended - Date.parse(signoff.startedAt));
      expect(Date.parse(movedOn.due)).toBe(Date.parse(signoff.due) + movedOn.heldMs!);
      await run(withdrawUpdate, { actor: sup, reason: '测试结束 end of test' });
      await settle(handle);
      await saveHistory(handle, 'pause-spans-two-stages');
    });
  });
  it('reporting the repair ends a running pause: the review is not held, and no arrival is taken after it', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), { source: 'repair', severity: 'routine' });
      const { handle } = await startCase(env, tq, input);
      const staff = actorOf(dir, 'staff-zhou');
      const sup: Actor = { ...actorOf(dir, 'sup-wang'), supervises: ['bldg-a'] };
      const run = <A>(u: UpdateDefinition<StepAck, [A]>, arg: A) =>
        viewAfterStep(handle, handle.executeUpdate(u, { args: [arg] }));
      const s = steps(dir, handle);
      await s.rootCause();
      await s.confirm();
      await run(requestPauseUpdate, { actor: staff, reason: 'waiting_for_parts', note: '等待配件' });
      await run(decidePauseUpdate, { actor: sup, approve: true, notes: '同意' });
      await stack.advanceTo((await stack.now()).getTime() + 20 * MIN, handle);

      const v = await s.report();
      expect(v.stage).toBe('reviewing');
      expect(v.pauses![0]).toMatchObject({ state: 'ended', endedHow: 'reported' });
      expect(actions(v).slice(-3)).toEqual(['pause_ended', 'rectification_reported', 'deadline_set']);
      const review = v.deadlines.at(-1)!;
      expect(review).toMatchObject({ stage: 'reviewing', state: 'pending' });
      expect(review.heldMs).toBeUndefined();
      // The report counted as the arrival: the on-site clock is met, and the link is refused.
      const onSite = clockStatuses(v, Date.parse(v.timeline.at(-1)!.at)).find(
        (c) => c.id === 'on_site_arrival',
      );
      expect(onSite?.state).toBe('met');
      expect(await refusalType(() => run(arrivedUpdate, { actor: staff, note: '' }))).toBe(
        'CaseStepConflict',
      );
      // Nor may the technician pause the supervisors' review.
      expect(
        await refusalType(() =>
          run(requestPauseUpdate, { actor: staff, reason: 'waiting_for_parts', note: '' }),
        ),
      ).toBe('CaseStepConflict');
      await s.withdraw('测试结束 end of test');
      await saveHistory(handle, 'report-ends-pause');
    });
  });

  it('reporting the repair closes a pause request nobody decided: no decision on it afterwards', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), { source: 'repair', severity: 'routine' });
      const { handle } = await startCase(env, tq, input);
      const staff = actorOf(dir, 'staff-zhou');
      const sup: Actor = { ...actorOf(dir, 'sup-wang'), supervises: ['bldg-a'] };
      const run = <A>(u: UpdateDefinition<StepAck, [A]>, arg: A) =>
        viewAfterStep(handle, handle.executeUpdate(u, { args: [arg] }));
      const s = steps(dir, handle);
      await s.rootCause();
      await s.confirm();
      await run(requestPauseUpdate, { actor: staff, reason: 'waiting_for_parts', note: '等待配件' });

      let v = await s.report();
      expect(v.stage).toBe('reviewing');
      expect(v.pauses![0]).toMatchObject({ state: 'ended', endedHow: 'reported' });
      expect(v.pauses![0]!.decidedAt).toBeUndefined();
      expect(actions(v).slice(-3)).toEqual(['pause_ended', 'rectification_reported', 'deadline_set']);
      // The old round's request can no longer be approved, in review or after a failed one.
      expect(await refusalType(() => run(decidePauseUpdate, { actor: sup, approve: true, notes: '' }))).toBe(
        'CaseStepConflict',
      );
      v = await s.review(false, '仍漏水');
      expect(v.stage).toBe('rectifying');
      expect(await refusalType(() => run(decidePauseUpdate, { actor: sup, approve: true, notes: '' }))).toBe(
        'CaseStepConflict',
      );
      // A new round may ask for a pause of its own.
      v = await run(requestPauseUpdate, { actor: staff, reason: 'waiting_for_parts', note: '第二轮' });
      expect(v.pauses!.map((p) => p.state)).toEqual(['ended', 'requested']);
      await s.withdraw('测试结束 end of test');
      await saveHistory(handle, 'report-ends-pause-request');
    });
  });

  it('steps sent together are taken one at a time: one repair report of many, whatever else came with them', async () => {
    const { dir, env } = stack;
    await stack.withWorker(async (tq) => {
      const staff = actorOf(dir, 'staff-zhou');
      const reports = (n: number) =>
        Array.from({ length: n }, (_, i) =>
          handle.executeUpdate(reportRectificationUpdate, {
            args: [{ actor: staff, summary: `第${i}份`, evidence: [`p${i}.jpg`] }],
          }),
        );
      const refusedAsConflict = async (sent: PromiseSettledResult<unknown>[]) => {
        for (const r of sent)
          if (r.status === 'rejected')
            expect(await refusalType(() => Promise.reject(r.reason as Error))).toBe('CaseStepConflict');
      };
      let { handle } = await startCase(
        env,
        tq,
        caseInput(dir, await stack.now(), { source: 'repair', severity: 'routine' }),
      );
      let s = steps(dir, handle);
      await s.rootCause();
      await s.confirm();
      const alone = await Promise.allSettled(reports(8));
      let v = await handle.query(caseViewQuery);
      expect(v.rectifications).toHaveLength(1);
      expect(alone.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      await refusedAsConflict(alone);
      await s.withdraw('测试结束 end of test');

      // With a pause request among them: never two reports, never a pause left waiting beside a report.
      ({ handle } = await startCase(
        env,
        tq,
        caseInput(dir, await stack.now(), { source: 'repair', severity: 'routine' }),
      ));
      s = steps(dir, handle);
      await s.rootCause();
      await s.confirm();
      const mixed = await Promise.allSettled([
        handle.executeUpdate(requestPauseUpdate, {
          args: [{ actor: staff, reason: 'waiting_for_parts', note: '' }],
        }),
        ...reports(8),
      ]);
      await refusedAsConflict(mixed);
      v = await handle.query(caseViewQuery);
      expect(v.rectifications.length).toBeLessThanOrEqual(1);
      expect((v.pauses ?? []).length).toBeLessThanOrEqual(1);
      expect(mixed.filter((r) => r.status === 'fulfilled').length).toBe(
        v.rectifications.length + (v.pauses ?? []).length,
      );
      // Refused for now, not for good: the report sent again is taken, and no pause is left waiting.
      if (v.rectifications.length === 0) v = await s.report();
      expect(v.stage).toBe('reviewing');
      expect((v.pauses ?? []).every((p) => p.state !== 'requested')).toBe(true);
      await s.withdraw('测试结束 end of test');
    });
  });

  it('a working-day stage moves on by the working time a pause took, not its clock length', async () => {
    const { dir, env } = stack;
    // The next Monday 10:00 in Shanghai, whatever the clock reached in the tests before.
    const now = (await stack.now()).getTime();
    let monday = local('2026-11-09 10:00');
    while (monday <= now) monday += 7 * 24 * HOUR;
    await stack.advanceTo(monday);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const at = (offsetDays: number, time: string) =>
      local(`${day(monday + 8 * HOUR + offsetDays * 24 * HOUR)} ${time}`);
    await stack.withWorker(async (tq) => {
      const input = caseInput(dir, await stack.now(), {
        source: 'inspection',
        workingHours: { from: '08:00', to: '20:00' },
      });
      const { handle } = await startCase(env, tq, input);
      let v = await steps(dir, handle).rootCause();
      // Sign-off: one working day, due Tuesday 18:00.
      const signoff = v.deadlines.at(-1)!;
      expect(signoff.stage).toBe('awaiting_signoff');
      expect(Date.parse(signoff.due)).toBe(at(1, '18:00'));
      const staff = actorOf(dir, 'staff-zhou');
      const sup: Actor = { ...actorOf(dir, 'sup-wang'), supervises: ['bldg-a'] };
      const run = <A>(u: UpdateDefinition<StepAck, [A]>, arg: A) =>
        viewAfterStep(handle, handle.executeUpdate(u, { args: [arg] }));
      await run(requestPauseUpdate, { actor: staff, reason: 'waiting_for_parts', note: '等待配件' });
      await stack.advanceTo(at(0, '10:30'), handle);
      v = await run(decidePauseUpdate, { actor: sup, approve: true, notes: '' });
      expect(v.pauses?.[0]).toMatchObject({ holdsStage: true, holdsInWorkingTime: true });
      // Four working hours held on Monday.
      await stack.advanceTo(at(0, '14:30'), handle);
      v = await run(endPauseUpdate, { actor: staff });
      const held = Date.parse(v.pauses![0]!.endedAt!) - Date.parse(v.pauses![0]!.decidedAt!);
      expect(Math.abs(held - 4 * HOUR)).toBeLessThan(MIN);
      // By the clock the due would be Tuesday 22:00, after working hours: the four hours would
      // have been lost to the night. In working time they are Wednesday's first four (08:00-20:00).
      const moved = v.deadlines.at(-1)!;
      expect(moved.due).toBe(addWorkingTime(signoff.due, held, workingOpts));
      expect(Math.abs(Date.parse(moved.due) - at(2, '10:00'))).toBeLessThan(MIN);
      expect(moved.heldMs).toBe(Date.parse(moved.due) - Date.parse(signoff.due));
      expect(v.timeline.at(-1)).toMatchObject({ action: 'pause_ended' });

      // Still in time on Tuesday night, where a clock-time hold would have breached it.
      await stack.advanceTo(at(1, '22:30'), handle);
      v = await handle.query(caseViewQuery);
      expect(v.deadlines.at(-1)).toMatchObject({ stage: 'awaiting_signoff', state: 'pending' });
      await stack.advanceTo(Date.parse(moved.due) + MIN, handle);
      v = await handle.query(caseViewQuery);
      expect(v.deadlines.at(-1)!.state).toBe('breached');
      await run(withdrawUpdate, { actor: sup, reason: '测试结束 end of test' });
      await settle(handle);
      await saveHistory(handle, 'pause-working-time');
    });
  });
});
