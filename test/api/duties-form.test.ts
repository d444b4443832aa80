import { farDay, startDutyStack, type DutyStack } from '../support/duty-stack.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DutyOccurrence } from '../../domain/duties.ts';
import { getOccurrence } from '../../store/duties.ts';
import { createSession } from '../../store/sessions.ts';
import { call, postForm, type ApiStack } from './harness.ts';

/**
 * The duty page's form when something is refused (the form again, the field marked, what was typed
 * kept), and completions sent twice at once on a duty one completion completes (a double tap): the
 * twin is told it was recorded, never a 409 saying the duty is open. Own tables, and a day of its
 * own far ahead (random: the workflow ids are the occurrences', in the namespace every file
 * shares), so the occurrences stay open.
 */
const DATE = farDay();
const DRILL = `duty.fire-drill.bldg-a.${DATE.slice(0, 4)}`;
const FORUM = `duty.student-forum.bldg-a.${DATE.slice(0, 7)}`;
const CHECK = `duty.daily-equipment-check.bldg-a.${DATE}`;
const REVIEW = `duty.morning-review.bldg-a.${DATE}`;
let s: ApiStack;
let ids: string[];

let duty: DutyStack | undefined;

beforeAll(async () => {
  duty = await startDutyStack(
    'duty-form',
    DATE,
    ['bldg-a'],
    ['fire-drill', 'student-forum', 'daily-equipment-check', 'morning-review'],
  );
  s = duty.s;
  ids = duty.ids;
  expect([...ids].sort()).toEqual([CHECK, DRILL, REVIEW, FORUM].sort());
});
afterAll(async () => {
  await duty?.stop();
});

