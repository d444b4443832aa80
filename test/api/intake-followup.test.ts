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
import { actionPath, call, formFields, postForm, startApiStack, type ApiStack } from './harness.ts';

/**
 * The reporter's follow-up from the tracking page (issue 14): a reporter who left no email is
 * the case's reporter all the same; a merged report's rating stays its own; merges are checked
 * on the server; the page shows the promises and the result; a form sent twice keeps one report.
 */
let s: ApiStack;
let address = 0;
const nextAddress = () => `203.0.113.${++address}`;

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

const roomCode = (roomId: string, floorId = 'a-f2') => placeCode({ buildingId: 'bldg-a', floorId, roomId });

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

const report = (code: string, fields: Record<string, string>, ip = nextAddress()) =>
  s.app.request(`/r/${code}`, { method: 'POST', body: form(fields), headers: { 'x-forwarded-for': ip } });

const tokenOf = (res: Response) =>
  /^\/t\/([A-Za-z0-9_-]{32})\?new=1$/.exec(res.headers.get('location') ?? '')?.[1];

async function reportIdOf(token: string): Promise<string> {
  const page = await (await s.app.request(`/t/${token}`)).text();
  return /RP-[0-9A-Z]{10}/.exec(page)![0];
}

async function triage(personId: string, reportId: string, fields: Record<string, string>, lang = '') {
  const sess = await createSession(s.deps.aws, { personId, via: 'link' });
  return s.app.request(`/app/triage/${reportId}${lang}`, {
    method: 'POST',
    headers: {
      cookie: `rectify_session=${sess.id}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
    },
    body: new URLSearchParams({ ...fields, _csrf: sess.csrfToken }),
  });
}

const survey = (token: string, fields: Record<string, string>) =>
  s.app.request(`/t/${token}/survey`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });

const sup = { id: 'sup-wang', roles: ['supervisor' as const], via: 'api' as const };
const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };

/** Runs a case from triage to the passed review. */
async function toReview(caseId: string) {
  const h = s.deps.temporal.workflow.getHandle(caseId);
  await h.executeUpdate(submitRootCauseUpdate, {
    args: [{ actor: sup, causes: ['老化'], responsibleId: 'staff-zhou', plan: '更换' }],
  });
  await h.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
  await h.executeUpdate(reportRectificationUpdate, {
    args: [{ actor: zhou, summary: '已更换新的水龙头并清理现场', evidence: ['x.jpg'] }],
  });
  return {
    h,
    view: await h.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: '复查合格' }] }),
  };
}

describe('a reporter who left no email', () => {
  it('is the case’s reporter: the case waits in follow-up, the tracking page shows the promises and the result, and a low score reopens it', async () => {
    const token = tokenOf(await report(roomCode('A201'), { kind: 'repair', description: '水龙头漏水' }))!;
    const reportId = await reportIdOf(token);
    expect(
      (await triage('sup-wang', reportId, { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' }))
        .status,
    ).toBe(303);
    const caseId = (await getReport(s.deps.aws, reportId))!.caseId!;
    const h = s.deps.temporal.workflow.getHandle(caseId);
    expect((await h.query(caseViewQuery)).reporter).toMatchObject({ reportId });
    // The promises: the case clocks, with their due and state.
    const open = await (await s.app.request(`/t/${token}`)).text();
    expect(open).toMatch(/<li data-clock="[a-z_]+" data-state="pending">[^<]*：/);
    // In English the promise and its due are said once apart: no colon inside the promise.
    const openEn = await (await s.app.request(`/t/${token}?lang=en`)).text();
    expect(openEn).toMatch(
      /<li data-clock="on_site_arrival" data-state="pending">General repair, on site within 2 hours: [^:<]+\d:\d\d/,
    );
    const { view } = await toReview(caseId);
    expect(view.stage).toBe('follow_up');
    const page = await (await s.app.request(`/t/${token}`)).text();
    expect(page).toContain('data-result');
    expect(page).toContain('已更换新的水龙头并清理现场');
    // The reviewer's own notes are for the staff, not the public page.
    expect(page).not.toContain('复查合格');
    expect(page.indexOf('data-result')).toBeLessThan(page.indexOf('name="attitude"'));
    // Only digits 1–5 are scores.
    expect((await survey(token, { attitude: '0x5', quality: '5', cleanup: '5' })).status).toBe(400);
    expect((await survey(token, { attitude: '1', quality: '2', cleanup: '1' })).status).toBe(303);
    await expect
      .poll(async () => (await h.query(caseViewQuery)).followUp?.outcome, { timeout: 20_000 })
      .toBe('reopened');
    const after = await h.query(caseViewQuery);
    expect(after.timeline.find((e) => e.action === 'follow_up_low_score')?.actorId).toBe(
      `reporter:${reportId}`,
    );
  });
});

describe('a merged report’s rating', () => {
  it('stays on that report: the case is not reopened and nobody else is named', async () => {
    const email = `${uniqueId('own')}@students.demo.edu.cn`;
    const first = tokenOf(
      await report(roomCode('A202'), { kind: 'repair', description: '灯坏了', contact: email }),
    )!;
    const firstId = await reportIdOf(first);
    await triage('sup-wang', firstId, { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' });
    const caseId = (await getReport(s.deps.aws, firstId))!.caseId!;
    const second = tokenOf(await report(roomCode('A202'), { kind: 'repair', description: '灯还是坏的' }))!;
    const secondId = await reportIdOf(second);
    expect((await triage('sup-wang', secondId, { action: 'merge', caseId })).status).toBe(303);
    const { h } = await toReview(caseId);
    const page = await (await s.app.request(`/t/${second}`)).text();
    expect(page).toContain('data-merged-survey');
    expect((await survey(second, { attitude: '1', quality: '1', cleanup: '1' })).status).toBe(303);
    expect((await getReport(s.deps.aws, secondId))!.survey?.scores.quality).toBe(1);
    await new Promise((r) => setTimeout(r, 1500));
    const view = await h.query(caseViewQuery);
    expect(view.stage).toBe('follow_up');
    expect(view.timeline.some((e) => e.action === 'follow_up_low_score')).toBe(false);
    expect(await (await s.app.request(`/t/${second}`)).text()).toContain('仅记录在本报告上');
  });
});

describe('merging is checked on the server', () => {
  it('refuses a case in another building, at another room or of another kind, in the reader’s language', async () => {
    const opened = await call(s.app, 'POST', '/api/cases', {
      as: 'sup-li',
      body: {
        title: 'B 楼报修',
        description: '门坏了',
        source: 'repair',
        severity: 'routine',
        category: 'repair',
        location: { buildingId: 'bldg-b' },
        assigneeId: 'staff-zhou',
      },
    });
    expect(opened.status).toBe(201);
    const elsewhere = ((await opened.json()) as { caseId: string }).caseId;
    const token = tokenOf(await report(roomCode('A203'), { kind: 'repair', description: '窗户关不上' }))!;
    const id = await reportIdOf(token);
    const refused = await triage('sup-wang', id, { action: 'merge', caseId: elsewhere });
    expect(refused.status).toBe(422);
    const text = await refused.text();
    expect(text).toContain('只能并入同一地点的案件');
    expect(text).not.toContain('只有案件相关人员可以评论');
    const en = await triage('sup-wang', id, { action: 'merge', caseId: elsewhere }, '?lang=en');
    expect(await en.text()).toContain('a report merges only into a case at the same place');
    // Another room of the same building, and a laundry complaint into a repair case.
    const other = tokenOf(await report(roomCode('A204'), { kind: 'repair', description: '床板断了' }))!;
    const otherId = await reportIdOf(other);
    await triage('sup-wang', otherId, { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' });
    const a304 = (await getReport(s.deps.aws, otherId))!.caseId!;
    expect(await (await triage('sup-wang', id, { action: 'merge', caseId: a304 })).text()).toContain(
      '只能并入同一地点的案件',
    );
    const complaint = tokenOf(
      await report(roomCode('A204'), { kind: 'complaint', description: '维修工态度差' }),
    )!;
    const complaintId = await reportIdOf(complaint);
    const kind = await triage('sup-wang', complaintId, { action: 'merge', caseId: a304 });
    expect(kind.status).toBe(422);
    expect(await kind.text()).toContain('只能并入同一类别的案件');
    expect((await getReport(s.deps.aws, complaintId))!.status).toBe('received');
  });

  it('an unknown report is the app’s 404 page; an assignee who is not staff is named as such', async () => {
    const none = await triage('sup-wang', 'RP-0000000000', { action: 'reject', reason: 'x' });
    expect(none.status).toBe(404);
    expect(none.headers.get('content-type')).toContain('text/html');
    expect(await none.text()).toContain('没有这份报告');
    const token = tokenOf(await report(roomCode('A205'), { kind: 'repair', description: '桌子坏了' }))!;
    const id = await reportIdOf(token);
    const lead = await triage('sup-wang', id, {
      action: 'case',
      assigneeId: 'lead-huang',
      severity: 'routine',
    });
    expect(lead.status).toBe(422);
    const text = await lead.text();
    expect(text).toContain('不是员工');
    expect(text).not.toContain('位置或指派人不在校园名录中');
  });
});

describe('the report form', () => {
  it('keeps one report for a form sent twice, and answers the second with the first’s tracking page', async () => {
    const page = await (await s.app.request(`/r/${roomCode('A208')}`)).text();
    const key = /name="submissionKey" value="([^"]+)"/.exec(page)![1]!;
    const fields = { kind: 'repair', description: '暖气不热', submissionKey: key };
    const ip = nextAddress();
    const [a, b] = await Promise.all([
      report(roomCode('A208'), fields, ip),
      report(roomCode('A208'), fields, ip),
    ]);
    expect(a.status).toBe(303);
    expect(b.status).toBe(303);
    expect(tokenOf(a)).toBe(tokenOf(b));
    const c = await report(roomCode('A208'), fields, ip);
    expect(tokenOf(c)).toBe(tokenOf(a));
    // An altered key is refused with the form again, not silently taken.
    expect((await report(roomCode('A208'), { ...fields, submissionKey: 'x<>' }, ip)).status).toBe(400);
  });

  it('keeps the language it was read in: an English report is told and tracked in English first', async () => {
    const code = roomCode('A210');
    expect(await (await s.app.request(`/r/${code}?lang=en`)).text()).toContain('name="lang" value="en"');
    // Sent with no remembered choice or browser language: the form's own field says which it was.
    const refused = await report(code, { kind: 'repair', description: ' ', lang: 'en' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Description: please fill this in');
    const email = `${uniqueId('visitor')}@example.org`;
    const res = await report(code, {
      kind: 'repair',
      description: 'The radiator is cold',
      contact: email,
      lang: 'en',
    });
    expect(res.status).toBe(303);
    const token = tokenOf(res)!;
    const reportId = await reportIdOf(token);
    expect((await getReport(s.deps.aws, reportId))?.language).toBe('en');
    const received = async () => (await sentEmails((e) => e.to.includes(email)))[0];
    await expect.poll(received, { timeout: 30_000 }).toBeDefined();
    const mail = (await received())!;
    expect(mail.subject.startsWith(`[Rectify] ${reportId} Received`)).toBe(true);
    expect(mail.text.split('\n')[0]).toBe('Hello,');
    // The tracking link, opened from the mail anywhere, is in English unless its reader chooses.
    expect(await (await s.app.request(`/t/${token}`)).text()).toContain('<html lang="en">');
    expect(await (await s.app.request(`/t/${token}?lang=zh-CN`)).text()).toContain('<html lang="zh-CN">');
    const remembered = await s.app.request(`/t/${token}`, { headers: { cookie: 'rectify_lang=zh-CN' } });
    expect(await remembered.text()).toContain('<html lang="zh-CN">');
    // The Chinese form, as before: Chinese first.
    const zh = tokenOf(await report(code, { kind: 'repair', description: '暖气不热', lang: 'zh-CN' }))!;
    expect((await getReport(s.deps.aws, await reportIdOf(zh)))?.language).toBe('zh-CN');
    expect(await (await s.app.request(`/t/${zh}`)).text()).toContain('<html lang="zh-CN">');
  });

  it('takes a code in lower case', async () => {
    const res = await s.app.request(`/r/${roomCode('A208').toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`action="/r/${roomCode('A208')}"`);
  });

  it('over the address limit: Retry-After, the way back and what was typed', async () => {
    const ip = nextAddress();
    for (let i = 0; i < 10; i++)
      expect((await report(roomCode('A209'), { kind: 'repair', description: `第${i}次` }, ip)).status).toBe(
        303,
      );
    const over = await report(roomCode('A209'), { kind: 'repair', description: '第十一次的描述' }, ip);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    const html = await over.text();
    expect(html).toContain('第十一次的描述');
    expect(html).toContain(`action="/r/${roomCode('A209')}"`);
  });

  it('later notices carry the tracking link', async () => {
    const email = `${uniqueId('tl')}@students.demo.edu.cn`;
    const token = tokenOf(
      await report(roomCode('A210'), { kind: 'suggestion', description: '建议加装晾衣架', contact: email }),
    )!;
    const id = await reportIdOf(token);
    await triage('sup-wang', id, { action: 'reject', reason: '已转后勤处' });
    await expect
      .poll(
        async () => (await sentEmails((e) => e.to.includes(email) && e.subject.includes('未受理'))).length,
      )
      .toBe(1);
    const told = (await sentEmails((e) => e.to.includes(email) && e.subject.includes('未受理')))[0]!;
    expect(told.text).toContain(`/t/${token}`);
  });
});

