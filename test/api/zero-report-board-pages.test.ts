import { beforeAll, describe, expect, it } from 'vitest';
import { BOARD_PAGE_CELLS } from '../../api/routes/zero-board-paging.ts';
import type { ZeroBoard } from '../../api/routes/zero-report.tsx';
import { gridCells, type ReturnEntry, type ZeroCell } from '../../domain/zero-report.ts';
import { createSession } from '../../store/sessions.ts';
import { saveNight, saveReport } from '../../store/zero-reports.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { seedDemo, uniqueId } from '../support/stack.ts';

/**
 * The board at a campus's scale: its cells a page at a time (the demo grid and more cells than a
 * page holds after it), each list's first rows with the rest on the cell's own view; and the
 * report page's refusals as the shared error summary. Own tables, a night stored as the run
 * stores it, open for two hours from now; no run (the page falls back to the night's times).
 */
const own = appOnOwnTables('zero-board-pages');
const NIGHT = `20${50 + Math.floor(Math.random() * 49)}-10-09`;
const MIN = 60_000;
const EXTRA = BOARD_PAGE_CELLS + 7;
let cells: ZeroCell[];

const rows = (prefix: string, n: number): ReturnEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    room: `R${String(i + 1).padStart(3, '0')}`,
    name: `${prefix}${String(i + 1).padStart(2, '0')}号`,
  }));
const unescape = (html: string) => html.replaceAll('&amp;', '&');

beforeAll(async () => {
  const dir = await seedDemo(own.deps);
  const extra: ZeroCell[] = Array.from({ length: EXTRA }, (_, i) => ({
    cellId: `L3:extra-${i + 1}`,
    level: 3,
    buildingId: 'bldg-a',
    floorId: 'a-f1',
    name: { zh: `加测网格${i + 1}号`, en: `Extra cell no.${i + 1}` },
    memberIds: [],
    rooms: [`X${i + 1}`],
  }));
  cells = [...gridCells(dir), ...extra];
  const now = Date.now();
  await saveNight(own.deps, {
    night: NIGHT,
    workflowId: uniqueId('no-run'),
    openedAt: new Date(now - 10 * MIN).toISOString(),
    closeAt: new Date(now + 120 * MIN).toISOString(),
    acceptUntil: new Date(now + 180 * MIN).toISOString(),
    cells,
  });
  const report = (cellId: string, late: ReturnEntry[], absent: ReturnEntry[]) =>
    saveReport(own.deps, {
      night: NIGHT,
      cellId,
      personId: 'grid-a1c1',
      via: 'api',
      at: new Date(now - 5 * MIN).toISOString(),
      none: false,
      afterClose: false,
      late,
      absent,
    });
  await report('L3:a-f1-c1', rows('晚归生', 30), []);
  await report(`L3:extra-${EXTRA}`, [], rows('未归生', 12));
});

async function page(personId: string, path: string) {
  const s = await createSession(own.deps, { personId, via: 'link' });
  const res = await own.app.request(path, { headers: { cookie: `rectify_session=${s.id}` } });
  return {
    status: res.status,
    html: unescape(await res.text()),
    csrf: s.csrfToken,
    cookie: `rectify_session=${s.id}`,
  };
}
const board = (query = '') => page('sup-wang', `/zero-report/${NIGHT}${query}`);
const hrefOf = (html: string, rel: string) =>
  new RegExp(`<a [^>]*href="([^"]*)" rel="${rel}"`).exec(html)?.[1];

describe('a cell with more rows than the board shows', () => {
  it('shows the first 10 and how many more, and the link leads to all 30, then back to its row', async () => {
    const { status, html } = await board();
    expect(status).toBe(200);
    for (let i = 1; i <= 10; i++) expect(html).toContain(`晚归生${String(i).padStart(2, '0')}号`);
    for (let i = 11; i <= 30; i++) expect(html).not.toContain(`晚归生${i}号`);
    const cellHref = `/zero-report/${NIGHT}?cell=L3%3Aa-f1-c1`;
    expect(html).toContain(`<a href="${cellHref}" data-more="20">另有 20 人</a>`);

    const full = await board('?cell=L3%3Aa-f1-c1');
    expect(full.status).toBe(200);
    for (let i = 1; i <= 30; i++)
      expect(full.html).toContain(`<td>晚归生${String(i).padStart(2, '0')}号</td>`);
    // The board's first page, at the cell's row.
    expect(full.html).toContain(`href="/zero-report/${NIGHT}#cell-L3:a-f1-c1"`);
    expect((await board()).html).toContain('id="cell-L3:a-f1-c1"');
  });

  it('scrolls each of the cell’s lists in its own region on a phone, as the board’s table does', async () => {
    const full = await board('?cell=L3%3Aa-f1-c1');
    expect(full.html).toMatch(
      /<div class="table-wrap" role="region" tabindex="0" aria-label="晚归"><table>[\s\S]*?<td>晚归生30号<\/td>/,
    );
    // Every table of the view is inside one.
    const tables = full.html.match(/<table/g) ?? [];
    expect(tables.length).toBeGreaterThan(0);
    expect(
      full.html.match(/<div class="table-wrap" role="region" tabindex="0" aria-label="[^"]+"><table/g),
    ).toHaveLength(tables.length);
    const en = await board('?cell=L3%3Aa-f1-c1&lang=en');
    expect(en.html).toContain('<div class="table-wrap" role="region" tabindex="0" aria-label="Late"><table>');
  });

  it('in English too, the language kept by the link', async () => {
    const { html } = await board('?lang=en');
    expect(html).toContain(
      `<a href="/zero-report/${NIGHT}?cell=L3%3Aa-f1-c1&lang=en" data-more="20">20 more</a>`,
    );
  });

  it('leaves the JSON board as it was: every cell and every row', async () => {
    const s = await createSession(own.deps, { personId: 'sup-wang', via: 'link' });
    const res = await own.app.request(`/api/zero-reports/${NIGHT}`, {
      headers: { cookie: `rectify_session=${s.id}` },
    });
    const json = (await res.json()) as ZeroBoard;
    expect(json.cells).toHaveLength(cells.length);
    expect(json.cells.find((c) => c.cellId === 'L3:a-f1-c1')?.report?.late).toHaveLength(30);
  });
});

