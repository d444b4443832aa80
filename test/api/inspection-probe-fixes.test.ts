import { describe, expect, it } from 'vitest';
import { checklistFor, type InspectionRound } from '../../domain/inspection.ts';
import { createSession } from '../../store/sessions.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { inspectionRoundKit } from '../support/inspection-rounds.ts';
import { call, tokenFor, useApiStack } from './harness.ts';

/**
 * What a probe of the running system found in the inspection rounds: photos larger than a JSON
 * body, the same finish sent twice at once, pages answered as the API, a count of pending items,
 * the error summary in one language, photos on a passed item, and a repeated list parameter.
 */
const s = useApiStack();

const daily = checklistFor('daily').map((i) => i.id);
const [first, second] = daily as [string, string];
const { openRound, roundNow } = inspectionRoundKit(() => s.deps, { from: 27_000, span: 1_000 });

async function sessionOf(personId: string) {
  const session = await createSession(s.deps.aws, { personId, via: 'link' });
  return { cookie: `rectify_session=${session.id}`, csrf: session.csrfToken };
}

/** The checklist form as the phone posts it (multipart), with the session's token unless told otherwise. */
async function postForm(
  id: string,
  fields: [string, string][],
  o: { csrf?: string | null; query?: string; session?: { cookie: string; csrf: string } } = {},
) {
  const session = o.session ?? (await sessionOf('sup-wang'));
  const form = new FormData();
  const token = o.csrf === undefined ? session.csrf : o.csrf;
  if (token !== null) form.append('_csrf', token);
  for (const [k, v] of fields) form.append(k, v);
  return s.app.request(`/inspection/${id}${o.query ?? ''}`, {
    method: 'POST',
    headers: { cookie: session.cookie, accept: 'text/html' },
    body: form,
  });
}

const upload = async (id: string, file: File) => {
  const form = new FormData();
  form.append('file', file);
  return s.app.request(`/api/inspections/${id}/photos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await tokenFor('sup-wang')}` },
    body: form,
  });
};

const results = (id: string, body: unknown, lang = 'zh-CN') =>
  call(s.app, 'POST', `/api/inspections/${id}/results?lang=${lang}`, { as: 'sup-wang', body });

/** Every item of a daily round answered but the last (saved, the round open). */
async function allButLast(id: string) {
  const res = await results(id, {
    results: daily.slice(0, -1).map((itemId) => ({ itemId, result: 'pass' })),
    finish: false,
  });
  expect(res.status).toBe(200);
  return daily[daily.length - 1]!;
}

describe('the API photo upload takes a photo up to its own limit', () => {
  it('stores a 300 KB and a 5 MB photo; a JSON body over 256 KB is still refused', async () => {
    const id = await openRound();
    for (const size of [300 * 1024, 5 * 1024 * 1024]) {
      const res = await upload(id, new File([fakeFiles.jpeg(size)], 'IMG_1.jpg', { type: 'image/jpeg' }));
      expect(res.status, `${size} bytes`).toBe(201);
      expect(((await res.json()) as { ref: string }).ref).toMatch(/^evidence:/);
    }
    const tooLarge = await upload(
      id,
      new File([fakeFiles.jpeg(11 * 1024 * 1024)], 'IMG_2.jpg', { type: 'image/jpeg' }),
    );
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { detail: string }).detail).toContain('照片不能超过 10 MB');
    const json = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      raw: JSON.stringify({ results: [{ itemId: first, result: 'pass', note: 'x'.repeat(300 * 1024) }] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(json.status).toBe(413);
    expect(((await json.json()) as { detail: string }).detail).toContain('256 KB');
  });
});