const store = () => ({ ddb: s.deps.aws.ddb, tables: s.deps.aws.tables });
const occurrence = async (id: string) => (await getOccurrence(store(), id)) ?? undefined;
async function signedIn(personId: string) {
  const session = await createSession(s.deps.aws, { personId, via: 'link' });
  return { cookie: `rectify_session=${session.id}`, csrf: session.csrfToken };
}
type Answer = DutyOccurrence & { duplicate: boolean };
/** The page's error summary over its form. */
const errorSummary = (html: string) => /<div [^>]*data-error-summary[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

describe('the duty form, refused', () => {
  it('comes back with the empty photo marked in the form’s words and the note and plan kept, recording nothing', async () => {
    const { cookie, csrf } = await signedIn('sup-wang');
    const typed = { 'evidence.plan': 'plans/drill-2026.pdf', note: '全楼疏散演练，用时 4 分钟' };
    for (const photo of ['', '   ']) {
      const res = await postForm(
        s.app,
        `/duties/${DRILL}`,
        { _csrf: csrf, ...typed, 'evidence.photo': photo },
        { cookie },
      );
      expect(res.status).toBe(422);
      const html = await res.text();
      // The form again, not an error page with only a link back to the dashboard.
      expect(html).toContain(`<form method="post" action="/duties/${DRILL}"`);
      expect(html).toContain('value="plans/drill-2026.pdf"');
      expect(html).toContain('全楼疏散演练，用时 4 分钟</textarea>');
      expect(html).toMatch(/name="evidence\.photo"[^>]*aria-invalid="true"/);
      expect(html).toContain('请填写照片的文件编号或链接');
      expect(html).toContain('未登记：请补全或修改下面标出的内容后再提交');
      expect(html).not.toContain('kind: photo');
      expect(html).not.toContain('无法处理的请求');
    }
    expect((await occurrence(DRILL))?.completions).toEqual([]);
  });

  it('is in English for an English reader, and a bad value (a note too long) is marked too', async () => {
    const { cookie, csrf } = await signedIn('sup-wang');
    const res = await postForm(
      s.app,
      `/duties/${DRILL}?lang=en`,
      {
        _csrf: csrf,
        'evidence.plan': 'plans/drill.pdf',
        'evidence.photo': 'photos/1.jpg',
        note: 'x'.repeat(2001),
      },
      { cookie: `${cookie}; rectify_lang=en` },
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Not recorded: complete or correct what is marked below');
    expect(html).toMatch(/name="note"[^>]*aria-invalid="true"/);
    // Said by the field's label, with the limit.
    expect(html).toMatch(/Note: [^<]*2000/);
    expect(html).toContain('value="photos/1.jpg"');
    expect((await occurrence(DRILL))?.completions).toEqual([]);
  });

  it('comes back titled as an error, its summary focused on load and linking the field in error', async () => {
    const { cookie, csrf } = await signedIn('sup-wang');
    const form = { _csrf: csrf, 'evidence.plan': 'plans/drill.pdf', 'evidence.photo': '' };
    const res = await postForm(s.app, `/duties/${DRILL}`, form, { cookie });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/<title>错误：[^<]*<\/title>/);
    const summary = errorSummary(html);
    expect(summary).toMatch(/^<div tabindex="-1" autofocus="" data-error-summary/);
    expect(summary).toContain('未登记：请补全或修改下面标出的内容后再提交');
    expect(summary).toContain('<a href="#f-evidence.photo">请填写照片的文件编号或链接</a>');
    // The link's target is the field, invalid and described by its message.
    expect(html).toMatch(
      /<input id="f-evidence\.photo" name="evidence\.photo" aria-describedby="f-evidence\.photo-hint f-evidence\.photo-error" aria-invalid="true"/,
    );
    expect(html).toContain('<p class="field-error" id="f-evidence.photo-error">');
    const en = await postForm(s.app, `/duties/${DRILL}?lang=en`, form, {
      cookie: `${cookie}; rectify_lang=en`,
    });
    const enHtml = await en.text();
    expect(enHtml).toMatch(/<title>Error: [^<]*<\/title>/);
    expect(errorSummary(enHtml)).toContain(
      '<a href="#f-evidence.photo">give the photos: a file key or link</a>',
    );
    // The page not refused keeps its title and has no summary.
    const plain = await (await s.app.request(`/duties/${DRILL}`, { headers: { cookie } })).text();
    expect(plain).not.toMatch(/<title>错误/);
    expect(plain).not.toContain('data-error-summary');
    expect((await occurrence(DRILL))?.completions).toEqual([]);
  });

  it('refused for what no field shows, its summary leads to the form', async () => {
    const { cookie, csrf } = await signedIn('sup-wang');
    const res = await postForm(
      s.app,
      `/duties/${DRILL}`,
      {
        _csrf: csrf,
        'evidence.plan': 'plans/drill.pdf',
        'evidence.photo': 'photos/1.jpg',
        'evidence.roster': 'rosters/x.pdf',
      },
      { cookie },
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/<title>错误：/);
    expect(errorSummary(html)).toContain('<a href="#record-title">前往表单「登记完成」</a>');
    expect(html).toContain('<h2 id="record-title" tabindex="-1">登记完成</h2>');
    expect((await occurrence(DRILL))?.completions).toEqual([]);
  });

  it('on a duty done meanwhile says so on the page, not as a dead end', async () => {
    const { cookie, csrf } = await signedIn('sup-wang');
    const done = await call(s.app, 'POST', `/api/duties/occurrences/${CHECK}/completions`, {
      as: 'sup-wang',
      body: { evidence: [{ kind: 'record', ref: 'records/a.pdf' }] },
    });
    expect(done.status).toBe(200);
    const res = await postForm(
      s.app,
      `/duties/${CHECK}`,
      { _csrf: csrf, 'evidence.record': 'records/b.pdf', note: '复查' },
      { cookie },
    );
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('该职责已完成，不能再登记');
    expect(html).toContain('<a href="/duties">');
  });
});

describe('a completion that completes the duty, sent three times at once', () => {
  const body = { evidence: [{ kind: 'minutes', ref: 'minutes/forum-12.pdf' }], note: '学生座谈' };

  it('is recorded once; the twins answer 200 duplicate: true, not 409 "待完成"', async () => {
    const send = () =>
      call(s.app, 'POST', `/api/duties/occurrences/${FORUM}/completions`, { as: 'sup-wang', body });
    const all = await Promise.all([send(), send(), send()]);
    const answers = await Promise.all(all.map(async (r) => [r.status, await r.text()] as const));
    expect(answers.map(([status]) => status)).toEqual([200, 200, 200]);
    const parsed = answers.map(([, text]) => JSON.parse(text) as Answer);
    expect(parsed.map((a) => a.duplicate).sort()).toEqual([false, true, true]);
    for (const a of parsed) expect(a).toMatchObject({ status: 'completed', completions: { length: 1 } });
    expect((await occurrence(FORUM))?.completions).toHaveLength(1);
  });

  it('something else on the completed duty is a 409 that says it is complete', async () => {
    const res = await call(s.app, 'POST', `/api/duties/occurrences/${FORUM}/completions`, {
      as: 'sup-wang',
      body: { ...body, note: '又一次座谈' },
    });
    expect(res.status).toBe(409);
    const text = await res.text();
    expect(text).toContain('该职责已完成，不能再登记');
    expect(text).not.toContain('待完成');
  });

  it('from the page (a phone’s double tap): both go to the page, one recorded, one told it was', async () => {
    const { cookie, csrf } = await signedIn('sup-wang');
    const form = { _csrf: csrf, 'evidence.minutes': 'minutes/review.pdf', note: '晨会讲评' };
    const both = await Promise.all([
      postForm(s.app, `/duties/${REVIEW}`, form, { cookie }),
      postForm(s.app, `/duties/${REVIEW}`, form, { cookie }),
    ]);
    expect(both.map((r) => r.status)).toEqual([303, 303]);
    expect(both.map((r) => r.headers.get('location')).sort()).toEqual([
      `/duties/${REVIEW}?recorded=again`,
      `/duties/${REVIEW}?recorded=new`,
    ]);
    expect((await occurrence(REVIEW))?.completions).toHaveLength(1);
  });
});
