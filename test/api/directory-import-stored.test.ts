import { beforeEach, describe, expect, it } from 'vitest';
import { COLUMNS, directoryToTable, tableToCsv } from '../../api/pages/app/admin-import.ts';
import type { Directory, Person } from '../../domain/directory.ts';
import { currentSnapshot, loadDirectory, saveDirectory } from '../../store/directory.ts';
import { IMPORT_PREVIEW_SECONDS, savePreview } from '../../store/import-previews.ts';
import { createSession } from '../../store/sessions.ts';
import { seedCase } from '../support/audit-fixtures.ts';
import { applyFormFields, postImportApply, postImportFile } from '../support/import-apply-form.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { demoDirectory, uniqueId } from '../support/stack.ts';

/**
 * Found by a probe of /app/admin/directory: the preview's apply form carried the whole parsed
 * directory (and the mode, and the version it was checked against) in hidden fields, so a
 * 50,000-row file made a preview page and an apply POST of megabytes, and whatever the form said
 * was applied, not what was previewed; a whole-directory import listed every person it removes.
 * The preview is now kept server-side and the form names it by id and hash; the removal list shows
 * the first 50 and how many more. Own tables.
 */
const own = appOnOwnTables('dirstored');
const { deps } = own;

let admin: { cookie: string; csrf: string };
let demo: Directory;
beforeEach(async () => {
  demo = await demoDirectory();
  await saveDirectory(deps.ddb, deps.tables, demo);
  const s = await createSession(deps, { personId: 'admin-xu', via: 'link' });
  admin = { cookie: `rectify_session=${s.id}`, csrf: s.csrfToken };
});

const person = (i: number) =>
  COLUMNS.map((c) =>
    c === 'kind'
      ? 'person'
      : c === 'id'
        ? `bulk-${i}`
        : c === 'name_zh'
          ? `批量${i}`
          : c === 'email'
            ? `bulk${i}@demo.edu.cn`
            : c === 'roles'
              ? 'staff'
              : '',
  );

const preview = (table: string[][], mode?: string, lang = '') =>
  postImportFile(own.app, admin, tableToCsv(table), { mode, lang });

const post = (fields: URLSearchParams, lang = '') => postImportApply(own.app, admin, fields, lang);
/** The page an apply leads to (its counts are read from the stored apply, not the link). */
const appliedText = async (location: string) =>
  (await (await own.app.request(location, { headers: { cookie: admin.cookie } })).text()).match(
    /data-applied[^>]*>([^<]*)/,
  )?.[1] ?? '';

const person1 = (): Person => ({
  ...(demo.people.find((p) => p.id === 'staff-zhou') as Person),
  id: 'later-1',
  email: 'later1@demo.edu.cn',
});

const peopleIds = async () =>
  (await loadDirectory(deps.ddb, deps.tables, true))?.people.map((p) => p.id) ?? [];

