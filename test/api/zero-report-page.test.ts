import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZeroBoard } from '../../api/routes/zero-report.tsx';
import { formatTime } from '../../api/pages/ui.tsx';
import { gridCells, zeroReportLimits } from '../../domain/zero-report.ts';
import { createSession } from '../../store/sessions.ts';
import { zeroNightQuery } from '../../workflows/zero-report/messages.ts';
import { zeroReportNight } from '../../workflows/zero-report/workflow.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { call, postForm, startApiStackOn, waitForEmail, type ApiStack } from './harness.ts';

/**
 * The grid member's report page (`/zero-report/{night}/report`, a phone form posting to the same
 * store logic as the API), the ask email pointing to it, corrections kept on the board, and the
 * board's times in campus time. Own tables and a night of its own far ahead, so the night stays
 * open while the file runs.
 */
const tables = ownTables(uniqueId('zero-page'));
const NIGHT = `20${50 + Math.floor(Math.random() * 49)}-11-07`;
const PAGE = `/zero-report/${NIGHT}/report`;
let s: ApiStack;
let night: WorkflowHandle<typeof zeroReportNight>;

beforeAll(async () => {
  s = await startApiStackOn(tables);
  night = await s.deps.temporal.workflow.start(zeroReportNight, {
    taskQueue: s.deps.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueId('zero-night'),
    args: [{ night: NIGHT }],
  });
  for (let i = 0; i < 300 && (await night.query(zeroNightQuery)).phase !== 'open'; i++)
    await new Promise((r) => setTimeout(r, 100));
  expect((await night.query(zeroNightQuery)).phase).toBe('open');
});
afterAll(async () => {
  await night?.terminate('test over').catch(() => undefined);
  await s?.stop();
});

async function signedIn(personId: string) {
  const session = await createSession(s.deps.aws, { personId, via: 'link' });
  return { cookie: `rectify_session=${session.id}`, csrf: session.csrfToken };
}

async function board(): Promise<ZeroBoard> {
  const res = await call(s.app, 'GET', `/api/zero-reports/${NIGHT}`, { as: 'sup-wang' });
  expect(res.status).toBe(200);
  return (await res.json()) as ZeroBoard;
}
const cellOf = async (cellId: string) => (await board()).cells.find((c) => c.cellId === cellId);

describe('the ask email', () => {
  it('points to the report page for late and absent returns, not to a raw API call', async () => {
    const to = s.dir.people.find((p) => p.id === 'grid-a1c1')?.email ?? '';
    const mail = await waitForEmail((e) => e.subject.includes(`【零报告】${NIGHT}`) && e.to.includes(to));
    expect(mail.text).toContain(`${s.deps.publicBaseUrl}${PAGE}`);
    expect(mail.text).toContain('有晚归或未归：请在手机上逐人填写上报');
    expect(mail.text).toContain('Someone late or absent: enter each one on your phone');
    expect(mail.text).not.toContain('POST /api/zero-reports');
  });
});

