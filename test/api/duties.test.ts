import { farDay, startDutyStack, type DutyStack } from '../support/duty-stack.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DutyOccurrence } from '../../domain/duties.ts';
import { getOccurrence } from '../../store/duties.ts';
import { createSession } from '../../store/sessions.ts';
import { call, postForm, type ApiStack } from './harness.ts';

/**
 * A duty occurrence over the real stack: what a completion may carry (the API and the page's
 * form), and the language the duty pages are shown in. Own tables, and a day of its own far
 * ahead (random: the workflow id is the occurrence's, in the namespace every file shares), so
 * the occurrence stays open while the file runs.
 */
const DATE = farDay();
let s: ApiStack;
let id: string;

let duty: DutyStack | undefined;

beforeAll(async () => {
  duty = await startDutyStack('duty', DATE, ['bldg-a'], ['daily-equipment-check']);
  s = duty.s;
  expect(duty.ids).toEqual([`duty.daily-equipment-check.bldg-a.${DATE}`]);
  id = duty.ids[0] ?? '';
  expect(await occurrence()).toMatchObject({ status: 'open', completions: [] });
});
afterAll(async () => {
  await duty?.stop();
});

const store = () => ({ ddb: s.deps.aws.ddb, tables: s.deps.aws.tables });
const occurrence = async (): Promise<DutyOccurrence | undefined> =>
  (await getOccurrence(store(), id)) ?? undefined;
const sessionOf = (personId: string) => createSession(s.deps.aws, { personId, via: 'link' });

describe('a completion takes only the keys it knows', () => {
  it.each([
    ['a key it does not know at the top', { note: 'checked', minute: 5 }, '(body)'],
    [
      'a key it does not know in an evidence item',
      { evidence: [{ kind: 'record', ref: 'records/1.pdf', url: 'https://x' }] },
      'evidence.0',
    ],
  ])('refuses %s with 400 "is not a field here", recording nothing', async (_what, body, field) => {
    const res = await call(s.app, 'POST', `/api/duties/occurrences/${id}/completions?lang=en`, {
      as: 'sup-wang',
      body,
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors.find((e) => e.field === field)?.message).toMatch(/is not a field here/);
    expect((await occurrence())?.completions).toEqual([]);
  });
});

describe('the duty pages', () => {
  const langOf = async (res: Response) => {
    expect(res.status).toBe(200);
    return /<html lang="([^"]+)"/.exec(await res.text())?.[1];
  };

  it('are in the language /app would choose: ?lang=, the rectify_lang cookie, Accept-Language, the person’s setting', async () => {
    const cookie = `rectify_session=${(await sessionOf('sup-wang')).id}`;
    const english = `${cookie}; rectify_lang=en`;
    for (const page of [`/duties/${id}`, '/duties?buildingId=bldg-a']) {
      // sup-wang's directory setting is Chinese; he switched /app to English.
      expect([page, await langOf(await s.app.request(page, { headers: { cookie } }))]).toEqual([
        page,
        'zh-CN',
      ]);
      expect([page, await langOf(await s.app.request(page, { headers: { cookie: english } }))]).toEqual([
        page,
        'en',
      ]);
      const browser = { cookie, 'accept-language': 'en-GB,en;q=0.8' };
      expect([page, await langOf(await s.app.request(page, { headers: browser }))]).toEqual([page, 'en']);
      const asked = await s.app.request(`${page}${page.includes('?') ? '&' : '?'}lang=zh-CN`, {
        headers: { cookie: english },
      });
      expect(asked.headers.get('set-cookie')).toContain('rectify_lang=zh-CN');
      expect([page, await langOf(asked)]).toEqual([page, 'zh-CN']);
      // A bearer token and nothing else: the person's own setting (sup-smith reads English).
      expect([page, await langOf(await call(s.app, 'GET', page, { as: 'sup-smith' }))]).toEqual([page, 'en']);
    }
  });

  it('are in the app’s shell: the menu, the language switch and sign-out for a session; no sign-out for a bearer token', async () => {
    const session = await sessionOf('sup-wang');
    const cookie = `rectify_session=${session.id}`;
    for (const page of [`/duties/${id}`, '/duties?buildingId=bldg-a', '/duties']) {
      const html = await (await s.app.request(page, { headers: { cookie } })).text();
      expect(html, page).toContain('<nav class="main"');
      expect(html, page).toContain('<a href="/app"');
      expect(html, page).toContain('<a href="/duties" aria-current="page">例行职责</a>');
      expect(html, page).toMatch(
        new RegExp(
          `<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${session.csrfToken}"`,
        ),
      );
      expect(html, page).toContain('hreflang="en"');
      // The shell's one style sheet, no page-own CSS string.
      expect(html.match(/<style/g), page).toHaveLength(1);
      const bearer = await (await call(s.app, 'GET', page, { as: 'sup-wang' })).text();
      expect(bearer, page).toContain('<header class="top"');
      expect(bearer, page).not.toContain('action="/logout"');
    }
  });

  it('the page’s form still records a completion, as a browser posts it', async () => {
    const session = await sessionOf('sup-wang');
    const cookie = `rectify_session=${session.id}`;
    const page = await (await s.app.request(`/duties/${id}`, { headers: { cookie } })).text();
    expect(page).toContain('name="evidence.record"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(csrf).toBe(session.csrfToken);
    const res = await postForm(
      s.app,
      `/duties/${id}`,
      { _csrf: csrf, 'evidence.record': 'records/equipment.pdf', note: '设备正常' },
      { cookie },
    );
    expect(res.status).toBe(303);
    expect(await occurrence()).toMatchObject({
      status: 'completed',
      completions: [
        { by: 'sup-wang', note: '设备正常', evidence: [{ kind: 'record', ref: 'records/equipment.pdf' }] },
      ],
    });
    const shown = async (r: Response) => {
      const to = r.headers.get('location') ?? '';
      return (await s.app.request(to, { headers: { cookie } })).text();
    };
    expect(res.headers.get('location')).toBe(`/duties/${id}?recorded=new`);
    expect(await shown(res)).toContain('已登记，谢谢。');
    // The same form sent again (a double tap, the back button): counted once, and the page says so.
    const again = await postForm(
      s.app,
      `/duties/${id}`,
      { _csrf: csrf, 'evidence.record': 'records/equipment.pdf', note: '设备正常' },
      { cookie },
    );
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(`/duties/${id}?recorded=again`);
    expect(await shown(again)).toContain('此前已登记过这条完成记录');
    expect((await occurrence())?.completions).toHaveLength(1);
  });
});