describe('a night with more cells than a page', () => {
  it('shows a page of cells with a count line and a next page that holds the rest, and back', async () => {
    const total = cells.length;
    const first = await board();
    expect(first.html).toContain(`共 ${total} 个网格，第 1–${BOARD_PAGE_CELLS} 个`);
    // The count line over the whole night stays, as it was.
    expect(first.html).toContain(
      `网格 ${total} 个，已报 2（其中报&quot;无&quot; 0），尚未上报 ${total - 2}；`,
    );
    const shownFirst = cells.slice(0, BOARD_PAGE_CELLS);
    for (const c of shownFirst) expect(first.html).toContain(`id="cell-${c.cellId}"`);
    const rest = cells.slice(BOARD_PAGE_CELLS);
    for (const c of rest) expect(first.html).not.toContain(`id="cell-${c.cellId}"`);
    expect(hrefOf(first.html, 'prev')).toBeUndefined();

    const next = hrefOf(first.html, 'next');
    expect(next).toBe(`/zero-report/${NIGHT}?after=${encodeURIComponent(shownFirst.at(-1)?.cellId ?? '')}`);
    const second = await board(next?.slice(`/zero-report/${NIGHT}`.length));
    expect(second.status).toBe(200);
    expect(second.html).toContain(`共 ${total} 个网格，第 ${BOARD_PAGE_CELLS + 1}–${total} 个`);
    expect(second.html).toContain(`尚未上报 ${total - 2}；`);
    for (const c of rest) expect(second.html).toContain(`id="cell-${c.cellId}"`);
    for (const c of shownFirst) expect(second.html).not.toContain(`id="cell-${c.cellId}"`);
    // In the order the night keeps.
    const order = [...second.html.matchAll(/id="cell-([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(rest.map((c) => c.cellId));
    expect(hrefOf(second.html, 'next')).toBeUndefined();
    expect(hrefOf(second.html, 'prev')).toBe(`/zero-report/${NIGHT}`);

    // A cell of the second page: its view leads back to that page, and the rows past 10 are there.
    const last = `L3:extra-${EXTRA}`;
    expect(second.html).toContain('另有 2 人');
    const view = await board(`?cell=${encodeURIComponent(last)}`);
    expect(view.html).toContain('<td>未归生12号</td>');
    expect(view.html).toContain(`href="${next}#cell-${last}"`);
  });

  it('in English, keeping the language from page to page', async () => {
    const { html } = await board('?lang=en');
    expect(html).toContain(`${cells.length} cells, 1–${BOARD_PAGE_CELLS} shown`);
    expect(hrefOf(html, 'next')).toMatch(/^\/zero-report\/[\d-]+\?after=[^"&]+&lang=en$/);
  });

  it('answers 404 for a key that is no cell of the night, and 400 for two keys at once', async () => {
    expect((await board('?after=L3%3Anowhere')).status).toBe(404);
    expect((await board('?cell=L3%3Anowhere')).status).toBe(404);
    expect((await board('?after=L3%3Aa-f1-c1&before=L3%3Aa-f1-c2')).status).toBe(400);
  });
});

describe('a refused report', () => {
  const post = async (fields: Record<string, string>) => {
    const { cookie, csrf } = await page('grid-a1c1', `/zero-report/${NIGHT}/report`);
    const res = await own.app.request(`/zero-report/${NIGHT}/report`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        _csrf: csrf,
        cellId: 'L3:a-f1-c1',
        lateRows: '2',
        absentRows: '2',
        kind: 'list',
        ...fields,
      }).toString(),
    });
    return { status: res.status, html: unescape(await res.text()) };
  };
  const summary = (html: string) => /<div [^>]*data-error-summary[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

  it('comes back titled as an error, its summary focused and linking the field in error', async () => {
    const { status, html } = await post({ 'late.0.name': '张三' });
    expect(status).toBe(400);
    expect(html).toMatch(/<title>错误：[^<]*<\/title>/);
    const box = summary(html);
    expect(box).toMatch(/^<div tabindex="-1" autofocus="" data-error-summary/);
    expect(box).toMatch(/<a href="#f-late\.0\.room">晚归 第 1 人 房间：[^<]+<\/a>/);
    // The link's target is the field, invalid and described by its message.
    expect(html).toMatch(
      /<input id="f-late\.0\.room" name="late\.0\.room" aria-describedby="f-late\.0\.room-error" aria-invalid="true"/,
    );
    expect(html).toContain('id="f-late.0.room-error"');
  });

  it('naming no field, links the form; a page not refused keeps its title', async () => {
    const { status, html } = await post({});
    expect(status).toBe(400);
    expect(html).toMatch(/<title>错误：/);
    expect(summary(html)).toContain('<a href="#report-form">前往上报表单</a>');
    expect(html).toContain('id="report-form"');
    const plain = await page('grid-a1c1', `/zero-report/${NIGHT}/report`);
    expect(plain.html).not.toMatch(/<title>错误/);
    expect(plain.html).not.toContain('data-error-summary');
  });
});