describe('the report page', () => {
  it('shows a grid member their cell with a one-tap "none", rows for late and absent, and the CSRF token', async () => {
    const { cookie, csrf } = await signedIn('grid-a1c1');
    const res = await s.app.request(PAGE, { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN"');
    expect(html).toContain(`name="_csrf" value="${csrf}"`);
    expect(html).toContain('无晚归、未归 — 一键上报');
    for (const f of ['late.0.room', 'late.0.name', 'late.1.note', 'absent.0.room', 'absent.1.name'])
      expect(html).toContain(`name="${f}"`);
    expect(html).toContain('name="cellId" value="L3:a-f1-c1"');
    expect(html).toContain('今晚尚未上报');
    expect(html).toContain('width=device-width');
    const en = await s.app.request(`${PAGE}?lang=en`, { headers: { cookie } });
    expect(await en.text()).toContain('<html lang="en"');
  });

  it('is in the app’s shell, as the board is: the menu, the language switch and sign-out for a session', async () => {
    const { cookie, csrf } = await signedIn('grid-a1c1');
    for (const page of [PAGE, `/zero-report/${NIGHT}`]) {
      const html = await (await s.app.request(page, { headers: { cookie } })).text();
      expect(html, page).toContain('<nav class="main"');
      expect(html, page).toContain('<a href="/app"');
      expect(html, page).toContain('<a href="/zero-report" aria-current="page">零报告</a>');
      expect(html, page).toMatch(
        new RegExp(`<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${csrf}"`),
      );
      expect(html, page).toContain(`href="${page}?lang=en"`);
      expect(html.match(/<style/g), page).toHaveLength(1);
    }
    // A bearer token has no session to sign out of: the shell without it.
    const bearer = await (await call(s.app, 'GET', `/zero-report/${NIGHT}`, { as: 'sup-wang' })).text();
    expect(bearer).toContain('<header class="top"');
    expect(bearer).not.toContain('action="/logout"');
  });

  it('names each row by its list and number, a group of its own, with headings in order', async () => {
    const { cookie } = await signedIn('grid-a1c1');
    for (const [lang, name] of [
      ['zh-CN', (k: string, i: number) => `${k === 'late' ? '晚归' : '未归'} 第 ${i + 1} 人`],
      ['en', (k: string, i: number) => `${k === 'late' ? 'Late' : 'Absent'}, person ${i + 1}`],
    ] as const) {
      const html = await (await s.app.request(`${PAGE}?lang=${lang}`, { headers: { cookie } })).text();
      // A group is what follows its <fieldset> up to the next one: a row's own fields and its legend.
      const groups = html.split('<fieldset').slice(1);
      for (const k of ['late', 'absent'])
        for (const i of [0, 1]) {
          const group = groups.filter((g) => g.includes(`name="${k}.${i}.room"`));
          expect(group, `${k}.${i}`).toHaveLength(1);
          expect(group[0], `${k}.${i}`).toMatch(new RegExp(`^[^>]*><legend[^>]*>${name(k, i)}</legend>`));
          for (const f of ['name', 'note']) expect(group[0], `${k}.${i}`).toContain(`name="${k}.${i}.${f}"`);
        }
      // No level skipped: the rows' names are legends, not headings under the page's h1.
      const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
      levels.forEach((l, i) => expect(l, `heading ${i}`).toBeLessThanOrEqual((levels[i - 1] ?? 0) + 1));
    }
  });

  it('lets no field take more than the report takes: maxlength from zeroReportLimits', async () => {
    const { cookie } = await signedIn('grid-a1c1');
    const html = await (await s.app.request(PAGE, { headers: { cookie } })).text();
    for (const k of ['late', 'absent'])
      for (const f of ['room', 'name', 'note'] as const) {
        const input = new RegExp(`<input[^>]*name="${k}\\.1\\.${f}"[^>]*>`).exec(html)?.[0];
        expect(input, `${k}.1.${f}`).toContain(`maxlength="${zeroReportLimits[f]}"`);
      }
    expect(zeroReportLimits.note).toBe(200);
  });

  it('is for grid members: another role is refused', async () => {
    const { cookie } = await signedIn('sup-wang');
    expect((await s.app.request(PAGE, { headers: { cookie } })).status).toBe(403);
  });

  it('adds a row keeping what was typed, refuses a post without the CSRF token', async () => {
    const { cookie, csrf } = await signedIn('grid-a1c2');
    const typed = { lateRows: '2', absentRows: '2', 'late.0.room': 'A104', 'late.0.name': '王五' };
    const more = await postForm(s.app, PAGE, { _csrf: csrf, ...typed, add: 'late' }, { cookie });
    expect(more.status).toBe(200);
    const html = await more.text();
    expect(html).toContain('name="late.2.room"');
    expect(html).toContain('value="王五"');
    expect(html).toContain('name="lateRows" value="3"');
    expect((await cellOf('L3:a-f1-c2'))?.status).toBe('missing');

    const forged = await postForm(s.app, PAGE, { ...typed, kind: 'list' }, { cookie });
    expect(forged.status).toBe(403);
    expect((await cellOf('L3:a-f1-c2'))?.status).toBe('missing');
  });

  it('refuses on the page, beside the row, a room outside the cell, and "none" with names typed', async () => {
    const { cookie, csrf } = await signedIn('grid-a1c2');
    const res = await postForm(
      s.app,
      PAGE,
      {
        _csrf: csrf,
        lateRows: '2',
        absentRows: '2',
        'late.1.room': 'B101',
        'late.1.name': '赵六',
        kind: 'list',
      },
      { cookie },
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('房间 B101 不在网格 L3:a-f1-c2 内');
    expect(html).toContain('value="赵六"');
    const none = await postForm(
      s.app,
      PAGE,
      { _csrf: csrf, lateRows: '2', absentRows: '2', 'absent.0.room': 'A104', kind: 'none' },
      { cookie },
    );
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('名单中已填写了晚归或未归的人');
    expect((await cellOf('L3:a-f1-c2'))?.status).toBe('missing');
  });

  it('reports the late and absent list through the same logic as the API, then "none" in one tap', async () => {
    const { cookie, csrf } = await signedIn('grid-a1c1');
    const res = await postForm(
      s.app,
      PAGE,
      {
        _csrf: csrf,
        cellId: 'L3:a-f1-c1',
        lateRows: '2',
        absentRows: '2',
        'late.1.room': 'a103',
        'late.1.name': '张三',
        'late.1.note': '23:05',
        'absent.0.room': 'A102',
        'absent.0.name': '李四',
        kind: 'list',
      },
      { cookie },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${PAGE}?sent=1`);
    const listed = await cellOf('L3:a-f1-c1');
    expect(listed).toMatchObject({
      status: 'reported',
      corrected: false,
      report: {
        via: 'page',
        personId: 'grid-a1c1',
        late: [{ room: 'A103', name: '张三', note: '23:05' }],
        absent: [{ room: 'A102', name: '李四' }],
      },
    });
    const shown = await (await s.app.request(`${PAGE}?sent=1`, { headers: { cookie } })).text();
    expect(shown).toContain('已上报，谢谢');
    expect(shown).toContain('晚归 1 人（A103 张三）');
    // The rows on record are filled in, to correct them.
    expect(shown).toContain('value="A103"');

    const none = await postForm(
      s.app,
      PAGE,
      { _csrf: csrf, cellId: 'L3:a-f1-c1', lateRows: '2', absentRows: '2', kind: 'none' },
      { cookie },
    );
    expect(none.status).toBe(303);
    const after = await cellOf('L3:a-f1-c1');
    expect(after).toMatchObject({ status: 'none', corrected: true, report: { via: 'page', none: true } });
    expect(after?.report?.earlier).toMatchObject([{ absent: [{ room: 'A102', name: '李四' }] }]);
  });

  it('is reached tonight from the fixed address /zero-report (the board for others)', async () => {
    const { localDate } = await import('../../domain/calendar.ts');
    const tonight = localDate(new Date().toISOString(), s.deps.env.CAMPUS_TZ);
    const grid = await call(s.app, 'GET', '/zero-report?lang=en', { as: 'grid-a1c1' });
    expect(grid.status).toBe(302);
    expect(grid.headers.get('location')).toBe(`/zero-report/${tonight}/report?lang=en`);
    const sup = await call(s.app, 'GET', '/zero-report', { as: 'sup-wang' });
    expect(sup.headers.get('location')).toBe(`/zero-report/${tonight}`);
  });

  it('before tonight’s round opens, leads to last night’s board instead of a page saying it has not begun', async () => {
    const { localDate } = await import('../../domain/calendar.ts');
    const { saveNight } = await import('../../store/zero-reports.ts');
    const tonight = localDate(new Date().toISOString(), s.deps.env.CAMPUS_TZ);
    const lastNight = new Date(Date.parse(`${tonight}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const at = new Date(Date.parse(`${lastNight}T14:20:00Z`)).toISOString();
    await saveNight(
      { ddb: s.deps.aws.ddb, tables: s.deps.aws.tables },
      {
        night: lastNight,
        workflowId: uniqueId('last-night'),
        openedAt: at,
        closeAt: at,
        acceptUntil: at,
        cells: [],
      },
    );
    const res = await call(s.app, 'GET', '/zero-report', { as: 'grid-a1c1' });
    expect(res.headers.get('location')).toBe(`/zero-report/${lastNight}`);
    expect((await call(s.app, 'GET', `/zero-report/${lastNight}`, { as: 'grid-a1c1' })).status).toBe(200);
  });

  it('before tonight’s round opens, says so on a page of its own (200, not "not found"), linking last night’s board', async () => {
    const { localDate } = await import('../../domain/calendar.ts');
    const tonight = localDate(new Date().toISOString(), s.deps.env.CAMPUS_TZ);
    // The test before stored last night's run.
    const lastNight = new Date(Date.parse(`${tonight}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const { cookie } = await signedIn('grid-a1c1');
    const open = (path: string) => s.app.request(path, { headers: { cookie, accept: 'text/html' } });
    for (const path of [`/zero-report/${tonight}/report`, `/zero-report/${tonight}`]) {
      const res = await open(path);
      expect([path, res.status]).toEqual([path, 200]);
      const html = await res.text();
      expect(html).toContain('<h1>今晚零报告尚未开始</h1>');
      expect(html).not.toContain('未找到');
      expect(html).toContain(`data-not-opened="${tonight}"`);
      expect(html).toContain(`今晚（${tonight}）的零报告 22:20 开始，22:40 截止`);
      expect(html).toContain(`href="/zero-report/${lastNight}"`);
    }
    const en = await (await open(`/zero-report/${tonight}/report?lang=en`)).text();
    expect(en).toContain('<h1>Tonight’s zero report has not started</h1>');
    expect(en).toContain(`href="/zero-report/${lastNight}?lang=en"`);
    // The API keeps its 404; a past night with no run on record is not found, on a page too.
    expect((await call(s.app, 'GET', `/api/zero-reports/${tonight}`, { as: 'grid-a1c1' })).status).toBe(404);
    const past = await open('/zero-report/2001-03-04/report');
    expect(past.status).toBe(404);
    expect(await past.text()).toContain('2001-03-04 晚没有零报告记录');
  });

  it('is linked from the board for a grid member', async () => {
    const { cookie } = await signedIn('grid-a1c1');
    const html = await (await s.app.request(`/zero-report/${NIGHT}`, { headers: { cookie } })).text();
    expect(html).toContain(`href="${PAGE}"`);
    expect(html).toContain('上报本网格情况');
    const sup = await signedIn('sup-wang');
    const supHtml = await (
      await s.app.request(`/zero-report/${NIGHT}`, { headers: { cookie: sup.cookie } })
    ).text();
    expect(supHtml).not.toContain(`href="${PAGE}"`);
  });
});

describe('a grid member on none of the night’s cells', () => {
  // The directory changed after the night opened: grid-a1c1 is on cluster a-f1-c1 now, but the
  // night's cells, fixed at its opening, still name whom it had then.
  const OTHER = NIGHT.replace(/-11-07$/, '-11-08');
  const OPENED = `${OTHER}T14:20:00.000Z`;
  beforeAll(async () => {
    const { saveNight } = await import('../../store/zero-reports.ts');
    const cells = gridCells(s.dir).map((c) =>
      c.cellId === 'L3:a-f1-c1' ? { ...c, memberIds: ['grid-a1c2'] } : c,
    );
    expect(cells.some((c) => c.memberIds.includes('grid-a1c1'))).toBe(false);
    await saveNight(
      { ddb: s.deps.aws.ddb, tables: s.deps.aws.tables },
      {
        night: OTHER,
        workflowId: uniqueId('no-run'),
        openedAt: OPENED,
        closeAt: `${OTHER}T14:40:00.000Z`,
        acceptUntil: `${OTHER}T15:40:00.000Z`,
        cells,
      },
    );
  });
  const opened = () => formatTime(OPENED, s.deps.env.CAMPUS_TZ);
  const zhSaid = () =>
    `您不是 ${OTHER} 晚零报告中任何网格的网格员：当晚的网格及其网格员在零报告开始时（${opened()}）已确定`;

  it('is told so by the API (403), when it reports and when it names a cell, and who reports tonight', async () => {
    for (const body of [{ none: true }, { cellId: 'L3:a-f1-c1', none: true }]) {
      const res = await call(s.app, 'POST', `/api/zero-reports/${OTHER}?lang=en`, { as: 'grid-a1c1', body });
      expect(res.status).toBe(403);
      const { detail } = (await res.json()) as { detail: string };
      expect(detail).toContain(
        `You are not a grid member of any cell in the zero report of ${OTHER}: its cells and their grid members were fixed when it opened (${opened()})`,
      );
      expect(detail).toContain('is reported by A102寝室组网格员');
      expect(detail).not.toContain('several cells');
      expect(detail).not.toContain('()');
    }
  });

  it('is told the same on the report page, opened and posted', async () => {
    const { cookie, csrf } = await signedIn('grid-a1c1');
    const headers = { cookie, accept: 'text/html' };
    const page = await s.app.request(`/zero-report/${OTHER}/report`, { headers });
    const posted = await postForm(
      s.app,
      `/zero-report/${OTHER}/report`,
      { _csrf: csrf, cellId: 'L3:a-f1-c1', lateRows: '2', absentRows: '2', kind: 'none' },
      headers,
    );
    for (const res of [page, posted]) {
      expect(res.status).toBe(403);
      const html = await res.text();
      expect(html).toContain(zhSaid());
      expect(html).toContain('由 A102寝室组网格员 上报');
      expect(html).not.toContain('多个网格');
    }
  });
});

describe('a correction keeps what was reported before', () => {
  it('late and absent, then "none": both 201, the JSON carries the earlier report, the board shows it as corrected', async () => {
    const first = await call(s.app, 'POST', `/api/zero-reports/${NIGHT}`, {
      as: 'grid-b1c1',
      body: { late: [{ room: 'B101', name: '周七' }], absent: [{ room: 'B102', name: '吴八' }] },
    });
    expect(first.status).toBe(201);
    const second = await call(s.app, 'POST', `/api/zero-reports/${NIGHT}`, {
      as: 'grid-b1c1',
      body: { none: true },
    });
    expect(second.status).toBe(201);
    const cell = await cellOf('L3:b-f1-c1');
    expect(cell?.status).toBe('none');
    expect(cell?.corrected).toBe(true);
    expect(cell?.report?.earlier).toHaveLength(1);
    expect(cell?.report?.earlier[0]).toMatchObject({
      personId: 'grid-b1c1',
      byName: expect.any(String),
      late: [{ room: 'B101', name: '周七' }],
      absent: [{ room: 'B102', name: '吴八' }],
    });
    // Sent again as it stands, a report is not a correction: no second earlier version.
    expect(
      (await call(s.app, 'POST', `/api/zero-reports/${NIGHT}`, { as: 'grid-b1c1', body: { none: true } }))
        .status,
    ).toBe(201);
    expect((await cellOf('L3:b-f1-c1'))?.report?.earlier).toHaveLength(1);

    const html = await (await call(s.app, 'GET', `/zero-report/${NIGHT}`, { as: 'sup-wang' })).text();
    expect(html).toContain('已更正');
    expect(html).toContain('此前上报');
    expect(html).toContain('未归 1 人（B102 吴八）');
  });
});

describe('the board’s times', () => {
  it('are campus wall-clock times, not raw UTC instants', async () => {
    const cell = await cellOf('L3:b-f1-c1');
    const at = cell?.report?.at ?? '';
    expect(at).not.toBe('');
    const html = await (await call(s.app, 'GET', `/zero-report/${NIGHT}`, { as: 'sup-wang' })).text();
    expect(html).toContain(formatTime(at, s.deps.env.CAMPUS_TZ));
    expect(html).not.toContain(at);
    expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
  });
});
