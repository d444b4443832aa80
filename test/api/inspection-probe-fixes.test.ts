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
  o: {
    csrf?: string | null;
    query?: string;
    session?: { cookie: string; csrf: string };
    files?: { item: string; file: File }[];
  } = {},
) {
  const session = o.session ?? (await sessionOf('sup-wang'));
  const form = new FormData();
  const token = o.csrf === undefined ? session.csrf : o.csrf;
  if (token !== null) form.append('_csrf', token);
  for (const [k, v] of fields) form.append(k, v);
  for (const f of o.files ?? []) form.append(`${f.item}.photos[]`, f.file);
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

  it('counts as pending only what the post would change, and says the summary and the item’s errors in the page’s language only, each item with what is wrong', async () => {
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
    // The lead in the page's language only, as every app page says its refusals.
    expect(flash).toMatch(/^<p class="summary-lead">请修改下面标出的 1 项，本次提交未保存。<\/p>/);
    // Beside the item too: one language.
    expect(html).toContain('<li>备注：不合格项须注明问题</li>');
    expect(html).not.toContain('Nothing was saved');
    expect(html).not.toContain('Note: a failed item');
    // The item's link says what is wrong with it, in the page's language.
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
    const enHtml = await en.text();
    const enFlash = /data-problem="">([\s\S]*?)<\/div>/.exec(enHtml)?.[1] ?? '';
    expect(enFlash).toMatch(
      /^<p class="summary-lead">Nothing was saved: please correct the item marked below\.<\/p>/,
    );
    expect(enHtml).toContain('<li>Note: a failed item needs a note saying what is wrong</li>');
    expect(enHtml).not.toContain('请修改');
    expect(enHtml).not.toContain('不合格项须注明问题');
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

/** One item's fieldset on the page. */
function itemBlock(html: string, itemId: string): string {
  const start = html.indexOf(`id="item-${itemId}"`);
  expect(start, `item ${itemId} on the page`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</fieldset>', start));
}
const summaryOf = (html: string) => /data-problem="[^"]*">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
const jpeg = () => new File([fakeFiles.jpeg()], 'IMG_0001.jpg', { type: 'image/jpeg' });
const esc = (x: string) => x.replace(/[.[\]]/g, '\\$&');

describe('a second probe of the round page', () => {
  it('says beside the save buttons and on each 不合格 choice that a saved failure opens a case at once', async () => {
    const id = await openRound();
    const { cookie } = await sessionOf('sup-wang');
    const zh = await (await s.app.request(`/inspection/${id}`, { headers: { cookie } })).text();
    const bar = zh.slice(zh.indexOf('data-submit-bar'));
    expect(bar).toMatch(
      /<p class="hint save-warning" id="save-opens-cases" data-save-warning="">保存或提交后，标为不合格的项即立案，其结果不能再修改<\/p>/,
    );
    expect(bar).toMatch(
      /<button type="submit" name="finish" value="false" aria-describedby="save-opens-cases">/,
    );
    expect(bar).toMatch(
      /<button type="submit" name="finish" value="true" aria-describedby="save-opens-cases">/,
    );
    // Each item's 不合格 is described by what saving it does.
    const block = itemBlock(zh, first);
    expect(block).toMatch(new RegExp(`value="fail" aria-describedby="fail-hint-${esc(first)}"`));
    expect(block).toContain(
      `id="fail-hint-${first}" data-fail-hint="">保存后即为此项立案，结果不能再修改</p>`,
    );
    const en = await (await s.app.request(`/inspection/${id}?lang=en`, { headers: { cookie } })).text();
    expect(en).toContain(
      'Saving (or finishing) opens a case for each failed item; its result then cannot change',
    );
    expect(itemBlock(en, first)).toContain(
      'Saving opens a case for this item; its result then cannot change',
    );
    // Once the failure is saved its case holds it: no choice is offered, nor the warning on it.
    const saved = await postForm(id, [
      [`${first}.result`, 'fail'],
      [`${first}.note`, '灭火器过期'],
      ['finish', 'false'],
    ]);
    expect(saved.status).toBe(303);
    const after = await (await s.app.request(`/inspection/${id}`, { headers: { cookie } })).text();
    expect(itemBlock(after, first)).not.toContain('data-fail-hint');
  });

  it('shows a stale tab’s finding back, read-only, with a link to open a case for it', async () => {
    const id = await openRound();
    const last = await allButLast(id);
    const done = await results(id, { results: [{ itemId: last, result: 'pass' }] });
    expect(done.status).toBe(200);
    const stale: [string, string][] = [
      [`${second}.result`, 'fail'],
      [`${second}.note`, '灭火器过期'],
      ['finish', 'true'],
    ];
    const res = await postForm(id, stale, { files: [{ item: second, file: jpeg() }] });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(summaryOf(html)).toContain('本次检查已结束，本次提交未保存');
    const box = html.slice(html.indexOf('data-unsaved="inspection"'));
    expect(box).toContain(`data-unsaved-item="${second}"`);
    expect(box).toContain('不合格');
    expect(box).toMatch(/<textarea id="unsaved-[^"]+" readonly="" rows="2">灭火器过期<\/textarea>/);
    expect(box).toContain('所选的 1 张照片没有保存');
    expect(box).toContain(
      `href="/app/cases/new?itemId=${encodeURIComponent(second)}" data-new-case="${second}"`,
    );
    // Items posted as they were recorded are not listed: nothing of them was lost.
    expect(box).not.toContain(`data-unsaved-item="${first}"`);
    // The new-case form the link opens cites the item.
    const { cookie } = await sessionOf('sup-wang');
    const form = await (
      await s.app.request(`/app/cases/new?itemId=${encodeURIComponent(second)}`, { headers: { cookie } })
    ).text();
    expect(form).toMatch(new RegExp(`<option value="${esc(second)}"[^>]* selected`));
    // In English the same, with the link keeping the page's language.
    const en = await (await postForm(id, stale, { query: '?lang=en' })).text();
    expect(summaryOf(en)).toContain('This round is over, so nothing of this post was saved.');
    expect(en).toContain(`href="/app/cases/new?itemId=${encodeURIComponent(second)}&amp;lang=en"`);
    expect(en).toContain('Open a case for this item');
    expect((await roundNow(id)).results.find((r) => r.itemId === second)?.result).toBe('pass');
  });

  /** A failure with a photo, and another whose room the building does not have. */
  const photoAndBadRoom: [string, string][] = [
    [`${first}.result`, 'fail'],
    [`${first}.note`, '一楼消防通道堆放杂物'],
    [`${second}.result`, 'fail'],
    [`${second}.note`, '违规大功率电器'],
    [`${second}.roomId`, 'Z999'],
    ['finish', 'false'],
  ];

  it('counts in the lead every item it marks, a photo to choose again included', async () => {
    const id = await openRound();
    const refused = await postForm(id, photoAndBadRoom, { files: [{ item: first, file: jpeg() }] });
    expect(refused.status).toBe(400);
    const summary = summaryOf(await refused.text());
    expect(summary).toMatch(/^<p class="summary-lead">请修改下面标出的 2 项，本次提交未保存。<\/p>/);
    expect(summary.match(/<li data-field=/g)).toHaveLength(2);
    expect(summary).toContain(`href="#photos-${first}"`);
    expect(summary).toContain(`href="#item-${second}"`);
    const en = await postForm(id, photoAndBadRoom, {
      files: [{ item: first, file: jpeg() }],
      query: '?lang=en',
    });
    expect(summaryOf(await en.text())).toContain('please correct the 2 items marked below');
  });

  it('keeps asking for a lost photo on every refused post until one is chosen or the item no longer fails', async () => {
    const id = await openRound();
    const refused = await postForm(id, photoAndBadRoom, { files: [{ item: first, file: jpeg() }] });
    expect(refused.status).toBe(400);
    // The page carries the request on, so the next refused post asks again.
    const marker = `<input type="hidden" name="${first}.photosAgain" value="1"/>`;
    expect(itemBlock(await refused.text(), first)).toContain(marker);

    // Posted again as the page holds it, no photo chosen, the room still wrong: asked again.
    const again = await postForm(id, [...photoAndBadRoom, [`${first}.photosAgain`, '1']]);
    expect(again.status).toBe(400);
    const againHtml = await again.text();
    expect(itemBlock(againHtml, first)).toContain('data-photos-again=""');
    expect(itemBlock(againHtml, first)).toContain(marker);
    expect(summaryOf(againHtml)).toContain(`href="#photos-${first}"`);

    // An item that no longer fails needs no photo: not asked.
    const passed = await postForm(id, [
      [`${first}.result`, 'pass'],
      [`${first}.photosAgain`, '1'],
      [`${second}.result`, 'fail'],
      ['finish', 'false'],
    ]);
    expect(passed.status).toBe(400);
    const passedHtml = await passed.text();
    expect(itemBlock(passedHtml, first)).not.toContain('data-photos-again');
    expect(summaryOf(passedHtml)).not.toContain(`href="#photos-${first}"`);
    expect((await roundNow(id)).results).toEqual([]);
  });

  it('names the building, not its id, and the action, when a supervisor uploads to or records another building’s round', async () => {
    const id = await openRound();
    const form = new FormData();
    form.append('file', jpeg());
    const up = await s.app.request(`/api/inspections/${id}/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenFor('sup-li')}` },
      body: form,
    });
    expect(up.status).toBe(403);
    const { detail } = (await up.json()) as { detail: string };
    expect(detail).toContain('主管只能为所管楼栋的检查上传照片（学生公寓A栋不归您管）');
    expect(detail).not.toContain('bldg-a');
    expect(detail).not.toContain('查看');
    const posted = await postForm(
      id,
      [
        [`${first}.result`, 'pass'],
        ['finish', 'false'],
      ],
      { session: await sessionOf('sup-li') },
    );
    expect(posted.status).toBe(403);
    const page = await posted.text();
    expect(page).toContain('主管只能记录所管楼栋的检查结果（学生公寓A栋不归您管），本次提交未保存');
    expect(page).not.toContain('bldg-a 不归您管');
  });
});
