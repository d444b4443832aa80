import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeCode } from '../../domain/places.ts';
import { ratingScoreLabel, ratingScores } from '../../domain/rating-scale.ts';
import { putEvidence } from '../../store/evidence.ts';
import { createSession } from '../../store/sessions.ts';
import { getReport } from '../../store/reports.ts';
import {
  arrivedUpdate,
  caseViewQuery,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { startApiStackOn, type ApiStack } from './harness.ts';

/**
 * The reporter's tracking page (/t/{token}) as a student on a phone reads it: what they reported,
 * what to do when it was not taken up, and a survey that keeps what they chose when it is refused.
 */
let s: ApiStack;
let address = 0;
const nextAddress = () => `198.51.100.${200 + ++address}`;

// Tables of its own: in the shared ones another file's open case at the same room can take the
// report (a repeat), and that file's worker is gone by the time this one reads the case.
const tables = ownTables(uniqueId('track'));

beforeAll(async () => {
  s = await startApiStackOn(tables);
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

describe('where the report stands, as a student reads it', () => {
  const sup = { id: 'sup-wang', roles: ['supervisor' as const], via: 'api' as const };
  const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };
  const page = async (token: string, lang?: 'en') =>
    (await s.app.request(`/t/${token}${lang ? '?lang=en' : ''}`)).text();
  /** The status cell: its data, and the words in bold. */
  const statusOf = (html: string) => {
    const dd = /<dd data-status="([a-z]+)"(?: data-progress="([a-z_]+)")?>\s*<strong>([^<]*)<\/strong>/.exec(
      html,
    );
    return { status: dd?.[1], progress: dd?.[2], label: dd?.[3] };
  };
  const reviewLines = (html: string) =>
    [...html.matchAll(/<li data-step="reviewing"[^>]*>([^<]*)<\/li>/g)].map((m) => m[1]!);
  /** The progress list, one line a step, in the page's order. */
  const progressLines = (html: string) => {
    const from = html.search(/<h2>(处理进度|Progress)<\/h2>/);
    const list = html.slice(from, html.indexOf('</ul>', from));
    return [...list.matchAll(/<li data-step="[a-z_]+"[^>]*>([^<]*)<\/li>/g)].map((m) => m[1]!);
  };
  /** A time as the page tells it (Asia/Shanghai in the test environment), parsed back. */
  const shown = (line: string) => {
    const m = /(\d{4})年(\d{1,2})月(\d{1,2})日 (\d{2}):(\d{2})/.exec(line)!;
    return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]! - 8, +m[5]!);
  };
  const file = (type: 'jpeg' | 'pdf', name: string, caseId: string) =>
    putEvidence(s.deps, {
      caseId,
      uploaderId: 'staff-zhou',
      file: new File([new Uint8Array(fakeFiles[type]())], name, {
        type: type === 'pdf' ? 'application/pdf' : 'image/jpeg',
      }),
    });

  it('each step of its case, a failed first re-inspection, the passed one with the photos of the work, then its rating', async () => {
    const token = await report(roomCode('A205'), { kind: 'repair', description: '卫生间水管漏水' }, [
      new File([fakeFiles.jpeg()], 'leak.jpg', { type: 'image/jpeg' }),
    ]);
    const reportId = await reportIdOf(token);
    // Waiting to be taken up, in words a student knows.
    expect(statusOf(await page(token))).toMatchObject({
      status: 'received',
      label: '已收到，等待负责人员受理',
    });
    const waitingEn = statusOf(await page(token, 'en'));
    expect(waitingEn.label).toBe('Received, waiting for the staff in charge to look at it');
    expect(waitingEn.label).not.toContain('triage');

    await triage('sup-wang', reportId, { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' });
    const caseId = (await getReport(s.deps.aws, reportId))!.caseId!;
    const h = s.deps.temporal.workflow.getHandle(caseId);
    expect(statusOf(await page(token))).toEqual({
      status: 'case',
      progress: 'arranging',
      label: '已受理，正在安排处理',
    });
    // The status moves with the staff's work, in a student's words.
    await h.executeUpdate(arrivedUpdate, { args: [{ actor: zhou }] });
    expect(statusOf(await page(token))).toMatchObject({
      progress: 'visited',
      label: '维修人员已到场，正在查找原因',
    });
    expect(statusOf(await page(token, 'en')).label).toBe('The technician has been; finding the cause');
    await h.executeUpdate(submitRootCauseUpdate, {
      args: [{ actor: sup, causes: ['接头老化'], responsibleId: 'staff-zhou', plan: '更换接头' }],
    });
    const planning = await page(token);
    expect(statusOf(planning)).toMatchObject({ progress: 'planning', label: '已查明原因，正在确定处理办法' });
    // The finished step reads when it was done; the running one its deadline, said to be one.
    const [found, deciding] = progressLines(planning);
    expect(found).toMatch(/^查找原因：按时完成（\d{4}年.+）$/);
    expect(shown(found!)).toBeLessThanOrEqual(Date.now());
    expect(deciding).toMatch(/^确定处理办法：进行中（期限 \d{4}年.+）$/);
    expect(planning).not.toContain('确认负责人');
    await h.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
    const fixing = await page(token);
    expect(statusOf(fixing)).toMatchObject({ progress: 'fixing', label: '正在整改' });
    // Both done steps at the times they were done, in that order, and none in the future (the
    // sign-off's deadline, a day away, read as done on time before).
    const steps = progressLines(fixing);
    expect(steps).toHaveLength(3);
    expect(steps[1]).toMatch(/^确定处理办法：按时完成（.+）$/);
    expect(steps[2]).toMatch(/^整改：进行中（期限 .+）$/);
    const doneAt = steps.slice(0, 2).map(shown);
    expect(doneAt[0]).toBeLessThanOrEqual(doneAt[1]!);
    for (const at of doneAt) expect(at).toBeLessThanOrEqual(Date.now());
    expect(progressLines(await page(token, 'en'))[1]).toMatch(
      /^Deciding what will be done: done on time \(.+\)$/,
    );

    const first = await file('jpeg', 'first.jpg', caseId);
    await h.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: zhou, summary: '已紧固接头', evidence: [first.ref] }],
    });
    expect(statusOf(await page(token))).toMatchObject({
      progress: 'checking',
      label: '整改已完成，等待复查',
    });
    await h.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: false, notes: '仍在滴水' }] });
    const again = await page(token);
    expect(statusOf(again)).toMatchObject({ progress: 'fixing_again', label: '复查未通过，正在重新整改' });
    // The failed re-inspection reads as not yet fixed, not as "on time"; the reviewer's notes stay the staff's.
    expect(reviewLines(again)).toEqual([expect.stringMatching(/^复查：未通过，继续整改（.+）$/)]);
    expect(again).not.toContain('仍在滴水');

    // The second round's work: a photo, an internal document, and the reporter's own photo cited beside them.
    const after = await file('jpeg', 'after.jpg', caseId);
    const sheet = await file('pdf', 'work-order.pdf', caseId);
    const reported = (await getReport(s.deps.aws, reportId))!.evidence[0]!;
    await h.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: zhou, summary: '已更换接头并试水', evidence: [after.ref, sheet.ref, reported] }],
    });
    await h.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: '复查合格' }] });
    expect((await h.query(caseViewQuery)).stage).toBe('follow_up');

    const res = await s.app.request(`/t/${token}`);
    const done = await res.text();
    expect(statusOf(done)).toEqual({ status: 'case', progress: 'rate', label: '已处理完毕，待您评价' });
    expect(done).not.toContain('已立案处理');
    expect(done).toContain('id="survey"');
    const lines = reviewLines(done);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^第 1 次复查：未通过，继续整改（.+）$/);
    expect(lines[1]).toMatch(/^第 2 次复查：已通过（.+）$/);
    for (const line of lines) expect(line).not.toContain('按时完成');

    // The result shows the photo of the work that passed, by a short-lived signed address the CSP
    // allows; not the first round's, not the document, not the reporter's own photo.
    const result = done.slice(
      done.indexOf('data-result'),
      done.indexOf('</section>', done.indexOf('data-result')),
    );
    expect(result).toContain('已更换接头并试水');
    const thumbs = [...result.matchAll(/<a href="([^"]+)"><img src="\1" alt="整改后的照片 (\d)"/g)].map(
      (m) => new URL(m[1]!.replaceAll('&amp;', '&')),
    );
    expect(thumbs).toHaveLength(1);
    expect(thumbs[0]!.pathname).toContain(after.evidenceId);
    expect(Number(thumbs[0]!.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    expect(res.headers.get('content-security-policy')).toContain(thumbs[0]!.origin);
    for (const hidden of [first.evidenceId, sheet.evidenceId]) expect(done).not.toContain(hidden);

    const en = await page(token, 'en');
    expect(statusOf(en).label).toBe('Done; waiting for your rating');
    expect(reviewLines(en)).toEqual([
      expect.stringMatching(/^Re-inspection 1: not yet fixed, being fixed again \(.+\)$/),
      expect.stringMatching(/^Re-inspection 2: passed \(.+\)$/),
    ]);
    expect(en).toContain('alt="Photo after the work 1"');

    // Rated: resolved, the photos still there.
    const rated = await s.app.request(`/t/${token}/survey`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ attitude: '5', quality: '5', cleanup: '5' }),
    });
    expect(rated.status).toBe(303);
    await expect.poll(async () => (await h.query(caseViewQuery)).stage, { timeout: 20_000 }).toBe('closed');
    const closed = await page(token);
    expect(statusOf(closed)).toEqual({ status: 'resolved', progress: undefined, label: '已办结' });
    expect(closed).toContain('data-result-photos');
  });

  it('a report merged into a running case says so, and where that case stands', async () => {
    const firstToken = await report(roomCode('A206'), { kind: 'repair', description: '窗户关不上' });
    const firstId = await reportIdOf(firstToken);
    const opened = await triage('sup-wang', firstId, {
      action: 'case',
      assigneeId: 'staff-zhou',
      severity: 'routine',
    });
    expect(opened.status).toBe(303);
    const caseId = (await getReport(s.deps.aws, firstId))?.caseId;
    if (!caseId) throw new Error('the first report opened no case');
    const token = await report(roomCode('A206'), { kind: 'repair', description: '窗户坏了关不严' });
    const id = await reportIdOf(token);
    expect((await triage('sup-wang', id, { action: 'merge', caseId })).status).toBe(303);
    const html = await page(token);
    expect(statusOf(html)).toEqual({
      status: 'merged',
      progress: 'arranging',
      label: '已并入同一问题的案件',
    });
    expect(html).toMatch(/<p data-case-progress="true">案件进度：已受理，正在安排处理<\/p>/);
  });
});
