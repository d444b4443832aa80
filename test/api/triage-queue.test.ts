import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRIAGE_PAGE_SIZE } from '../../api/pages/app/triage.tsx';
import { placeCode } from '../../domain/places.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { createSession } from '../../store/sessions.ts';
import { newReportId, saveReport, triageQueue } from '../../store/reports.ts';
import { ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';
import { startApiStack, type ApiStack } from './harness.ts';

/**
 * The triage queue page over a backlog: every waiting report is reachable page by page, oldest
 * first across buildings (one building's backlog does not hide another's older reports), with the
 * count of all that wait. Own tables, so the queue holds only this file's reports.
 */
const tables = ownTables(uniqueId('triageq'));
let s: ApiStack;

beforeAll(async () => {
  const deps = testDeps(testEnv(tables));
  await ensureTables(deps.ddb, deps.tables);
  // A campus clock other than the default's, so the cards' times show they follow CAMPUS_TZ.
  s = await startApiStack({}, { ...tables, CAMPUS_TZ: 'UTC' });
});
afterAll(async () => {
  await s?.stop();
});

const start = Date.parse('2026-11-02T01:00:00.000Z');
const minutes = (n: number) => new Date(start + n * 60_000).toISOString();

/** A report kept as the intake route keeps it, received at a given time (its chase is not started). */
async function seed(building: 'bldg-a' | 'bldg-b', receivedAt: string, description: string) {
  const location =
    building === 'bldg-a'
      ? { buildingId: 'bldg-a', floorId: 'a-f1', roomId: 'A101' }
      : { buildingId: 'bldg-b', floorId: 'b-f1', roomId: 'B101' };
  const { report } = await saveReport(s.deps.aws, {
    reportId: newReportId(),
    placeCode: placeCode(location),
    location,
    kind: 'cleanliness',
    description,
    evidence: [],
    receivedAt,
  });
  return report;
}

async function open(personId: string, path: string, headers: Record<string, string> = {}) {
  const sess = await createSession(s.deps.aws, { personId, via: 'link' });
  return s.app.request(path, { headers: { cookie: `rectify_session=${sess.id}`, ...headers } });
}

const idsOn = (html: string) =>
  [...html.matchAll(/<article class="card" id="(RP-[0-9A-Z]{10})"/g)].map((m) => m[1]);
const nextOn = (html: string) =>
  /<a class="button secondary" href="([^"]+)" rel="next"/.exec(html)?.[1]?.replaceAll('&amp;', '&');

