import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { reporterActorId, type CaseInput } from '../../domain/case-model.ts';
import { listPlaces, placeCode } from '../../domain/places.ts';
import { reportTriageWorkflowId } from '../../domain/report-triage.ts';
import { slaCatalogue } from '../../domain/sla.ts';
import type { ReportTriageState } from '../../workflows/report-triage/messages.ts';
import { createSession } from '../../store/sessions.ts';
import { withdrawUpdate } from '../../workflows/rectification-case/messages.ts';
import { claimTriage, getReport, rateWindow, TRIAGE_CLAIM_MS, triageQueue } from '../../store/reports.ts';
import { openNewCase } from '../../api/case-service.ts';
import { triageKey } from '../../api/pages/app/triage.tsx';
import { formatTime } from '../../api/pages/ui.tsx';
import { parseEvidenceRef } from '../../store/evidence.ts';
import { listCases } from '../../store/case-lists.ts';
import {
  caseViewQuery,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitFollowUpUpdate,
  submitRootCauseUpdate,
} from '../../workflows/rectification-case/messages.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { sentEmails, uniqueId } from '../support/stack.ts';
import { call, startApiStack, type ApiStack } from './harness.ts';

/**
 * A person scans a printed code, reports with a photo, and follows the report
 * through triage to the survey; merge, reject and withdraw tell the reporter
 * why; the abuse limits and hostile uploads are refused.
 */
let s: ApiStack;
// Each test reports from its own address so the per-address limit is tested on its own.
let address = 0;
const nextAddress = () => `198.51.100.${++address}`;

beforeAll(async () => {
  s = await startApiStack();
});
afterAll(async () => {
  await s?.stop();
});

const roomCode = (roomId: string, floorId = 'a-f1') => placeCode({ buildingId: 'bldg-a', floorId, roomId });

async function report(
  code: string,
  fields: Record<string, string>,
  o: { photos?: File[]; ip?: string } = {},
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const p of o.photos ?? []) form.append('photo', p);
  return s.app.request(`/r/${code}`, {
    method: 'POST',
    body: form,
    headers: { 'x-forwarded-for': o.ip ?? nextAddress() },
  });
}

const tokenOf = (res: Response) =>
  /^\/t\/([A-Za-z0-9_-]{32})\?new=1$/.exec(res.headers.get('location') ?? '')?.[1];

async function session(personId: string) {
  const sess = await createSession(s.deps.aws, { personId, via: 'link' });
  return { cookie: `rectify_session=${sess.id}`, csrf: sess.csrfToken };
}

async function triage(personId: string, reportId: string, fields: Record<string, string>) {
  const who = await session(personId);
  return s.app.request(`/app/triage/${reportId}`, {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: who.csrf }),
  });
}

async function reportIdOf(token: string): Promise<string> {
  const page = await (await s.app.request(`/t/${token}`)).text();
  return /RP-[0-9A-Z]{10}/.exec(page)![0];
}

const photo = (bytes: Buffer, name: string, type: string) => new File([bytes], name, { type });

/**
 * The abuse limits count in fixed clock-hour windows: a burst that straddles the hour would
 * split across two and never reach its limit, so a limit test starts well inside an hour.
 */
async function awayFromHourEdge(): Promise<void> {
  const intoHour = Date.now() % 3_600_000;
  if (intoHour > 3_600_000 - 90_000) await new Promise((r) => setTimeout(r, 3_600_000 - intoHour + 1_000));
}

/** The input the case workflow was started with (its first history event). */
async function caseInputOf(caseId: string): Promise<CaseInput> {
  const history = await s.deps.temporal.workflow.getHandle(caseId).fetchHistory();
  const data = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
  return JSON.parse(new TextDecoder().decode(data!)) as CaseInput;
}

/** What the report's chase (the run that escalates it until triage) ended with. */
const chaseOf = (reportId: string) =>
  s.deps.temporal.workflow.getHandle(reportTriageWorkflowId(reportId)).result() as Promise<ReportTriageState>;

/** Every page of the person's triage queue, following its next-page links (others' reports may wait before this file's). */
async function triagePages(cookie: string): Promise<string> {
  const pages: string[] = [];
  for (let path: string | undefined = '/app/triage'; path;) {
    const html = await (await s.app.request(path, { headers: { cookie } })).text();
    pages.push(html);
    path = /href="([^"]+)" rel="next"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
  }
  return pages.join('\n');
}

/** The emails sent to one address about one report, newest last. */
const mailsAbout = (to: string, reportId: string) =>
  sentEmails((e) => e.to.includes(to) && e.subject.includes(reportId));