describe('directory import: the preview is kept server-side', () => {
  it('a 5,000-person import: the page and its form stay small, and applying by id imports all of them', async () => {
    const table = directoryToTable(demo);
    for (let i = 0; i < 5000; i++) table.push(person(i));
    const page = await preview(table);
    expect(page.status).toBe(200);
    // The form names the preview; nothing in it carries the directory.
    const fields = applyFormFields(page.html);
    expect([...fields.keys()].sort()).toEqual(['_csrf', 'hash', 'preview']);
    expect(fields.get('hash')).toMatch(/^[0-9a-f]{64}$/);
    expect(page.html).not.toContain('name="directory"');
    expect(page.html).not.toContain('bulk4999@demo.edu.cn');
    // The file is over 300 KB as CSV (the directory JSON more); the page lists 50 ids of it.
    expect(tableToCsv(table).length).toBeGreaterThan(300_000);
    expect(page.html.length).toBeLessThan(30_000);

    const done = await post(fields);
    expect(done.status).toBe(303);
    expect(done.location).toMatch(/applied=[0-9a-f-]{36}$/);
    expect(await appliedText(done.location)).toMatch(/新增 5000 条，修改 0 条，\d+ 条不变。/);
    const ids = await peopleIds();
    expect(ids).toContain('bulk-0');
    expect(ids).toContain('bulk-4999');
    expect(ids.length).toBe(demo.people.length + 5000);

    // Applied once: the same form again is told it was applied, as it was, and writes nothing.
    const version = (await currentSnapshot(deps.ddb, deps.tables))?.version;
    const again = await post(fields);
    expect(again.status).toBe(303);
    expect(again.location).toBe(done.location);
    expect((await currentSnapshot(deps.ddb, deps.tables))?.version).toBe(version);
  });

  it('an unknown or expired preview is refused, asking to upload again, in either language; nothing is written', async () => {
    const before = await currentSnapshot(deps.ddb, deps.tables);
    const unknown = new URLSearchParams({
      _csrf: admin.csrf,
      preview: '0b7e3c1e-1111-4222-8333-444455556666',
      hash: 'a'.repeat(64),
    });
    const zh = await post(unknown);
    expect(zh.status).toBe(404);
    expect(zh.html).toContain('data-import="expired"');
    expect(zh.html).toContain('找不到这次导入预览，或它已过期');
    expect(zh.html).toContain('请重新上传文件预览');
    expect(zh.html).toContain('action="/app/admin/directory/preview"');
    const en = await post(unknown, '?lang=en');
    expect(en.status).toBe(404);
    expect(en.html).toContain('This import preview was not found or has expired');
    expect(en.html).toContain('Upload the file again');

    // Made longer ago than a preview is kept: expired, though its rows are still in the table.
    const long = new Date(Date.now() - (IMPORT_PREVIEW_SECONDS + 60) * 1000);
    const old = await savePreview(
      deps,
      {
        personId: 'admin-xu',
        mode: 'merge',
        version: before?.version ?? null,
        directory: { ...demo, people: [...demo.people, { ...(demo.people[0] as Person), id: 'late-1' }] },
      },
      long,
    );
    const late = await post(new URLSearchParams({ _csrf: admin.csrf, preview: old.id, hash: old.hash }));
    expect(late.status).toBe(404);
    expect(late.html).toContain('找不到这次导入预览，或它已过期');
    expect(await currentSnapshot(deps.ddb, deps.tables)).toEqual(before);
  });

  it('applies what was previewed, not what the form is changed to say', async () => {
    const withoutZhou = directoryToTable(demo).filter((r) => !(r[0] === 'person' && r[1] === 'staff-zhou'));
    const page = await preview(withoutZhou);
    expect(page.html).toContain('data-import-mode="merge"');
    const fields = applyFormFields(page.html);

    // Another hash, or the directory posted beside the id: refused, nothing written.
    const before = await currentSnapshot(deps.ddb, deps.tables);
    const otherHash = new URLSearchParams(fields);
    otherHash.set('hash', 'b'.repeat(64));
    expect((await post(otherHash)).status).toBe(400);
    expect(await currentSnapshot(deps.ddb, deps.tables)).toEqual(before);

    // A merge previewed as one is applied as one: a mode added to the form removes no one.
    const asReplace = new URLSearchParams(fields);
    asReplace.set('mode', 'replace');
    asReplace.set('directory', JSON.stringify({ ...demo, people: [] }));
    const done = await post(asReplace);
    expect(done.status).toBe(303);
    expect(await appliedText(done.location)).toMatch(/新增 \d+ 条，修改 \d+ 条，\d+ 条不变。/);
    expect(await peopleIds()).toContain('staff-zhou');
    expect((await peopleIds()).length).toBe(demo.people.length);
  });

  it('removing 121 people lists the first 50, those with open cases first, and how many more', async () => {
    const extra: Person[] = Array.from({ length: 120 }, (_, i) => ({
      ...(demo.people.find((p) => p.id === 'staff-zhou') as Person),
      id: `leaver-${String(i).padStart(3, '0')}`,
      email: `leaver${i}@demo.edu.cn`,
    }));
    await saveDirectory(deps.ddb, deps.tables, { ...demo, people: [...demo.people, ...extra] });
    // staff-zhou, last in id order after the 120, holds an open case: listed all the same, first.
    await seedCase(deps, uniqueId('ZG-CAP'), 1);
    const file = directoryToTable(demo).filter((r) => !(r[0] === 'person' && r[1] === 'staff-zhou'));
    const page = await preview(file, 'replace');
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-removing="121"');
    expect(page.html).toContain('将被移除的人员（121 人）');
    const listed = [...page.html.matchAll(/data-person="([^"]+)"/g)].map((m) => m[1]);
    expect(listed.length).toBe(50);
    expect(listed[0]).toBe('staff-zhou');
    expect(page.html).toMatch(/data-person="staff-zhou" data-open-cases="1"/);
    expect(page.html).toContain('data-removing-more="71"');
    expect(page.html).toContain('另有 71 人');
    expect(page.html).toContain('确认导入并移除 121 人');
    expect((await preview(file, 'replace', '?lang=en')).html).toContain('… and 71 more');

    // Applied by its id, the replacement removes all 121, not only the 50 listed.
    const done = await post(applyFormFields(page.html));
    expect(done.status).toBe(303);
    expect(await appliedText(done.location)).toContain('删除 121 条');
    const ids = await peopleIds();
    expect(ids.some((id) => id.startsWith('leaver-') || id === 'staff-zhou')).toBe(false);
  });

  /**
   * Found by reading the apply handler: two posts of one preview (a double click) both loaded it
   * before either dropped it; the first saved, the second's save failed against the version the
   * first made and its page said the directory had changed and nothing was written, the page the
   * browser showed, though the import was applied. The preview is now claimed by one post.
   */
  it.each(['replace', 'merge'])(
    'two parallel applies of one %s preview: written once, both answers lead to the applied result',
    async (mode) => {
      const file = directoryToTable(demo)
        .filter((r) => !(r[0] === 'person' && r[1] === 'staff-zhou'))
        .concat([person(1)]);
      const fields = applyFormFields((await preview(file, mode)).html);
      const before = (await currentSnapshot(deps.ddb, deps.tables))?.version ?? 0;
      const answers = await Promise.all([post(fields), post(fields)]);
      for (const a of answers) {
        expect(a.status).toBe(303);
        expect(await appliedText(a.location)).toContain('新增 1 条');
        expect(a.html).not.toContain('没有写入任何内容');
      }
      expect(answers[0]!.location).toBe(answers[1]!.location);
      expect((await currentSnapshot(deps.ddb, deps.tables))?.version).toBe(before + 1);
      expect(await peopleIds()).toContain('bulk-1');
      expect((await peopleIds()).includes('staff-zhou')).toBe(mode === 'merge');
    },
  );

  it('an apply that writes nothing gives the preview up: posted again, it is checked again at once', async () => {
    const file = directoryToTable(demo).filter((r) => !(r[0] === 'person' && r[1] === 'staff-zhou'));
    const fields = applyFormFields((await preview(file, 'replace')).html);
    // Another load after the preview: the replacement is stale, refused, and nothing is written.
    await saveDirectory(deps.ddb, deps.tables, { ...demo, people: [...demo.people, person1()] });
    const version = (await currentSnapshot(deps.ddb, deps.tables))?.version;
    for (let i = 0; i < 2; i++) {
      const refused = await post(fields);
      expect(refused.status).toBe(409);
      expect(refused.html).toContain('预览之后名录已被修改');
    }
    expect((await currentSnapshot(deps.ddb, deps.tables))?.version).toBe(version);
  });
});
