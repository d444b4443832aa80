import { beforeEach, describe, expect, it } from 'vitest';
import { COLUMNS, directoryToTable, tableToCsv } from '../../api/pages/app/admin-import.ts';
import type { Directory } from '../../domain/directory.ts';
import { currentSnapshot, loadDirectory, saveDirectory } from '../../store/directory.ts';
import { createSession } from '../../store/sessions.ts';
import { applyFormFields, postImportApply, postImportFile } from '../support/import-apply-form.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { demoDirectory } from '../support/stack.ts';

/**
 * Found by a probe of /app/admin/directory: a merge file with the row `building,bldg-b` but not
 * its floor rows took away Dormitory B's 2 floors and 20 rooms (with their grid members and QR
 * codes), the preview saying only "Dormitory B (bldg-b): floors" under Changed, and its summary
 * counted no floor or cluster row. A merge now keeps what the file does not mention; a whole
 * directory file that drops floors says which floors and rooms go before apply. Own tables.
 */

const own = appOnOwnTables('dirfloors');
const { deps } = own;

let admin: { cookie: string; csrf: string };
let demo: Directory;
beforeEach(async () => {
  demo = await demoDirectory();
  await saveDirectory(deps.ddb, deps.tables, demo);
  const s = await createSession(deps, { personId: 'admin-xu', via: 'link' });
  admin = { cookie: `rectify_session=${s.id}`, csrf: s.csrfToken };
});

const preview = (table: string[][], mode?: string, lang = '') =>
  postImportFile(own.app, admin, tableToCsv(table), { mode, lang });
const appliedText = async (location: string) =>
  (await (await own.app.request(location, { headers: { cookie: admin.cookie } })).text()).match(
    /data-applied[^>]*>([^<]*)/,
  )?.[1] ?? '';
const row = (cells: Partial<Record<(typeof COLUMNS)[number], string>>) => COLUMNS.map((c) => cells[c] ?? '');

/** The page's help on what a merge does, its HTML entities read back. */
const mergeHelp = async (lang: string) => {
  const res = await own.app.request(`/app/admin/directory${lang}`, { headers: { cookie: admin.cookie } });
  expect(res.status).toBe(200);
  const html = /<p data-merge-help[^>]*>([^<]*)<\/p>/.exec(await res.text())?.[1] ?? '';
  return html.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
};