describe('places with codes', () => {
  it('lists every building, floor, room and public area with a stable code', async () => {
    const res = await s.app.request('/api/places?buildingId=bldg-a');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      items: { code: string; kind: string; location: { roomId?: string } }[];
    };
    const a101 = body.items.find((p) => p.location.roomId === 'A101')!;
    expect(a101.code).toBe(roomCode('A101'));
    expect(new Set(body.items.map((p) => p.kind))).toEqual(new Set(['building', 'floor', 'room']));
    const all = (await (await s.app.request('/api/places')).json()) as {
      items: { kind: string; code: string }[];
    };
    expect(new Set(all.items.map((p) => p.code)).size).toBe(all.items.length);
    expect(listPlaces(s.dir).length).toBe(all.items.length);
  });

  it('an unknown building is a 404 problem in the caller’s language, a malformed id a 400', async () => {
    for (const [lang, detail] of [
      ['zh-CN', /没有楼栋/],
      ['en', /no building/],
    ] as const) {
      const res = await s.app.request(`/api/places?buildingId=nope&lang=${lang}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
    }
    const bad = await s.app.request('/api/places?buildingId=%20x');
    expect(bad.status).toBe(400);
    const badErrors = ((await bad.json()) as { errors: { field: string; message: string }[] }).errors;
    expect(badErrors[0]?.field).toBe('buildingId');
    // Said in the caller's language, naming what an id looks like (it was English "not an id").
    expect(badErrors[0]?.message).toBe('须为名录中楼栋或区域的编号，如 bldg-a');
  });

  it('opens a mobile report form with the place filled in, and 404 for an unknown code', async () => {
    const page = await s.app.request(`/r/${roomCode('A101')}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('A101');
    expect(html).toContain('name="viewport"');
    // A photo taken earlier can be chosen: no `capture`, which opens the camera at once on Android.
    expect(html).toMatch(/<input[^>]*name="photo"[^>]*>/);
    expect(/<input[^>]*name="photo"[^>]*>/.exec(html)![0]).not.toContain('capture');
    expect(html).toContain('可拍照或从相册选择');
    const en = await (await s.app.request(`/r/${roomCode('A101')}?lang=en`)).text();
    expect(en).toContain('Take a photo or choose one from the gallery');
    expect(html).toContain(`<strong>地点：</strong>`);
    expect(html).toContain(`（${roomCode('A101')}）`);
    expect((await s.app.request('/r/ZZZZZZZZ')).status).toBe(404);
  });

  it('writes English with ASCII punctuation: the place line and a field’s error', async () => {
    const code = roomCode('A101');
    const html = await (await s.app.request(`/r/${code}?lang=en`)).text();
    const form = html.slice(html.indexOf('<form'), html.indexOf('</form>'));
    expect(form).toContain('<strong>Place: </strong>');
    expect(form).toContain(`<span class="muted">(${code})</span>`);
    expect(form).not.toMatch(/[：（）]/);
    const refused = await s.app.request(`/r/${code}?lang=en`, {
      method: 'POST',
      body: new URLSearchParams({ kind: 'repair', description: ' ' }),
      headers: { 'x-forwarded-for': nextAddress() },
    });
    expect(refused.status).toBe(400);
    const again = await refused.text();
    expect(again).toContain('Description: please fill this in');
    expect(again.slice(again.indexOf('<form'), again.indexOf('</form>'))).not.toMatch(/[：（）]/);
  });
});

describe('report → triage → case → tracking → survey', () => {
  it('runs the whole path and the reporter hears back at each step', async () => {
    const email = `${uniqueId('rep')}@students.demo.edu.cn`;
    const res = await report(
      roomCode('A103'),
      { kind: 'repair', description: '卫生间灯不亮', name: '李同学', contact: email },
      { photos: [photo(fakeFiles.jpeg(), 'lamp.jpg', 'image/jpeg')] },
    );
    expect(res.status).toBe(303);
    const token = tokenOf(res)!;
    expect(token).toBeDefined();
    const tracking = await (await s.app.request(`/t/${token}?new=1`)).text();
    expect(tracking).toContain('已收到');
    const reportId = await reportIdOf(token);
    const saved = (await getReport(s.deps.aws, reportId))!;
    expect(saved.evidence[0]).toMatch(/^evidence:ev_[A-Za-z0-9_-]{16}#sha256=[0-9a-f]{64}$/);
    expect((await sentEmails((e) => e.to.includes(email))).some((e) => e.subject.includes(reportId))).toBe(
      true,
    );
    // The report's chase runs from the moment it arrives (its reminders are hours away).
    const chase = await s.deps.temporal.workflow.getHandle(reportTriageWorkflowId(reportId)).describe();
    expect(chase.status.name).toBe('RUNNING');
    expect(tracking).toContain('报告时间');

    // The building's supervisor sees it in the queue, a staff member does not triage.
    const sup = await session('sup-wang');
    const queue = await triagePages(sup.cookie);
    expect(queue).toContain(reportId);
    // The report's photo opens for the building's triage, through the triage page's own check.
    const photoId = /evidence:(ev_[A-Za-z0-9_-]{16})/.exec(saved.evidence[0]!)![1]!;
    const photoPath = `/app/triage/${reportId}/photos/${photoId}`;
    expect(queue).toContain(photoPath);
    const opened = await s.app.request(photoPath, { headers: { cookie: sup.cookie } });
    expect(opened.status).toBe(302);
    expect(opened.headers.get('location')).toContain('X-Amz-Signature');
    const staff = await session('staff-zhou');
    expect((await s.app.request(photoPath, { headers: { cookie: staff.cookie } })).status).toBe(403);
    expect((await triage('staff-zhou', reportId, { action: 'reject', reason: 'x' })).status).toBe(403);

    const made = await triage('sup-wang', reportId, {
      action: 'case',
      assigneeId: 'staff-zhou',
      severity: 'routine',
    });
    expect(made.status).toBe(303);
    const triaged = (await getReport(s.deps.aws, reportId))!;
    expect(triaged.status).toBe('case');
    const caseId = triaged.caseId!;
    expect(caseId).toMatch(/^ZG-\d{4}-\d{6}$/);
    // The queue says what became of the report, with the case's number and a link to it.
    const back = made.headers.get('location')!;
    expect(back).toBe(`/app/triage?decided=${reportId}`);
    const landed = await (await s.app.request(back, { headers: { cookie: sup.cookie } })).text();
    expect(landed).toContain(`已立案 <a href="/app/cases/${caseId}">${caseId}</a>`);
    const inEnglish = await (
      await s.app.request(`${back}&lang=en`, { headers: { cookie: sup.cookie } })
    ).text();
    expect(inEnglish).toContain(`Case <a href="/app/cases/${caseId}">${caseId}</a> opened`);
    // Nobody else learns of it from the link, and a report number that is not one is a 400.
    const other = await session('sup-li');
    const elsewhere = await s.app.request(back, { headers: { cookie: other.cookie } });
    expect(await elsewhere.text()).not.toContain('data-decided');
    const notAReport = await s.app.request('/app/triage?decided=ZG-2026-000001', {
      headers: { cookie: sup.cookie },
    });
    expect(notAReport.status).toBe(400);
    expect(await notAReport.text()).toContain('不是报告编号');
    // A repair's triage is told on arrival (its case's on-site clock runs from the report), held
    // to working hours; triage stopped the chase before any reminder. The case's clocks may start
    // at the report's own time.
    const ended = await chaseOf(reportId);
    expect(ended).toMatchObject({ outcome: 'triaged' });
    expect(ended.plan[0]).toMatchObject({ kind: 'arrival', rung: 'triage' });
    expect(ended.sent.filter((i) => i !== 0)).toEqual([]);
    const input = await caseInputOf(caseId);
    expect(input.reportedAt).toBe(saved.receivedAt);
    // The description gives the report's time on the campus clock; its photo reference stays as it was.
    const receivedOnCampus = formatTime(saved.receivedAt, s.deps.env.CAMPUS_TZ);
    expect(receivedOnCampus).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(input.description).toContain(`扫码报告 / Scanned report ${reportId}，${receivedOnCampus}`);
    expect(input.description).not.toContain(saved.receivedAt);
    expect(input.description).toContain(`照片 / Photos: ${saved.evidence[0]}`);
    expect(Date.parse(input.reportedAt!)).toBeLessThan(Date.parse(input.openedAt));
    const casePage = await (
      await s.app.request(`/app/cases/${caseId}`, { headers: { cookie: sup.cookie } })
    ).text();
    expect(casePage).toContain(`data-report="${reportId}"`);
    expect(casePage).toContain('报告时间');
    // The title is stored with the kind in the description's language; an English page names the kind in English.
    expect(input.title).toBe('报修：卫生间灯不亮');
    expect(casePage).toContain(`<h1>${caseId} · 报修：卫生间灯不亮</h1>`);
    const casePageEn = await (
      await s.app.request(`/app/cases/${caseId}?lang=en`, { headers: { cookie: sup.cookie } })
    ).text();
    expect(casePageEn).toContain(`<h1>${caseId} · Repair: 卫生间灯不亮</h1>`);
    // The reporter hears the case was opened, with its number.
    await expect
      .poll(async () => (await mailsAbout(email, reportId)).map((m) => m.text).join('\n'))
      .toContain(caseId);
    // A second triage of the same report changes nothing, and says why above the queue.
    const second = await triage('sup-wang', reportId, { action: 'reject', reason: 'late' });
    expect(second.status).toBe(409);
    expect(await second.text()).toContain(
      `报告 ${reportId} 已由您处理：已立案 ${caseId}。您这次的提交没有执行`,
    );
    expect((await getReport(s.deps.aws, reportId))!.status).toBe('case');
    expect(await (await s.app.request(`/t/${token}`)).text()).toContain(caseId);
    // Its steps' deadlines by each step's name in a student's words: in Chinese, and in English with a capital and ASCII colon.
    const deadlinesOf = (html: string) =>
      [...html.matchAll(/<li data-step="[a-z_]+"[^>]*>(.*?)<\/li>/g)].map((m) => m[1]!);
    const zhDeadlines = deadlinesOf(await (await s.app.request(`/t/${token}`)).text());
    expect(zhDeadlines.some((li) => li.startsWith('查找原因：'))).toBe(true);
    const enDeadlines = deadlinesOf(await (await s.app.request(`/t/${token}?lang=en`)).text());
    expect(enDeadlines.some((li) => li.startsWith('Finding the cause: '))).toBe(true);
    for (const li of enDeadlines) expect(li).toMatch(/^[A-Z][a-z -]+(?:, round \d+| \d+)?: [^：]+$/);

    // The case runs to the reporter's follow-up.
    const h = s.deps.temporal.workflow.getHandle(caseId);
    const sup1 = { id: 'sup-wang', roles: ['supervisor' as const], via: 'api' as const };
    const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };
    await h.executeUpdate(submitRootCauseUpdate, {
      args: [{ actor: sup1, causes: ['灯管老化'], responsibleId: 'staff-zhou', plan: '更换' }],
    });
    await h.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
    await h.executeUpdate(reportRectificationUpdate, {
      args: [{ actor: zhou, summary: '已更换', evidence: ['x.jpg'] }],
    });
    const reviewed = await h.executeUpdate(reviewUpdate, {
      args: [{ actor: sup1, passed: true, notes: 'ok' }],
    });
    expect(reviewed.stage).toBe('follow_up');

    const survey = await (await s.app.request(`/t/${token}`)).text();
    expect(survey).toContain('name="attitude"');
    const bad = await s.app.request(`/t/${token}/survey`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ attitude: '9', quality: '5', cleanup: '5' }),
    });
    expect(bad.status).toBe(400);
    const rated = await s.app.request(`/t/${token}/survey`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ attitude: '5', quality: '2', cleanup: '4', comment: '灯又坏了' }),
    });
    expect(rated.status).toBe(303);
    expect((await getReport(s.deps.aws, reportId))!.survey?.scores).toEqual({
      attitude: 5,
      quality: 2,
      cleanup: 4,
    });
    // The lowest aspect (2) is a low score: the case goes back for review, as an emailed rating does.
    await expect
      .poll(async () => (await h.query(caseViewQuery)).followUp?.outcome, { timeout: 20_000 })
      .toBe('reopened');
    const again = await s.app.request(`/t/${token}/survey`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ attitude: '5', quality: '5', cleanup: '5' }),
    });
    expect(again.status).toBe(409);
  });
});

