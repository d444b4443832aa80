import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDirectory } from '../../../domain/directory-schema.ts';
import { COLUMNS, directoryToTable, importDirectory, readTable } from './admin-import.ts';

/**
 * Found by a probe of /app/admin/directory: refusals read as the validator's output
 * (`people[31].email：无效电子邮件`, `people[31].roles[0]：无效选项：期望以下之一 "supervisor"|…`,
 * `campus：无效输入：期望 object，实际接收 undefined`), and a file with six bad rows listed two of
 * them, because zod skips the cross-reference checks once a role or a language is not in its list.
 * A GBK CSV saved by Excel on Windows was refused as "CSV 文件须为 UTF-8 编码" with no way forward.
 */
const demoTable = async () => {
  const raw = JSON.parse(
    await readFile(path.join(import.meta.dirname, '../../../infra/local/demo-campus.json'), 'utf8'),
  ) as unknown;
  const r = validateDirectory(raw);
  if (!r.ok) throw new Error('demo campus invalid');
  return directoryToTable(r.directory);
};
const col = (name: (typeof COLUMNS)[number]) => COLUMNS.indexOf(name);

describe('import problems as a person reads them', () => {
  it('six bad rows: all six listed in one pass, by row and column, without paths into the JSON', async () => {
    const t = await demoTable();
    const people = t.flatMap((r, i) => (r[0] === 'person' ? [i] : []));
    const [a, b, c, d, e] = people as [number, number, number, number, number];
    t[a]![col('email')] = 'nope';
    t[b]![col('roles')] = 'boss';
    t[c]![col('roles')] = '';
    t[d]![col('language')] = 'fr';
    t[e]![col('department')] = 'nodept';
    const cluster = t.findIndex((r) => r[0] === 'cluster');
    t[cluster]![col('grid_members')] = 'ghost';
    const result = importDirectory(t);
    if (result.ok) throw new Error('accepted');
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([
      [a + 1, 'email'],
      [b + 1, 'roles'],
      [c + 1, 'roles'],
      [d + 1, 'language'],
      [e + 1, 'department'],
      [cluster + 1, 'grid_members'],
    ]);
    const [email, role, noRole, lang] = result.problems.map((p) => p.message);
    expect(email?.zh).toMatch(/^不是有效的邮箱地址/);
    expect(email?.en).toMatch(/^not a valid email address/);
    expect(role?.zh).toMatch(/^角色须为以下之一：主管、员工、网格员.*（填英文代码 supervisor、staff、/);
    expect(role?.en).toMatch(
      /^a role must be one of supervisor \(supervisor\), staff \(staff\), grid_member/,
    );
    expect(noRole).toEqual({ zh: '至少填写一个角色', en: 'list at least one role' });
    expect(lang?.zh).toContain('语言须为 zh-CN 或 en');
    const raw = /people\[|无效|期望|Invalid|expected|Too small/;
    for (const p of result.problems) {
      expect(p.message.zh).not.toMatch(raw);
      expect(p.message.en).not.toMatch(raw);
      expect(p.message.en).not.toMatch(/\p{Script=Han}/u);
    }
  });

  it('no campus row: said once as the missing row, not as "campus: invalid input"', () => {
    const result = importDirectory([
      ['kind', 'id', 'name_zh', 'email', 'roles'],
      ['person', 'p1', '甲', 'a@b.cn', 'admin'],
    ]);
    if (result.ok) throw new Error('accepted');
    expect(result.problems).toEqual([
      {
        row: null,
        column: 'kind',
        message: { zh: '缺少 kind 为 campus 的校园行', en: 'no campus row (kind campus)' },
      },
    ]);
  });
});

describe('a CSV saved by Excel on a Chinese Windows (GBK)', () => {
  // GBK bytes: 校 d0a3, 张 d5c5, 三 c8fd.
  const gbk = (...parts: (string | number[])[]) =>
    new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)))
      .buffer as ArrayBuffer;

  it('is read as GB18030 and says so; the names come through', async () => {
    const file = gbk(
      'kind,id,name_zh,name_en,email,roles,working_group,leadership\r\n',
      'campus,campus,',
      [0xd0, 0xa3],
      ',Campus,,,p1,\r\n',
      'person,p1,',
      [0xd5, 0xc5, 0xc8, 0xfd],
      ',,a@b.cn,admin,,\r\n',
    );
    const read = await readTable('directory.csv', file);
    if (!read.ok) throw new Error(JSON.stringify(read.problem));
    expect(read.encoding).toBe('gb18030');
    const result = importDirectory(read.rows);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.directory.campus.name.zh).toBe('校');
    expect(result.directory.people[0]?.name).toBe('张三');
  });

  it('UTF-8 is read as UTF-8, with no notice', async () => {
    const read = await readTable('d.csv', new TextEncoder().encode('kind,id\r\n').buffer as ArrayBuffer);
    expect(read).toEqual({ ok: true, rows: [['kind', 'id']] });
  });

  it('bytes that are neither say how to save a UTF-8 CSV', async () => {
    const read = await readTable('d.csv', new Uint8Array([0x61, 0xff, 0xff, 0x0a]).buffer);
    if (read.ok) throw new Error('read');
    expect(read.problem.message.zh).toContain('CSV UTF-8（逗号分隔）');
    expect(read.problem.message.en).toContain('CSV UTF-8 (Comma delimited)');
  });
});
