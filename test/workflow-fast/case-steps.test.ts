import { describe, expect, it, vi } from 'vitest';
import type { CaseView } from '../../domain/case-model.ts';
import { followUpRatings } from '../../domain/kpi.ts';
import {
  addCommentUpdate,
  adjudicateUpdate,
  CaseFailure,
  caseViewQuery,
  handOverUpdate,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitFollowUpUpdate,
  submitRootCauseUpdate,
  withdrawUpdate,
} from '../../workflows/rectification-case/messages.ts';
import {
  actions,
  caseInput,
  eventually,
  throughPassedReview,
  people,
  refusalType,
  reporter,
  steps,
  useFastStack,
} from './harness.ts';
import { viewAfterStep } from '../../api/step-view.ts';
import { saveHistory } from '../support/case-harness.ts';

// Every human path of the case state machine, on the real workflow with stub activities.
const stack = useFastStack();
const { supervisor, assignee, responsible, reporterActor } = people;

const rootCause = {
  actor: assignee,
  causes: ['阀芯老化 worn valve'],
  responsibleId: responsible.id,
  plan: '更换阀芯 replace the valve',
};

describe.concurrent('case steps (stub activities)', () => {
  it('happy path with a reporter: analysis, sign-off, rectification, review, a good rating closes it', async () => {
    const { handle, view } = await stack.start(caseInput({ reporter }));
    expect(view.stage).toBe('analysing');
    expect(view.deadlines).toMatchObject([{ stage: 'analysing', state: 'pending', round: 1 }]);

    expect((await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] })).stage).toBe(
      'awaiting_signoff',
    );
    expect(
      (
        await viewAfterStep(
          handle,
          handle.executeUpdate(signOffUpdate, { args: [{ actor: responsible, decision: 'confirm' }] }),
        )
      ).stage,
    ).toBe('rectifying');
    await handle.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: responsible, summary: '已更换 replaced', evidence: ['photo-1'] }],
    });
    expect(
      (
        await viewAfterStep(
          handle,
          handle.executeUpdate(reviewUpdate, { args: [{ actor: supervisor, passed: true, notes: 'ok' }] }),
        )
      ).stage,
    ).toBe('follow_up');
    await handle.executeUpdate(submitFollowUpUpdate, {
      args: [{ actor: reporterActor, score: 5, comment: '很好' }],
    });

    const final = await viewAfterStep(handle, handle.result());
    expect(final.stage).toBe('closed');
    expect(final.closedAt).toBeDefined();
    expect(actions(final)).toEqual([
      'detected',
      'assigned',
      'root_cause_submitted',
      'deadline_set',
      'signed_off',
      'deadline_set',
      'rectification_reported',
      'deadline_set',
      'review_passed',
      'deadline_set',
      'follow_up_rated',
    ]);
    // The score travels typed, not as text.
    expect(final.timeline.at(-1)).toMatchObject({ action: 'follow_up_rated', score: 5 });
    expect(final.timeline.at(-1)?.detail).toBeUndefined();
    expect(followUpRatings(final).map((r) => r.score)).toEqual([5]);
    expect(final.deadlines.map((d) => [d.stage, d.state])).toEqual([
      ['analysing', 'met'],
      ['awaiting_signoff', 'met'],
      ['rectifying', 'met'],
      ['reviewing', 'met'],
      ['follow_up', 'met'],
    ]);

    const fx = stack.of(final.caseId);
    // One record per timeline entry, in order, each with the view as it was then.
    expect(fx.steps.map((s) => s.action)).toEqual(actions(final));
    expect(fx.steps.map((s) => s.stepId.replace(/^.*:/, ''))).toEqual(
      final.timeline.map((_, i) => `step-${i + 1}`),
    );
    expect(fx.steps.at(-1)?.view.version).toBe(final.version);
    expect(fx.emails.map((e) => [e.kind, e.stage, e.link?.action])).toEqual([
      // A repair's assignment carries the technician's arrival link (its on-site clock).
      ['assigned', 'analysing', 'arrived'],
      ['signoff_request', 'awaiting_signoff', 'sign_off'],
      // Signed off by the responsible person: the assignee rectifies now, on the case page.
      ['signed_off_assignee', 'rectifying', undefined],
      ['review_request', 'reviewing', undefined],
      ['result_and_survey', 'follow_up', 'rate'],
    ]);
    expect(fx.emails[1]?.to).toEqual({ personIds: [responsible.id] });
    expect(fx.emails[2]?.to).toEqual({ personIds: [assignee.id] });
    expect(fx.emails[4]?.to).toEqual({ reporter });
  });

  it('without a reporter a passed review closes the case at once', async () => {
    const { handle } = await stack.start(caseInput());
    await throughPassedReview(handle, assignee);
    const final = await viewAfterStep(handle, handle.result());
    expect(final.stage).toBe('closed');
    expect(actions(final).slice(-2)).toEqual(['review_passed', 'closed']);
    expect(final.timeline.at(-1)?.actorId).toBe('system');
  });

  it('a reporter who handles the case (pinned at opening) is not asked to rate: the passed review closes it', async () => {
    const handler = { ...reporter, personId: responsible.id };
    const { handle } = await stack.start(caseInput({ reporter: handler }));
    await throughPassedReview(handle);
    const final = await viewAfterStep(handle, handle.result());
    expect(final.stage).toBe('closed');
    expect(final.followUp).toBeUndefined();
    expect(actions(final).slice(-2)).toEqual(['review_passed', 'closed']);
    const fx = stack.of(final.caseId);
    expect(fx.steps.at(-1)).toMatchObject({ action: 'closed', payload: { outcome: 'reporter_involved' } });
    expect(fx.emails.map((e) => e.kind)).not.toContain('result_and_survey');
  });

  it('a reporter the directory knows but who has no part in the case still rates it in follow-up', async () => {
    const bystander = { ...reporter, personId: 'staff-somebody-else' };
    const { handle } = await stack.start(caseInput({ reporter: bystander }));
    await throughPassedReview(handle);
    const view = await handle.query(caseViewQuery);
    expect(view.stage).toBe('follow_up');
  });

  it('review loop: each failure opens a new round; the limit escalates to the working group', async () => {
    const { handle } = await stack.start(caseInput({ maxFailedReviews: 2 }));
    await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: responsible, decision: 'confirm' }] });
    const report = () =>
      handle.executeUpdate(reportRectificationUpdate, {
        args: [{ actor: responsible, summary: 'fixed', evidence: [] }],
      });
    const fail = (notes: string) =>
      viewAfterStep(
        handle,
        handle.executeUpdate(reviewUpdate, { args: [{ actor: supervisor, passed: false, notes }] }),
      );

    await report();
    let v = await fail('还在滴水');
    expect(v).toMatchObject({ stage: 'rectifying', round: 2, failedReviews: 1 });
    expect(v.notices.filter((n) => n.kind === 'review_escalation')).toEqual([]);
    await report();
    v = await fail('仍未修好');
    expect(v).toMatchObject({ stage: 'rectifying', round: 3, failedReviews: 2 });
    expect(v.notices.filter((n) => n.kind === 'review_escalation')).toMatchObject([
      { level: 'working_group', to: ['wg-zhao'], stage: 'rectifying', round: 3 },
    ]);
    await report();
    await handle.executeUpdate(reviewUpdate, { args: [{ actor: supervisor, passed: true, notes: 'ok' }] });
    const final = await viewAfterStep(handle, handle.result());
    expect(steps(final)).toEqual([
      'detected',
      'assigned',
      'root_cause_submitted',
      'signed_off',
      'rectification_reported',
      'review_failed',
      'rectification_reported',
      'review_failed',
      'review_escalated',
      'rectification_reported',
      'review_passed',
      'closed',
    ]);
    expect(final.reviews.map((r) => [r.round, r.passed])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    const kinds = stack.of(final.caseId).emails.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'review_failed')).toHaveLength(2);
    expect(kinds).toContain('review_escalation');
  });

  it('dispute, revise: back to analysis, and the second sign-off request is a new email', async () => {
    const { handle } = await stack.start(caseInput());
    await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
    let v = await viewAfterStep(
      handle,
      handle.executeUpdate(signOffUpdate, {
        args: [{ actor: responsible, decision: 'dispute', reason: '不是我负责的 not mine' }],
      }),
    );
    expect(v.stage).toBe('adjudicating');
    v = await viewAfterStep(
      handle,
      handle.executeUpdate(adjudicateUpdate, {
        args: [{ actor: supervisor, decision: 'revise', notes: '重新分析 analyse again' }],
      }),
    );
    expect(v).toMatchObject({ stage: 'analysing', round: 1 });
    await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
    v = await viewAfterStep(
      handle,
      handle.executeUpdate(signOffUpdate, { args: [{ actor: responsible, decision: 'confirm' }] }),
    );
    expect(v.stage).toBe('rectifying');
    expect(actions(v)).toContain('adjudicated');
    expect(v.adjudications).toMatchObject([{ decision: 'revise', by: supervisor.id }]);
    expect(v.signOffs.map((s) => s.decision)).toEqual(['dispute', 'confirm']);

    // A transition's mail goes out after its step has answered.
    await eventually(() =>
      expect(stack.of(v.caseId).emails.filter((e) => e.kind === 'signoff_request')).toHaveLength(2),
    );
    const emails = stack.of(v.caseId).emails;
    expect(emails.find((e) => e.kind === 'adjudication_request')).toMatchObject({
      to: { personIds: [supervisor.id] },
      link: { step: 'adjudication', action: 'adjudicate' },
      detail: '不是我负责的 not mine',
    });
    const signOffKeys = emails.filter((e) => e.kind === 'signoff_request').map((e) => e.key);
    expect(signOffKeys).toHaveLength(2);
    expect(new Set(signOffKeys).size).toBe(2);
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: supervisor, reason: 'test over' }] });
    await handle.result();
  });

  it('dispute, proceed: the case goes on to rectification', async () => {
    const { handle } = await stack.start(caseInput());
    await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
    await handle.executeUpdate(signOffUpdate, {
      args: [{ actor: responsible, decision: 'dispute', reason: 'no' }],
    });
    const v = await viewAfterStep(
      handle,
      handle.executeUpdate(adjudicateUpdate, {
        args: [{ actor: supervisor, decision: 'proceed', notes: '按原方案 as planned' }],
      }),
    );
    expect(v.stage).toBe('rectifying');
    // A step answers before its mail goes out (the mail has its own queue): wait for it.
    await vi.waitFor(() =>
      expect(stack.of(v.caseId).emails.at(-1)).toMatchObject({
        kind: 'adjudicated',
        // Who signs and who analyses: both act next.
        to: { personIds: [responsible.id, assignee.id] },
      }),
    );
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: supervisor, reason: 'test over' }] });
    await handle.result();
  });

  it('withdrawal ends the case; its open deadline is cancelled, not met', async () => {
    const { handle } = await stack.start(caseInput());
    await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: responsible, decision: 'confirm' }] });
    await handle.executeUpdate(withdrawUpdate, {
      args: [{ actor: supervisor, reason: '重复报修 duplicate' }],
    });
    const final = await viewAfterStep(handle, handle.result());
    expect(final.stage).toBe('withdrawn');
    expect(final.withdrawal).toMatchObject({ reason: '重复报修 duplicate', by: supervisor.id });
    expect(final.deadlines.at(-1)).toMatchObject({ stage: 'rectifying', state: 'cancelled' });
    expect(actions(final).at(-1)).toBe('withdrawn');
  });

  it('a low follow-up score reopens the case for review; both scores stay in the timeline', async () => {
    const { handle } = await stack.start(caseInput({ reporter }));
    await throughPassedReview(handle);
    let v = await viewAfterStep(
      handle,
      handle.executeUpdate(submitFollowUpUpdate, {
        args: [{ actor: reporterActor, score: 2, comment: '还在漏水' }],
      }),
    );
    expect(v).toMatchObject({ stage: 'reviewing', round: 2 });
    expect(v.followUp).toMatchObject({ score: 2, outcome: 'reopened' });
    // The supervisors review it again; the technician whose work it was hears it may come back.
    await vi.waitFor(() =>
      expect(stack.of(v.caseId).emails.slice(-2)).toMatchObject([
        { kind: 'reopened', to: { personIds: [supervisor.id], supervisorsOf: 'bldg-a' }, detail: '还在漏水' },
        { kind: 'reopened_assignee', to: { personIds: [assignee.id] }, detail: '还在漏水' },
      ]),
    );
    await handle.executeUpdate(reviewUpdate, { args: [{ actor: supervisor, passed: true, notes: '' }] });
    v = await viewAfterStep(
      handle,
      handle.executeUpdate(submitFollowUpUpdate, { args: [{ actor: reporterActor, score: 4 }] }),
    );
    const final = await viewAfterStep(handle, handle.result());
    expect(final.stage).toBe('closed');
    expect(final.timeline.filter((e) => e.score !== undefined).map((e) => [e.action, e.score])).toEqual([
      ['follow_up_low_score', 2],
      ['follow_up_rated', 4],
    ]);
    expect(followUpRatings(final).map((r) => r.score)).toEqual([2, 4]);
    await saveHistory(handle, 'follow-up-low-score-reopens');
  });

  it('a failed review after a hand-over is mailed to the technician doing the rework and the responsible person', async () => {
    const { handle } = await stack.start(caseInput());
    await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: responsible, decision: 'confirm' }] });
    // 周强 hands the case to 吴磊, who reports the repair; the supervisor fails it.
    await handle.executeUpdate(handOverUpdate, {
      args: [{ actor: assignee, toId: 'staff-wu', reason: '换班 shift change' }],
    });
    const wu = { ...assignee, id: 'staff-wu' };
    await handle.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: wu, summary: 'fixed', evidence: [] }],
    });
    const v = await viewAfterStep(
      handle,
      handle.executeUpdate(reviewUpdate, { args: [{ actor: supervisor, passed: false, notes: '还在滴水' }] }),
    );
    expect(v).toMatchObject({
      stage: 'rectifying',
      round: 2,
      assigneeId: 'staff-wu',
      responsibleId: responsible.id,
    });
    await vi.waitFor(() =>
      expect(stack.of(v.caseId).emails.filter((e) => e.kind === 'review_failed')).toMatchObject([
        { to: { personIds: [responsible.id, 'staff-wu'] }, detail: '还在滴水', round: 2 },
      ]),
    );
    // The hand-over told the building's supervisors, besides the new holder.
    expect(stack.of(v.caseId).emails.filter((e) => e.kind === 'handed_over')).toMatchObject([
      { to: { personIds: [supervisor.id], supervisorsOf: 'bldg-a' }, detail: '换班 shift change' },
    ]);
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: supervisor, reason: 'test over' }] });
    await handle.result();
    await saveHistory(handle, 'handed-over-review-failed');
  });

  it('a failed review of the assignee who is also responsible mails them once', async () => {
    const { handle } = await stack.start(caseInput());
    await handle.executeUpdate(submitRootCauseUpdate, {
      args: [{ ...rootCause, responsibleId: assignee.id }],
    });
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: assignee, decision: 'confirm' }] });
    await handle.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: assignee, summary: 'fixed', evidence: [] }],
    });
    const v = await viewAfterStep(
      handle,
      handle.executeUpdate(reviewUpdate, { args: [{ actor: supervisor, passed: false, notes: 'no' }] }),
    );
    await vi.waitFor(() =>
      expect(stack.of(v.caseId).emails.filter((e) => e.kind === 'review_failed')).toMatchObject([
        { to: { personIds: [assignee.id] } },
      ]),
    );
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: supervisor, reason: 'test over' }] });
    await handle.result();
  });

  it("a confirmed sign-off tells the assignee to rectify, by the stage's deadline; not one who signed it themselves", async () => {
    const { handle } = await stack.start(caseInput());
    await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
    const v = await viewAfterStep(
      handle,
      handle.executeUpdate(signOffUpdate, { args: [{ actor: responsible, decision: 'confirm' }] }),
    );
    expect(v).toMatchObject({ stage: 'rectifying', round: 1, assigneeId: assignee.id });
    const due = v.deadlines.find((d) => d.stage === 'rectifying' && d.state === 'pending')?.due;
    expect(due).toBeDefined();
    // One mail, to the assignee alone, in the rectifying stage, stating its deadline; no signed link
    // (the rectification is reported on the case page the mail links).
    await vi.waitFor(() =>
      expect(stack.of(v.caseId).emails.filter((e) => e.kind === 'signed_off_assignee')).toEqual([
        expect.objectContaining({
          to: { personIds: [assignee.id] },
          stage: 'rectifying',
          round: 1,
          stageDue: due,
        }),
      ]),
    );
    expect(stack.of(v.caseId).emails.find((e) => e.kind === 'signed_off_assignee')?.link).toBeUndefined();
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: supervisor, reason: 'test over' }] });
    await handle.result();
    await saveHistory(handle, 'signoff-told-assignee');

    // The assignee who answers for the plan and signed it needs no word of their own signature.
    const own = await stack.start(caseInput());
    await own.handle.executeUpdate(submitRootCauseUpdate, {
      args: [{ ...rootCause, responsibleId: assignee.id }],
    });
    const signed = await viewAfterStep(
      own.handle,
      own.handle.executeUpdate(signOffUpdate, { args: [{ actor: assignee, decision: 'confirm' }] }),
    );
    expect(signed.stage).toBe('rectifying');
    await own.handle.executeUpdate(withdrawUpdate, { args: [{ actor: supervisor, reason: 'test over' }] });
    await own.handle.result();
    expect(stack.of(signed.caseId).emails.map((e) => e.kind)).toEqual(['assigned', 'signoff_request']);
  });

  it('comments are recorded without moving the stage', async () => {
    const { handle } = await stack.start(caseInput());
    const v = await viewAfterStep(
      handle,
      handle.executeUpdate(addCommentUpdate, {
        args: [{ actor: assignee, text: '已联系宿舍 called' }],
      }),
    );
    expect(v.stage).toBe('analysing');
    expect(v.comments).toMatchObject([{ text: '已联系宿舍 called', by: assignee.id }]);
    expect(actions(v).at(-1)).toBe('commented');
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: supervisor, reason: 'test over' }] });
    await handle.result();
  });

  it('refuses steps by the wrong person, in the wrong stage or with bad input, and leaves no trace', async () => {
    const { handle } = await stack.start(caseInput({ reporter }));
    const refused = async (run: () => Promise<unknown>) => refusalType(run);

    expect(
      await refused(() =>
        handle.executeUpdate(submitRootCauseUpdate, { args: [{ ...rootCause, actor: people.auditor }] }),
      ),
    ).toBe(CaseFailure.Forbidden);
    expect(
      await refused(() =>
        handle.executeUpdate(submitRootCauseUpdate, { args: [{ ...rootCause, actor: people.stranger }] }),
      ),
    ).toBe(CaseFailure.Forbidden);
    expect(
      await refused(() =>
        handle.executeUpdate(signOffUpdate, { args: [{ actor: responsible, decision: 'confirm' }] }),
      ),
    ).toBe(CaseFailure.Conflict);
    expect(
      await refused(() =>
        handle.executeUpdate(submitRootCauseUpdate, { args: [{ ...rootCause, plan: '  ' }] }),
      ),
    ).toBe(CaseFailure.Invalid);
    expect(
      await refused(() =>
        handle.executeUpdate(submitRootCauseUpdate, { args: [{ ...rootCause, causes: [] }] }),
      ),
    ).toBe(CaseFailure.Invalid);
    expect(
      await refused(() =>
        handle.executeUpdate(addCommentUpdate, { args: [{ actor: assignee, text: 'x'.repeat(501) }] }),
      ),
    ).toBe(CaseFailure.Invalid);
    expect(
      await refused(() =>
        handle.executeUpdate(addCommentUpdate, { args: [{ actor: people.stranger, text: 'hi' }] }),
      ),
    ).toBe(CaseFailure.Forbidden);
    expect(
      await refused(() =>
        handle.executeUpdate(withdrawUpdate, { args: [{ actor: assignee, reason: 'no' }] }),
      ),
    ).toBe(CaseFailure.Forbidden);

    await handle.executeUpdate(submitRootCauseUpdate, { args: [rootCause] });
    expect(
      await refused(() =>
        handle.executeUpdate(signOffUpdate, {
          args: [{ actor: responsible, decision: 'dispute', reason: '' }],
        }),
      ),
    ).toBe(CaseFailure.Invalid);
    expect(
      await refused(() =>
        handle.executeUpdate(signOffUpdate, { args: [{ actor: assignee, decision: 'confirm' }] }),
      ),
    ).toBe(CaseFailure.Forbidden);
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: responsible, decision: 'confirm' }] });
    expect(
      await refused(() =>
        handle.executeUpdate(reportRectificationUpdate, {
          args: [{ actor: responsible, summary: ' ', evidence: [] }],
        }),
      ),
    ).toBe(CaseFailure.Invalid);
    await handle.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: responsible, summary: 'x', evidence: [] }],
    });
    expect(
      await refused(() =>
        handle.executeUpdate(reviewUpdate, { args: [{ actor: supervisor, passed: false, notes: '' }] }),
      ),
    ).toBe(CaseFailure.Invalid);
    expect(
      await refused(() =>
        handle.executeUpdate(reviewUpdate, {
          args: [{ actor: people.otherSupervisor, passed: true, notes: '' }],
        }),
      ),
    ).toBe(CaseFailure.Forbidden);
    await handle.executeUpdate(reviewUpdate, { args: [{ actor: supervisor, passed: true, notes: '' }] });
    for (const score of [0, 6, 2.5, Number.NaN])
      expect(
        await refused(() =>
          handle.executeUpdate(submitFollowUpUpdate, { args: [{ actor: reporterActor, score }] }),
        ),
      ).toBe(CaseFailure.Invalid);
    expect(
      await refused(() =>
        handle.executeUpdate(submitFollowUpUpdate, { args: [{ actor: supervisor, score: 5 }] }),
      ),
    ).toBe(CaseFailure.Forbidden);
    const before = await handle.query<CaseView>('caseView');
    await handle.executeUpdate(submitFollowUpUpdate, { args: [{ actor: reporterActor, score: 5 }] });
    const final = await viewAfterStep(handle, handle.result());
    // Refused steps left nothing: only the accepted ones are in the timeline and the records.
    expect(actions(final)).toEqual([...actions(before), 'follow_up_rated']);
    expect(stack.of(final.caseId).steps).toHaveLength(final.timeline.length);
  });
});