/** A report made a case and taken through to the reporter's follow-up. */
async function reportAtFollowUp(roomId: string) {
  const email = `${uniqueId('fu')}@students.demo.edu.cn`;
  const token = tokenOf(
    await report(roomCode(roomId, 'a-f2'), { kind: 'repair', description: '门把手松了', contact: email }),
  )!;
  const reportId = await reportIdOf(token);
  await triage('sup-wang', reportId, { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' });
  const caseId = (await getReport(s.deps.aws, reportId))!.caseId!;
  const h = s.deps.temporal.workflow.getHandle(caseId);
  const sup = { id: 'sup-wang', roles: ['supervisor' as const], via: 'api' as const };
  const zhou = { id: 'staff-zhou', roles: ['staff' as const], via: 'api' as const };
  await h.executeUpdate(submitRootCauseUpdate, {
    args: [{ actor: sup, causes: ['螺丝松动'], responsibleId: 'staff-zhou', plan: '紧固' }],
  });
  await h.executeUpdate(signOffUpdate, { args: [{ actor: zhou, decision: 'confirm' }] });
  await h.executeUpdate(reportRectificationUpdate, {
    args: [{ actor: zhou, summary: '已紧固', evidence: ['x.jpg'] }],
  });
  await h.executeUpdate(reviewUpdate, { args: [{ actor: sup, passed: true, notes: 'ok' }] });
  return { token, h };
}

const rate = (token: string, score: string) =>
  s.app.request(`/t/${token}/survey`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ attitude: score, quality: score, cleanup: score }),
  });

describe('the reporter rates once', () => {
  it('of five ratings sent at once one is kept and the others are told so; a case rated by the emailed link is not rated again here', async () => {
    const racing = await reportAtFollowUp('A206');
    // A comment far over its limit is told the limit, not "not in the expected form".
    const long = await s.app.request(`/t/${racing.token}/survey`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ attitude: '5', quality: '5', cleanup: '5', comment: '好'.repeat(2001) }),
    });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('最多 500 个字');
    const answers = await Promise.all(['1', '2', '3', '4', '5'].map((n) => rate(racing.token, n)));
    expect(answers.map((r) => r.status).sort()).toEqual([303, 409, 409, 409, 409]);

    const byLink = await reportAtFollowUp('A207');
    const reporter = (await byLink.h.query(caseViewQuery)).reporter;
    // The result mail greets a reporter who left no name plainly, and says where the report was made.
    const resultMail = async () =>
      (await sentEmails((e) => e.to.includes(reporter?.email ?? '-') && e.subject.includes('请您评价')))[0];
    await expect.poll(resultMail, { timeout: 30_000 }).toBeDefined();
    const result = (await resultMail())!;
    expect(result.text.split('\n')[0]).toBe('您好：');
    expect(result.text).toContain('您在学生公寓A栋 A207 反映的问题');
    expect(result.text).toContain('The problem you reported at Dormitory A, A207,');
    await byLink.h.executeUpdate(submitFollowUpUpdate, {
      args: [
        { actor: { id: reporterActorId(reporter)!, roles: [], via: 'link' }, score: 5, comment: '很好' },
      ],
    });
    const page = await (await s.app.request(`/t/${byLink.token}`)).text();
    expect(page).not.toContain('name="attitude"');
    expect(page).toContain('感谢您的评价，案件已按此办结：5/5');
    // The rating closed the case: the report reads as resolved, no longer "being handled".
    expect((await byLink.h.query(caseViewQuery)).stage).toBe('closed');
    expect(page).toContain('data-status="resolved"><strong>已办结</strong>');
    expect(page).not.toContain('已立案处理');
    const inEnglish = await (await s.app.request(`/t/${byLink.token}?lang=en`)).text();
    expect(inEnglish).toContain('<strong>Resolved</strong>');
    const late = await rate(byLink.token, '1');
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('您已评价过');
    expect((await byLink.h.query(caseViewQuery)).followUp).toMatchObject({ outcome: 'rated', score: 5 });
  });
});

