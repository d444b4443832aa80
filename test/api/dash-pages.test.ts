import path from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { opsKey } from '../../store/keys.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSessions } from '../support/page-sessions.ts';
import type { Hono } from 'hono';
import { createActivities } from '../../activities/index.ts';
import { createDutyActivities } from '../../activities/duties.ts';
import { createApp } from '../../api/app.ts';
import type { AppDeps } from '../../api/deps.ts';
import { caseSummarySchema, caseViewSchema, problemSchema } from '../../api/schemas.ts';
import { calendarBanner } from '../../api/pages/app/admin-calendar.tsx';
import { formatTime } from '../../api/pages/ui.tsx';
import { localDate } from '../../domain/calendar.ts';
import { parseCalendarFile } from '../../domain/calendar-file.ts';
import { standards } from '../../domain/standards/catalogue.ts';
import { buildWeeklyDigests, reportedWeek } from '../../domain/digest.ts';
import { saveDigests, saveTally } from '../../store/digests.ts';
import { activityCalendar, LOCAL_CALENDAR_FILE } from '../../infra/calendar.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { latestCalendarVersion } from '../../store/calendar-versions.ts';
import { testDeps, testEnv, uniqueId } from '../support/stack.ts';
import { call, newCaseBody, startApiStack, type ApiStack } from './harness.ts';
import { readFile } from 'node:fs/promises';

/**
 * The pages and API of issue 15/16's dashboard part over the real stack: a case citing a 6T
 * item, the standards page, and the calendar admin page with its versions (on an ops table of
 * this file's own, so a saved calendar never reaches another test file).
 */

let s: ApiStack;
let app: Hono;
let deps: AppDeps;
const as = pageSessions(() => deps.aws);

beforeAll(async () => {
  s = await startApiStack();
  const env = { ...s.deps.env, TABLE_OPS: uniqueId('ops-dash') };
  const aws = { ...s.deps.aws, ...testDeps(testEnv({ TABLE_OPS: env.TABLE_OPS })) };
  await ensureTables(aws.ddb, aws.tables);
  // The case counter lives in the ops table too: start this one far from the shared table's,
  // so this file's case numbers never name a workflow another file already started.
  const year = new Date().getUTCFullYear();
  await aws.ddb.send(
    new PutItemCommand({
      TableName: aws.tables.ops,
      Item: marshall({ ...opsKey.caseNumberCounter(year), n: 800_000 + Math.floor(Math.random() * 100_000) }),
    }),
  );
  deps = { ...s.deps, env, aws };
  app = createApp(deps);
});
afterAll(async () => {
  await s?.stop();
});