describe('a backlog in the triage queue', () => {
  // 45 in dormitory A, one a minute; 3 in dormitory B, each between two of A's.
  const a: string[] = [];
  const b: string[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 45; i++) a.push((await seed('bldg-a', minutes(i), `积压 ${i}`)).reportId);
    for (const m of [3.5, 25.5, 44.5]) b.push((await seed('bldg-b', minutes(m), `B 栋 ${m}`)).reportId);
  });

  it('is reached page by page, oldest first across buildings, with the count of all that wait', async () => {
    const everyone = [...a.slice(0, 4), b[0], ...a.slice(4, 26), b[1], ...a.slice(26, 45), b[2]];
    const seen: string[] = [];
    let path: string | undefined = '/app/triage';
    let pages = 0;
    while (path) {
      const res = await open('wg-chen', path);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('data-waiting="48"');
      expect(html).toContain('共 48 条待分派');
      // The first report was received at 01:00 UTC: on this campus's clock, not Shanghai's 09:00.
      // Told as every page tells a time (formatTime: YYYY-MM-DD HH:mm), not toLocaleString's 2026/11/2 01:00:00.
      if (pages === 0) expect(html).toContain('>2026-11-02 01:00</time>');
      const ids = idsOn(html);
      expect(ids.length).toBeLessThanOrEqual(TRIAGE_PAGE_SIZE);
      seen.push(...(ids as string[]));
      if (pages > 0) expect(html).toContain('回到第一页');
      path = nextOn(html);
      if (path) expect(html).toContain('下一页');
      pages++;
    }
    expect(pages).toBe(Math.ceil(48 / TRIAGE_PAGE_SIZE));
    expect(seen).toEqual(everyone);

    // The store says the same: one building's backlog does not push the other's older reports back.
    const first = await triageQueue(s.deps.aws, ['bldg-a', 'bldg-b'], { limit: 5 });
    expect(first.reports.map((r) => r.reportId)).toEqual(everyone.slice(0, 5));
    expect(first.total).toBe(48);
  });

  it('counts and pages only the buildings the person triages, in their language', async () => {
    const res = await open('sup-smith', '/app/triage', { 'accept-language': 'en' });
    const html = await res.text();
    expect(html).toContain('45 waiting');
    expect(html).toContain('Next page');
    expect(idsOn(html)).toEqual(a.slice(0, TRIAGE_PAGE_SIZE));
  });

  it('answers a page position that is not one with a 400 naming it, never a 500', async () => {
    for (const after of ['bogus', '2026-11-02T01:00:00.000Z', `x#${a[0]}`]) {
      const zh = await open('wg-chen', `/app/triage?after=${encodeURIComponent(after)}`);
      expect(zh.status).toBe(400);
      expect(await zh.text()).toContain('不是有效的翻页位置');
    }
    const en = await open('sup-smith', '/app/triage?after=bogus&lang=en');
    expect(en.status).toBe(400);
    expect(await en.text()).toContain('not a page position');
  });

  it('goes back to the page a decision was made on', async () => {
    const page1 = await (await open('wg-chen', '/app/triage')).text();
    const page2 = nextOn(page1)!;
    const after = new URL(page2, 'http://x').searchParams.get('after')!;
    const html = await (await open('wg-chen', page2)).text();
    const target = idsOn(html)[0]!;
    expect(html).toContain(`name="after" value="${after}"`);
    const sess = await createSession(s.deps.aws, { personId: 'wg-chen', via: 'link' });
    const res = await s.app.request(`/app/triage/${target}`, {
      method: 'POST',
      headers: {
        cookie: `rectify_session=${sess.id}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ action: 'reject', reason: '重复提交', after, _csrf: sess.csrfToken }),
    });
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location')!, 'http://x').searchParams.get('after')).toBe(after);
    // Deciding it again is refused above the queue, in English for an English reader.
    const again = await s.app.request(`/app/triage/${target}`, {
      method: 'POST',
      headers: {
        cookie: `rectify_session=${sess.id}`,
        'content-type': 'application/x-www-form-urlencoded',
        'accept-language': 'en',
      },
      body: new URLSearchParams({ action: 'reject', reason: 'again', after, _csrf: sess.csrfToken }),
    });
    expect(again.status).toBe(409);
    // Told who decided it and how (this person, a moment ago), not asked to correct anything.
    expect(await again.text()).toContain(
      `Report ${target} was already decided: you rejected it (reason: 重复提交). Your decision was not applied`,
    );
  });
});

describe('a triage card', () => {
  it('names no handler until the supervisor chooses one, and an unchosen one is asked for', async () => {
    const report = await seed('bldg-a', minutes(-30), `无人预选 ${uniqueId('n')}`);
    const html = await (await open('sup-wang', '/app/triage')).text();
    const card =
      new RegExp(`<article class="card" id="${report.reportId}"[\\s\\S]*?</article>`).exec(html)?.[0] ?? '';
    expect(card).toMatch(
      /<select[^>]*name="assigneeId" required=""><option value="" selected="">请选择处理人<\/option>/,
    );
    const sess = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const res = await s.app.request(`/app/triage/${report.reportId}`, {
      method: 'POST',
      headers: { cookie: `rectify_session=${sess.id}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        action: 'case',
        assigneeId: '',
        severity: 'routine',
        _csrf: sess.csrfToken,
      }),
    });
    expect(res.status).toBe(400);
    const refused = await res.text();
    expect(refused).toMatch(/<a href="#[^"]+-assignee">请选择处理人<\/a>/);
    expect(refused).toMatch(/<p class="field-error" id="[^"]+-error">请选择处理人<\/p>/);
  });
});
