import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar.ts';
import { checklistFor, periodOf, roundId } from '../../domain/inspection.ts';
import { citation } from '../../domain/standards/catalogue.ts';
import { escapeHtml } from '../../domain/text.ts';
import { getRound } from '../../store/inspections.ts';
import { createSession } from '../../store/sessions.ts';
import { fakeFiles } from '../support/evidence-files.ts';
import { inspectionRoundKit, until } from '../support/inspection-rounds.ts';
import { call, useApiStack } from './harness.ts';

/**
 * The checklist page as a person reads it: refusals and missing code sheets as pages, item errors
 * in the page's language, a count of what is saved, and a due that reads as the period's last day.
 */
const s = useApiStack();

const [first, second] = checklistFor('daily').map((i) => i.id) as [string, string];
const { openRound, freshDate } = inspectionRoundKit(() => s.deps, { from: 26_000, span: 1_000 });

/** A page session's cookie and CSRF token. */
async function sessionOf(personId: string) {
  const session = await createSession(s.deps.aws, { personId, via: 'link' });
  return { cookie: `rectify_session=${session.id}`, csrf: session.csrfToken };
}

/** The checklist form as the page posts it, through sup-wang's page session. */
async function postForm(
  id: string,
  fields: [string, string][],
  files: { item: string; file: File }[] = [],
  query = '',
) {
  const { cookie, csrf } = await sessionOf('sup-wang');
  const form = new FormData();
  form.append('_csrf', csrf);
  for (const [k, v] of fields) form.append(k, v);
  for (const f of files) form.append(`${f.item}.photos[]`, f.file);
  return s.app.request(`/inspection/${id}${query}`, {
    method: 'POST',
    headers: { cookie, accept: 'text/html' },
    body: form,
  });
}