async function page(path: string, personId: string, lang = 'zh-CN') {
  return app.request(path, {
    headers: { cookie: `rectify_session=${(await as(personId)).id}`, 'accept-language': lang },
  });
}
async function form(path: string, personId: string, fields: Record<string, string>) {
  const who = await as(personId);
  return app.request(path, {
    method: 'POST',
    headers: { cookie: `rectify_session=${who.id}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: who.csrf }),
  });
}

describe('a case citing a 6T item', () => {
  let caseId = '';

  it('opens with itemId, keeps it as the category and shows its dimension and number in the API', async () => {
    const res = await call(app, 'POST', '/api/cases', {
      as: 'sup-wang',
      body: newCaseBody({ title: '消防通道堆物', source: 'inspection', itemId: '6t.safety.1' }),
    });
    expect(res.status).toBe(201);
    caseId = ((await res.json()) as { caseId: string }).caseId;
    const got = await call(app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' });
    const v = caseViewSchema.parse(await got.json());
    expect(v.category).toBe('6t.safety.1');
    expect(v.cited).toEqual({
      itemId: '6t.safety.1',
      dimension: 'safety',
      number: 1,
      dimensionName: { zh: '天天安全保障', en: 'Safety assured every day' },
      label: { zh: '安全 1 消防管理', en: 'Safety 1 Fire management' },
    });
    // The item names its SLA rule, as a failed inspection item's case runs under it.
    expect(v.sla.ruleId).toBe('inspection.safety');
    // Around today only: other files share the records table and some open cases dated later.
    const day = (ms: number) => new Date(Date.parse(v.openedAt) + ms).toISOString().slice(0, 10);
    const [from, to] = [day(-86_400_000), day(86_400_000)];
    const list = await call(app, 'GET', `/api/cases?buildingId=bldg-a&limit=100&from=${from}&to=${to}`, {
      as: 'sup-wang',
    });
    const items = ((await list.json()) as { items: unknown[] }).items.map((i) => caseSummarySchema.parse(i));
    expect(items.find((i) => i.caseId === caseId)?.cited?.number).toBe(1);
    // A campus date as `to` takes in that whole day: from and to the day it opened lists it,
    // whatever the hour (the campus day starts 8 hours before UTC's).
    const today = localDate(v.openedAt, deps.env.CAMPUS_TZ);
    const sameDay = await call(
      app,
      'GET',
      `/api/cases?buildingId=bldg-a&limit=100&from=${today}&to=${today}`,
      {
        as: 'sup-wang',
      },
    );
    const listed = ((await sameDay.json()) as { items: { caseId: string }[] }).items.map((i) => i.caseId);
    expect(listed).toContain(caseId);
  });

  it('refuses an item the catalogue lacks with a 422 naming itemId', async () => {
    for (const [body, field] of [
      [{ itemId: '6t.safety.99' }, 'itemId'],
      [{ itemId: '6t.safety.1', category: 'plumbing' }, 'category'],
      [{ category: '6t.feedback.42' }, 'category'],
    ] as const) {
      const res = await call(app, 'POST', '/api/cases?lang=en', { as: 'sup-wang', body: newCaseBody(body) });
      expect(res.status).toBe(422);
      const p = problemSchema.parse(await res.json());
      expect(p.errors?.[0]?.field).toBe(field);
      expect(p.errors?.[0]?.message).toMatch(/api\/standards|category/);
    }
    const bad = await call(app, 'POST', '/api/cases', {
      as: 'sup-wang',
      body: newCaseBody({ itemId: 'safety' }),
    });
    expect(bad.status).toBe(400);
  });

  it('says what is wrong with a page’s query in the page’s own language', async () => {
    const zh = await (await page('/app/dashboard?from=bogus', 'wg-chen')).text();
    expect(zh).toContain('data-errors');
    expect(zh).not.toContain('Invalid');
    const en = await (await page('/app/dashboard?from=bogus', 'wg-chen', 'en')).text();
    // Named by the form's label for the field, not the query parameter.
    expect(en).toMatch(/<li data-field="from"><a href="#dash-from">From: \S/);
    const week = await (await page('/app/dashboard/weekly?week=2026-W99', 'wg-chen')).text();
    expect(week).toContain('ISO 周，如 2026-W07');
  });

  it('a refused dashboard query is titled as an error, its summary focused on load and linking the field it marks', async () => {
    const res = await page('/app/dashboard?from=2026-03-10&to=2026-03-01', 'wg-chen');
    expect(res.status).toBe(400);
    const zh = await res.text();
    expect(zh).toMatch(/<title>错误：[^<]*<\/title>/);
    const summary = /<div [^>]*data-error-summary[\s\S]*?<\/div>/.exec(zh)?.[0] ?? '';
    expect(summary).toMatch(/^<div tabindex="-1" autofocus="" data-error-summary/);
    const href = /<a href="#([^"]+)">开始日期须早于或等于结束日期<\/a>/.exec(summary)?.[1];
    expect(href).toBe('dash-from');
    // The link's target is the field, marked invalid and described by its message.
    expect(zh).toMatch(
      new RegExp(`<input id="${href}" name="from" aria-describedby="${href}-error" aria-invalid="true"`),
    );
    expect(zh).toContain(`<p class="field-error" id="${href}-error">开始日期须早于或等于结束日期</p>`);
    expect(zh).not.toMatch(/id="dash-to"[^>]*aria-invalid/);
    // Titled in English for an English reader; a page with no error keeps its title.
    const en = await (await page('/app/dashboard?from=2026-03-10&to=2026-03-01', 'wg-chen', 'en')).text();
    expect(en).toMatch(/<title>Error: [^<]*<\/title>/);
    // A plain load stores the campus's counters of the settled weeks it reads: the weekly tests
    // below prove those are not taken for the system's first report.
    const plain = await (await page('/app/dashboard', 'wg-chen')).text();
    expect(plain).not.toMatch(/<title>错误/);
    expect(plain).not.toContain('data-error-summary');
    // A week with no report and a role refused are error pages too, said where the keyboard lands.
    for (const [path, who] of [
      ['/app/dashboard/weekly?week=2020-W10&building=bldg-a', 'sup-wang'],
      ['/app/dashboard', 'staff-zhao'],
    ] as const) {
      const refused = await (await page(path, who)).text();
      expect(refused, path).toMatch(/<title>错误：/);
      expect(refused, path).toMatch(
        /<div tabindex="-1" autofocus="" data-error-summary[^>]* class="flash error" role="alert"/,
      );
    }
  });

  /** Last week's reports, built as the Monday run stores them, in this file's own ops table. */
  async function storeLastWeeksReports(): Promise<string> {
    const lastWeek = reportedWeek(new Date().toISOString(), deps.env.CAMPUS_TZ);
    const built = buildWeeklyDigests({
      week: lastWeek,
      timeZone: deps.env.CAMPUS_TZ,
      views: [],
      directory: s.dir,
    });
    await saveDigests(deps.aws, [...built.buildings, built.workingGroup], uniqueId('dash-weekly'));
    // The campus counter the build stores beside its report, as activities/feedback.ts does.
    await saveTally(deps.aws, lastWeek, undefined, built.workingGroup.tally, true);
    return lastWeek;
  }

  it('opens last week’s report without a week, as the API does, on a supervisor’s own building without one, and takes buildingId', async () => {
    const lastWeek = await storeLastWeeksReports();

    const campus = await page('/app/dashboard/weekly', 'wg-chen');
    expect(campus.status).toBe(200);
    expect(await campus.text()).toContain(`${lastWeek} 全校`);

    // A supervisor asking for no building gets a building of theirs, as on the dashboard.
    const bare = await page(`/app/dashboard/weekly?week=${lastWeek}`, 'sup-wang');
    expect(bare.status).toBe(200);
    const bareHtml = await bare.text();
    expect(bareHtml).toContain('学生公寓A栋');
    // Inside the app the page leads back to the dashboard of the building it shows.
    expect(bareHtml).toMatch(/<nav><a href="\/app\/dashboard\?building=bldg-a">← 返回仪表盘/);
    expect((await page('/app/dashboard/weekly', 'sup-li')).status).toBe(200);
    for (const param of ['buildingId', 'building']) {
      const own = await page(`/app/dashboard/weekly?week=${lastWeek}&${param}=bldg-a`, 'sup-wang');
      expect(own.status, param).toBe(200);
      expect(await own.text(), param).toContain('学生公寓A栋');
      expect((await page(`/app/dashboard/weekly?${param}=bldg-a`, 'sup-wang')).status, param).toBe(200);
      expect((await page(`/app/dashboard/weekly?${param}=bldg-b`, 'sup-wang')).status, param).toBe(403);
    }
  });

  it('a week with no report names the building and offers the recent weeks, not a dead end', async () => {
    const lastWeek = await storeLastWeeksReports();
    const zh = await page('/app/dashboard/weekly?week=2020-W10&building=bldg-a', 'sup-wang');
    expect(zh.status).toBe(404);
    const html = await zh.text();
    expect(html).toContain('data-weekly-missing="2020-W10"');
    // A week before the system's first report is not "not built yet": it never will be.
    expect(html).toContain('data-missing-reason="before_first"');
    expect(html).toContain(`2020-W10 早于系统的第一份周报（${lastWeek}），学生公寓A栋没有该周的周报`);
    expect(html).not.toContain('尚未生成');
    expect(html).not.toContain('bldg-a 的');
    expect(html).toContain(`href="/app/dashboard/weekly?week=${lastWeek}&amp;building=bldg-a"`);
    expect(html).toContain('系统启用之前的各周没有周报');
    const en = await (
      await page('/app/dashboard/weekly?week=2020-W10&building=bldg-a', 'sup-wang', 'en')
    ).text();
    expect(en).toContain(`2020-W10 is before the system&#39;s first weekly report (${lastWeek})`);
  });

  it('a public area’s week without cases says so, not "not built yet"', async () => {
    const lastWeek = await storeLastWeeksReports();
    const res = await page(`/app/dashboard/weekly?week=${lastWeek}&buildingId=area-canteen-1`, 'wg-chen');
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('data-missing-reason="no_cases"');
    expect(html).toContain(`第一食堂 ${lastWeek} 没有案件，因此没有该周的周报`);
    expect(html).toContain(`${lastWeek}：该地点本周没有案件，因此没有周报`);
    expect(html).not.toContain('尚未生成');
    const en = await (
      await page(`/app/dashboard/weekly?week=${lastWeek}&buildingId=area-canteen-1`, 'wg-chen', 'en')
    ).text();
    expect(en).toContain(`${lastWeek}: no cases at this place that week, so no report`);
  });

  it('the campus dashboard’s sentence starts with a capital, and the complaint sample counts dormitories', async () => {
    const en = await (await page('/app/dashboard', 'lead-huang', 'en')).text();
    expect(en).toMatch(/data-scope="campus">Whole campus, /);
    expect(en).not.toContain('>whole campus,');
    expect(en).toMatch(/complaints? in all, over \d+ dormitor(y|ies)/);
    expect(en).not.toMatch(/\d+ in \d+ buildings?</);
  });

  it('the dashboard shows the standards’ case clocks beside the KPIs', async () => {
    const html = await (await page('/app/dashboard', 'wg-chen')).text();
    expect(html).toContain('标准时限（按案件计）');
    expect(html).toMatch(/data-clocks(-empty)?[ >=]/);
    // A derived target says so beside the item it is derived from.
    expect(html).toMatch(
      /<tr data-kpi="reopen_rate"[^]*?检查评估 6<\/a>[^]*?推算目标：标准未规定重开率，按维修满意率≥90%推算/,
    );
  });

  it('opens a supervisor’s dashboard on a dormitory of theirs, and takes buildingId as the lists do', async () => {
    const own = await (await page('/app/dashboard', 'sup-wang')).text();
    expect(own).toContain('data-scope="bldg-a"');
    // A target no 6T item states says where it comes from in the page's language too.
    expect(own).toContain('标准未规定异议裁决的时限：本系统默认 2 个工作日；每个时限都是一项承诺');
    expect(own).not.toContain('No standard sets');
    expect(own).toContain('标准未规定目标，仅作跟踪');
    expect(own).not.toContain('no target in the standards');
    const ownEn = await (await page('/app/dashboard', 'sup-wang', 'en')).text();
    expect(ownEn).toContain(
      'No standard sets a time limit for deciding a dispute: the system&#39;s own default, 2 working days. Every deadline is a commitment.',
    );
    const other = await page('/app/dashboard?buildingId=bldg-b', 'sup-wang');
    expect(other.status).toBe(403);
    const unknown = await page('/app/dashboard?buildingId=nope', 'sup-wang');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('没有楼栋 nope');
  });

  it('shows the citation on the case page, in the list and in its CSV export', async () => {
    const html = await (await page(`/app/cases/${caseId}`, 'sup-wang')).text();
    expect(html).toContain('data-cited="6t.safety.1"');
    expect(html).toContain('安全 1 消防管理（天天安全保障）');
    const en = await (await page(`/app/cases/${caseId}`, 'sup-wang', 'en')).text();
    expect(en).toContain('Safety 1 Fire management (Safety assured every day)');
    // This case's item around today: other files share the records table and fill building A.
    const day = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 10);
    const filter = `buildingId=bldg-a&category=6t.safety.1&from=${day(-86_400_000)}&to=${day(86_400_000)}`;
    const list = await (await page(`/app/cases?${filter}&limit=100`, 'sup-wang')).text();
    expect(list).toMatch(/data-cited="6t\.safety\.1"[^>]*>\s*安全 1 消防管理/);
    const csv = await (await page(`/app/cases/export.csv?${filter}`, 'sup-wang')).text();
    const header = csv.split('\n')[0] ?? '';
    expect(header).toContain('"标准维度","标准条目号"');
    const row = csv.split('\n').find((l) => l.includes(caseId)) ?? '';
    expect(row).toContain('"安全 1 消防管理","天天安全保障","1"');
    expect(row).not.toContain('6t.safety.1');
  });

  it('the new-case page offers every item, preselected from the standards page link', async () => {
    const html = await (await page('/app/cases/new?itemId=6t.education.7', 'sup-wang')).text();
    const items = standards.dimensions.flatMap((d) => d.items);
    for (const it of items) expect(html).toContain(`value="${it.id}"`);
    expect(html).toMatch(/value="6t\.education\.7" selected/);
  });
});

