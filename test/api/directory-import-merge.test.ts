import { beforeEach, describe, expect, it } from 'vitest';
import { COLUMNS, tableToCsv, type Column } from '../../api/pages/app/admin-import.ts';
import type { Directory } from '../../domain/directory.ts';
import { currentSnapshot, loadDirectory, saveDirectory } from '../../store/directory.ts';
import { createSession } from '../../store/sessions.ts';
import { applyFormFields, postImportApply, postImportFile } from '../support/import-apply-form.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { demoDirectory } from '../support/stack.ts';

/**
 * Found by an outside check of issue 13: a merge ("add or replace by id, remove no one") refused a
 * file of one new person, first for its missing campus row, then for every person the campus row
 * names, so adding one staff member took uploading the whole directory. A merge's file now lists
 * only what it adds or replaces, checked as the directory it makes with the current one; a
 * replacement is still the whole directory by itself. Own tables.
 */
const own = appOnOwnTables('dirmerge');
const { deps } = own;

let admin: { cookie: string; csrf: string };
let demo: Directory;
beforeEach(async () => {
  demo = await demoDirectory();
  await saveDirectory(deps.ddb, deps.tables, demo);
  const s = await createSession(deps, { personId: 'admin-xu', via: 'link' });
  admin = { cookie: `rectify_session=${s.id}`, csrf: s.csrfToken };
});

const row = (cells: Partial<Record<Column, string>>) => COLUMNS.map((c) => cells[c] ?? '');
const newStaff = (more: Partial<Record<Column, string>> = {}) =>
  row({
    kind: 'person',
    id: 'staff-new',
    name_zh: '新员工',
    name_en: 'New Staff',
    email: 'new.staff@demo.edu.cn',
    roles: 'staff',
    language: 'zh-CN',
    ...more,
  });
const file = (...rows: string[][]) => tableToCsv([[...COLUMNS], ...rows]);

const preview = (body: string | Uint8Array<ArrayBuffer>, mode?: string, lang = '') =>
  postImportFile(own.app, admin, body, { mode, lang });