describe('the same finish sent several times at once', () => {
  it('answers each API post 200 with the finished round', async () => {
    const id = await openRound();
    const last = await allButLast(id);
    const body = { results: [{ itemId: last, result: 'pass' }] };
    const answers = await Promise.all([results(id, body), results(id, body), results(id, body)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    for (const r of answers) expect(((await r.json()) as InspectionRound).status).toBe('completed');
    // A different post after it is still refused: the round is over.
    const other = await results(id, { results: [{ itemId: last, result: 'na' }] });
    expect(other.status).toBe(409);
  });

  it('sends both taps of the page’s finish button to the finished checklist', async () => {
    const id = await openRound();
    const last = await allButLast(id);
    const session = await sessionOf('sup-wang');
    const fields: [string, string][] = [
      [`${last}.result`, 'pass'],
      ['finish', 'true'],
    ];
    const taps = await Promise.all([postForm(id, fields, { session }), postForm(id, fields, { session })]);
    expect(taps.map((r) => r.status)).toEqual([303, 303]);
    expect((await roundNow(id)).status).toBe('completed');
  });
});

describe('the checklist page answers a stale form or a round that is not there with a page', () => {
  it('a form without the session’s token (or a stale one) gets the page forms’ refusal, not problem+json', async () => {
    const id = await openRound();
    for (const csrf of [null, 'stale-token']) {
      const res = await postForm(
        id,
        [
          [`${first}.result`, 'pass'],
          ['finish', 'false'],
        ],
        { csrf },
      );
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('data-refused="csrf"');
      expect(html).toContain('表单已过期');
      expect(html).toContain('href="/app"');
      expect(html).not.toContain('X-CSRF-Token');
    }
    expect((await roundNow(id)).results).toEqual([]);
    // A script calling the API with a session is still told about the header.
    const { cookie } = await sessionOf('sup-wang');
    const api = await s.app.request(`/api/inspections/${id}/results`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ results: [{ itemId: first, result: 'pass' }], finish: false }),
    });
    expect(api.status).toBe(403);
    expect(api.headers.get('content-type')).toContain('problem+json');
  });

  it('a round id that is not one, or names no round, is said in plain words on a page', async () => {
    const { cookie } = await sessionOf('sup-wang');
    // The way back in the page's language.
    const page = async (res: Response, back = '← 返回工作台') => {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).not.toContain('路径参数');
      expect(html).toContain(`data-back="">${back}</a>`);
      return html;
    };
    const bad = await page(await s.app.request('/inspection/xyz', { headers: { cookie } }));
    expect(bad).toContain('“xyz”不是有效的检查编号');
    const badEn = await page(
      await s.app.request('/inspection/xyz?lang=en', { headers: { cookie } }),
      '← Back to the workbench',
    );
    expect(badEn).toContain('“xyz” is not a valid inspection round id');
    const none = 'inspection.daily.bldg-a.2099-01-01';
    expect(await page(await s.app.request(`/inspection/${none}`, { headers: { cookie } }))).toContain(
      `没有检查 ${none}`,
    );
    // The form posted to either answers the same page.
    const fields: [string, string][] = [
      [`${first}.result`, 'pass'],
      ['finish', 'false'],
    ];
    expect(await page(await postForm('xyz', fields))).toContain('“xyz”不是有效的检查编号');
    expect(await page(await postForm(none, fields))).toContain(`没有检查 ${none}`);
  });
});

