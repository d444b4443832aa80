import { beforeEach, describe, expect, it } from 'vitest';
import { directoryToTable, tableToCsv } from '../../api/pages/app/admin-import.ts';
import { currentSnapshot, loadDirectory, saveDirectory } from '../../store/directory.ts';
import { createSession } from '../../store/sessions.ts';
import { seedCase } from '../support/audit-fixtures.ts';
import { applyFormFields, postImportApply, postImportFile } from '../support/import-apply-form.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { demoDirectory, uniqueId } from '../support/stack.ts';

/**
 * Found by a probe of /app/admin/directory: the import page could not remove anyone. Uploading the
 * exported CSV without staff-zhou previewed them as "kept", though issue 11 makes a directory load
 * a snapshot whose removed people lose access at once. The page now offers the file as the whole
 * directory: the preview lists who goes and how many open cases each holds, applying removes them
 * (listed for reassignment), and the default stays the merge. Own tables.
 */
const own = appOnOwnTables('dirreplace');
const { deps } = own;

let admin: { cookie: string; csrf: string };
beforeEach(async () => {
  await saveDirectory(deps.ddb, deps.tables, await demoDirectory());
  const s = await createSession(deps, { personId: 'admin-xu', via: 'link' });
  admin = { cookie: `rectify_session=${s.id}`, csrf: s.csrfToken };
});

const withoutZhou = async () =>
  directoryToTable(await demoDirectory()).filter((r) => !(r[0] === 'person' && r[1] === 'staff-zhou'));

const preview = (table: string[][], mode?: string, lang = '') =>
  postImportFile(own.app, admin, tableToCsv(table), { mode, lang });

/** Posts the preview's own apply form, hidden fields as the page wrote them. */
const applyFrom = (html: string) => postImportApply(own.app, admin, applyFormFields(html));

const ids = async () => (await loadDirectory(deps.ddb, deps.tables, true))?.people.map((p) => p.id) ?? [];

describe('directory import: the file as the whole directory', () => {
  it('by default keeps whom the file leaves out, and says how to remove them', async () => {
    const page = await preview(await withoutZhou());
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-import-mode="merge"');
    const form = await (
      await own.app.request('/app/admin/directory', { headers: { cookie: admin.cookie } })
    ).text();
    expect(form).toMatch(/name="mode" value="merge" checked/);
    expect(form).toContain('以文件为完整名录');
    expect((await applyFrom(page.html)).status).toBe(303);
    expect(await ids()).toContain('staff-zhou');
  });

  it('previews who is removed with their open cases, removes them on apply, and lists them to reassign', async () => {
    const openCase = uniqueId('ZG-REPL');
    await seedCase(deps, openCase, 1);
    const page = await preview(await withoutZhou(), 'replace');
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-import-mode="replace"');
    expect(page.html).toContain('data-removing="1"');
    expect(page.html).toMatch(/data-person="staff-zhou" data-open-cases="1"/);
    expect(page.html).toContain('1 件未结案件需重新指派');
    expect(page.html).toContain('文件中没有（删除）');

    const done = await applyFrom(page.html);
    expect(done.status).toBe(303);
    expect(await ids()).not.toContain('staff-zhou');
    expect((await currentSnapshot(deps.ddb, deps.tables))?.removedPeople).toEqual(['staff-zhou']);

    const after = await (await own.app.request(done.location, { headers: { cookie: admin.cookie } })).text();
    expect(after).toContain('删除 1 条');
    expect(after).toContain('href="#removed-h"');
    expect(after).toContain(`/app/cases/${openCase}`);
  });

  // Found by a probe of the remove-mode preview: ids only, "、" and "：" on the English page, and
  // the apply that removes people the same blue button as a harmless one.
  const withoutZhouAndWu = async () =>
    (await withoutZhou()).filter((r) => !(r[0] === 'person' && r[1] === 'staff-wu'));
  const removingList = (html: string) =>
    /<ul aria-labelledby="removing-h"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  const keptCell = (html: string) => /<tr data-kind="people"[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';

  it('names each person it removes beside their id, from the directory being replaced', async () => {
    const zh = await preview(await withoutZhouAndWu(), 'replace');
    expect(zh.status).toBe(200);
    expect(removingList(zh.html)).toContain('周强（staff-zhou）：');
    expect(removingList(zh.html)).toContain('吴磊（staff-wu）：');
    expect(keptCell(zh.html)).toMatch(
      /(周强（staff-zhou）、吴磊（staff-wu）|吴磊（staff-wu）、周强（staff-zhou）)/,
    );
    const en = await preview(await withoutZhouAndWu(), 'replace', '?lang=en');
    expect(removingList(en.html)).toContain('周强 (staff-zhou): ');
    expect(keptCell(en.html)).toMatch(
      /(周强 \(staff-zhou\), 吴磊 \(staff-wu\)|吴磊 \(staff-wu\), 周强 \(staff-zhou\))/,
    );
  });

  it('uses English punctuation on the English page', async () => {
    const en = await preview(await withoutZhouAndWu(), 'replace', '?lang=en');
    expect(en.status).toBe(200);
    expect(removingList(en.html)).toMatch(/staff-wu\)?: no open cases/);
    expect(removingList(en.html)).not.toMatch(/[：、（）]/);
    expect(keptCell(en.html)).toMatch(/staff-(zhou|wu)\)?, /);
    expect(keptCell(en.html)).not.toContain('、');
  });

  it('gives the apply that removes people the danger style, and only that apply', async () => {
    const zh = await preview(await withoutZhouAndWu(), 'replace');
    expect(zh.html).toMatch(/<button type="submit" class="danger">\s*确认导入并移除 2 人/);
    const en = await preview(await withoutZhouAndWu(), 'replace', '?lang=en');
    expect(en.html).toMatch(/<button type="submit" class="danger">\s*Apply and remove 2 people/);
    // One person is one person, not "1 people".
    const one = await preview(await withoutZhou(), 'replace', '?lang=en');
    expect(one.html).toMatch(/<button type="submit" class="danger">\s*Apply and remove 1 person</);
    // A merge removes no one: its apply stays the ordinary button.
    const merge = await preview(await withoutZhouAndWu());
    expect(merge.html).toMatch(/<button type="submit">\s*确认导入/);
    expect(merge.html).not.toContain('class="danger"');
  });

  it('refuses a replacement previewed against a directory that has changed since', async () => {
    const page = await preview(await withoutZhou(), 'replace');
    const demo = await demoDirectory();
    await saveDirectory(deps.ddb, deps.tables, {
      ...demo,
      people: demo.people.filter((p) => p.id !== 'staff-lee'),
    });
    const done = await applyFrom(page.html);
    expect(done.status).toBe(409);
    expect(done.html).toContain('预览之后名录已被修改');
    expect(await ids()).toContain('staff-zhou');
  });
});
