import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { createSession } from '../../store/sessions.ts';
import { getReport } from '../../store/reports.ts';
import {
  caseViewQuery,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { sentEmails, uniqueId } from '../support/stack.ts';
import { actionPath, formFields, outcomeOf, postForm, startApiStack, type ApiStack } from './harness.ts';

/**
 * What a reporter sees once their low rating reopened the case (issue 14): the tracking page says
 * so, keeps the result the next review passed, and at closure shows the rating that closed it; the
 * round's emailed link says what happened instead of pointing to an email not yet sent.
 */
let s: ApiStack;
let address = 0;
const nextAddress = () => `198.51.100.${++address}`;

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

const roomCode = (roomId: string) => placeCode({ buildingId: 'bldg-a', floorId: 'a-f2', roomId });

async function report(roomId: string, fields: Record<string, string>): Promise<string> {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  const res = await s.app.request(`/r/${roomCode(roomId)}`, {
    method: 'POST',
    body: f,
    headers: { 'x-forwarded-for': nextAddress() },
  });
  return /^\/t\/([A-Za-z0-9_-]{32})\?new=1$/.exec(res.headers.get('location') ?? '')![1]!;
}

const page = async (token: string, q = '') => (await s.app.request(`/t/${token}${q}`)).text();

async function caseOf(token: string): Promise<{ reportId: string; caseId: string }> {
  const reportId = /RP-[0-9A-Z]{10}/.exec(await page(token))![0];
  const sess = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
  const res = await s.app.request(`/app/triage/${reportId}`, {
    method: 'POST',
    headers: {
      cookie: `rectify_session=${sess.id}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
    },
    body: new URLSearchParams({
      action: 'case',
      assigneeId: 'staff-zhou',
      severity: 'routine',
      _csrf: sess.csrfToken,
    }),
  });
  expect(res.status).toBe(303);
  return { reportId, caseId: (await getReport(s.deps.aws, reportId))!.caseId! };
}

const survey = (token: string, fields: Record<string, string>) =>
  s.app.request(`/t/${token}/survey`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });

const sup = { id: 'sup-wang', roles: ['supervisor' as const], via: 'api' as const };
const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };
const handle = (caseId: string) => s.deps.temporal.workflow.getHandle(caseId);

/** Runs a case from triage to its first passed review. */
async function toReview(caseId: string) {
  const h = handle(caseId);
  await h.executeUpdate(submitRootCauseUpdate, {
    args: [{ actor: sup, causes: ['老化'], responsibleId: 'staff-zhou', plan: '更换' }],
  });
  await h.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
  await h.executeUpdate(reportRectificationUpdate, {
    args: [{ actor: zhou, summary: '已更换门锁并调试', evidence: ['x.jpg'] }],
  });
  return h.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: '复查合格' }] });
}

/** The action links mailed to an address about a case, oldest first. */
const ratingLinks = async (email: string, caseId: string) =>
  (
    await sentEmails((e) => e.to.includes(email) && e.subject.includes(caseId) && /\/actions\//.test(e.text))
  ).map(actionPath);

const untilOutcome = (caseId: string, outcome: string) =>
  expect
    .poll(async () => (await handle(caseId).query(caseViewQuery)).followUp?.outcome, { timeout: 20_000 })
    .toBe(outcome);

describe('a reporter whose rating on the tracking page reopened the case, then rated by email', () => {
  const email = `${uniqueId('reopen')}@students.demo.edu.cn`;
  let token = '';
  let caseId = '';

  it('rates round 1 low on the tracking page, and is told it reopened the case', async () => {
    token = await report('A207', { kind: 'repair', description: '门锁坏了', contact: email });
    ({ caseId } = await caseOf(token));
    expect((await toReview(caseId)).stage).toBe('follow_up');
    await expect.poll(async () => (await ratingLinks(email, caseId)).length, { timeout: 20_000 }).toBe(1);
    expect(
      (await survey(token, { attitude: '5', quality: '2', cleanup: '4', comment: '<b>锁芯</b>还是松' }))
        .status,
    ).toBe(303);
    await untilOutcome(caseId, 'reopened');
    // The status says the rating sent the case back for another review (the second one still to
    // come), not just that a case was opened; the rating and the reporter's words are given back.
    const zh = await page(token);
    expect(zh).toContain('data-reopened');
    expect(zh).toContain('您的评价未达满意，案件已退回重新复查；复查通过后可再次评价');
    expect(zh).toContain('服务态度 5/5 · 维修质量 2/5 · 现场清理 4/5');
    expect(zh).toContain('您的意见：&lt;b&gt;锁芯&lt;/b&gt;还是松');
    const en = await page(token, '?lang=en');
    expect(en).toContain('the case was sent back for another re-inspection');
    expect(en).toContain('Your comment: &lt;b&gt;锁芯&lt;/b&gt;还是松');
    // Sent again, the rating is refused with the way back to the page, not a dead end.
    const twice = await survey(token, { attitude: '5', quality: '5', cleanup: '5' });
    expect(twice.status).toBe(409);
    const refused = await twice.text();
    expect(refused).toContain('您已评价过，谢谢。');
    expect(refused).toContain(`href="/t/${token}"`);
  });

  it('the round’s emailed link, opened after that, says it was rated on the tracking page and links it', async () => {
    const [first] = await ratingLinks(email, caseId);
    const res = await s.app.request(first!);
    const html = await res.text();
    expect(res.status).toBe(409);
    expect(outcomeOf(html)).toBe('rated_elsewhere');
    // No newer email exists yet: the page does not send the reporter looking for one.
    expect(html).not.toContain('最新邮件');
    expect(html).toContain('在处理进度页面评价了案件');
    expect(html).toContain('评价未达满意，案件已重新复查');
    expect(html).toContain('复查通过后会再发邮件请您评价');
    expect(html).toContain('your rating reopened the case for another review');
    expect(html).toContain(`href="http://rectify.test/t/${token}"`);
  });

  it('after the second review passes, still shows the work it accepted', async () => {
    const view = await handle(caseId).executeUpdate(reviewUpdate, {
      args: [{ actor: sup, passed: true, notes: '再次复查合格' }],
    });
    expect(view).toMatchObject({ stage: 'follow_up', round: 2 });
    const html = await page(token);
    expect(html).toContain('data-result');
    expect(html).toContain('已更换门锁并调试');
    expect(html).toContain('复查已再次通过，请重新评价');
    // Now the round-1 link points to the round-2 email.
    const [first] = await ratingLinks(email, caseId);
    expect(await (await s.app.request(first!)).text()).toContain('请使用之后收到的评价邮件中的链接');
  });

  it('closed on the emailed round-2 rating: shows that work and that rating, the page’s as the earlier one that reopened it', async () => {
    await expect.poll(async () => (await ratingLinks(email, caseId)).length, { timeout: 20_000 }).toBe(2);
    const second = (await ratingLinks(email, caseId))[1]!;
    const form = await (await s.app.request(second)).text();
    const rated = await postForm(s.app, second, {
      ...formFields(form),
      attitude: '5',
      quality: '5',
      cleanup: '5',
    });
    expect(rated.status).toBe(200);
    expect((await handle(caseId).query(caseViewQuery)).stage).toBe('closed');
    const html = await page(token);
    expect(html).toContain('data-result');
    expect(html).toContain('已更换门锁并调试');
    expect(html).not.toContain('data-reopened');
    // The rating that closed the case, not the page's earlier one; that one is told as earlier.
    const closing = /<p[^>]*data-rating="closing"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
    expect(closing).toContain('服务态度 5/5 · 维修质量 5/5 · 现场清理 5/5');
    const earlier = /<p[^>]*data-rating="earlier"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
    expect(earlier).toContain('服务态度 5/5 · 维修质量 2/5 · 现场清理 4/5');
    expect(earlier).toContain('未达满意，案件因此退回重新复查');
    expect(html.indexOf('data-rating="closing"')).toBeLessThan(html.indexOf('data-rating="earlier"'));
    expect(html).not.toContain('感谢您的评价：');
    const en = await page(token, '?lang=en');
    expect(en).toContain('Attitude 5/5 · Quality of the work 5/5 · Clean-up afterwards 5/5');
    expect(en).toContain('it sent the case back for another re-inspection');
  });
});

describe('a reporter who left no email and whose rating on the page reopened the case', () => {
  it('rates the next round on the page once its review passes, and the case closes on that rating', async () => {
    const token = await report('A206', { kind: 'repair', description: '窗帘轨道脱落' });
    const { caseId } = await caseOf(token);
    await toReview(caseId);
    expect((await survey(token, { attitude: '4', quality: '1', cleanup: '4' })).status).toBe(303);
    await untilOutcome(caseId, 'reopened');
    // While the case is back in review there is nothing to rate.
    expect(await page(token)).not.toContain('name="attitude"');
    expect((await survey(token, { attitude: '5', quality: '5', cleanup: '5' })).status).toBe(409);
    await handle(caseId).executeUpdate(reviewUpdate, {
      args: [{ actor: sup, passed: true, notes: '再次复查合格' }],
    });
    // Reviewed again, the case waits for this reporter, who has only this page.
    const asked = await page(token);
    expect(asked).toContain('请重新评价');
    expect(asked).toContain('name="attitude"');
    const [first, second] = await Promise.all([
      survey(token, { attitude: '5', quality: '4', cleanup: '5', comment: '这次修好了' }),
      survey(token, { attitude: '5', quality: '5', cleanup: '5' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([303, 409]);
    await untilOutcome(caseId, 'rated');
    const view = await handle(caseId).query(caseViewQuery);
    expect(view).toMatchObject({ stage: 'closed', followUp: { score: first.status === 303 ? 4 : 5 } });
    const closed = await page(token);
    expect(closed).not.toContain('name="attitude"');
    expect(closed).toContain('data-rating="closing"');
    expect(closed).toContain('data-rating="earlier"');
    expect(closed).toContain('维修质量 1/5');
  });
});
