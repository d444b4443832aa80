import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CALENDAR_FILE } from '../../infra/calendar.ts';
import { latestCalendarVersion, recentCalendarVersions } from '../../store/calendar-versions.ts';
import { pageSessions } from '../support/page-sessions.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { startApiStackOn, type ApiStack } from './harness.ts';

/**
 * What the calendar page saves, and what it refuses to (found by a probe on a running
 * `npm start`): an emptied box saved as a version that dropped every term and closure and
 * recounted every running case; the same file saved twice as two versions, each sent to every
 * running case; a closure listed twice passing the check. Tables of this file's own: the tests
 * run in order, each on the versions the one before it left.
 */

const tables = ownTables(uniqueId('calsave'));
let s: ApiStack;
const as = pageSessions(() => s.deps.aws);
let demo = '';
const store = () => ({ ddb: s.deps.aws.ddb, tables: s.deps.aws.tables });
const latest = async () => (await latestCalendarVersion(store()))?.number ?? 0;

beforeAll(async () => {
  s = await startApiStackOn(tables);
  demo = await readFile(LOCAL_CALENDAR_FILE, 'utf8');
});
afterAll(async () => {
  await s?.stop();
});

async function form(fields: Record<string, string>, lang = 'zh-CN') {
  const who = await as('admin-xu');
  return s.app.request('/app/admin/calendar', {
    method: 'POST',
    headers: {
      cookie: `rectify_session=${who.id}`,
      'content-type': 'application/x-www-form-urlencoded',
      'accept-language': lang,
    },
    body: new URLSearchParams({ ...fields, _csrf: who.csrf }),
  });
}
const plain = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

describe('saving the file in force again', () => {
  it('saves nothing while the calendar file is in force and says so', async () => {
    const res = await form({ text: demo, action: 'save' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-calendar-unchanged="file"');
    expect(plain(html)).toContain('与现行校历文件 calendar.txt 相同，未保存。');
    expect(await latest()).toBe(0);
  });

  it('saves a changed file once, and the same file again (resent, from a browser, twice at once) as nothing', async () => {
    const text = `${demo}\nclosure 2027-03-10 雪灾停课 / snow day\n`;
    const first = await form({ text, action: 'save', note: '雪灾' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/app/admin/calendar?saved=1');

    // Save pressed again later, and as a browser sends the box back (CRLF, a trailing newline).
    for (const again of [text, `${text.replace(/\n/g, '\r\n')}\r\n`]) {
      const res = await form({ text: again, action: 'save' });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('data-calendar-unchanged="1"');
      expect(plain(html)).toMatch(
        /与现行第 1 版（徐管理，[^）]+ 保存）相同，未保存新版本；进行中的案件不会再次收到通知。/,
      );
      expect(html).not.toContain('data-calendar-saved');
    }
    const en = await form({ text, action: 'save' }, 'en');
    expect(plain(await en.text())).toMatch(
      /Same as version 1 in force \(saved by 徐管理, [^)]+\): nothing saved/,
    );
    expect(await latest()).toBe(1);

    // A double click with no script: two posts of one new text at once make one version.
    const next = `${text}# 再改一次\n`;
    const both = await Promise.all([
      form({ text: next, action: 'save' }),
      form({ text: next, action: 'save' }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 303]);
    expect(await latest()).toBe(2);
    expect((await recentCalendarVersions(store())).map((v) => v.number)).toEqual([2, 1]);
  });

  it('sends the form once: the page disables its buttons on the first submit, keeping the button pressed', async () => {
    const who = await as('admin-xu');
    const html = await (
      await s.app.request('/app/admin/calendar', { headers: { cookie: `rectify_session=${who.id}` } })
    ).text();
    const form = /<form[^>]*id="cal-form"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
    expect(form).toContain("getElementById('cal-form')");
    expect(form).toContain('b.disabled=!on');
    // A disabled button sends no value: the one pressed goes in a hidden field.
    expect(form).toContain('h.name=b.name;h.value=b.value');
  });
});

describe('an empty file', () => {
  it('is refused, naming why and what it would remove, with a box to confirm', async () => {
    const before = await latest();
    for (const text of ['', '\n  \n', '# 全部删掉了\n']) {
      const res = await form({ text, action: 'save' });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('data-calendar-errors');
      expect(plain(html)).toContain(
        `校历文件是空的（没有一行有效内容），未保存。保存它会删除现行第 ${before} 版中的全部变更（见下方列表）`,
      );
      // Chinese first, the English beside it.
      const zhAt = plain(html).indexOf('校历文件是空的');
      expect(zhAt).toBeGreaterThan(-1);
      expect(plain(html).indexOf('The calendar file is empty')).toBeGreaterThan(zhAt);
      // What goes, by name: the terms and the closures of the version in force.
      const clears = /<div[^>]*data-calendar-clears="v\d+"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
      expect(clears).toContain(`data-calendar-clears="v${before}"`);
      expect(plain(clears)).toContain('2 次学校放假：校庆日全校放假（示例）');
      expect(plain(clears)).toContain('雪灾停课 / snow day (2027-03-10..2027-03-10)');
      expect(plain(clears)).toContain('3 个学期：2026-2027学年第一学期');
      expect(html).toMatch(new RegExp(`<input type="checkbox" name="clear" value="v${before}"`));
    }
    const en = await form({ text: '', action: 'save' }, 'en');
    expect(en.status).toBe(400);
    const enText = plain(await en.text());
    expect(enText).toContain(
      `The calendar file is empty (no statement, only blank lines or comments), so it was not saved. Saving it would remove every change of version ${before} in force`,
    );
    expect(enText).toContain('2 school closures: ');
    expect(await latest()).toBe(before);
  });

  it('previews what it would remove without saving', async () => {
    const before = await latest();
    const res = await form({ text: '', action: 'preview' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`data-calendar-clears="v${before}"`);
    expect(plain(html)).toContain('这个校历文件没有任何变更。保存它将删除现行第');
    expect(html).toContain('name="clear"');
    expect(await latest()).toBe(before);
  });

  it('is saved once confirmed for the version in force, and not for an older one', async () => {
    const before = await latest();
    const stale = await form({ text: '', action: 'save', clear: `v${before - 1}` });
    expect(stale.status).toBe(400);
    expect(plain(await stale.text())).toContain('勾选的确认针对的是此前的校历');
    expect(await latest()).toBe(before);

    const res = await form({ text: '', action: 'save', clear: `v${before}`, note: '学校取消全部安排' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/app/admin/calendar?saved=${before + 1}`);
    // In force now: nothing left to remove, so the next empty save is the same file.
    const again = await form({ text: '', action: 'save' });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain(`data-calendar-unchanged="${before + 1}"`);
    expect(await latest()).toBe(before + 1);
  });
});

describe('a closure listed twice', () => {
  it('is an error at its line, and nothing is saved', async () => {
    const before = await latest();
    const text = 'closure 2026-12-14 停水\nclosure 2026-12-14 again\n';
    for (const action of ['preview', 'save']) {
      const res = await form({ text, action });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('data-line="2"');
      expect(plain(html)).toContain('第 2 行：2026-12-14 已在第 1 行列出');
    }
    expect(await latest()).toBe(before);
  });
});
