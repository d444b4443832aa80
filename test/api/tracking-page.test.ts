import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { ratingScoreLabel, ratingScores } from '../../domain/rating-scale.ts';
import { createSession } from '../../store/sessions.ts';
import { getReport } from '../../store/reports.ts';
import {
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { startApiStack, type ApiStack } from './harness.ts';

/**
 * The reporter's tracking page (/t/{token}) as a student on a phone reads it: what they reported,
 * what to do when it was not taken up, and a survey that keeps what they chose when it is refused.
 */
let s: ApiStack;
let address = 0;
const nextAddress = () => `198.51.100.${200 + ++address}`;

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

const roomCode = (roomId: string) => placeCode({ buildingId: 'bldg-a', floorId: 'a-f2', roomId });

async function report(code: string, fields: Record<string, string>, photos: File[] = []): Promise<string> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const p of photos) form.append('photo', p);
  const res = await s.app.request(`/r/${code}`, {
    method: 'POST',
    body: form,
    headers: { 'x-forwarded-for': nextAddress() },
  });
  expect(res.status).toBe(303);
  return /^\/t\/([A-Za-z0-9_-]{32})\?new=1$/.exec(res.headers.get('location') ?? '')![1]!;
}

async function triage(personId: string, reportId: string, fields: Record<string, string>) {
  const sess = await createSession(s.deps.aws, { personId, via: 'link' });
  return s.app.request(`/app/triage/${reportId}`, {
    method: 'POST',
    headers: { cookie: `rectify_session=${sess.id}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: sess.csrfToken }),
  });
}

const reportIdOf = async (token: string) =>
  /RP-[0-9A-Z]{10}/.exec(await (await s.app.request(`/t/${token}`)).text())![0];

describe('the survey on the tracking page', () => {
  it('a refused rating keeps the scores and the comment, says so at the top, and its address reloads', async () => {
    const token = await report(roomCode('A209'), { kind: 'repair', description: '衣柜门掉了' });
    const reportId = await reportIdOf(token);
    await triage('sup-wang', reportId, { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' });
    const caseId = (await getReport(s.deps.aws, reportId))!.caseId!;
    const h = s.deps.temporal.workflow.getHandle(caseId);
    const sup = { id: 'sup-wang', roles: ['supervisor' as const], via: 'api' as const };
    const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };
    await h.executeUpdate(submitRootCauseUpdate, {
      args: [{ actor: sup, causes: ['合页松脱'], responsibleId: 'staff-zhou', plan: '更换合页' }],
    });
    await h.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
    await h.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: zhou, summary: '已更换合页', evidence: ['x.jpg'] }],
    });
    await h.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: 'ok' }] });

    // One aspect left unanswered.
    const refused = await s.app.request(`/t/${token}/survey`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ attitude: '4', cleanup: '2', comment: '师傅很快' }),
    });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    const main = html.slice(html.indexOf('<main'));
    // A summary alert before everything else on the page, pointing at the survey, where the keyboard lands.
    expect(main).toMatch(
      /^<main[^>]*><h1>[^<]*<\/h1><div class="stack"><div tabindex="-1" autofocus="" data-error-summary[^>]*class="flash error" role="alert"/,
    );
    expect(html).toMatch(/<title>错误：/);
    expect(main).toContain('评价未提交');
    expect(main).toContain('href="#survey"');
    expect(main).toContain('id="survey"');
    // What was chosen stays chosen; the comment stays typed; the missing aspect is marked.
    const radio = (name: string, value: string) =>
      new RegExp(`<input type="radio" name="${name}" value="${value}"[^>]*>`).exec(main)![0];
    expect(radio('attitude', '4')).toContain('checked');
    expect(radio('cleanup', '2')).toContain('checked');
    expect(radio('attitude', '5')).not.toContain('checked');
    for (const n of ['1', '2', '3', '4', '5']) expect(radio('quality', n)).not.toContain('checked');
    expect(main).toMatch(/<textarea[^>]*name="comment"[^>]*>师傅很快<\/textarea>/);
    expect(main).toContain('<p class="error" id="quality-error">请选择 1–5 分</p>');
    expect(main).not.toContain('id="attitude-error"');
    // The unanswered aspect's group is marked and tied to its error; the answered ones are not.
    expect(main).toContain('<fieldset aria-describedby="quality-error" aria-invalid="true">');
    expect(main).not.toMatch(/<fieldset[^>]*aria-describedby="attitude-error"/);
    // Each score says which end it is, as the emailed rate page does: not a bare "5" … "1".
    const choiceText = (page: string, name: string, value: string) =>
      new RegExp(`<input type="radio" name="${name}" value="${value}"[^>]*>\\s*([^<]*)</label>`).exec(
        page,
      )?.[1];
    expect(choiceText(main, 'quality', '5')).toBe('5 分（非常满意）');
    expect(choiceText(main, 'quality', '3')).toBe('3 分');
    expect(choiceText(main, 'quality', '1')).toBe('1 分（非常不满意）');
    for (const n of ratingScores)
      for (const aspect of ['attitude', 'quality', 'cleanup'])
        expect(choiceText(main, aspect, String(n))).toBe(ratingScoreLabel(n).zh);

    // The address the browser now shows, read by itself: back to the tracking page, not a 404.
    for (const [path, to] of [
      [`/t/${token}/survey`, `/t/${token}#survey`],
      [`/t/${token}/survey?lang=en`, `/t/${token}?lang=en#survey`],
    ] as const) {
      const reload = await s.app.request(path);
      expect(reload.status).toBe(303);
      expect(reload.headers.get('location')).toBe(to);
    }
    const page = await s.app.request(`/t/${token}`);
    expect(page.status).toBe(200);
    // Nothing refused on a plain read: no alert, nothing pre-chosen.
    const plain = await page.text();
    expect(plain).not.toContain('data-survey-refused');
    expect(plain).not.toMatch(/<input type="radio"[^>]*checked/);
    const en = await (await s.app.request(`/t/${token}?lang=en`)).text();
    expect(choiceText(en, 'attitude', '5')).toBe('5 (very satisfied)');
    expect(choiceText(en, 'attitude', '1')).toBe('1 (very dissatisfied)');
  });
});

