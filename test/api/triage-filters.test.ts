import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSessions } from '../support/page-sessions.ts';
import { TRIAGE_PAGE_SIZE } from '../../api/pages/app/triage.tsx';
import type { ReportKind } from '../../domain/intake.ts';
import { placeCode } from '../../domain/places.ts';
import { newReportId, saveReport } from '../../store/reports.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { startApiStackOn, type ApiStack } from './harness.ts';

/**
 * The triage queue over a backlog can be narrowed to a building, a kind of report and words in
 * the report's text or place, page by page (next and back) with the filters kept; a refused
 * decision answers with a page whose address and language links open (GET), with the card's
 * choices kept. Own tables, so the queue holds only this file's reports.
 */
const tables = ownTables(uniqueId('triagef'));
let s: ApiStack;

beforeAll(async () => {
  s = await startApiStackOn(tables);
});
afterAll(async () => {
  await s?.stop();
});

const start = Date.parse('2026-11-02T01:00:00.000Z');
const minutes = (n: number) => new Date(start + n * 60_000).toISOString();

async function seed(
  building: 'bldg-a' | 'bldg-b',
  kind: ReportKind,
  receivedAt: string,
  description: string,
) {
  const location =
    building === 'bldg-a'
      ? { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' }
      : { buildingId: 'bldg-b', floorId: 'b-f1', roomId: 'B101' };
  const { report } = await saveReport(s.deps.aws, {
    reportId: newReportId(),
    placeCode: placeCode(location),
    location,
    kind,
    description,
    evidence: [],
    receivedAt,
  });
  return report.reportId;
}

const as = pageSessions(() => s.deps.aws);

async function open(personId: string, path: string, lang = 'zh-CN') {
  return s.app.request(path, {
    headers: { cookie: `rectify_session=${(await as(personId)).id}`, 'accept-language': lang },
  });
}

async function decide(personId: string, reportId: string, fields: Record<string, string>) {
  const who = await as(personId);
  return s.app.request(`/app/triage/${reportId}`, {
    method: 'POST',
    headers: { cookie: `rectify_session=${who.id}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: who.csrf }).toString(),
  });
}

const idsOn = (html: string) =>
  [...html.matchAll(/<article class="card" id="(RP-[0-9A-Z]{10})"/g)].map((m) => m[1]);
const linkOn = (html: string, rel: 'next' | 'prev') =>
  new RegExp(`<a class="button secondary" href="([^"]+)" rel="${rel}"`)
    .exec(html)?.[1]
    ?.replaceAll('&amp;', '&');
const langLink = (html: string) => /href="([^"]+)" hreflang="en"/.exec(html)?.[1]?.replaceAll('&amp;', '&');

/** Every report a view lists, following its next links; each page's previous link checked on the way. */
async function walk(personId: string, first: string): Promise<string[][]> {
  const pages: string[][] = [];
  const seen: string[] = [];
  let path: string | undefined = first;
  while (path) {
    const res = await open(personId, path);
    expect(res.status).toBe(200);
    const html = await res.text();
    pages.push(idsOn(html) as string[]);
    if (pages.length > 1) {
      // Back one page is the page before, filters and all.
      const prev = linkOn(html, 'prev');
      expect(prev).toBeDefined();
      expect(idsOn(await (await open(personId, prev!)).text())).toEqual(pages.at(-2));
    }
    seen.push(...(idsOn(html) as string[]));
    path = linkOn(html, 'next');
  }
  return pages;
}

describe('filters over the triage queue', () => {
  const repairsA: string[] = [];
  const cleanA: string[] = [];
  const b: string[] = [];
  const word = uniqueId('漏水');
  beforeAll(async () => {
    // 30 repairs and 30 cleanliness reports in A, interleaved; 5 repairs in B; the word in 3 of A's repairs.
    for (let i = 0; i < 30; i++) {
      repairsA.push(
        await seed('bldg-a', 'repair', minutes(2 * i), i % 10 === 3 ? `水管${word} ${i}` : `灯坏 ${i}`),
      );
      cleanA.push(await seed('bldg-a', 'cleanliness', minutes(2 * i + 1), `垃圾 ${i}`));
    }
    for (let i = 0; i < 5; i++) b.push(await seed('bldg-b', 'repair', minutes(100 + i), `B 栋报修 ${i}`));
  });

  it('by kind, page by page, with the filter kept on the next and previous pages', async () => {
    const pages = await walk('wg-chen', '/app/triage?kind=repair');
    expect(pages.map((p) => p.length)).toEqual([TRIAGE_PAGE_SIZE, 35 - TRIAGE_PAGE_SIZE]);
    expect(pages.flat()).toEqual([...repairsA, ...b]);
    const html = await (await open('wg-chen', '/app/triage?kind=repair')).text();
    expect(html).toMatch(/<option value="repair" selected="">报修<\/option>/);
    // Staff in "assign to" by name and trade; the directory's id is the value, never the text.
    expect(html).toContain('<option value="staff-wu">吴磊（维修）</option>');
    expect(html).toContain('<option value="staff-zhou">周强（维修）</option>');
    expect(html).not.toMatch(/<option value="staff-[a-z]+">[^<]*staff-/);
    const en = await (await open('wg-chen', '/app/triage?kind=repair', 'en')).text();
    expect(en).toContain('<option value="staff-wu">吴磊 (repair)</option>');
    // How many match, not only how many wait: on the next page too, counted from the queue's start.
    expect(html).toContain('待分派 65 条，其中 35 条符合筛选');
    expect(html).toContain('data-matching="35"');
    const second = await (await open('wg-chen', linkOn(html, 'next')!)).text();
    expect(second).toContain('待分派 65 条，其中 35 条符合筛选');
    expect(en).toContain('35 of 65 waiting reports match');
  });

  it('by building, with the count of that building', async () => {
    const html = await (await open('wg-chen', '/app/triage?buildingId=bldg-b')).text();
    expect(idsOn(html)).toEqual(b);
    expect(html).toContain('data-waiting="5"');
    const both = await walk('wg-chen', '/app/triage?buildingId=bldg-a&kind=cleanliness');
    expect(both.flat()).toEqual(cleanA);
  });

  it('by words in the report’s text, number or place', async () => {
    const byText = await (await open('wg-chen', `/app/triage?q=${encodeURIComponent(word)}`)).text();
    expect(idsOn(byText)).toEqual([repairsA[3], repairsA[13], repairsA[23]]);
    expect(byText).toContain(`value="${word}"`);
    expect(byText).toContain('待分派 65 条，其中 3 条符合筛选');
    const byNumber = await (await open('wg-chen', `/app/triage?q=${b[2]!.toLowerCase()}`)).text();
    expect(idsOn(byNumber)).toEqual([b[2]]);
    expect(byNumber).toContain('待分派 65 条，其中 1 条符合筛选');
    expect(byNumber).not.toContain('以下为符合筛选条件的报告');
    const inEnglish = await (await open('wg-chen', `/app/triage?q=${b[2]!.toLowerCase()}`, 'en')).text();
    expect(inEnglish).toContain('1 of 65 waiting reports matches');
    expect(inEnglish).not.toContain('those matching the filter below');
    const byRoom = await (await open('wg-chen', '/app/triage?q=B101')).text();
    expect(idsOn(byRoom)).toEqual(b);
    const none = await (await open('wg-chen', '/app/triage?q=nothing-like-this')).text();
    expect(idsOn(none)).toEqual([]);
    expect(none).toContain('没有符合条件的待分派报告');
    expect(none).toContain('待分派 65 条，其中 0 条符合筛选');
  });

  it('refuses a building the person does not triage or a kind that is none, in words', async () => {
    // grid-a1 triages dormitory A only: asked for B, the page says so.
    const notMine = await open('grid-a1', '/app/triage?buildingId=bldg-b');
    expect(notMine.status).toBe(400);
    expect(await notMine.text()).toContain('楼栋：您不负责分派 bldg-b 的报告');
    const kind = await open('wg-chen', '/app/triage?kind=bogus');
    expect(kind.status).toBe(400);
    const kindHtml = await kind.text();
    expect(kindHtml).toContain('请从列表中选择报告类别');
    // Titled as an error, the summary focused on load and leading to the filter it marks.
    expect(kindHtml).toMatch(/<title>错误：[^<]*<\/title>/);
    const summary = /<div [^>]*data-error-summary[\s\S]*?<\/div>/.exec(kindHtml)?.[0] ?? '';
    expect(summary).toMatch(/^<div tabindex="-1" autofocus="" data-error-summary/);
    const href = /<a href="#([^"]+)">类别：请从列表中选择报告类别<\/a>/.exec(summary)?.[1];
    expect(href).toBe('flt-kind');
    expect(kindHtml).toMatch(
      new RegExp(`<select id="${href}" name="kind" aria-describedby="${href}-error" aria-invalid="true"`),
    );
    // A building outside the person's own is a choice on the form only for one who has several.
    const wrongBuilding = await (await open('wg-chen', '/app/triage?buildingId=bldg-x')).text();
    expect(wrongBuilding).toMatch(/<a href="#flt-buildingId">楼栋：您不负责分派 bldg-x 的报告/);
    expect(wrongBuilding).toMatch(
      /<select id="flt-buildingId" name="buildingId" aria-describedby="flt-buildingId-error" aria-invalid="true"/,
    );
  });

  it('a decision goes back to the filtered view it was made on', async () => {
    const target = repairsA[0]!;
    const res = await decide('wg-chen', target, {
      action: 'reject',
      reason: '重复',
      kind: 'repair',
      q: '灯坏',
    });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location')!, 'http://x');
    expect(to.pathname).toBe('/app/triage');
    expect(to.searchParams.get('kind')).toBe('repair');
    expect(to.searchParams.get('q')).toBe('灯坏');
    expect(to.searchParams.get('decided')).toBe(target);
  });
});

