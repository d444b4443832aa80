import { describe, expect, it } from 'vitest';
import { reporterActorId } from '../../domain/case-model.ts';
import { placeCode } from '../../domain/places.ts';
import { issueActionUrl } from '../../store/links.ts';
import { getReport } from '../../store/reports.ts';
import { createSession } from '../../store/sessions.ts';
import {
  caseViewQuery,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { formFields, outcomeOf, postForm, useApiStack } from './harness.ts';

/**
 * A student's rating link, used: the page says they have rated and what they gave, and links their
 * report's tracking page (they have no supervisor to ask); the thanks page links it too.
 */
const s = useApiStack();

const sup = { id: 'sup-li', roles: ['supervisor' as const], via: 'api' as const };
const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };

async function reportAtFollowUp() {
  const form = new FormData();
  form.append('kind', 'repair');
  form.append('description', '阳台晾衣杆松动');
  form.append('contact', 'rater.reuse@students.demo.edu.cn');
  const sent = await s.app.request(
    `/r/${placeCode({ buildingId: 'bldg-b', floorId: 'b-f2', roomId: 'B208' })}`,
    {
      method: 'POST',
      body: form,
      headers: { 'x-forwarded-for': '198.51.100.208' },
    },
  );
  const token = /^\/t\/([A-Za-z0-9_-]{32})/.exec(sent.headers.get('location') ?? '')![1]!;
  const reportId = /RP-[0-9A-Z]{10}/.exec(await (await s.app.request(`/t/${token}`)).text())![0];
  const sess = await createSession(s.deps.aws, { personId: 'sup-li', via: 'link' });
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
  const h = s.deps.temporal.workflow.getHandle(caseId);
  await h.executeUpdate(submitRootCauseUpdate, {
    args: [{ actor: sup, causes: ['螺丝松动'], responsibleId: 'staff-zhou', plan: '紧固' }],
  });
  await h.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
  await h.executeUpdate(reportRectificationUpdate, {
    args: [{ actor: zhou, summary: '已紧固', evidence: ['x.jpg'] }],
  });
  await h.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: 'ok' }] });
  const reporter = (await h.query(caseViewQuery)).reporter;
  return { token, caseId, recipientId: reporterActorId(reporter)! };
}

describe('a reporter’s rating link', () => {
  it('thanks with a link to the tracking page, and once used says each aspect rated and links it again', async () => {
    const { token, caseId, recipientId } = await reportAtFollowUp();
    const url = await issueActionUrl(
      { ...s.activityDeps, keys: s.activityDeps.signingKeys },
      { caseId, step: 'follow_up', round: 1, recipientId, action: 'rate' },
    );
    const path = new URL(url).pathname;
    const page = await s.app.request(path);
    expect(page.status).toBe(200);
    const done = await postForm(s.app, path, {
      ...formFields(await page.text()),
      attitude: '5',
      quality: '4',
      cleanup: '3',
    });
    expect(done.status).toBe(200);
    const thanks = await done.text();
    expect(thanks).toContain('感谢您的评价');
    expect(thanks).toContain(`/t/${token}"`);

    const again = await s.app.request(path);
    expect(again.status).toBe(410);
    const used = await again.text();
    expect(outcomeOf(used)).toBe('used');
    expect(used).toContain('您已评价过');
    // Each aspect as rated: the case's one score (the lowest, 3) is not passed off as the overall one.
    expect(used).toContain('评价过：服务态度 5/5，维修质量 4/5，现场清理 3/5。');
    expect(used).toContain(': Attitude 5/5, Quality of the work 4/5, Clean-up afterwards 3/5.');
    expect(used).not.toContain('评分 3/5');
    expect(used).toContain(`/t/${token}"`);
    expect(used).not.toContain('联系主管');
    expect(used).not.toContain('supervisor');
  });
});