describe('directory import: floors and rooms', () => {
  it('the page’s help says a merge never changes a floor’s id: keep it to rename, replace to change it', async () => {
    expect(await mergeHelp('')).toContain(
      '合并不会更改楼层的 id：要给楼层改名，请沿用其 id；要更换楼层 id，请选择“删除（以文件为完整名录）”并上传完整名录。',
    );
    expect(await mergeHelp('?lang=en')).toContain(
      `A merge never changes a floor's id: to rename a floor, keep its id; to change its id, choose "Remove them (the file is the whole directory)" and upload the whole directory.`,
    );
  });

  it('a merge with a building row and no floor rows keeps its floors and counts unchanged floor rows', async () => {
    const table = directoryToTable(demo);
    const bRow = table.find((r) => r[0] === 'building' && r[1] === 'bldg-b')!;
    const aFloorsAndClusters = table.filter(
      (r) => (r[0] === 'floor' && r[2] === 'bldg-a') || (r[0] === 'cluster' && r[2]?.startsWith('a-')),
    );
    const file = [
      table[0]!,
      row({ kind: 'person', id: 'new-1', name_zh: '新一', email: 'new1@demo.edu.cn', roles: 'staff' }),
      row({ kind: 'person', id: 'new-2', name_zh: '新二', email: 'new2@demo.edu.cn', roles: 'staff' }),
      bRow.map((v, i) => (COLUMNS[i] === 'name_zh' ? '学生公寓B栋（改）' : v)),
      ...aFloorsAndClusters,
    ];
    const page = await preview(file, undefined, '?lang=en');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('data-places-lost');
    expect(page.html).not.toMatch(/Dormitory B \(bldg-b\): [^<]*floors/);
    expect(page.html).toMatch(/<tr data-kind="floors" data-added="0" data-changed="0">/);

    const done = await postImportApply(own.app, admin, applyFormFields(page.html));
    expect(done.status).toBe(303);
    // 2 people added, bldg-b's name changed; unchanged: bldg-a (its floor rows name it), its 2
    // floor and 4 cluster rows, and bldg-b's 2 floors and 4 clusters, kept as they were.
    expect(await appliedText(done.location)).toBe('已导入名录：新增 2 条，修改 1 条，13 条不变。');
    const after = await loadDirectory(deps.ddb, deps.tables, true);
    const b = after?.buildings.find((x) => x.id === 'bldg-b');
    expect(b?.name.zh).toBe('学生公寓B栋（改）');
    expect(b?.floors).toEqual(demo.buildings.find((x) => x.id === 'bldg-b')?.floors);
  });

  it('a whole-directory file without a building’s floor rows says which floors and rooms go, before apply', async () => {
    const file = directoryToTable(demo).filter(
      (r) => !((r[0] === 'floor' && r[2] === 'bldg-b') || (r[0] === 'cluster' && r[2]?.startsWith('b-'))),
    );
    const zh = await preview(file, 'replace');
    expect(zh.status).toBe(200);
    expect(zh.html).toContain('data-places-lost="2.20"');
    expect(zh.html).toContain('将移除 2 个楼层、20 个房间（含其网格员与二维码）：b-f1、b-f2');
    const en = await preview(file, 'replace', '?lang=en');
    expect(en.html).toContain(
      'This removes 2 floors and 20 rooms (with their grid members and QR codes): b-f1, b-f2',
    );
  });

  it('a merge that changes a floor’s id says once, at the floor’s row, to keep the id or replace; replace moves its rooms', async () => {
    const table = directoryToTable(demo);
    // b-f1 as b-1f: its floor row with the new id, its cluster rows under it.
    const moved = (r: string[]) =>
      r.map((v, i) =>
        (r[0] === 'floor' && i === 1) || (r[0] === 'cluster' && i === 2) ? v.replace(/^b-f1$/, 'b-1f') : v,
      );
    const renamed = table
      .filter((r) => (r[0] === 'floor' && r[1] === 'b-f1') || (r[0] === 'cluster' && r[2] === 'b-f1'))
      .map(moved);
    const stored = await currentSnapshot(deps.ddb, deps.tables);
    const zh = await preview([table[0]!, ...renamed], 'merge');
    expect(zh.status).toBe(400);
    // One problem, not a duplicate for each of its 10 rooms and 2 clusters.
    expect(zh.html).toContain('data-import-problems="1"');
    expect(zh.html).toContain('data-row="2" data-column="id"');
    expect(zh.html).toContain(
      '楼层 b-1f 列出了楼栋 bldg-b 现有楼层 b-f1（1层）的房间（B101, B102, B103…）。合并只按 id 新增或替换，不删除文件中没有的楼层，所以 b-f1 仍在，房间重复。只改楼层名称：请沿用 id b-f1；',
    );
    const en = await preview([table[0]!, ...renamed], 'merge', '?lang=en');
    expect(en.html).toContain(
      'To rename the floor, keep its id b-f1; to change its id, choose &quot;Remove them (the file is the whole directory)&quot;',
    );
    expect(await currentSnapshot(deps.ddb, deps.tables)).toEqual(stored);

    // What the message offers: the whole directory with the new id, as a replacement. Every room
    // of b-f1 is still in bldg-b, on b-1f: none that a case names is lost.
    const whole = table.map(moved);
    const page = await preview(whole, 'replace');
    expect(page.status).toBe(200);
    // The preview says the floor id b-f1 goes (its grid cell and code), and no room.
    expect(page.html).toContain('data-places-lost="1.0"');
    const done = await postImportApply(own.app, admin, applyFormFields(page.html));
    expect(done.status).toBe(303);
    const b = (await loadDirectory(deps.ddb, deps.tables, true))?.buildings.find((x) => x.id === 'bldg-b');
    const before = demo.buildings.find((x) => x.id === 'bldg-b')!;
    expect(b?.floors.map((f) => f.id)).toEqual(['b-1f', 'b-f2']);
    expect(b?.floors[0]?.clusters).toEqual(before.floors[0]?.clusters);
  });
});