describe('the checklist after a refused save', () => {
  /** The summary's entries as text, without its lead. */
  const linksOf = (flash: string) =>
    (/<ul class="summary-links">([\s\S]*?)<\/ul>/.exec(flash)?.[1] ?? '').replace(/<[^>]*>/g, '');

  it('counts as pending only what the post would change, and says the summary in the page’s language with the other beside it, each item with what is wrong', async () => {
    const id = await openRound();
    const n = daily.length;
    expect(
      (
        await postForm(id, [
          [`${first}.result`, 'pass'],
          ['finish', 'false'],
        ])
      ).status,
    ).toBe(303);
    // The saved item comes back with the page as it is; only the failure without a note is new.
    const refused = await postForm(id, [
      [`${first}.result`, 'pass'],
      [`${second}.result`, 'fail'],
      ['finish', 'false'],
    ]);
    expect(refused.status).toBe(400);
    const html = await refused.text();
    const status = /data-status="">([^<]*)</.exec(html)?.[1] ?? '';
    expect(status).toContain(`已保存 1/${n} 项（本页填写了 1 项，尚未保存）`);
    expect(status).not.toContain('saved');
    const flash = /data-problem="">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    // The lead in the page's language, the other beside it, as a page's validation refusal is said.
    expect(flash).toMatch(
      /^<p class="summary-lead">请修改下面标出的 1 项，本次提交未保存。 \/ Nothing was saved: please correct the item marked below\.<\/p>/,
    );
    // The item's link says what is wrong with it, in the page's language (the item says it in both).
    expect(flash).toMatch(
      new RegExp(
        `<li data-field="${second.replace(/\./g, '\\.')}"><a href="#item-[^"]+">[^<]+ — 备注：不合格项须注明问题</a></li>`,
      ),
    );
    expect(linksOf(flash)).not.toMatch(/[A-Za-z]{4,}/);

    const en = await postForm(
      id,
      [
        [`${second}.result`, 'fail'],
        ['finish', 'false'],
      ],
      { query: '?lang=en' },
    );
    const enFlash = /data-problem="">([\s\S]*?)<\/div>/.exec(await en.text())?.[1] ?? '';
    expect(enFlash).toMatch(
      /^<p class="summary-lead">Nothing was saved: please correct the item marked below\. \/ 请修改下面标出的 1 项，本次提交未保存。<\/p>/,
    );
    expect(enFlash).toMatch(
      /<a href="#item-[^"]+">[^<]+ — Note: a failed item needs a note saying what is wrong<\/a>/,
    );
    expect(linksOf(enFlash)).not.toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('photos on a passed item through the API', () => {
  it('are refused whatever they are, with a detail that says photos go with failures', async () => {
    const id = await openRound();
    const ref = (
      (await (await upload(id, new File([fakeFiles.jpeg()], 'a.jpg', { type: 'image/jpeg' }))).json()) as {
        ref: string;
      }
    ).ref;
    for (const [result, photos] of [
      ['pass', [ref]],
      ['pass', ['<img src=x onerror=alert(1)>']],
      ['na', ['IMG_0412.jpg']],
    ] as const) {
      const res = await results(id, { results: [{ itemId: first, result, photos }], finish: false }, 'en');
      expect(res.status, `${result} ${photos[0]}`).toBe(422);
      const problem = (await res.json()) as { detail: string; errors: { field: string; message: string }[] };
      expect(problem.detail).toMatch(/^photos go with a failed item only/);
      expect(problem.detail).not.toContain('photos cited on failed items');
      expect(problem.errors).toEqual([
        {
          field: 'results.0.photos',
          message: 'photos go with a failed item only (a passed or n/a item carries none)',
        },
      ]);
    }
    expect((await roundNow(id)).results).toEqual([]);
    // A failure still carries its keys and references.
    const fail = await results(id, {
      results: [{ itemId: first, result: 'fail', note: '灭火器压力不足', photos: [ref, 'IMG_0412.jpg'] }],
      finish: false,
    });
    expect(fail.status).toBe(200);
  });
});

describe('the list of rounds with a parameter given twice', () => {
  it('is refused naming it, as the other routes refuse a repeat, not read as its first value', async () => {
    const res = await call(s.app, 'GET', '/api/inspections?from=2026-11-01&from=2026-12-01&to=2026-12-31', {
      as: 'wg-chen',
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors).toEqual([{ field: 'from', message: '参数 from 重复了 2 次：只能给一次' }]);
    const once = await call(s.app, 'GET', '/api/inspections?from=2026-11-01&to=2026-12-31', {
      as: 'wg-chen',
    });
    expect(once.status).toBe(200);
  });
});