function itemBlock(html: string, itemId: string): string {
  const start = html.indexOf(`id="item-${itemId}"`);
  expect(start, `item ${itemId} on the page`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</fieldset>', start));
}

const statusLine = (html: string) => /data-status="">([^<]*)</.exec(html)?.[1] ?? '';

describe('pages a signed-in browser opens answer with a page, not problem+json', () => {
  it.each(['grid-a1', 'grid-a1f', 'grid-a1c1'])(
    'a grid member (%s) opening a round is told why on a page',
    async (who) => {
      const id = await openRound();
      const { cookie } = await sessionOf(who);
      const res = await s.app.request(`/inspection/${id}`, { headers: { cookie } });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain('data-problem-status="403"');
      expect(html).toContain('您的角色不能查看检查记录');
      // Titled as an error, said where the keyboard lands.
      expect(html).toMatch(/<title>错误：/);
      expect(html).toMatch(
        /<div tabindex="-1" autofocus="" data-error-summary[^>]*data-problem-status="403">/,
      );
      // The API keeps its problem+json.
      const api = await s.app.request(`/api/inspections/${id}`, { headers: { cookie } });
      expect(api.status).toBe(403);
      expect(api.headers.get('content-type')).toContain('application/problem+json');
    },
  );

  it.each(['/app/admin/qr/nope/print', '/app/admin/qr/bldg-a/1', '/app/admin/qr/nope/sheet-1.svg'])(
    '%s is a 404 page in the app shell',
    async (path) => {
      const { cookie } = await sessionOf('admin-xu');
      const res = await s.app.request(path, { headers: { cookie } });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain('data-problem-status="404"');
      expect(html).toContain('href="/app/admin/qr"');
      expect(html).toMatch(/没有楼栋 nope|没有这一页：1/);
    },
  );
});

/** What a reader reads or hears of a piece of the page: its text, placeholders and alt texts. */
const readable = (html: string) =>
  [
    ...[...html.matchAll(/(?:placeholder|alt)="([^"]*)"/g)].map((m) => m[1]),
    // From the first tag's end: an item's block starts inside its fieldset's tag.
    html.slice(html.indexOf('>') + 1).replace(/<[^>]*>/g, '\n'),
  ]
    .join('\n')
    .replace(/&(?:[a-z]+|#\d+);/g, ' ');
const HAN = /\p{Script=Han}/u;
/** English on a Chinese page: words, leaving the hint's file types and size. */
const english = (text: string) => /[A-Za-z]{2,}/.test(text.replace(/\b(?:MB|JPEG|PNG|WebP)\b/g, ''));

describe('the checklist in the page’s language', () => {
  it('names items, labels, options, hints and buttons in the page’s language only, as every app page does', async () => {
    const id = await openRound();
    const { cookie } = await sessionOf('sup-wang');
    const zh = await (await s.app.request(`/inspection/${id}`, { headers: { cookie } })).text();
    const en = await (await s.app.request(`/inspection/${id}?lang=en`, { headers: { cookie } })).text();
    const items = checklistFor('daily');
    for (const item of items.filter((_, i) => i % 6 === 0)) {
      const name = citation(item);
      const [zhItem, enItem] = [itemBlock(zh, item.id), itemBlock(en, item.id)];
      expect(zhItem).toContain(`<legend>${escapeHtml(name.zh)}</legend>`);
      expect(enItem).toContain(`<legend>${escapeHtml(name.en)}</legend>`);
      expect(zhItem).toContain(`>${escapeHtml(item.requirement.zh)}</p>`);
      expect(english(readable(zhItem)), readable(zhItem)).toBe(false);
      expect(readable(enItem), item.id).not.toMatch(HAN);
    }
    // The page's own lines: the status, the way back, the bar's count and buttons.
    const main = (html: string) =>
      html.slice(html.search(/<a href="\/app[^"]*" data-back=""/), html.indexOf('<fieldset'));
    const bar = (html: string) => html.slice(html.indexOf('data-submit-bar'), html.indexOf('</form>'));
    for (const part of [main, bar]) {
      expect(english(readable(part(zh))), readable(part(zh))).toBe(false);
      expect(readable(part(en))).not.toMatch(HAN);
    }
    expect(statusLine(zh)).toContain(`已填写 0/${items.length} 项`);
    expect(statusLine(en)).toContain(`0 of ${items.length} items answered`);
  });
});

describe('the checklist after a refused post', () => {
  it('gives each item’s error in the page’s language only, as the other app pages do', async () => {
    const id = await openRound();
    const fields: [string, string][] = [
      [`${first}.result`, 'fail'],
      [`${second}.result`, 'fail'],
      [`${second}.note`, '门锁损坏'],
      ['finish', 'false'],
    ];
    const fake = [{ item: second, file: new File([fakeFiles.text()], 'fake.jpg', { type: 'image/jpeg' }) }];
    const zh = await (await postForm(id, fields, fake)).text();
    expect(itemBlock(zh, first)).toContain('<li>备注：不合格项须注明问题</li>');
    expect(itemBlock(zh, second)).toMatch(/<li>照片 fake\.jpg：只能上传照片[^</]*<\/li>/);
    expect(zh).not.toContain('only photos are taken here');
    const en = await (await postForm(id, fields, fake, '?lang=en')).text();
    expect(itemBlock(en, first)).toContain('<li>Note: a failed item needs a note saying what is wrong</li>');
    expect(itemBlock(en, second)).toMatch(/<li>photo fake\.jpg: only photos are taken here[^</]*<\/li>/);
    expect(en).not.toContain('只能上传照片');
  });

  it('shows the fields of each item it sends back refused or with what was typed; an untouched one stays compact', async () => {
    const [, , third, fourth] = checklistFor('daily').map((i) => i.id) as [string, string, string, string];
    const id = await openRound();
    const refused = await postForm(id, [
      [`${first}.result`, 'fail'],
      [`${second}.result`, 'pass'],
      [`${second}.roomId`, 'B101'],
      [`${third}.result`, 'na'],
      [`${third}.note`, '本楼无此设施'],
      [`${fourth}.result`, 'pass'],
      ['finish', 'false'],
    ]);
    expect(refused.status).toBe(400);
    const html = await refused.text();
    const details = (itemId: string) => /<div class="details"[^>]*>/.exec(itemBlock(html, itemId))?.[0] ?? '';
    // The refused failure (no note), and what was typed on a pass and an n/a: shown, with no toggle.
    for (const itemId of [first, second, third]) {
      expect(details(itemId), itemId).toContain('data-shown=""');
      expect(itemBlock(html, itemId), itemId).not.toContain('data-more');
    }
    expect(itemBlock(html, second)).toContain('value="B101"');
    // A plain pass: its fields behind the toggle, which opens them without script.
    expect(details(fourth)).not.toContain('data-shown');
    expect(itemBlock(html, fourth)).toMatch(/<label class="more"><input type="checkbox" data-more=""/);
    expect(html).toContain('fieldset.item .details:not([data-shown]){display:none}');
    expect(html).toContain('fieldset.item:has(input[value=fail]:checked) .details');
  });

  it('counts what is saved, and says what the page holds that is not', async () => {
    const id = await openRound();
    const n = checklistFor('daily').length;
    expect(
      (
        await postForm(id, [
          [`${first}.result`, 'pass'],
          ['finish', 'false'],
        ])
      ).status,
    ).toBe(303);
    const refused = await postForm(id, [
      [`${first}.result`, 'pass'],
      [`${second}.result`, 'fail'],
      ['finish', 'false'],
    ]);
    expect(refused.status).toBe(400);
    const line = statusLine(await refused.text());
    // The pass sent again as saved is not pending: only the failure is.
    expect(line).toContain(`已保存 1/${n} 项（本页填写了 1 项，尚未保存）`);
    expect(line).not.toContain('saved');
    expect(line).not.toContain(`已填写 2/${n}`);
    // Once nothing is pending, the count is the saved one as before.
    const { cookie } = await sessionOf('sup-wang');
    const page = await (await s.app.request(`/inspection/${id}`, { headers: { cookie } })).text();
    expect(statusLine(page)).toContain(`已填写 1/${n} 项`);
  });
});

describe('the case a failed item opens', () => {
  it('names the round as people do in its description, not by its id', async () => {
    const id = await openRound();
    expect(
      (
        await postForm(id, [
          [`${first}.result`, 'fail'],
          [`${first}.note`, '灭火器过期'],
          ['finish', 'false'],
        ])
      ).status,
    ).toBe(303);
    const round = await until(
      () => getRound({ ddb: s.deps.aws.ddb, tables: s.deps.aws.tables }, id),
      (r) => r?.cases[first] !== undefined,
    );
    const caseId = round?.cases[first] ?? '';
    const view = await call(s.app, 'GET', `/api/cases/${caseId}`, { as: 'sup-wang' });
    const { description } = (await view.json()) as { description: string };
    const [y, m, d] = (round?.period ?? '').split('-').map(Number);
    expect(description.split('\n')[0]).toMatch(
      new RegExp(
        `^${y}年${m}月${d}日 日检（[^）]+） / Daily inspection, ${d} \\w+ ${y} \\([^)]+\\)：灭火器过期$`,
      ),
    );
    expect(description).not.toContain(id);
  });
});

describe('the due of a round', () => {
  it('a daily round is due by the end of its day, not at midnight of the next', async () => {
    const id = await openRound();
    const round = await getRound({ ddb: s.deps.aws.ddb, tables: s.deps.aws.tables }, id);
    const { cookie } = await sessionOf('sup-wang');
    const line = statusLine(await (await s.app.request(`/inspection/${id}`, { headers: { cookie } })).text());
    expect(line).toContain(`截止：${round?.to} 23:59；`);
    expect(line).not.toContain(`${addDays(round?.to ?? '', 1)} 00:00`);
  });

  it('a December monthly round is due 31 December 23:59, not 1 January 00:00', async () => {
    const year = freshDate().slice(0, 4);
    const date = `${year}-12-15`;
    const id = roundId('monthly', 'bldg-a', periodOf('monthly', date).period);
    try {
      await s.deps.temporal.workflow.start('inspectionRound', {
        taskQueue: s.deps.env.TEMPORAL_TASK_QUEUE,
        workflowId: id,
        args: [
          {
            kind: 'monthly',
            buildingId: 'bldg-a',
            date,
            assigneeIds: ['sup-wang'],
            timeZone: s.deps.env.CAMPUS_TZ,
          },
        ],
      });
    } catch (err) {
      // A run of this file before on the same server opened it: it reads the same.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    await until(
      () => getRound({ ddb: s.deps.aws.ddb, tables: s.deps.aws.tables }, id),
      (r) => r !== null,
    );
    const { cookie } = await sessionOf('sup-wang');
    const line = statusLine(
      await (await s.app.request(`/inspection/${id}?lang=en`, { headers: { cookie } })).text(),
    );
    expect(line).toContain(`due ${year}-12-31 23:59;`);
    expect(line).not.toContain('-01-01 00:00');
    // A language the app does not have is the reader's own (sup-wang's Chinese), not a 400 page.
    const unknown = await s.app.request(`/inspection/${id}?lang=xx`, { headers: { cookie } });
    expect(unknown.status).toBe(200);
    expect(await unknown.text()).toContain('<html lang="zh-CN"');
  });
});

describe('the checklist’s save and submit while filling it in', () => {
  const barOf = (html: string) => {
    const start = html.indexOf('data-submit-bar=""');
    expect(start, 'the submit bar').toBeGreaterThan(-1);
    return html.slice(start, html.indexOf('</div>', start));
  };

  it('keeps both buttons and the saved count in a bar that stays in view, inside the form', async () => {
    const id = await openRound();
    const n = checklistFor('daily').length;
    expect(
      (
        await postForm(id, [
          [`${first}.result`, 'pass'],
          ['finish', 'false'],
        ])
      ).status,
    ).toBe(303);
    const { cookie } = await sessionOf('sup-wang');
    const html = await (await s.app.request(`/inspection/${id}`, { headers: { cookie } })).text();
    const bar = barOf(html);
    expect(bar).toContain(`data-saved-count="">已保存 1/${n} 项</p>`);
    expect(bar).toMatch(/name="finish" value="false"[^>]*>保存进度/);
    expect(bar).toMatch(/name="finish" value="true"[^>]*>提交并结束检查/);
    // A plain form post still: the bar is the form's, after the last item.
    const start = html.indexOf('enctype="multipart/form-data"');
    const form = html.slice(start, html.indexOf('</form>', start));
    expect(form.indexOf('data-submit-bar')).toBeGreaterThan(form.lastIndexOf('</fieldset>'));
    expect(html).toMatch(/\.submit-bar\{position:sticky;bottom:0[;}]/);
  });

  it('links the message to each item to correct, and says nothing was saved', async () => {
    const id = await openRound();
    const refused = await postForm(id, [
      [`${second}.result`, 'pass'],
      [`${first}.result`, 'fail'],
      ['finish', 'false'],
    ]);
    expect(refused.status).toBe(400);
    const html = await refused.text();
    const flash = /data-problem="">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    expect(flash).toContain('请修改下面标出的 1 项，本次提交未保存');
    expect(flash).toMatch(
      new RegExp(`<li data-field="[^"]+"><a href="#item-${first.replace(/\./g, '\\.')}">[^<]+</a>`),
    );
    // Only the item refused is linked, and the link leads to it.
    expect(flash).not.toContain(`#item-${second}`);
    expect(html).toContain(`id="item-${first}"`);
    // Titled as an error, the message where the keyboard lands, the item it leads to marked invalid.
    expect(html).toMatch(/<title>错误：[^<]*<\/title>/);
    expect(html).toMatch(
      /<div tabindex="-1" autofocus="" data-error-summary[^>]*class="flash error" role="alert" data-problem="">/,
    );
    const href = new RegExp(`<a href="#(item-${first.replace(/\./g, '\\.')})"`).exec(flash)?.[1];
    expect(html).toMatch(
      new RegExp(
        `<fieldset id="${href?.replace(/\./g, '\\.')}" class="card item invalid" aria-describedby="error-[^"]+" aria-invalid="true" tabindex="-1">`,
      ),
    );
    expect(html).not.toMatch(
      new RegExp(`<fieldset id="item-${second.replace(/\./g, '\\.')}"[^>]*aria-invalid`),
    );
    const en = await (
      await postForm(
        id,
        [
          [`${first}.result`, 'fail'],
          ['finish', 'false'],
        ],
        [],
        '?lang=en',
      )
    ).text();
    expect(en).toMatch(/<title>Error: [^<]*<\/title>/);
    expect(/data-problem="">([\s\S]*?)<\/div>/.exec(en)?.[1]).toMatch(
      new RegExp(
        `^<p class="summary-lead">Nothing was saved: please correct the item marked below\\.</p><ul class="summary-links"><li data-field="[^"]+"><a href="#item-${first.replace(/\./g, '\\.')}"`,
      ),
    );
  });
});