describe('the standards page', () => {
  it('lists every item by dimension, Chinese with the English gloss beside it', async () => {
    const res = await page('/app/standards', 'staff-zhou');
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const d of standards.dimensions) {
      expect(html).toContain(`data-dimension="${d.key}"`);
      for (const it of d.items) {
        expect(html).toContain(`id="${it.id}"`);
        expect(html).toContain(it.requirement.en.replace(/&/g, '&amp;').replace(/'/g, '&#39;').slice(0, 30));
      }
    }
    expect(html).toContain('楼道畅通');
    // Staff may not open cases: no link to open one; a supervisor gets it.
    expect(html).not.toContain('/app/cases/new?itemId=');
    const sup = await (await page('/app/standards', 'sup-wang', 'en')).text();
    expect(sup).toContain('/app/cases/new?itemId=6t.safety.1');
    expect(sup).toContain('Open a case citing this item');
  });
});

describe('finding the admin pages', () => {
  it('/app/admin leads to the directory page; the QR sheets are in the menu; a wrong address is a page 404', async () => {
    const admin = await page('/app/admin', 'admin-xu');
    expect(admin.status).toBe(302);
    expect(admin.headers.get('location')).toBe('/app/admin/directory');
    const nav = await (await page('/app', 'sup-wang')).text();
    expect(nav).toContain('href="/app/admin/qr"');
    expect(await (await page('/app', 'staff-zhou')).text()).not.toContain('href="/app/admin/qr"');
    const wrong = await app.request('/app/nope', {
      headers: { cookie: `rectify_session=${(await as('sup-wang')).id}`, accept: 'text/html' },
    });
    expect(wrong.status).toBe(404);
    const html = await wrong.text();
    expect(html).toContain('没有这个页面：/app/nope');
    expect(html).not.toContain('接口');
  });
});

describe('the calendar page', () => {
  const today = () => localDate(new Date().toISOString(), deps.env.CAMPUS_TZ);

  it('is for admins only', async () => {
    expect((await page('/app/admin/calendar', 'sup-wang')).status).toBe(403);
    expect((await form('/app/admin/calendar', 'sup-wang', { text: '', action: 'save' })).status).toBe(403);
  });

  it('shows the file in force and, from 1 November, the missing-year banner', async () => {
    const html = await (await page('/app/admin/calendar', 'admin-xu')).text();
    expect(html).toContain('data-calendar-origin="file"');
    // The file by its name; where the server keeps it is not shown.
    expect(html).toContain('校历文件 calendar.txt；');
    expect(html).not.toContain(path.dirname(LOCAL_CALENDAR_FILE));
    // The demo file, as it is in force: vacations are the gaps between terms, one short closure as an example.
    expect(html).toContain('学生公寓值班照常 (no closure)');
    expect(html).toContain('校庆日全校放假（示例）');
    // What a save does, as it is: cases opened from then on count with it, open cases keep theirs.
    expect(html).toContain('此后新立的案件按新版本计算期限；进行中的案件在几分钟内收到新版本');
    expect(html).not.toContain('工作进程为之后设定的每个期限读取最新版本');
    const file = await readFile(LOCAL_CALENDAR_FILE, 'utf8');
    const parsed = parseCalendarFile(file);
    if (!parsed.ok) throw new Error('demo calendar does not parse');
    // The banner is there exactly when today is on or after 1 November and next year is missing.
    expect(html.includes('data-calendar-banner')).toBe(calendarBanner(parsed.file, today()) !== null);
  });

  it('names every bad line and saves nothing', async () => {
    const text = [
      'official 2094 测试用通知（夹具）',
      'holiday 2094-10-01..2094-10-03 国庆',
      'holiday 2094-10-03 重复',
      'workday 2026-10-01 法定假日上班',
      'term 2094-13-01..2094-07-01 坏日期',
    ].join('\n');
    const res = await form('/app/admin/calendar', 'admin-xu', { text, action: 'save' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('data-line="3"');
    expect(html).toContain('第 3 行：2094-10-03 已在第 2 行列出');
    expect(html).toContain('第 4 行：2026-10-01 是法定节假日，不能设为调休上班日');
    expect(html).toContain('data-line="5"');
    expect(await latestCalendarVersion(deps.aws)).toBeNull();
  });

  it('previews each year it touches without saving', async () => {
    const text = 'official 2094 测试用通知（夹具）\nholiday 2094-10-01..2094-10-03 国庆\n';
    const res = await form('/app/admin/calendar', 'admin-xu', { text, action: 'preview' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/data-year="2094" data-source="configured"/);
    expect(html.replace(/<[^>]+>/g, '')).toContain('2094-10-01..2094-10-03');
    expect(await latestCalendarVersion(deps.aws)).toBeNull();
  });

  it('previews a closure as the deadlines count it: its make-up Saturdays are days off, the closure named', async () => {
    const text = 'closure 2026-02-10..2026-03-01 寒假（示例）\n';
    const res = await form('/app/admin/calendar', 'admin-xu', { text, action: 'preview' });
    expect(res.status).toBe(200);
    const html = await res.text();
    // As read: each date or range is kept whole on its line by a span of its own.
    const row = (/<tr data-year="2026"[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '').replace(/<[^>]+>/g, '');
    expect(row).toContain('寒假（示例） (2026-02-10..2026-03-01)');
    // 14 and 28 February 2026 are official make-up Saturdays inside the closure: not shown as worked.
    expect(row).not.toContain('2026-02-14,');
    expect(row).toContain('2026-01-04, 2026-05-09, 2026-09-20, 2026-10-10');
    expect(row).toContain('2026-02-10..2026-03-01');
    expect(await latestCalendarVersion(deps.aws)).toBeNull();
  });

  it('refuses a calendar without a working day for more than a year, which would stall every case', async () => {
    const text = Array.from({ length: 12 }, (_, i) => `closure ${2026 + i}-01-01..${2026 + i}-12-31 x`).join(
      '\n',
    );
    for (const action of ['preview', 'save']) {
      const res = await form('/app/admin/calendar', 'admin-xu', { text, action });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('data-calendar-errors');
      expect(html).toContain('2026-01-01 至 2037-12-31 没有一个工作日');
    }
    expect(await latestCalendarVersion(deps.aws)).toBeNull();
  });

  it('says what is wrong with a line in Chinese by default', async () => {
    const res = await form('/app/admin/calendar', 'admin-xu', {
      text: 'closure 2027-02-30 x',
      action: 'preview',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('第 1 行：开始日期：不是有效的 YYYY-MM-DD 日期');
    expect(html).not.toContain('not a valid YYYY-MM-DD date');
  });

  it('gives an over-long text back in the box with a 413, so the edit is not lost', async () => {
    const marker = 'closure 2027-07-10..2027-08-29 暑假 # 管理员刚改的一行';
    const text = `${marker}\n${'# 注释 comment padding\n'.repeat(6_000)}`;
    expect(text.length).toBeGreaterThan(100_000);
    const res = await form('/app/admin/calendar', 'admin-xu', { text, action: 'save', note: '太长' });
    expect(res.status).toBe(413);
    const html = await res.text();
    const box = /<textarea[^>]*id="cal-text"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? '';
    expect(box).toContain(marker);
    expect(box.length).toBeGreaterThanOrEqual(text.length);
    expect(html).toContain('提交的内容已放回下方文本框');
    expect(html).toContain('value="太长"');
    // One too large to put back in a page says so plainly, still 413.
    const huge = await form('/app/admin/calendar', 'admin-xu', {
      text: 'x'.repeat(1_000_001),
      action: 'save',
    });
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain('内容太大，无法放回文本框');
    // A file uploaded in place of the text cannot be read as the calendar: said so, nothing saved.
    const who = await as('admin-xu');
    const upload = new FormData();
    upload.set('_csrf', who.csrf);
    upload.set('action', 'save');
    upload.set('text', new Blob([text]), 'calendar.txt');
    const sent = await app.request('/app/admin/calendar', {
      method: 'POST',
      headers: { cookie: `rectify_session=${who.id}` },
      body: upload,
    });
    expect(sent.status).toBe(413);
    expect(await sent.text()).toContain('校历文件内容无法读取：它是作为文件上传的');
    expect(await latestCalendarVersion(deps.aws)).toBeNull();
  });

  it('saves a new version that the worker and GET /api/calendar use at once, without a restart', async () => {
    const plan = createActivities({
      ...s.activityDeps,
      ...deps.aws,
      currentCalendar: activityCalendar(deps.env, deps.aws),
    }).planDeadline;
    const input = {
      start: '2094-09-28T10:00:00+08:00',
      duration: { unit: 'working_days', amount: 5 } as const,
      timeZone: 'Asia/Shanghai',
      fractions: [0.5],
    };
    const duties = createDutyActivities({
      ...s.activityDeps,
      ...deps.aws,
      currentCalendar: activityCalendar(deps.env, deps.aws),
    });
    const termDuty = () =>
      duties.planDuties({
        date: '2094-10-20',
        timeZone: 'Asia/Shanghai',
        buildingIds: ['bldg-a'],
        dutyIds: ['accommodation-verification'],
      });
    const before = await plan(input);
    expect(before.approximate).toBe(true);
    // No term of 2094 in the file: no term duty.
    expect(await termDuty()).toEqual([]);
    expect(
      (await call(app, 'GET', '/api/calendar/2094', { as: 'staff-zhou' }).then((r) => r.json())) as unknown,
    ).toMatchObject({
      source: 'missing',
    });

    const demo = await readFile(LOCAL_CALENDAR_FILE, 'utf8');
    const text = `${demo}\nofficial 2094 测试用通知（夹具）\nholiday 2094-10-01..2094-10-07 国庆\nterm 2094-09-06..2095-01-14 2094秋 / autumn 2094\n`;
    const res = await form('/app/admin/calendar', 'admin-xu', { text, action: 'save', note: '测试' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app/admin/calendar?saved=1');
    expect(await latestCalendarVersion(deps.aws)).toMatchObject({
      number: 1,
      savedBy: 'admin-xu',
      note: '测试',
    });

    const after = await plan(input);
    // The duty calendar reads the saved version's terms too, not only CALENDAR_FILE's.
    expect((await termDuty()).map((o) => [o.period, o.dueDate])).toEqual([['term-2094-09-06', '2095-01-14']]);
    // From Tue 28 Sep the National Day week is off: five working days end on Tue 12 Oct (weekends
    // only, they ended on Tue 5 Oct).
    expect(before.due).toBe('2094-10-05T10:00:00.000Z');
    expect(after).toMatchObject({ approximate: false, due: '2094-10-12T10:00:00.000Z' });
    expect(after.calendarVersion).not.toBe(before.calendarVersion);
    const y = (await (await call(app, 'GET', '/api/calendar/2094', { as: 'staff-zhou' })).json()) as {
      source: string;
      holidays: string[];
    };
    expect(y.source).toBe('configured');
    expect(y.holidays).toContain('2094-10-07');

    const html = await (await page('/app/admin/calendar?saved=1', 'admin-xu')).text();
    expect(html).toContain('data-calendar-saved="1"');
    expect(html).toContain('data-calendar-origin="saved"');
    expect(html).toContain('data-version="1"');
    // Who saved it by name and when on the campus clock, not an id and a UTC timestamp.
    const v1 = (await latestCalendarVersion(deps.aws))!;
    const savedAt = formatTime(v1.savedAt, deps.env.CAMPUS_TZ);
    const inForce = (h: string) => /data-calendar-origin="saved"[^>]*>([^<]*)/.exec(h)?.[1] ?? '';
    expect(inForce(html)).toContain(`当前生效：第 1 版（徐管理，${savedAt}）。`);
    expect(inForce(html)).not.toContain(v1.savedAt);
    const row = /<tr data-version="1">(.*?)<\/tr>/s.exec(html)?.[1] ?? '';
    expect(row).toContain('<td>徐管理</td>');
    expect(row).toContain(`>${savedAt}</time>`);
    expect(row).not.toContain('admin-xu');
    const en = await (await page('/app/admin/calendar', 'admin-xu', 'en')).text();
    expect(inForce(en)).toContain(`In force: version 1 (徐管理, ${savedAt}).`);
    // A second save is the next version; the first stays.
    await form('/app/admin/calendar', 'admin-xu', { text: `${text}# 再存一次\n`, action: 'save' });
    expect(await latestCalendarVersion(deps.aws)).toMatchObject({ number: 2 });
  });
});