describe('what the reporter reported, and what to do when it is not taken up', () => {
  it('shows the description and the reporter’s own photos by short-lived signed addresses the page’s CSP allows', async () => {
    const token = await report(
      roomCode('A210'),
      { kind: 'repair', description: '阳台下水道堵了\n积水到门口' },
      [new File([fakeFiles.jpeg()], 'drain.jpg', { type: 'image/jpeg' })],
    );
    const res = await s.app.request(`/t/${token}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const reported = html.slice(html.indexOf('data-reported'));
    expect(reported).toContain('您报告的内容');
    expect(reported).toMatch(/<p style="white-space:pre-wrap[^"]*">阳台下水道堵了\r?\n积水到门口<\/p>/);
    const src =
      /<div class="thumbs" data-report-photos="true"><a href="([^"]+)"><img src="\1" alt="您拍的照片 1"/.exec(
        reported,
      )?.[1];
    expect(src).toBeDefined();
    const url = new URL(src!.replaceAll('&amp;', '&'));
    expect(url.searchParams.get('X-Amz-Signature')).toBeTruthy();
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`img-src data: ${url.origin}`);
    expect(csp).toContain("form-action 'self'");
    // The tracking token is in the page's address: loading the photo must not hand it to the store.
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const en = await (await s.app.request(`/t/${token}?lang=en`)).text();
    expect(en).toContain('What you reported');
    expect(en).toContain('alt="Your photo 1"');
  });

  it('a rejected report says what the reporter can do next, with the way to report again', async () => {
    const code = roomCode('A210');
    const token = await report(code, { kind: 'suggestion', description: '希望走廊装镜子' });
    const id = await reportIdOf(token);
    const before = await (await s.app.request(`/t/${token}`)).text();
    expect(before).not.toContain('data-next-step');
    expect((await triage('sup-wang', id, { action: 'reject', reason: '信息不足' })).status).toBe(303);
    const zh = await (await s.app.request(`/t/${token}`)).text();
    expect(zh).toContain('信息不足');
    const next = /<p data-next-step="true">(.*?)<\/p>/s.exec(zh)?.[1] ?? '';
    expect(next).toContain('重新报告');
    expect(next).toContain('宿舍管理员');
    expect(next).toContain(`<a href="/r/${code}">重新报告</a>`);
    const en = await (await s.app.request(`/t/${token}?lang=en`)).text();
    const nextEn = /<p data-next-step="true">(.*?)<\/p>/s.exec(en)?.[1] ?? '';
    expect(nextEn).toContain('dormitory office');
    expect(nextEn).toContain(`<a href="/r/${code}">Report it again</a>`);
  });
});
