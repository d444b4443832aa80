import { describe, expect, it } from 'vitest';
import { caseViewSchema, createdCaseSchema } from '../../api/schemas.ts';
import { reporterActorId } from '../../domain/case-model.ts';
import { placeCode } from '../../domain/places.ts';
import { issueActionUrl } from '../../store/links.ts';
import {
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { createSession } from '../../store/sessions.ts';
import { getReport } from '../../store/reports.ts';
import { sentEmails } from '../support/stack.ts';
import { call, newCaseBody, outcomeOf, useApiStack } from './harness.ts';

/**
 * The return-visit survey is the reporter's word on the work. Found on main: whoever opened a case
 * could name themselves as its reporter and rate it; the assignee, reporting by a scanned code under
 * their own address, could grade their own repair.
 */
const s = useApiStack();

const sup = { id: 'sup-wang', roles: ['supervisor' as const], via: 'api' as const };
const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };

/**
 * Takes an open case (assigned to staff-zhou in bldg-a) through a passed review, which closes it:
 * its reporter (one of the directory's people, on the case) is pinned at opening and not asked to rate.
 */
async function toPassedReview(caseId: string) {
  const h = s.deps.temporal.workflow.getHandle(caseId);
  await h.executeUpdate(submitRootCauseUpdate, {
    args: [{ actor: sup, causes: ['灯管老化'], responsibleId: 'staff-zhou', plan: '更换' }],
  });
  await h.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
  await h.executeUpdate(reportRectificationUpdate, {
    args: [{ actor: zhou, summary: '已更换', evidence: ['x.jpg'] }],
  });
  const v = await h.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: 'ok' }] });
  expect(v.stage).toBe('closed');
}

const viewOf = async (caseId: string) =>
  caseViewSchema.parse(await (await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'audit-he' })).json());

/** Waits until the case's review is recorded and its workflow runs no activity (its mails are sent). */
async function settled(caseId: string): Promise<void> {
  const h = s.deps.temporal.workflow.getHandle(caseId);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const recorded = (await viewOf(caseId)).timeline.some((e) => e.action === 'review_passed');
    const pending = (await h.describe()).raw.pendingActivities?.length ?? 0;
    if (recorded && pending === 0) return;
    if (Date.now() > deadline) throw new Error(`case ${caseId} still busy (${pending} activities)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a rating by the case’s own opener or handler', () => {
  it('the opener who named themselves as reporter is not asked to rate: the passed review closes the case', async () => {
    const reporter = { name: '王建国', email: 'wang.jianguo@demo.edu.cn' };
    const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody({ reporter }) });
    expect(res.status).toBe(201);
    const { caseId } = createdCaseSchema.parse(await res.json());
    await toPassedReview(caseId);

    // The review's record is written and the workflow has nothing left to run: its mail is done.
    await settled(caseId);
    const mails = await sentEmails((e) => e.subject.includes(caseId) && e.to.includes(reporter.email));
    expect(mails.map((m) => m.subject).filter((x) => x.includes('请您评价'))).toEqual([]);

    // A survey link made out to them all the same (an older mail's) has nothing to rate: the case
    // closed on its review. Refused at GET (no form) and at POST alike.
    const url = await issueActionUrl(
      { ...s.activityDeps, keys: s.activityDeps.signingKeys },
      { caseId, step: 'follow_up', round: 1, recipientId: reporterActorId(reporter)!, action: 'rate' },
    );
    const path = new URL(url).pathname;
    const page = await s.app.request(path);
    expect(page.status).toBe(409);
    const html = await page.text();
    expect(outcomeOf(html)).toBe('not_open');
    expect(html).not.toContain('name="score"');
    const posted = await s.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ score: '5', comment: '很满意', csrf: 'x', textHash: 'y' }).toString(),
    });
    expect(posted.status).toBe(409);
    const v = await viewOf(caseId);
    expect(v.stage).toBe('closed');
    expect(v.followUp).toBeUndefined();
    // Closed on the passed review, not left to wait out the follow-up window for a rating.
    expect(v.timeline.map((e) => e.action).slice(-2)).toEqual(['review_passed', 'closed']);
    expect(v.timeline.map((e) => e.action)).not.toContain('reminder_sent');
  });

  it('the assignee who reported by a scanned code is shown no survey and refused one on the tracking page', async () => {
    const form = new FormData();
    form.append('kind', 'repair');
    form.append('description', '卫生间灯不亮');
    form.append('name', '周强');
    form.append('contact', 'zhou.qiang@demo.edu.cn');
    const sent = await s.app.request(
      `/r/${placeCode({ buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A102' })}`,
      {
        method: 'POST',
        body: form,
        headers: { 'x-forwarded-for': '198.51.100.201' },
      },
    );
    expect(sent.status).toBe(303);
    const token = /^\/t\/([A-Za-z0-9_-]{32})/.exec(sent.headers.get('location') ?? '')![1]!;
    const reportId = /RP-[0-9A-Z]{10}/.exec(await (await s.app.request(`/t/${token}`)).text())![0];
    const sess = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const triaged = await s.app.request(`/app/triage/${reportId}`, {
      method: 'POST',
      headers: { cookie: `rectify_session=${sess.id}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        action: 'case',
        assigneeId: 'staff-zhou',
        severity: 'routine',
        _csrf: sess.csrfToken,
      }),
    });
    expect(triaged.status).toBe(303);
    const caseId = (await getReport(s.deps.aws, reportId))!.caseId!;
    await toPassedReview(caseId);

    const tracking = await (await s.app.request(`/t/${token}`)).text();
    expect(tracking).not.toContain('name="attitude"');
    expect(tracking).toContain('不能评价自己经手的案件');
    const rated = await s.app.request(`/t/${token}/survey`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ attitude: '5', quality: '5', cleanup: '5' }),
    });
    expect(rated.status).toBe(403);
    expect((await getReport(s.deps.aws, reportId))!.survey).toBeUndefined();
    expect((await viewOf(caseId)).followUp).toBeUndefined();
  });
});
