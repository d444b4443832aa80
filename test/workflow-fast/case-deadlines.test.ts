import { describe, expect, it } from 'vitest';
import {
  adjudicateUpdate,
  signOffUpdate,
  submitRootCauseUpdate,
  withdrawUpdate,
} from '../../workflows/rectification-case/messages.ts';
import {
  actions,
  caseInput,
  throughPassedReview,
  eventually,
  people,
  reporter,
  useFastStack,
} from './harness.ts';
import { viewAfterStep } from '../../api/step-view.ts';

// Deadlines in real time: stage limits of a few seconds, so reminders, breaches,
// escalations, leadership notices and the follow-up timeout happen within a test.
const stack = useFastStack();
const { supervisor, assignee, responsible } = people;
const rootCause = {
  actor: assignee,
  causes: ['堵塞 blocked'],
  responsibleId: responsible.id,
  plan: '疏通 clear it',
};
const count = (xs: readonly string[], x: string) => xs.filter((a) => a === x).length;

describe.concurrent('case deadlines (stub activities, real time)', () => {
  it('reminds the owner twice, marks the breach, escalates to the first rung; the next step closes it', async () => {
    const { handle } = await stack.start(caseInput({ limits: { analysing: 3 } }));
    let v = await stack.until(handle, (x) => x.overdue && actions(x).includes('escalated'));
    expect(actions(v)).toEqual([
      'detected',
      'assigned',
      'reminder_sent',
      'reminder_sent',
      'deadline_breached',
      'escalated',
    ]);
    expect(v.notices.map((n) => [n.kind, n.level, n.to])).toEqual([
      ['reminder', undefined, [assignee.id]],
      ['reminder', undefined, [assignee.id]],
      ['escalation', 'grid_l1', ['grid-li']],
    ]);
    expect(v.deadlines).toMatchObject([{ stage: 'analysing', state: 'breached' }]);
    const emails = stack.of(v.caseId).emails;
    await eventually(() =>
      expect(emails.map((e) => [e.kind, e.key])).toEqual([
        ['assigned', 'e1'],
        ['reminder', 'e1.r1'],
        ['reminder', 'e1.r2'],
        ['escalation', 'e1.grid_l1'],
      ]),
    );
    // Analysis is done in the web app: its reminders carry no link.
    expect(emails[1]?.link).toBeUndefined();

    v = await viewAfterStep(handle, handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] }));
    expect(v.overdue).toBe(false);
    expect(v.deadlines[0]).toMatchObject({ state: 'breached', closedAt: expect.any(String) });
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: supervisor, reason: 'test over' }] });
    const final = await viewAfterStep(handle, handle.result());
    // Only the first rung: the next is an hour away, and the stage moved before it.
    expect(count(actions(final), 'escalated')).toBe(1);
  });

  it('sign-off and adjudication reminders go to whoever must act, with the link for that step', async () => {
    const { handle, view } = await stack.start(
      caseInput({ limits: { awaiting_signoff: 2, adjudicating: 2 } }),
    );
    await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
    const sent = () => stack.of(view.caseId).emails.filter((e) => e.kind === 'reminder').length;
    // Both reminders out before the step: one sent as the stage moves goes out under the new stage.
    await eventually(() => expect(sent()).toBe(2));
    await handle.executeUpdate(signOffUpdate, {
      args: [{ actor: responsible, decision: 'dispute', reason: 'no' }],
    });
    const v = await stack.until(handle, (x) => count(actions(x), 'reminder_sent') === 4);
    const reminders = () => stack.of(v.caseId).emails.filter((e) => e.kind === 'reminder');
    await eventually(() =>
      expect(reminders().map((e) => [e.stage, e.to.personIds, e.link?.action])).toEqual([
        ['awaiting_signoff', [responsible.id], 'sign_off'],
        ['awaiting_signoff', [responsible.id], 'sign_off'],
        ['adjudicating', [supervisor.id], 'adjudicate'],
        ['adjudicating', [supervisor.id], 'adjudicate'],
      ]),
    );
    await handle.executeUpdate(adjudicateUpdate, {
      args: [{ actor: supervisor, decision: 'proceed', notes: '' }],
    });
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: supervisor, reason: 'test over' }] });
    await handle.result();
  });

  it('a major case reaches leadership at once and again before the pinned notice limit', async () => {
    // Limit 3 s: the second notice goes at five sixths of it (8 h before a 48 h limit).
    const { handle } = await stack.start(caseInput({ severity: 'major', leadershipNoticeSeconds: 3 }));
    const v = await stack.until(handle, (x) => count(actions(x), 'leadership_notified') === 2);
    expect(actions(v).slice(0, 3)).toEqual(['detected', 'assigned', 'leadership_notified']);
    const notices = v.notices.filter((n) => n.kind === 'leadership_notice');
    expect(notices.map((n) => n.to)).toEqual([['lead-sun'], ['lead-sun']]);
    const gap = Date.parse(notices[1]!.at) - Date.parse(v.openedAt);
    expect(gap).toBeGreaterThanOrEqual(2_400);
    const emails = () => stack.of(v.caseId).emails.filter((e) => e.kind === 'leadership_notice');
    await eventually(() => expect(emails().map((e) => e.key)).toEqual(['e1.n1', 'e1.n2']));
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: supervisor, reason: 'test over' }] });
    await handle.result();
  });

  it('a major case closed before the second notice sends only the first', async () => {
    const { handle } = await stack.start(caseInput({ severity: 'major', leadershipNoticeSeconds: 3_600 }));
    await stack.until(handle, (x) => actions(x).includes('leadership_notified'));
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: supervisor, reason: '误报 false alarm' }] });
    const final = await viewAfterStep(handle, handle.result());
    expect(count(actions(final), 'leadership_notified')).toBe(1);
  });

  it('an unanswered survey is reminded to the reporter, then the case closes unrated', async () => {
    const { handle } = await stack.start(caseInput({ reporter, limits: { follow_up: 3 } }));
    await throughPassedReview(handle);
    const final = await viewAfterStep(handle, handle.result());
    expect(final.stage).toBe('closed');
    expect(final.followUp).toEqual({ at: expect.any(String), outcome: 'unrated' });
    expect(actions(final).slice(-4)).toEqual([
      'deadline_set',
      'reminder_sent',
      'reminder_sent',
      'closed_unrated',
    ]);
    expect(final.deadlines.at(-1)).toMatchObject({ stage: 'follow_up', state: 'cancelled' });
    const surveys = stack.of(final.caseId).emails.filter((e) => e.kind === 'result_and_survey');
    expect(surveys.map((e) => [e.to.reporter?.email, e.link?.action])).toEqual([
      [reporter.email, 'rate'],
      [reporter.email, 'rate'],
      [reporter.email, 'rate'],
    ]);
  });
});
