import { beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../domain/calendar.ts';
import {
  checklistFor,
  periodOf,
  roundId,
  type InspectionRound,
  type RoundKind,
} from '../../domain/inspection.ts';
import { saveDirectory } from '../../store/directory.ts';
import { saveRound } from '../../store/inspections.ts';
import { createSession } from '../../store/sessions.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { demoDirectory } from '../support/stack.ts';

/**
 * The pages that take a bearer token or the page session (the inspection checklist, the
 * zero-report board, the duty pages) are opened from emails on a phone: a signed-out browser
 * is sent to sign in and back, as the /app pages do, instead of a 401 about bearer tokens.
 * The JSON routes, scripts and form posts keep their 401. The workbench links a supervisor's
 * open rounds, so the checklist is reachable after signing in from anywhere.
 */
const own = appOnOwnTables('signedout');
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
let today: string;

/** A round row as the round's workflow stores it (these tables have no worker). */
function round(
  kind: RoundKind,
  buildingId: string,
  assigneeIds: string[],
  over: Partial<InspectionRound> = {},
): InspectionRound {
  const { period, from, to } = periodOf(kind, today);
  return {
    roundId: roundId(kind, buildingId, period),
    kind,
    buildingId,
    period,
    from,
    to,
    due: `${to}T15:59:00.000Z`,
    assigneeIds,
    checklist: checklistFor(kind).map((i) => i.id),
    status: 'open',
    results: [],
    scores: [],
    cases: {},
    ...over,
  };
}

const cookieOf = async (personId: string) =>
  `rectify_session=${(await createSession(own.deps, { personId, via: 'link' })).id}`;

let dailyA: InspectionRound;
let weeklyA: InspectionRound;
let monthlyA: InspectionRound;
let dailyB: InspectionRound;

beforeAll(async () => {
  await saveDirectory(own.deps.ddb, own.deps.tables, await demoDirectory());
  today = localDate(new Date().toISOString(), own.env.CAMPUS_TZ);
  dailyA = round('daily', 'bldg-a', ['sup-wang', 'sup-smith']);
  // Finished already: nothing left to do there.
  weeklyA = round('weekly', 'bldg-a', ['sup-wang', 'sup-smith'], {
    status: 'completed',
    completedAt: new Date().toISOString(),
  });
  // Another supervisor's round of the same building.
  monthlyA = round('monthly', 'bldg-a', ['sup-smith']);
  dailyB = round('daily', 'bldg-b', ['sup-li']);
  for (const r of [dailyA, weeklyA, monthlyA, dailyB]) await saveRound(own.deps, r);
});

describe('a signed-out browser opening a bearer-or-session page', () => {
  const pages = () => [
    `/inspection/${dailyA.roundId}`,
    `/inspection/${dailyA.roundId}?lang=en`,
    '/zero-report/2026-12-06',
    '/duties',
    '/duties?buildingId=bldg-a&lang=en',
    '/duties/duty.manager-round.bldg-a.2026-12-04',
  ];

  it('is sent to sign in, coming back to the page with its query after', async () => {
    for (const path of pages()) {
      const res = await own.app.request(path, { headers: { accept: BROWSER } });
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location'), path).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('keeps the 401 for scripts, the JSON routes and form posts', async () => {
    for (const path of pages()) {
      const script = await own.app.request(path, { headers: { accept: '*/*' } });
      expect(script.status, path).toBe(401);
    }
    for (const path of [`/api/inspections/${dailyA.roundId}`, '/api/zero-reports/2026-12-06']) {
      const res = await own.app.request(path, { headers: { accept: BROWSER } });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('content-type'), path).toContain('application/problem+json');
    }
    // A post has a form to lose: it is refused, not redirected.
    const post = await own.app.request(`/inspection/${dailyA.roundId}`, {
      method: 'POST',
      headers: { accept: BROWSER, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'finish=false',
    });
    expect(post.status).toBe(401);
    // In a person's words, with the way to sign in and back to the page; not the header's name.
    const said = await post.text();
    expect(said).toContain('登录已过期或尚未登录，本次提交没有保存');
    expect(said).not.toContain('Authorization');
    expect(said).toContain(
      `<a href="/login?next=${encodeURIComponent(`/inspection/${dailyA.roundId}`)}">登录</a>`,
    );
  });

  it('opens the checklist once signed in', async () => {
    const res = await own.app.request(`/inspection/${dailyA.roundId}`, {
      headers: { accept: BROWSER, cookie: await cookieOf('sup-wang') },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`id="item-${dailyA.checklist[0]}"`);
  });
});

describe('the workbench links a supervisor’s open inspection rounds', () => {
  const section = async (personId: string, query = '') => {
    const res = await own.app.request(`/app${query}`, { headers: { cookie: await cookieOf(personId) } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const start = html.indexOf('data-section="inspections"');
    return start < 0 ? undefined : html.slice(start, html.indexOf('</section>', start));
  };
  const links = (html: string | undefined) =>
    [...(html ?? '').matchAll(/href="(\/inspection\/[^"]+)"/g)].map((m) => m[1]);

  it('lists the open rounds assigned to them, each linking to its checklist', async () => {
    const wang = await section('sup-wang');
    expect(links(wang)).toEqual([`/inspection/${dailyA.roundId}`]);
    expect(wang).toContain('日检');
    expect(wang).toContain('学生公寓A栋');
    expect(wang).toContain(`已填写 0/${dailyA.checklist.length} 项`);
    expect(links(await section('sup-smith'))).toEqual(
      [dailyA, monthlyA].sort((a, b) => a.due.localeCompare(b.due)).map((r) => `/inspection/${r.roundId}`),
    );
    const li = await section('sup-li', '?lang=en');
    expect(links(li)).toEqual([`/inspection/${dailyB.roundId}`]);
    expect(li).toContain('Dormitory B');
  });

  it('is not shown to people who walk no rounds', async () => {
    expect(await section('staff-zhou')).toBeUndefined();
  });
});