describe('deciding a report once', () => {
  it('of three people deciding at once, one opens its case; a rejected report opens none; a merge comments once', async () => {
    // The cases a report opened: other files open cases in the same rooms of the shared tables.
    const casesFrom = async (reportId: string) =>
      (
        await listCases(s.deps.aws.ddb, s.deps.aws.tables, {
          filters: { buildingId: 'bldg-a' },
          limit: 100,
          keep: (v) => v.reporter?.reportId === reportId,
        })
      ).items;
    const raced = await reportIdOf(
      // Words of its own: the same text at the same place within minutes is taken as the same report,
      // and intake-followup.test.ts (same tables) reports 暖气不热 here.
      tokenOf(await report(roomCode('A208', 'a-f2'), { kind: 'repair', description: '暖气片不热' }))!,
    );
    const decide = { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' };
    const answers = await Promise.all(
      ['sup-wang', 'wg-chen', 'admin-xu'].map((who) => triage(who, raced, decide)),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([303, 409, 409]);
    const decided = (await getReport(s.deps.aws, raced))!;
    expect(decided.status).toBe('case');
    expect((await casesFrom(raced)).map((v) => v.caseId)).toEqual([decided.caseId]);

    // Rejected first, the report opens no case after.
    const rejected = await reportIdOf(
      tokenOf(await report(roomCode('A209', 'a-f2'), { kind: 'repair', description: '窗帘坏了' }))!,
    );
    expect((await triage('sup-wang', rejected, { action: 'reject', reason: '已自行修好' })).status).toBe(303);
    expect((await triage('wg-chen', rejected, decide)).status).toBe(409);
    expect(await casesFrom(rejected)).toEqual([]);

    // Merged twice (a double submit, or two people): one comment on the case.
    const merging = await reportIdOf(
      tokenOf(await report(roomCode('A208', 'a-f2'), { kind: 'repair', description: '暖气还是不热' }))!,
    );
    const both = await Promise.all(
      ['sup-wang', 'wg-chen'].map((who) =>
        triage(who, merging, { action: 'merge', caseId: decided.caseId! }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([303, 409]);
    const view = await s.deps.temporal.workflow.getHandle(decided.caseId!).query(caseViewQuery);
    expect(view.comments.filter((m) => m.text.includes(merging))).toHaveLength(1);

    // A merge the case refuses (the case is not there) gives the report back to the queue.
    const refused = await reportIdOf(
      tokenOf(await report(roomCode('A210', 'a-f2'), { kind: 'repair', description: '插座松动' }))!,
    );
    const missing = await triage('sup-wang', refused, { action: 'merge', caseId: 'ZG-2026-999999' });
    expect(missing.status).toBe(404);
    expect((await getReport(s.deps.aws, refused))!.status).toBe('received');
    expect((await triage('sup-wang', refused, decide)).status).toBe(303);
  });
});

describe('a triage decision that died after opening its case', () => {
  it('is found by the next claim once its own ran out: the report gets that case, not a second one', async () => {
    const reportId = await reportIdOf(
      tokenOf(await report(roomCode('A205', 'a-f2'), { kind: 'repair', description: '门锁坏了' }))!,
    );
    const received = (await getReport(s.deps.aws, reportId))!;
    // sup-wang's decision: claimed long enough ago that the claim has run out, its case opened
    // under its key, and the process gone before the decision was recorded.
    const wang = s.dir.people.find((p) => p.id === 'sup-wang')!;
    expect(
      await claimTriage(s.deps.aws, reportId, wang.id, Date.now() - TRIAGE_CLAIM_MS - 1_000),
    ).not.toBeNull();
    const first = await openNewCase(
      s.deps,
      { person: wang, actor: { id: wang.id, roles: wang.roles, via: 'api' } },
      {
        title: '报修：门锁坏了',
        description: '门锁坏了',
        source: 'repair',
        severity: 'routine',
        location: received.location,
        assigneeId: 'staff-zhou',
      },
      triageKey(reportId),
      'zh-CN',
    );
    expect((await getReport(s.deps.aws, reportId))!.status).toBe('received');

    const res = await triage('wg-chen', reportId, {
      action: 'case',
      assigneeId: 'staff-zhou',
      severity: 'major',
    });
    expect(res.status).toBe(303);
    const decided = (await getReport(s.deps.aws, reportId))!;
    expect(decided).toMatchObject({ status: 'case', caseId: first.view.caseId, triagedBy: 'sup-wang' });
    const cases = await listCases(s.deps.aws.ddb, s.deps.aws.tables, {
      filters: { buildingId: 'bldg-a' },
      limit: 100,
      keep: (v) => v.location.roomId === 'A205',
    });
    expect(cases.items.map((v) => v.caseId)).toEqual([first.view.caseId]);
  });
});

describe('a triage decision of one’s own that died after opening its case', () => {
  it('is found when the same person decides again, even to reject: no orphan case', async () => {
    const reportId = await reportIdOf(
      tokenOf(await report(roomCode('A206', 'a-f2'), { kind: 'repair', description: '窗户关不上' }))!,
    );
    const received = (await getReport(s.deps.aws, reportId))!;
    const wang = s.dir.people.find((p) => p.id === 'sup-wang')!;
    expect(
      await claimTriage(s.deps.aws, reportId, wang.id, Date.now() - TRIAGE_CLAIM_MS - 1_000),
    ).not.toBeNull();
    const first = await openNewCase(
      s.deps,
      { person: wang, actor: { id: wang.id, roles: wang.roles, via: 'api' } },
      {
        title: '报修：窗户关不上',
        description: '窗户关不上',
        source: 'repair',
        severity: 'routine',
        location: received.location,
        assigneeId: 'staff-zhou',
      },
      triageKey(reportId),
      'zh-CN',
    );
    // sup-wang comes back later and rejects it: the case his first decision opened stands.
    const res = await triage('sup-wang', reportId, { action: 'reject', reason: '重复报告' });
    expect(res.status).toBe(409);
    expect(await getReport(s.deps.aws, reportId)).toMatchObject({
      status: 'case',
      caseId: first.view.caseId,
      triagedBy: 'sup-wang',
    });
  });
});

describe('the photos of the report a case was opened from', () => {
  it('are cited in its steps (API and case page) and pass its audit; another report’s photo is still refused', async () => {
    const reported = async (roomId: string) => {
      const token = tokenOf(
        await report(
          roomCode(roomId, 'a-f2'),
          // Not intake-followup.test.ts's 窗户关不上 at A203: it would be taken as that report.
          { kind: 'repair', description: '窗户关不上，拍了照片' },
          { photos: [photo(fakeFiles.jpeg(), 'window.jpg', 'image/jpeg')] },
        ),
      )!;
      const reportId = await reportIdOf(token);
      return { reportId, ref: (await getReport(s.deps.aws, reportId))!.evidence[0]! };
    };
    const own = await reported('A203');
    const other = await reported('A204');
    await triage('sup-wang', own.reportId, { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' });
    const caseId = (await getReport(s.deps.aws, own.reportId))!.caseId!;
    // The case's description carries the report's photo, as the audit chain does from its first entry.
    expect((await s.deps.temporal.workflow.getHandle(caseId).query(caseViewQuery)).description).toContain(
      own.ref,
    );
    // The case page shows it as the report's photo, a thumbnail, the reference out of the text.
    const casePage = await (
      await s.app.request(`/app/cases/${caseId}`, { headers: { cookie: (await session('sup-wang')).cookie } })
    ).text();
    const description = /<dt>描述<\/dt><dd>([\s\S]*?)<\/dd>/.exec(casePage)?.[1] ?? '';
    const ownId = own.ref.slice('evidence:'.length, own.ref.indexOf('#'));
    expect(description).toContain(`<img src="/api/evidence/${ownId}"`);
    expect(description).toContain('alt="报告照片 1"');
    expect(description).not.toContain('evidence:');

    const rootCause = (ref: string) =>
      call(s.app, 'POST', `/api/cases/${caseId}/root-cause?lang=en`, {
        as: 'sup-wang',
        body: { causes: [`合页变形，见报告照片 ${ref}`], responsibleId: 'staff-zhou', plan: '更换合页' },
      });
    // The case page's analysis form checks the photos it names as the API does.
    const wang = await session('sup-wang');
    const pageRootCause = await s.app.request(`/app/cases/${caseId}/root-cause`, {
      method: 'POST',
      headers: { cookie: wang.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        why1: '合页变形',
        causes: `合页变形，见照片 ${other.ref}`,
        responsibleId: 'staff-zhou',
        plan: '更换合页',
        _csrf: wang.csrf,
      }),
    });
    expect(pageRootCause.status).toBe(400);
    expect(await pageRootCause.text()).toMatch(/id="[^"]*-causes-error">[^<]*该文件属于其他案件/);
    // Refused beside the field that names it: here the second why.
    const inWhy = await s.app.request(`/app/cases/${caseId}/root-cause`, {
      method: 'POST',
      headers: { cookie: wang.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        why1: '合页变形',
        why2: `见照片 ${other.ref}`,
        causes: '合页变形',
        responsibleId: 'staff-zhou',
        plan: '更换合页',
        _csrf: wang.csrf,
      }),
    });
    expect(inWhy.status).toBe(400);
    expect(await inWhy.text()).toMatch(/id="[^"]*-why2-error">[^<]*该文件属于其他案件/);
    const foreign = await rootCause(other.ref);
    expect(foreign.status).toBe(422);
    expect(((await foreign.json()) as { detail: string }).detail).toContain('another case');
    expect((await rootCause(own.ref)).status).toBe(200);
    await s.deps.temporal.workflow.getHandle(caseId).executeUpdate(signOffUpdate, {
      args: [{ actor: { id: 'staff-zhou', roles: ['staff'], via: 'api' }, decision: 'confirm' }],
    });

    // The case page's form likewise: the report's photo is taken, another report's is not.
    const zhou = await session('staff-zhou');
    const rectify = (ref: string) =>
      s.app.request(`/app/cases/${caseId}/rectification`, {
        method: 'POST',
        headers: { cookie: zhou.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ summary: '已更换合页', 'evidence[]': ref, _csrf: zhou.csrf }),
      });
    const refused = await rectify(other.ref);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('该文件属于其他案件');
    expect((await rectify(own.ref)).status).toBe(303);
    const reviewed = await call(s.app, 'POST', `/api/cases/${caseId}/review`, {
      as: 'sup-wang',
      body: { passed: true, notes: `与报告照片对照已修好 ${own.ref}` },
    });
    expect(reviewed.status).toBe(200);

    const verify = await call(s.app, 'GET', `/api/audit/verify?caseId=${caseId}`, { as: 'audit-he' });
    expect(verify.status).toBe(200);
    expect(await verify.json()).toMatchObject({ ok: true, evidence: { checked: 1, broken: [] } });

    // The case page shows the cited photo: whoever may read the case may open it, through the
    // case; another report's photo, and this one for someone who may not read the case, do not exist.
    const opened = (ref: string, as: string) =>
      call(s.app, 'GET', `/api/evidence/${parseEvidenceRef(ref)!.evidenceId}`, { as });
    for (const reader of ['sup-wang', 'staff-zhou', 'audit-he']) {
      const res = await opened(own.ref, reader);
      expect(res.status, reader).toBe(302);
      expect(res.headers.get('location')).toContain(parseEvidenceRef(own.ref)!.sha256);
    }
    expect((await opened(other.ref, 'sup-wang')).status).toBe(404);
    expect((await opened(own.ref, 'staff-lee')).status).toBe(404);
  });
});

describe('merge, reject, withdraw', () => {
  it('merges into an open case at the same place and tells the reporter why', async () => {
    const first = await report(roomCode('A104'), { kind: 'repair', description: '门锁坏了' });
    const firstId = await reportIdOf(tokenOf(first)!);
    await triage('sup-wang', firstId, { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' });
    const caseId = (await getReport(s.deps.aws, firstId))!.caseId!;
    const email = `${uniqueId('dup')}@students.demo.edu.cn`;
    const second = await report(roomCode('A104'), {
      kind: 'repair',
      description: '门锁还是坏的',
      contact: email,
    });
    const token = tokenOf(second)!;
    const secondId = await reportIdOf(token);
    const sup = await session('sup-wang');
    const queue = await triagePages(sup.cookie);
    // The page suggests the open case as a likely duplicate.
    expect(queue).toContain(`value="${caseId}"`);
    const mergedRes = await triage('sup-wang', secondId, { action: 'merge', caseId });
    expect(mergedRes.status).toBe(303);
    const landed = await (
      await s.app.request(mergedRes.headers.get('location')!, { headers: { cookie: sup.cookie } })
    ).text();
    expect(landed).toContain(`报告 ${secondId} 已并入案件 <a href="/app/cases/${caseId}">${caseId}</a>`);
    const merged = (await getReport(s.deps.aws, secondId))!;
    expect(merged).toMatchObject({ status: 'merged', caseId });
    const tracking = await (await s.app.request(`/t/${token}`)).text();
    expect(tracking).toContain(caseId);
    // The page is in the reporter's language: the merge's reason in theirs only.
    expect(tracking).toContain(`与案件 ${caseId} 为同一问题`);
    expect(tracking).not.toContain('the same problem as case');
    await expect.poll(async () => (await sentEmails((e) => e.to.includes(email))).length).toBe(2);
    const told = (await mailsAbout(email, secondId)).find((m) => m.subject.includes('并入'))!;
    expect(told.text).toContain(`原因：与案件 ${caseId} 为同一问题`);
    expect(told.text).toContain(`Reason: `);
    expect(told.text).toContain(caseId);
    expect(await chaseOf(secondId)).toMatchObject({ outcome: 'triaged' });
  });

  it('rejects with a reason the reporter reads', async () => {
    const email = `${uniqueId('rej')}@students.demo.edu.cn`;
    const res = await report(roomCode('A105'), {
      kind: 'suggestion',
      description: '希望增加自习室',
      contact: email,
    });
    const token = tokenOf(res)!;
    const id = await reportIdOf(token);
    expect((await triage('sup-wang', id, { action: 'reject', reason: '' })).status).toBe(400);
    const rejected = await triage('sup-wang', id, { action: 'reject', reason: '已转教务处，不属于宿舍整改' });
    expect(rejected.status).toBe(303);
    const sup = await session('sup-wang');
    const landed = await (
      await s.app.request(rejected.headers.get('location')!, { headers: { cookie: sup.cookie } })
    ).text();
    expect(landed).toMatch(new RegExp(`data-decided="rejected"[^>]*>报告 ${id} 已不予受理`));
    const page = await (await s.app.request(`/t/${token}`)).text();
    expect(page).toContain('未受理');
    expect(page).toContain('已转教务处，不属于宿舍整改');
    const told = (await mailsAbout(email, id)).find((m) => m.subject.includes('未受理'))!;
    expect(told.text).toContain('原因：已转教务处，不属于宿舍整改');
    // A campus reporter reads Chinese first, is greeted, and is told which report (where) it is.
    expect(told.subject).toBe(`【整改】${id} 未受理 / [Rectify] ${id} Not taken up`);
    expect(told.text.split('\n')[0]).toBe('您好：');
    expect(told.text).toContain(`您在学生公寓A栋 A105提交的报告 ${id}：未受理`);
    expect(told.text).toContain(`Your report ${id} at Dormitory A, A105: Not taken up`);
  });

  it('quotes what an anonymous reporter typed without a link a mail client would make: the supervisors’ arrival mail and the reporter’s own', async () => {
    const email = `${uniqueId('lnk')}@students.demo.edu.cn`;
    const typed = `<a href="http://evil.example">点我</a> www.evil.example 插座冒烟 ${uniqueId('n')}`;
    const res = await report(roomCode('A204', 'a-f2'), {
      kind: 'safety',
      description: typed,
      name: '<b onmouseover=x>N</b>a@evil.example',
      contact: email,
    });
    expect(res.status).toBe(303);
    const id = await reportIdOf(tokenOf(res)!);
    const wang = s.dir.people.find((p) => p.id === 'sup-wang')!;
    // A safety hazard's triage hears of it at once, whatever the hour.
    const arrival = async () =>
      (await mailsAbout(wang.email, id)).find((m) => m.subject.includes('新报告，请立即分派'));
    await expect.poll(async () => (await arrival()) !== undefined, { timeout: 30_000 }).toBe(true);
    const told = (await mailsAbout(email, id))[0]!;
    for (const mail of [(await arrival())!, told]) {
      for (const part of [mail.subject, mail.text, mail.html])
        expect(part).not.toMatch(/evil\.example|www\.evil|https?:\/\/evil|a@evil/);
      // Only the system's own links link: the triage page, the tracking page.
      for (const href of mail.html.matchAll(/<a\s[^>]*href="([^"]*)"/g))
        expect(href[1]).toMatch(new RegExp(`^${s.deps.publicBaseUrl}/(app/triage#${id}|t/)`));
    }
    const mail = (await arrival())!;
    expect(mail.text.replace(/\u200C/g, '')).toContain(
      '<a href="http://evil.example">点我</a> www.evil.example',
    );
    expect(mail.text).toContain(`${s.deps.publicBaseUrl}/app/triage#${id}`);
    expect(mail.html).toContain(`href="${s.deps.publicBaseUrl}/app/triage#${id}"`);
    expect(told.text.replace(/\u200C/g, '')).toContain('<b onmouseover=x>N</b>a@evil.example');
    expect(told.html).not.toContain('<b onmouseover');
  });

  it('tells every reporter of a withdrawn case why, by email and on the tracking page', async () => {
    const email = `${uniqueId('wd')}@students.demo.edu.cn`;
    const res = await report(roomCode('A106', 'a-f1'), {
      kind: 'cleanliness',
      description: '走廊有垃圾',
      contact: email,
    });
    const token = tokenOf(res)!;
    const id = await reportIdOf(token);
    await triage('sup-wang', id, { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' });
    const caseId = (await getReport(s.deps.aws, id))!.caseId!;
    // A second report of the same mess, merged into the case: its reporter is owed the reason too.
    const email2 = `${uniqueId('wd2')}@students.demo.edu.cn`;
    const res2 = await report(roomCode('A106', 'a-f1'), {
      kind: 'cleanliness',
      description: '走廊垃圾没人清',
      contact: email2,
    });
    const token2 = tokenOf(res2)!;
    const id2 = await reportIdOf(token2);
    expect((await triage('sup-wang', id2, { action: 'merge', caseId })).status).toBe(303);

    const withdrawn = await call(s.app, 'POST', `/api/cases/${caseId}/withdraw`, {
      as: 'sup-wang',
      body: { reason: '报告人已自行清理' },
    });
    expect(withdrawn.status).toBe(200);
    for (const [to, rid, tok] of [
      [email, id, token],
      [email2, id2, token2],
    ] as const) {
      const told = (await mailsAbout(to, rid)).find((m) => m.subject.includes('案件已撤销'))!;
      expect(told.text).toContain('原因：报告人已自行清理');
      expect(told.text).toContain('The case was withdrawn');
      const page = await (await s.app.request(`/t/${tok}`)).text();
      expect(page).toContain('data-status="withdrawn"');
      expect(page).toContain('报告人已自行清理');
    }
    // A second withdrawal is refused and mails nobody again.
    expect(
      (
        await call(s.app, 'POST', `/api/cases/${caseId}/withdraw`, {
          as: 'sup-wang',
          body: { reason: 'again' },
        })
      ).status,
    ).toBe(409);
    expect((await mailsAbout(email, id)).filter((m) => m.subject.includes('案件已撤销'))).toHaveLength(1);
  });
});

describe('a withdrawal that does not come through the API', () => {
  it('still tells the reporter: the case sends the notice itself', async () => {
    const email = `${uniqueId('wdt')}@students.demo.edu.cn`;
    const res = await report(roomCode('A102'), { kind: 'repair', description: '窗户关不上', contact: email });
    const id = await reportIdOf(tokenOf(res)!);
    await triage('sup-wang', id, { action: 'case', assigneeId: 'staff-zhou', severity: 'routine' });
    const caseId = (await getReport(s.deps.aws, id))!.caseId!;
    // Straight to the running case, as an operator's tool would: the API sends nothing here.
    await s.deps.temporal.workflow.getHandle(caseId).executeUpdate(withdrawUpdate, {
      args: [
        {
          actor: { id: 'sup-wang', roles: ['supervisor'], via: 'api', supervises: ['bldg-a'] },
          reason: '已合并到楼栋整体维修',
        },
      ],
    });
    await expect
      .poll(async () => (await mailsAbout(email, id)).filter((m) => m.subject.includes('案件已撤销')), {
        timeout: 30_000,
      })
      .toHaveLength(1);
    const told = (await mailsAbout(email, id)).find((m) => m.subject.includes('案件已撤销'))!;
    expect(told.text).toContain('原因：已合并到楼栋整体维修');
  });
});

describe('limits and hostile input', () => {
  it('refuses an empty or hostile description naming the field, and keeps nothing', async () => {
    const empty = await report(roomCode('A107'), { kind: 'repair', description: '  ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('问题描述');
    // A form post cannot carry a lone surrogate (multipart is UTF-8); control characters it can.
    const nul = await report(roomCode('A107'), { kind: 'repair', description: 'bad \u0000 text' });
    expect(nul.status).toBe(400);
    const bidi = await report(roomCode('A107'), { kind: 'repair', description: 'abc\u202Edef' });
    expect(bidi.status).toBe(400);
    const badKind = await report(roomCode('A107'), { kind: 'fire', description: 'x' });
    expect(badKind.status).toBe(400);
    const badContact = await report(roomCode('A107'), {
      kind: 'repair',
      description: 'x',
      contact: 'not a contact',
    });
    expect(badContact.status).toBe(400);
  });

  it('answers a filled honeypot as accepted but keeps no report', async () => {
    const res = await report(roomCode('A108'), {
      kind: 'repair',
      description: 'spam',
      website: 'http://spam',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/r/thanks');
    const thanks = await s.app.request('/r/thanks');
    expect(thanks.status).toBe(200);
    expect(await thanks.text()).toContain('已收到');
  });

  it('limits reports per address', async () => {
    await awayFromHourEdge();
    const ip = '203.0.113.77';
    const codes = ['A201', 'A202', 'A203', 'A204', 'A205'].map((r) => roomCode(r, 'a-f2'));
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push(
        (await report(codes[i % codes.length]!, { kind: 'repair', description: `r${i}` }, { ip })).status,
      );
    expect(statuses.slice(0, 10).every((x) => x === 303)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('takes the per-address limit from INTAKE_REPORTS_PER_ADDRESS_HOUR (a campus behind NAT raises it)', async () => {
    await awayFromHourEdge();
    const strict = createApp({ ...s.deps, env: { ...s.deps.env, INTAKE_REPORTS_PER_ADDRESS_HOUR: 2 } });
    const ip = '203.0.113.83';
    const send = (i: number) => {
      const form = new FormData();
      form.append('kind', 'repair');
      form.append('description', `limit ${i}`);
      return strict.request(`/r/${roomCode('A207', 'a-f2')}`, {
        method: 'POST',
        body: form,
        headers: { 'x-forwarded-for': ip },
      });
    };
    expect((await send(0)).status).toBe(303);
    expect((await send(1)).status).toBe(303);
    const third = await send(2);
    expect(third.status).toBe(429);
    expect(await third.text()).toContain('同一网络一小时内最多提交 2 份报告');
  });

  it('counts only reports it keeps: a student who had to correct the form is not locked out', async () => {
    await awayFromHourEdge();
    const ip = '203.0.113.78';
    const code = roomCode('A206', 'a-f2');
    for (let i = 0; i < 12; i++)
      expect((await report(code, { kind: 'bogus', description: `r${i}` }, { ip })).status).toBe(400);
    // Nor one whose photo is refused (text sent as a JPEG): the text was fine, the photo was not.
    for (let i = 0; i < 12; i++) {
      const refused = await report(
        code,
        { kind: 'repair', description: `p${i}` },
        { ip, photos: [photo(fakeFiles.text(), 'a.jpg', 'image/jpeg')] },
      );
      expect(refused.status).toBe(400);
    }
    expect((await report(code, { kind: 'repair', description: '床板松动' }, { ip })).status).toBe(303);
  });

  it('answers a form that arrived in pieces with the form again and a 400, never a 500', async () => {
    const post = (body: string, type: string) =>
      s.app.request(`/r/${roomCode('A207', 'a-f2')}`, {
        method: 'POST',
        body,
        headers: { 'content-type': type, 'x-forwarded-for': nextAddress() },
      });
    const cut = await post(
      '--zz\r\ncontent-disposition: form-data; name="kind"\r\n\r\nrepair\r\n--zz\r\ncontent-disp',
      'multipart/form-data; boundary=zz',
    );
    expect(cut.status).toBe(400);
    const html = await cut.text();
    expect(html).toContain('表单无法读取');
    expect(html).toContain('name="description"');
    expect((await post('garbage', 'multipart/form-data')).status).toBe(400);
  });

  it('limits reports per place, whatever the address', async () => {
    await awayFromHourEdge();
    const code = placeCode({ buildingId: 'bldg-b' });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push((await report(code, { kind: 'cleanliness', description: `楼道 ${i}` })).status);
    expect(statuses.slice(0, 30).every((x) => x === 303)).toBe(true);
    const refused = await report(code, { kind: 'cleanliness', description: 'one more' });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain('这个地点刚收到很多报告');
    // Another place is not held back by this one.
    expect(
      (
        await report(placeCode({ buildingId: 'bldg-b', floorId: 'b-f1' }), {
          kind: 'repair',
          description: 'x',
        })
      ).status,
    ).toBe(303);
  });

  it('over a limit, refuses a post with photos before reading it, in the reader’s language', async () => {
    await awayFromHourEdge();
    const ip = '203.0.113.79';
    const window = rateWindow(s.deps.aws, `addr:${ip}`, 10, 3600);
    for (let i = 0; i < 10; i++) expect(await window.count()).toBe(true);
    // A safety report's own, larger allowance used up too: until then the post is read, a fire in it.
    const safety = rateWindow(s.deps.aws, `safety-addr:${ip}`, 100, 3600);
    for (let i = 0; i < 100; i++) expect(await safety.count()).toBe(true);
    const size = 8 * 1024 * 1024;
    // A body that counts what the server pulls from it, as a slow upload of photos would be read.
    const post = (o: { declared: boolean; lang?: string }) => {
      const chunk = new Uint8Array(16 * 1024);
      let pulled = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pulled >= size) return controller.close();
          pulled += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const res = s.app.request(`/r/${roomCode('A109')}`, {
        method: 'POST',
        body,
        duplex: 'half',
        headers: {
          'content-type': 'multipart/form-data; boundary=zz',
          'x-forwarded-for': ip,
          ...(o.declared ? { 'content-length': String(size) } : {}),
          ...(o.lang ? { 'accept-language': o.lang } : {}),
        },
      });
      return { res, pulled: () => pulled };
    };

    const declared = post({ declared: true });
    const zh = await declared.res;
    expect(zh.status).toBe(429);
    expect(Number(zh.headers.get('retry-after'))).toBeGreaterThan(0);
    const html = await zh.text();
    expect(html).toContain('同一网络一小时内最多提交 10 份报告');
    expect(html).toContain('本次提交的内容（含照片）未被接收');
    expect(html).toContain(`href="/r/${roomCode('A109')}"`);
    expect(declared.pulled()).toBeLessThanOrEqual(64 * 1024);

    // Sent in chunks with no length: read only until it is more than a form's text.
    const chunked = post({ declared: false, lang: 'en' });
    const en = await chunked.res;
    expect(en.status).toBe(429);
    expect(await en.text()).toContain('At most 10 reports an hour from one network');
    expect(chunked.pulled()).toBeLessThanOrEqual(128 * 1024);

    // A form of text alone is still read: the page keeps what was typed.
    const typed = await report(roomCode('A109'), { kind: 'repair', description: '门锁坏了' }, { ip });
    expect(typed.status).toBe(429);
    expect(await typed.text()).toContain('门锁坏了');
  });

  it('asks for a name and a contact where the school does not take anonymous reports', async () => {
    const strict = createApp({ ...s.deps, env: { ...s.deps.env, INTAKE_ALLOW_ANONYMOUS: 'false' } });
    const post = (fields: Record<string, string>) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      return strict.request(`/r/${roomCode('A110')}`, {
        method: 'POST',
        body: form,
        headers: { 'x-forwarded-for': nextAddress() },
      });
    };
    const blank = await (await strict.request(`/r/${roomCode('A110')}`)).text();
    expect(blank).not.toContain('（选填）</label>');
    const anonymous = await post({ kind: 'repair', description: '床板松动' });
    expect(anonymous.status).toBe(400);
    const html = await anonymous.text();
    expect(html).toContain('本校要求实名报告');
    expect(html).toContain('本校要求留下联系方式');
    const named = await post({
      kind: 'repair',
      description: '床板松动',
      name: '赵同学',
      contact: '13800138000',
    });
    expect(named.status).toBe(303);
    // The default (anonymous allowed) takes the same report without either.
    expect((await report(roomCode('A110'), { kind: 'repair', description: '床板松动' })).status).toBe(303);
  });

  it('refuses uploads of the wrong type, with a fake extension, or whose bytes do not match', async () => {
    const code = roomCode('A109');
    const marker = uniqueId('hostile');
    const wrongType = await report(
      code,
      { kind: 'repair', description: marker },
      { photos: [photo(fakeFiles.text(), 'a.txt', 'text/plain')] },
    );
    expect(wrongType.status).toBe(400);
    expect(await wrongType.text()).toContain('只能上传照片（JPEG、PNG 或 WebP）');
    const fakeExt = await report(
      code,
      { kind: 'repair', description: marker },
      { photos: [photo(fakeFiles.text(), 'a.jpg', 'image/jpeg')] },
    );
    expect(fakeExt.status).toBe(400);
    // The form asks for photos: a PDF is refused as not one, declared so or dressed as a JPEG.
    for (const [name, type] of [
      ['a.pdf', 'application/pdf'],
      ['a.jpg', 'image/jpeg'],
    ] as const) {
      const pdf = await report(
        code,
        { kind: 'repair', description: marker },
        { photos: [photo(fakeFiles.pdf(), name, type)] },
      );
      expect(pdf.status, type).toBe(400);
      const html = await pdf.text();
      expect(html).toContain('只能上传照片（JPEG、PNG 或 WebP）');
      expect(html).not.toContain('PDF 原件');
    }
    // A PNG's signature before bytes that are no PNG is not a photo: refused by name, not stored.
    const fake = await report(
      code,
      { kind: 'repair', description: marker },
      { photos: [photo(fakeFiles.signatureOnlyPng(), 'fake.png', 'image/png')] },
    );
    expect(fake.status).toBe(400);
    expect(await fake.text()).toContain('文件 fake.png 不是可读的 PNG 图片');
    const tooMany = await report(
      code,
      { kind: 'repair', description: marker },
      { photos: [1, 2, 3, 4].map(() => photo(fakeFiles.jpeg(), 'a.jpg', 'image/jpeg')) },
    );
    expect(tooMany.status).toBe(400);
    const oversized = await report(
      code,
      { kind: 'repair', description: marker },
      { photos: [photo(fakeFiles.jpeg(10 * 1024 * 1024 + 1), 'big.jpg', 'image/jpeg')] },
    );
    expect(oversized.status).toBe(400);
    expect(await oversized.text()).toContain('文件过大');
    // A photo of the right kind under a name that is not a photo's.
    const script = await report(
      code,
      { kind: 'repair', description: marker },
      { photos: [photo(fakeFiles.jpeg(), 'shell.php', 'image/jpeg')] },
    );
    expect(script.status).toBe(400);
    expect(await script.text()).toContain('扩展名');
    const double = await report(
      code,
      { kind: 'repair', description: marker },
      { photos: [photo(fakeFiles.jpeg(), 'photo.jpg.exe', 'image/jpeg')] },
    );
    expect(double.status).toBe(400);
    // More than twice three full-size photos' worth of body is cut off before it is read.
    const huge = await report(
      code,
      { kind: 'repair', description: marker },
      { photos: [photo(Buffer.alloc(61 * 1024 * 1024), 'huge.jpg', 'image/jpeg')] },
    );
    expect(huge.status).toBe(413);
    // A page in the reporter's language that says what fits and leads back to the form.
    expect(huge.headers.get('content-type')).toContain('text/html');
    const hugePage = await huge.text();
    expect(hugePage).toContain('最多 3 张照片，每张不超过 10 MB');
    expect(hugePage).toContain(`<a href="/r/${code}">返回报告表单</a>`);
    // Nothing of any refused report was kept: none waits for triage.
    const queue = await triageQueue(s.deps.aws, ['bldg-a'], { limit: 1000 });
    expect(queue.reports.filter((r) => r.description === marker)).toEqual([]);
  });
});

describe('printable codes and the commitments page', () => {
  it('serves a building’s code sheets to admins and supervisors only', async () => {
    const sup = await session('sup-wang');
    const list = await s.app.request('/app/admin/qr', { headers: { cookie: sup.cookie } });
    expect(list.status).toBe(200);
    const svg = await s.app.request('/app/admin/qr/bldg-a/sheet-1.svg', { headers: { cookie: sup.cookie } });
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    const text = await svg.text();
    expect(text).toContain('width="210mm"');
    expect(text).toContain(roomCode('A101'));
    const print = await (
      await s.app.request('/app/admin/qr/bldg-a/print', { headers: { cookie: sup.cookie } })
    ).text();
    expect((print.match(/class="page"/g) ?? []).length).toBe(
      Math.ceil(listPlaces(s.dir, 'bldg-a').length / 12),
    );
    const staff = await session('staff-zhou');
    expect(
      (await s.app.request('/app/admin/qr/bldg-a/sheet-1.svg', { headers: { cookie: staff.cookie } })).status,
    ).toBe(403);
    expect(
      (await s.app.request('/app/admin/qr/bldg-zz/sheet-1.svg', { headers: { cookie: sup.cookie } })).status,
    ).toBe(404);
    // Said as what is missing (a building, a sheet), on a page for a browser: not "no such API route".
    const html = { cookie: sup.cookie, accept: 'text/html' };
    const noBuilding = await s.app.request('/app/admin/qr/nope/print', { headers: html });
    expect(noBuilding.status).toBe(404);
    const noBuildingHtml = await noBuilding.text();
    expect(noBuildingHtml).toContain('没有楼栋 nope');
    // Titled as an error, the message where the keyboard lands (no field: an address, not a form).
    expect(noBuildingHtml).toMatch(/<title>错误：[^<]*<\/title>/);
    expect(noBuildingHtml).toMatch(
      /<div tabindex="-1" autofocus="" data-error-summary[^>]*class="flash error" role="alert" data-problem-status="404">没有楼栋/,
    );
    const noSheet = await s.app.request('/app/admin/qr/bldg-a/sheet-99.svg', { headers: html });
    expect(noSheet.status).toBe(404);
    expect(await noSheet.text()).toMatch(/没有这一页：sheet-99\.svg（本楼共 \d+ 页/);
    // The PDF of a building there is not: the same page, with the way back to the list.
    for (const accept of ['text/html', 'application/pdf', '*/*']) {
      const noPdf = await s.app.request('/app/admin/qr/nosuch/codes.pdf', { headers: { ...html, accept } });
      expect(noPdf.status, accept).toBe(404);
      const noPdfHtml = await noPdf.text();
      expect(noPdfHtml, accept).toContain('没有楼栋 nosuch');
      expect(noPdfHtml, accept).toContain('<a href="/app/admin/qr">返回二维码列表</a>');
    }
  });

  it('publishes the promises from the SLA catalogue and the figures against their targets', async () => {
    const res = await s.app.request('/commitments?buildingId=bldg-a');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('服务承诺公示');
    expect(html).toContain('30分钟');
    expect(html).toMatch(/data-kpi="[a-z_]+"/);
    // Every catalogue rule but the fallback: the promises a report can meet first, then the
    // internal ones folded away (test/api/commitments.test.ts).
    const cards = new Set([...html.matchAll(/ data-rule="([^"]+)"/g)].map((m) => m[1]));
    expect([...cards].sort()).toEqual(
      slaCatalogue.rules
        .filter((r) => r.id !== 'fallback')
        .map((r) => r.id)
        .sort(),
    );
    // Targets read as people write them.
    expect(html).toMatch(/<td class="num">≥ 90%<\/td>/);
    expect(html).not.toContain('&gt;=');
    // A complaint about a staff member is recorded before the end of the day (seed 000), not "0 working days".
    expect(html).toContain('当日下班前');
    expect(html).not.toContain('0个工作日');
    // Where a target comes from, as the school knows its documents: not our seed files' numbers.
    expect(html).not.toMatch(/seed 0\d\d/);
    // Promises are named by their words, not by the catalogue's rule ids.
    expect(html).not.toMatch(/\((repair|complaint|grid_report)\.[a-z_.]+\)/);
    expect(html).toMatch(/《学生公寓“6T”现场管理标准》检查评估 2、检查评估 9/);
    const en = await (await s.app.request('/commitments?lang=en')).text();
    expect(en).toContain('Our service commitments');
    expect(en).not.toMatch(/seed 0\d\d/);
    expect(en).toMatch(/6T standard for student apartments: Evaluation 2, Evaluation 9/);
    expect(en).toContain('by the end of the working day');
    expect(en).not.toMatch(/>0 working days/);
    const nowhere = await s.app.request('/commitments?buildingId=nowhere');
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get('content-type')).toContain('text/html');
    const nowhereHtml = await nowhere.text();
    expect(nowhereHtml).toContain('没有编号为「nowhere」的楼栋或区域');
    // Titled as an error, said where the keyboard lands, and leading to the choice it marks.
    expect(nowhereHtml).toMatch(/<title>错误：[^<]*<\/title>/);
    const summary = /<div [^>]*data-error-summary[\s\S]*?<\/div>/.exec(nowhereHtml)?.[0] ?? '';
    expect(summary).toMatch(/^<div tabindex="-1" autofocus="" data-error-summary/);
    const href = /<a href="#([^"]+)">没有编号为「nowhere」的楼栋或区域。<\/a>/.exec(summary)?.[1];
    expect(href).toBe('b');
    expect(nowhereHtml).toMatch(
      new RegExp(
        `<select id="${href}" name="buildingId" aria-invalid="true" aria-describedby="${href}-error"`,
      ),
    );
    const plain = await (await s.app.request('/commitments?buildingId=bldg-a')).text();
    expect(plain).not.toMatch(/<title>错误/);
    expect(plain).not.toMatch(/<select[^>]*aria-invalid/);
  });
});
