import { beforeEach, describe, expect, it } from 'vitest';
import { COLUMNS, directoryToTable, tableToCsv } from '../../api/pages/app/admin-import.ts';
import { saveDirectory } from '../../store/directory.ts';
import { createSession } from '../../store/sessions.ts';
import { postImportFile } from '../support/import-apply-form.ts';
import { appOnOwnTables } from '../support/own-tables-app.ts';
import { demoDirectory } from '../support/stack.ts';

/**
 * Found by a probe of /app/admin/directory: a GBK CSV (Excel on a Chinese Windows) was refused,
 * and a 50,000-row file previewed as a 13 MB page listing every new id. The preview now reads the
 * file as GB18030 and says so, and lists the first 50 ids of a cell with the count. Own tables.
 */
const own = appOnOwnTables('dirpreview');
const { deps } = own;

let admin: { cookie: string; csrf: string };
beforeEach(async () => {
  await saveDirectory(deps.ddb, deps.tables, await demoDirectory());
  const s = await createSession(deps, { personId: 'admin-xu', via: 'link' });
  admin = { cookie: `rectify_session=${s.id}`, csrf: s.csrfToken };
});

const preview = (body: string | Uint8Array<ArrayBuffer>, lang = '') =>
  postImportFile(own.app, admin, body, { lang });

describe('directory import preview', () => {
  it('a GBK file is previewed, saying it was read as GB18030', async () => {
    // GBK bytes: 校 d0a3, 张 d5c5, 三 c8fd.
    const enc = (s: string) => [...new TextEncoder().encode(s)];
    const bytes = new Uint8Array([
      // The campus row names a working group: an import never leaves it empty.
      ...enc('kind,id,name_zh,name_en,email,roles,working_group\r\ncampus,campus,'),
      0xd0,
      0xa3,
      ...enc(',Campus,,,p-gbk\r\nperson,p-gbk,'),
      0xd5,
      0xc5,
      0xc8,
      0xfd,
      ...enc(',,gbk@demo.edu.cn,admin\r\n'),
    ]);
    const page = await preview(bytes);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-encoding="gb18030"');
    expect(page.html).toContain('已按 GB18030（GBK）读取');
    // Shown where the admin can check the reading, not only inside a form field.
    expect(page.html).toMatch(/data-encoding-sample="true">[^<]*张三/);
    const en = await preview(bytes, '?lang=en');
    expect(en.html).toContain('it was read as GB18030 (GBK)');
  });

  it('lists the first 50 new ids of a cell and how many there are', async () => {
    const table = directoryToTable(await demoDirectory());
    for (let i = 0; i < 120; i++)
      table.push(
        COLUMNS.map((c) =>
          c === 'kind'
            ? 'person'
            : c === 'id'
              ? `new-${i}`
              : c === 'name_zh'
                ? `新人${i}`
                : c === 'email'
                  ? `new${i}@demo.edu.cn`
                  : c === 'roles'
                    ? 'staff'
                    : '',
        ),
      );
    const page = await preview(tableToCsv(table));
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/data-kind="people" data-added="120"/);
    expect(page.html).toContain('data-listed="50"');
    expect(page.html).toContain('new-49');
    expect(page.html).not.toContain('new-50、');
    expect(page.html).toContain('仅列出前 50 个，共 120 个');
  });
  it('names what it adds and changes: people by name, buildings and departments in the page language', async () => {
    const table = directoryToTable(await demoDirectory());
    const zhou = table.find((r) => r[0] === 'person' && r[1] === 'staff-zhou');
    const hallA = table.find((r) => r[0] === 'building' && r[1] === 'bldg-a');
    if (!zhou || !hallA) throw new Error('the demo has no staff-zhou or bldg-a');
    zhou[COLUMNS.indexOf('email')] = 'zhou.new@demo.edu.cn';
    hallA[COLUMNS.indexOf('name_en')] = 'Hall A (renamed)';
    table.push(
      COLUMNS.map((c) =>
        c === 'kind'
          ? 'person'
          : c === 'id'
            ? 'new-li'
            : c === 'name_zh'
              ? '李新'
              : c === 'email'
                ? 'li.new@demo.edu.cn'
                : c === 'roles'
                  ? 'staff'
                  : '',
      ),
    );
    const cells = (html: string, kind: string) =>
      new RegExp(`<tr data-kind="${kind}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
    const zh = await preview(tableToCsv(table));
    expect(zh.status).toBe(200);
    expect(cells(zh.html, 'people')).toContain('李新（new-li）');
    expect(cells(zh.html, 'people')).toContain('周强（staff-zhou）：email');
    expect(cells(zh.html, 'buildings')).toContain('学生公寓A栋（bldg-a）：');
    const en = await preview(tableToCsv(table), '?lang=en');
    expect(cells(en.html, 'people')).toContain('周强 (staff-zhou): email');
    expect(cells(en.html, 'buildings')).toContain('Hall A (renamed) (bldg-a): ');
  });
});
