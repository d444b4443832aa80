import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { createSession } from '../../store/sessions.ts';
import { getReport } from '../../store/reports.ts';
import {
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
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
    // A summary alert before everything else on the page, pointing at the survey.
    expect(main).toMatch(
      /^<main[^>]*><h1>[^<]*<\/h1><div class="stack"><div class="flash error" role="alert"/,
    );
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
  });
});
