import { describe, expect, it } from 'vitest';
import { caseViewSchema, createdCaseSchema, problemSchema } from '../../api/schemas.ts';
import { createSession } from '../../store/sessions.ts';
import {
  actionPath,
  call,
  formFields,
  newCaseBody,
  outcomeOf,
  postForm,
  useApiStack,
  waitForEmail,
} from './harness.ts';

const s = useApiStack();

const problem = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  return problemSchema.parse(await res.json());
};
const read = async (caseId: string) =>
  caseViewSchema.parse(await (await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' })).json());

describe('case clocks through the API', () => {
  it('reportedAt: in the future or more than 30 days back is a 400 naming the window; in the past the clocks run from it', async () => {
    const open = (reportedAt: string, lang = 'zh-CN') =>
      call(s.app, 'POST', `/api/cases?lang=${lang}`, { as: 'sup-wang', body: newCaseBody({ reportedAt }) });
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const bad = await problem(await open(future, 'en'), 400);
    expect(bad.errors?.[0]).toMatchObject({ field: 'reportedAt' });
    expect(bad.errors?.[0]?.message).toContain('in the future');
    expect(bad.errors?.[0]?.message).toMatch(
      /within the 30 days before the case is opened: from \d{4}-\d{2}-\d{2} \d{2}:\d{2} to /,
    );
    await problem(await open('1999-01-01T00:00:00Z'), 400);
    // Far back: every clock would be breached at once and counted in this period's figures.
    for (const old of [
      '2001-01-01T00:00:00Z',
      '2025-09-30T08:00:00+08:00',
      new Date(Date.now() - 31 * 86_400_000).toISOString(),
    ]) {
      const zh = await problem(await open(old), 400);
      expect(zh.detail).toMatch(
        /^报告时间须在立案前 30 天内，即 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（Asia\/Shanghai）之间$/,
      );
      expect(zh.errors?.[0]?.message).toContain('早于 30 天前');
      const en = await problem(await open(old, 'en'), 400);
      expect(en.detail).toMatch(/^the report time must be within the 30 days before the case is opened/);
      expect(en.errors?.[0]?.message).toContain('more than 30 days ago');
    }

    const reportedAt = new Date(Date.now() - 10 * 60_000).toISOString();
    const res = await call(s.app, 'POST', '/api/cases', {
      as: 'sup-wang',
      body: newCaseBody({ reportedAt }),
    });
    expect(res.status).toBe(201);
    const { caseId } = createdCaseSchema.parse(await res.json());
    const v = await read(caseId);
    expect(v.clocks?.map((c) => [c.id, c.startedAt])).toEqual([
      ['on_site_arrival', reportedAt],
      ['small_repair_done', reportedAt],
    ]);
    expect(v.clockStatus?.map((c) => c.state)).toEqual(['pending', 'pending']);
    // The view says when the report was, beside the opening; so does the case page.
    expect(v.reportedAt).toBe(reportedAt);
    expect(Date.parse(v.openedAt)).toBeGreaterThan(Date.parse(reportedAt));
    const who = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const html = await (
      await s.app.request(`/app/cases/${caseId}`, { headers: { cookie: `rectify_session=${who.id}` } })
    ).text();
    expect(html).toContain('<dt>报告时间</dt>');
    expect(html).toContain(`data-clocks-from="${reportedAt}"`);
    expect(html).toMatch(/报告时间 \S+ \S+ · 登记 /);

    // 29 days back is in the window; a couple of minutes ahead (a fast device clock) is the opening.
    const month = new Date(Date.now() - 29 * 86_400_000).toISOString();
    expect((await open(month)).status).toBe(201);
    const skewed = await open(new Date(Date.now() + 2 * 60_000).toISOString());
    expect(skewed.status).toBe(201);
    // Microseconds (Python's isoformat) and an offset: once a 500; now one UTC spelling.
    const micro = new Date(Date.now() - 5 * 60_000);
    const shanghai = new Date(micro.getTime() + 8 * 3_600_000).toISOString().slice(0, 19);
    const fine = await open(`${shanghai}.123456+08:00`);
    expect(fine.status).toBe(201);
    const fineView = await read(createdCaseSchema.parse(await fine.json()).caseId);
    expect(fineView.reportedAt).toBe(`${micro.toISOString().slice(0, 19)}.123Z`);
    const plain = await read(createdCaseSchema.parse(await skewed.json()).caseId);
    expect(plain.reportedAt).toBeUndefined();
    expect(plain.clocks?.[0]?.startedAt).toBe(plain.openedAt);
  });

  it('arrival, reassignment and a pause: who may, what is refused, and what the case shows after', async () => {
    const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    const { caseId } = createdCaseSchema.parse(await res.json());
    const post = (path: string, as: string, body: unknown) =>
      call(s.app, 'POST', `/api/cases/${caseId}/${path}`, { as, body });

    await problem(await post('arrived', 'sup-wang', {}), 403);
    expect((await post('arrived', 'staff-zhou', { note: '已到场' })).status).toBe(200);
    expect((await read(caseId)).clockStatus?.find((c) => c.id === 'on_site_arrival')?.state).toBe('met');
    await problem(await post('arrived', 'staff-zhou', {}), 409);

    await problem(await post('reassign', 'staff-zhou', { assigneeId: 'staff-lee', reason: '休假' }), 403);
    const notStaff = await problem(
      await post('reassign', 'sup-wang', { assigneeId: 'grid-a1', reason: '休假' }),
      422,
    );
    expect(notStaff.errors?.[0]?.field).toBe('assigneeId');
    const moved = caseViewSchema.parse(
      await (await post('reassign', 'sup-wang', { assigneeId: 'staff-lee', reason: '周强休假' })).json(),
    );
    expect(moved.assigneeId).toBe('staff-lee');
    expect(moved.timeline.at(-1)).toMatchObject({ action: 'reassigned', actorId: 'sup-wang' });

    // The Chinese half names the reasons allowed by their labels, with the codes the API takes
    // (staff-lee reads English by the directory, so Chinese is asked for).
    const lunch = await problem(await post('pause?lang=zh-CN', 'staff-lee', { reason: 'lunch' }), 400);
    expect(lunch.errors?.[0]).toEqual({
      field: 'reason',
      message:
        '须从列表中选择暂停原因：等待配件（waiting_for_parts）、学生不在（student_absent）、外部单位施工（outside_contractor）',
    });
    const lunchEn = await problem(await post('pause?lang=en', 'staff-lee', { reason: 'lunch' }), 400);
    expect(lunchEn.errors?.[0]?.message).toBe(
      'choose a pause reason from the list: Waiting for parts (waiting_for_parts), Student absent (student_absent), Outside contractor (outside_contractor)',
    );
    await problem(await post('pause', 'staff-zhou', { reason: 'waiting_for_parts' }), 403);
    expect((await post('pause', 'staff-lee', { reason: 'waiting_for_parts', note: '等配件' })).status).toBe(
      200,
    );
    // The case's refusal, in the caller's language only.
    expect(
      (await problem(await post('pause/decision?lang=zh-CN', 'staff-lee', { approve: true }), 403)).detail,
    ).toBe('只有本楼栋主管可以审批暂停');
    // Asked nothing, staff-lee is answered in the English of their directory entry.
    expect((await problem(await post('pause/decision', 'staff-lee', { approve: true }), 403)).detail).toBe(
      'only a supervisor of this building may decide a pause',
    );
    const inEn = await call(s.app, 'POST', `/api/cases/${caseId}/pause/decision?lang=en`, {
      as: 'staff-lee',
      body: { approve: true },
    });
    expect((await problem(inEn, 403)).detail).toBe('only a supervisor of this building may decide a pause');
    const decided = caseViewSchema.parse(
      await (await post('pause/decision', 'sup-wang', { approve: true })).json(),
    );
    expect(decided.pauses?.[0]).toMatchObject({
      state: 'approved',
      reason: 'waiting_for_parts',
      decidedBy: 'sup-wang',
    });
    expect(decided.timeline.map((e) => e.action).slice(-2)).toEqual(['pause_requested', 'pause_approved']);
    // It holds the stage's deadline too: the case page shows it on hold instead of a countdown.
    expect(decided.pauses?.[0]?.holdsStage).toBe(true);
    const held = decided.deadlines.at(-1)!;
    expect(held.state).toBe('pending');
    const who = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const page = async () =>
      (
        await s.app.request(`/app/cases/${caseId}`, { headers: { cookie: `rectify_session=${who.id}` } })
      ).text();
    expect(await page()).toContain('data-on-hold');
    await new Promise((r) => setTimeout(r, 50));
    const ended = caseViewSchema.parse(await (await post('pause/end', 'staff-lee', {})).json());
    expect(ended.pauses?.[0]).toMatchObject({ state: 'ended', endedHow: 'resumed' });
    // The due moved on by exactly the time the pause held it.
    const movedOn = ended.deadlines.at(-1)!;
    expect(movedOn.heldMs).toBeGreaterThanOrEqual(50);
    expect(Date.parse(movedOn.due) - Date.parse(held.due)).toBe(movedOn.heldMs);
    expect(await page()).not.toContain('data-on-hold');
    await problem(await post('pause/end', 'staff-lee', {}), 409);
  });
  it('the arrival link: the page names the person and the place, signs once, then says when it was done', async () => {
    const res = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    const { caseId } = createdCaseSchema.parse(await res.json());
    const mail = await waitForEmail(
      (e) => e.subject.includes(caseId) && e.subject.includes('新案件'),
      30_000,
    );
    const path = actionPath(mail);
    const page = await s.app.request(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    // People and places by name, as the directory has them, not by id.
    expect(html).toContain('周强');
    expect(html).toContain('学生公寓A栋');
    // The summary in the reader's language first, the other beneath, each with its own names.
    expect(html).toMatch(
      new RegExp(
        `${caseId} [^<]* @ 学生公寓A栋 A101<div class="alt" lang="en">${caseId} [^<]* @ Dormitory A, A101<`,
      ),
    );
    const done = await postForm(s.app, path, { ...formFields(html), choice: 'acknowledge' });
    expect(done.status).toBe(200);
    // On site, the rest (analysis, rectification report) is done on the case page.
    expect(await done.text()).toContain(`<a class="button" href="/app/cases/${caseId}" data-next="true">`);
    expect((await read(caseId)).clockStatus?.find((c) => c.id === 'on_site_arrival')?.state).toBe('met');
    // Used, the link says so.
    const again = await s.app.request(path);
    expect(again.status).toBe(410);
    expect(outcomeOf(await again.text())).toBe('used');

    // An English reader reads English names and ASCII brackets, the Chinese beneath.
    const leeCase = createdCaseSchema.parse(
      await (
        await call(s.app, 'POST', '/api/cases', {
          as: 'sup-wang',
          body: newCaseBody({ assigneeId: 'staff-lee' }),
        })
      ).json(),
    ).caseId;
    const leeMail = await waitForEmail(
      (e) => e.subject.includes(leeCase) && e.subject.includes('新案件'),
      30_000,
    );
    const english = await (await s.app.request(actionPath(leeMail))).text();
    expect(english).toContain(
      `I, David Lee (staff-lee), confirm that I am now on site for case ${leeCase} &quot;水龙头漏水 Leaking tap&quot; (Dormitory A, A101).`,
    );
    expect(english).toContain(`本人 David Lee（staff-lee） 确认现已到达案件 ${leeCase}`);
    expect(english).toMatch(
      new RegExp(`@ Dormitory A, A101<div class="alt" lang="zh-CN">${leeCase} [^<]* @ 学生公寓A栋`),
    );

    // An arrival recorded another way (the app) leaves the link saying when it was done and by whom.
    const viaApp = createdCaseSchema.parse(
      await (await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() })).json(),
    ).caseId;
    const viaAppMail = await waitForEmail(
      (e) => e.subject.includes(viaApp) && e.subject.includes('新案件'),
      30_000,
    );
    const recorded = await call(s.app, 'POST', `/api/cases/${viaApp}/arrived`, {
      as: 'staff-zhou',
      body: {},
    });
    expect(recorded.status).toBe(200);
    const after = await s.app.request(actionPath(viaAppMail));
    expect(after.status).toBe(410);
    const said = await after.text();
    expect(said).toContain('已登记到场');
    expect(said).toContain('由 周强 登记到场');

    // A case that is over says so, naming its stage as people call it.
    const other = await call(s.app, 'POST', '/api/cases', { as: 'sup-wang', body: newCaseBody() });
    const second = createdCaseSchema.parse(await other.json()).caseId;
    const secondMail = await waitForEmail(
      (e) => e.subject.includes(second) && e.subject.includes('新案件'),
      30_000,
    );
    const withdrawn = await call(s.app, 'POST', `/api/cases/${second}/withdraw`, {
      as: 'sup-wang',
      body: { reason: '重复报告' },
    });
    expect(withdrawn.status).toBe(200);
    const over = await s.app.request(actionPath(secondMail));
    expect(over.status).toBe(409);
    expect(await over.text()).toContain('「已撤销」');
  });
});