describe('the emailed rating', () => {
  it('asks the same three aspects as the tracking page; the lowest is the case’s score', async () => {
    const email = `${uniqueId('rl')}@students.demo.edu.cn`;
    const token = tokenOf(
      await report(roomCode('A201', 'a-f2'), { kind: 'repair', description: '插座松动', contact: email }),
    )!;
    const id = await reportIdOf(token);
    await triage('sup-wang', id, { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' });
    const caseId = (await getReport(s.deps.aws, id))!.caseId!;
    const { h } = await toReview(caseId);
    await expect
      .poll(async () => (await sentEmails((e) => e.to.includes(email) && e.subject.includes(caseId))).length)
      .toBeGreaterThan(0);
    const mail = (await sentEmails((e) => e.to.includes(email) && e.subject.includes(caseId)))[0]!;
    // The result mail links the report's tracking page too, where the reporter follows it.
    expect(mail.text).toContain(`查看处理进度：http`);
    expect(mail.text).toContain(`/t/${token}`);
    const path = actionPath(mail);
    const html = await (await s.app.request(path)).text();
    for (const a of ['attitude', 'quality', 'cleanup']) expect(html).toContain(`name="${a}"`);
    expect(html).not.toContain('name="score"');
    const partial = await postForm(s.app, path, { ...formFields(html), attitude: '5', quality: '0x5' });
    expect(partial.status).toBe(422);
    const rated = await postForm(s.app, path, {
      ...formFields(html),
      attitude: '5',
      quality: '2',
      cleanup: '4',
      comment: '又坏了',
    });
    expect(rated.status).toBe(200);
    const view = await h.query(caseViewQuery);
    expect(view.followUp).toMatchObject({ outcome: 'reopened', score: 2 });
    expect(view.followUp?.comment).toContain('维修质量 Quality of the work 2/5');
    expect(view.followUp?.comment).toContain('又坏了');
  });
});

describe('the code sheets page', () => {
  it('links every sheet of a building', async () => {
    const sess = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const html = await (
      await s.app.request('/app/admin/qr', { headers: { cookie: `rectify_session=${sess.id}` } })
    ).text();
    const places = (
      (await (await s.app.request('/api/places?buildingId=bldg-a')).json()) as { items: unknown[] }
    ).items.length;
    const sheets = Math.ceil(places / 12);
    expect(sheets).toBeGreaterThan(1);
    for (let n = 1; n <= sheets; n++) expect(html).toContain(`/app/admin/qr/bldg-a/sheet-${n}.svg`);
    expect(html).not.toContain(`/app/admin/qr/bldg-a/sheet-${sheets + 1}.svg`);
  });

  it('downloads a building’s sheets as one PDF, a page per SVG sheet, to the people the page serves', async () => {
    const sup = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const cookie = `rectify_session=${sup.id}`;
    const list = await (await s.app.request('/app/admin/qr', { headers: { cookie } })).text();
    expect(list).toContain('href="/app/admin/qr/bldg-a/codes.pdf"');
    expect(list).toContain('下载 PDF');
    expect(list).toContain('href="/app/admin/qr/bldg-a/print"');

    const res = await s.app.request('/app/admin/qr/bldg-a/codes.pdf', { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="bldg-a-codes.pdf"');
    const pdf = Buffer.from(await res.arrayBuffer()).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    const places = (
      (await (await s.app.request('/api/places?buildingId=bldg-a')).json()) as { items: unknown[] }
    ).items.length;
    let svgSheets = 0;
    let svgCodes = 0;
    for (;;) {
      const svg = await s.app.request(`/app/admin/qr/bldg-a/sheet-${svgSheets + 1}.svg`, {
        headers: { cookie },
      });
      if (svg.status !== 200) break;
      svgSheets++;
      svgCodes += ((await svg.text()).match(/扫码报告问题 · /g) ?? []).length;
    }
    expect(svgCodes).toBe(places);
    expect(pdf.match(/\/Type\s*\/Page\b(?!s)/g)?.length).toBe(svgSheets);

    const staff = await createSession(s.deps.aws, { personId: 'staff-zhou', via: 'link' });
    const refused = await s.app.request('/app/admin/qr/bldg-a/codes.pdf', {
      headers: { cookie: `rectify_session=${staff.id}`, accept: 'text/html' },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('text/html');
    const missing = await s.app.request('/app/admin/qr/bldg-zz/codes.pdf', {
      headers: { cookie, accept: 'text/html' },
    });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('没有楼栋 bldg-zz');
  });
});

describe('the document', () => {
  it('states the form fields of POST /r/{code} and POST /t/{token}/survey', async () => {
    const doc = (await (await s.app.request('/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >;
    };
    const report = JSON.stringify(doc.paths['/r/{code}']!.post!.requestBody!.content['multipart/form-data']);
    for (const f of ['kind', 'description', 'contact', 'photo', 'submissionKey', 'lang'])
      expect(report).toContain(`"${f}"`);
    const survey = JSON.stringify(
      doc.paths['/t/{token}/survey']!.post!.requestBody!.content['application/x-www-form-urlencoded'],
    );
    for (const f of ['attitude', 'quality', 'cleanup', 'comment']) expect(survey).toContain(`"${f}"`);
  });
});