describe('a refused decision', () => {
  it('answers at an address and with language links that open, the card keeping its choices', async () => {
    const report = await seed('bldg-a', 'repair', minutes(-60), `拒绝后 ${uniqueId('r')}`);
    const res = await decide('wg-chen', report, {
      action: 'case',
      assigneeId: '',
      severity: 'major',
      kind: 'repair',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    // Titled as an error; the summary, where the keyboard lands, leads to the card's choice in error.
    expect(html).toMatch(/<title>错误：[^<]*<\/title>/);
    const summary = /<div [^>]*data-error-summary[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    expect(summary).toMatch(/^<div tabindex="-1" autofocus="" data-error-summary/);
    expect(summary).toContain(`报告 ${report} 没有处理`);
    const href = /<a href="#([^"]+)">请选择处理人<\/a>/.exec(summary)?.[1];
    expect(href).toBe(`${report}-assignee`);
    expect(html).toMatch(
      new RegExp(
        `<select id="${href}" name="assigneeId" required="" aria-invalid="true" aria-describedby="${report}-error"`,
      ),
    );
    expect(html).toContain(`<p class="field-error" id="${report}-error">请选择处理人</p>`);
    // The language switch opens the queue's view the card was on, not the report's POST address.
    const en = langLink(html)!;
    expect(en).toBe('/app/triage?kind=repair&lang=en');
    const switched = await open('wg-chen', en);
    expect(switched.status).toBe(200);
    expect(await switched.text()).toContain('<html lang="en"');
    // The severity chosen is still chosen on the card.
    const card = new RegExp(`<article class="card" id="${report}"[\\s\\S]*?</article>`).exec(html)?.[0] ?? '';
    expect(card).toMatch(/<option value="major" selected="">/);
    // A reason typed and refused stays typed.
    const long = 'x'.repeat(501);
    const rejected = await decide('wg-chen', report, { action: 'reject', reason: long });
    expect(rejected.status).toBe(400);
    expect(await rejected.text()).toContain(`value="${long}"`);
    // The report's address itself, opened (a reload, history), is the queue at its card.
    const opened = await open('wg-chen', `/app/triage/${report}?kind=repair`);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(`/app/triage?kind=repair#${report}`);
    expect((await open('wg-chen', `/app/triage/RP-bad`)).status).toBe(404);
    // A well-formed number that names no report says so, in the page's language.
    const none = await open('wg-chen', `/app/triage/RP-AAAAAAAAAA`);
    expect(none.status).toBe(404);
    expect(await none.text()).toContain('没有这份报告');
    const noneEn = await open('wg-chen', `/app/triage/RP-AAAAAAAAAA`, 'en');
    expect(noneEn.status).toBe(404);
    expect(await noneEn.text()).toContain('there is no such report');
  });
});