const byId = <T extends { id: string }>(xs: readonly T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
const stored = async () => {
  const dir = await loadDirectory(deps.ddb, deps.tables, true);
  if (!dir) throw new Error('no directory stored');
  return dir;
};

/** The page an apply leads to (its counts are read from the stored apply, not the link). */
const appliedText = async (location: string) =>
  (await (await own.app.request(location, { headers: { cookie: admin.cookie } })).text()).match(
    /data-applied[^>]*>([^<]*)/,
  )?.[1] ?? '';

describe('directory import: a merge file lists only what it adds or replaces', () => {
  it('one new person alone: previewed as 1 added, applied with everyone and the campus kept', async () => {
    const page = await preview(file(newStaff()), 'merge');
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-import="valid"');
    expect(page.html).toMatch(/data-kind="people" data-added="1" data-changed="0"/);
    expect(page.html).toMatch(/data-kind="buildings" data-added="0" data-changed="0"/);
    expect(page.html).toContain('新员工（staff-new）');
    // No campus row: the campus is not changed.
    expect(page.html).not.toContain('data-campus-changed');

    const done = await postImportApply(own.app, admin, applyFormFields(page.html));
    expect(done.status).toBe(303);
    // What the preview counted: one added, nothing else touched.
    expect(await appliedText(done.location)).toContain('新增 1 条，修改 0 条，0 条不变。');
    const now = await stored();
    expect(now.people.map((p) => p.id).sort()).toEqual([...demo.people.map((p) => p.id), 'staff-new'].sort());
    expect(now.people.find((p) => p.id === 'staff-new')).toMatchObject({
      name: '新员工',
      email: 'new.staff@demo.edu.cn',
      roles: ['staff'],
    });
    expect(now.campus).toEqual(demo.campus);
    // Stored in id order.
    expect(byId(now.buildings)).toEqual(byId(demo.buildings));
    expect(byId(now.departments)).toEqual(byId(demo.departments));
  });

  it('rows may refer to the current directory: a department, supervisors, a building for a new floor', async () => {
    const page = await preview(
      file(
        // A place's supervisors hold the supervisor role.
        newStaff({ department: 'cs', roles: 'staff;supervisor' }),
        row({
          kind: 'building',
          id: 'bldg-c',
          name_zh: 'C栋',
          name_en: 'Hall C',
          supervisors: 'sup-wang;staff-new',
        }),
        row({
          kind: 'floor',
          id: 'a-f3',
          parent: 'bldg-a',
          name_zh: 'A栋三层',
          name_en: 'Hall A F3',
          grid_members: 'grid-a1f',
        }),
      ),
    );
    expect(page.status).toBe(200);
    // bldg-a's own fields are unchanged: its new floor is counted as a floor added, and its other
    // floors and their clusters as unchanged (they were counted nowhere: '0 条不变').
    expect(page.html).toMatch(/data-kind="buildings" data-added="1" data-changed="0"/);
    expect(page.html).toMatch(/data-kind="floors" data-added="1" data-changed="0"/);
    const done = await postImportApply(own.app, admin, applyFormFields(page.html));
    expect(done.status).toBe(303);
    expect(await appliedText(done.location)).toContain('新增 3 条，修改 0 条，7 条不变。');
    const now = await stored();
    expect(now.people.find((p) => p.id === 'staff-new')?.departmentId).toBe('cs');
    expect(now.buildings.find((b) => b.id === 'bldg-c')?.supervisorIds).toEqual(['sup-wang', 'staff-new']);
    // bldg-a as it was, with its new floor after the others.
    const a = now.buildings.find((b) => b.id === 'bldg-a');
    const before = demo.buildings.find((b) => b.id === 'bldg-a');
    expect(a?.floors.slice(0, -1)).toEqual(before?.floors);
    expect(a?.floors.at(-1)?.id).toBe('a-f3');
  });

  it('an id neither in the file nor the current directory is refused naming its row; nothing is written', async () => {
    const before = await currentSnapshot(deps.ddb, deps.tables);
    const page = await preview(
      file(
        newStaff({ department: 'dept-nowhere' }),
        row({ kind: 'department', id: 'd2', name_zh: '院', contacts: 'ghost' }),
      ),
    );
    expect(page.status).toBe(400);
    expect(page.html).toContain('data-import="invalid"');
    expect(page.html).toContain('data-import-problems="2"');
    expect(page.html).toContain('data-row="2" data-column="department"');
    expect(page.html).toContain('未知的院系 dept-nowhere');
    expect(page.html).toContain('data-row="3" data-column="contacts"');
    expect(page.html).toContain('未知的人员 ghost');
    // Not the missing campus row, nor the people the current campus names.
    expect(page.html).not.toContain('缺少 kind 为 campus 的校园行');
    expect(page.html).not.toContain('wg-chen');
    const en = await preview(file(newStaff({ department: 'dept-nowhere' })), 'merge', '?lang=en');
    expect(en.html).toContain('unknown department dept-nowhere');
    expect(await currentSnapshot(deps.ddb, deps.tables)).toEqual(before);
  });

  it('an email a current person has is refused at the file’s row, naming that person', async () => {
    const page = await preview(file(newStaff({ email: 'zhou.qiang@demo.edu.cn' })));
    expect(page.status).toBe(400);
    expect(page.html).toContain('data-row="2" data-column="email"');
    expect(page.html).toContain('现有名录中的人员 staff-zhou（周强）');
    expect(page.html).not.toMatch(/people\[\d+\]/);
  });

  it('the file as the whole directory must still be whole: a partial file is refused, nothing removed', async () => {
    const before = await currentSnapshot(deps.ddb, deps.tables);
    const partial = await preview(file(newStaff()), 'replace');
    expect(partial.status).toBe(400);
    expect(partial.html).toContain('缺少 kind 为 campus 的校园行');
    expect(partial.html).not.toContain('action="/app/admin/directory/apply"');
    // With a campus row, the people it names must be in the file too.
    const campus = row({
      kind: 'campus',
      id: 'campus',
      name_zh: demo.campus.name.zh,
      name_en: demo.campus.name.en,
      working_group: demo.campus.workingGroupIds.join(';'),
      leadership: demo.campus.leadershipIds.join(';'),
    });
    const named = await preview(file(campus, newStaff()), 'replace');
    expect(named.status).toBe(400);
    expect(named.html).toContain('data-row="2" data-column="working_group"');
    expect(named.html).toContain('未知的人员 wg-chen');
    expect(await currentSnapshot(deps.ddb, deps.tables)).toEqual(before);
  });

  it('a GBK file of one person is read and previewed, its name shown to check the reading', async () => {
    const enc = (s: string) => [...new TextEncoder().encode(s)];
    // GBK bytes: 张 d5c5, 三 c8fd.
    const bytes = new Uint8Array([
      ...enc('kind,id,name_zh,email,roles\r\nperson,p-gbk,'),
      0xd5,
      0xc5,
      0xc8,
      0xfd,
      ...enc(',gbk@demo.edu.cn,staff\r\n'),
    ]);
    const page = await preview(bytes);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-encoding="gb18030"');
    expect(page.html).toMatch(/data-encoding-sample="true">[^<]*张三/);
    expect(page.html).toMatch(/data-kind="people" data-added="1"/);
  });
});
