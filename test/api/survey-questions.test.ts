import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { ownTables, uniqueId } from '../support/stack.ts';
import { formFields, postForm, startApiStackOn, type ApiStack } from './harness.ts';

/**
 * The return-visit survey asks what fits the kind of case, on the tracking page and on the emailed
 * rating page alike (a complaint about staff is not asked the quality of a repair), and both take a
 * comment of the same length.
 */
let s: ApiStack;
let address = 0;
const nextAddress = () => `198.51.100.${100 + ++address}`;

// Tables of its own: another file's open case at the same room would take the report as a repeat.
const tables = ownTables(uniqueId('survey-q'));

beforeAll(async () => {
  s = await startApiStackOn(tables);
});
afterAll(async () => {
  await s?.stop();
});

const sup = { id: 'sup-wang', roles: ['supervisor' as const], via: 'api' as const };
const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };

/** A report of this kind made a case and taken to its reporter's follow-up. */
async function atFollowUp(kind: string, roomId: string, description: string) {
  const form = new FormData();
  form.append('kind', kind);
  form.append('description', description);
  form.append('contact', `${uniqueId('rater')}@students.demo.edu.cn`);
  const sent = await s.app.request(`/r/${placeCode({ buildingId: 'bldg-a', floorId: 'a-f2', roomId })}`, {
    method: 'POST',
    body: form,
    headers: { 'x-forwarded-for': nextAddress() },
  });
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
  const h = s.deps.temporal.workflow.getHandle(caseId);
  await h.executeUpdate(submitRootCauseUpdate, {
    args: [{ actor: sup, causes: ['沟通不到位'], responsibleId: 'staff-zhou', plan: '当面说明并道歉' }],
  });
  await h.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
  await h.executeUpdate(reportRectificationUpdate, {
    args: [{ actor: zhou, summary: '已处理', evidence: ['x.jpg'] }],
  });
  await h.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: 'ok' }] });
  const view = await h.query(caseViewQuery);
  expect(view.stage).toBe('follow_up');
  return { token, caseId, h, recipientId: reporterActorId(view.reporter)! };
}

const legends = (html: string) => [...html.matchAll(/<legend>([^<]*)<\/legend>/g)].map((m) => m[1]);

describe('the survey of a complaint about staff', () => {
  it('asks how the complaint was handled, on the tracking page and the rating link, and stores what it asked', async () => {
    const { token, caseId, h, recipientId } = await atFollowUp('complaint', 'A201', '宿管说话态度很差');
    const page = await (await s.app.request(`/t/${token}`)).text();
    expect(legends(page)).toEqual(['处理人员的态度', '投诉处理结果', '回复与跟进']);
    expect(page).not.toContain('维修质量');
    const en = await (await s.app.request(`/t/${token}?lang=en`)).text();
    expect(legends(en)).toEqual([
      'Attitude of the staff who handled it',
      'How the complaint was handled',
      'How you were kept informed',
    ]);

    const url = await issueActionUrl(
      { ...s.activityDeps, keys: s.activityDeps.signingKeys },
      { caseId, step: 'follow_up', round: 1, recipientId, action: 'rate' },
    );
    const path = new URL(url).pathname;
    const linkPage = await (await s.app.request(path)).text();
    expect(linkPage).toContain('投诉处理结果');
    expect(linkPage).toContain('How the complaint was handled');
    expect(linkPage).not.toContain('维修质量');

    // One comment limit: 501 characters are refused on both, each saying the limit and the count.
    const tooLong = '很'.repeat(501);
    const byLink = await postForm(s.app, path, {
      ...formFields(linkPage),
      attitude: '4',
      quality: '4',
      cleanup: '4',
      comment: tooLong,
    });
    expect(byLink.status).toBe(422);
    const refused = await byLink.text();
    expect(refused).toContain('意见：最多 500 个字符，现为 501 个');
    expect(refused).toMatch(/<textarea[^>]*name="comment"[^>]*maxlength="500"/);
    const onPage = await s.app.request(`/t/${token}/survey`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ attitude: '4', quality: '4', cleanup: '4', comment: tooLong }),
    });
    expect(onPage.status).toBe(400);
    expect(await onPage.text()).toContain('最多 500 个字（现有 501 个）');

    const done = await postForm(s.app, path, {
      ...formFields(linkPage),
      attitude: '4',
      quality: '5',
      cleanup: '4',
      comment: '很'.repeat(500),
    });
    expect(done.status).toBe(200);
    const { followUp } = await h.query(caseViewQuery);
    expect(followUp?.comment).toBe(
      `处理人员的态度 Attitude of the staff who handled it 4/5，投诉处理结果 How the complaint was handled 5/5，回复与跟进 How you were kept informed 4/5；${'很'.repeat(500)}`,
    );
  });
});

describe('the survey of a cleanliness report', () => {
  it('asks how clean it is now, not the quality of a repair', async () => {
    const { token } = await atFollowUp('cleanliness', 'A202', '走廊垃圾两天没人清理');
    const page = await (await s.app.request(`/t/${token}`)).text();
    expect(legends(page)).toEqual(['服务态度', '清洁效果', '收尾整理']);
  });
});
