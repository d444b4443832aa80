import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDirectory } from '../../../domain/directory-schema.ts';
import type { Directory } from '../../../domain/directory.ts';
import { COLUMNS, directoryToTable, importDirectory, importIntoDirectory } from './admin-import.ts';

/**
 * Found by a probe of /app/admin/directory as admin-xu: the export minus admin-xu, or with an
 * empty working_group, passed the import, and once applied nobody could reach the page again; a
 * place's supervisor needed only to exist, not to hold the supervisor role; and a person's name_en
 * was dropped on import (name_zh || name_en).
 */
const demo = async (): Promise<Directory> => {
  const raw = JSON.parse(
    await readFile(path.join(import.meta.dirname, '../../../infra/local/demo-campus.json'), 'utf8'),
  ) as unknown;
  const r = validateDirectory(raw);
  if (!r.ok) throw new Error('demo campus invalid');
  return r.directory;
};
const col = (name: (typeof COLUMNS)[number]) => COLUMNS.indexOf(name);
const rowOf = (cells: Partial<Record<(typeof COLUMNS)[number], string>>) =>
  COLUMNS.map((c) => cells[c] ?? '');

describe('an import keeps an admin and a working group', () => {
  it('the whole directory without its only admin is refused, in both languages', async () => {
    const t = directoryToTable(await demo()).filter((r) => !(r[0] === 'person' && r[1] === 'admin-xu'));
    const result = importDirectory(t);
    if (result.ok) throw new Error('accepted');
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.message.zh).toContain('至少保留一名具有 admin 角色的人员');
    expect(result.problems[0]?.message.en).toContain('keep at least one person with the admin role');
  });

  it('an empty working group is refused at the campus row’s working_group', async () => {
    const t = directoryToTable(await demo());
    const campus = t.findIndex((r) => r[0] === 'campus');
    t[campus]![col('working_group')] = '';
    const result = importDirectory(t);
    if (result.ok) throw new Error('accepted');
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([[campus + 1, 'working_group']]);
    expect(result.problems[0]?.message.zh).toContain('至少列出一名工作小组成员');
  });

  it('a merge taking the admin role from the only admin is refused', async () => {
    const result = importIntoDirectory(
      [
        [...COLUMNS],
        rowOf({ kind: 'person', id: 'admin-xu', name_zh: '徐管理', email: 'xu@demo.edu.cn', roles: 'staff' }),
      ],
      await demo(),
    );
    if (result.ok) throw new Error('accepted');
    expect(result.problems.map((p) => p.message.en).join()).toContain('no one would hold the admin role');
  });

  it('a second admin makes the first one’s removal a change like any other', async () => {
    const t = directoryToTable(await demo()).map((r) =>
      r[0] === 'person' && r[1] === 'sup-wang'
        ? r.map((v, i) => (i === col('roles') ? 'supervisor;admin' : v))
        : r,
    );
    expect(importDirectory(t.filter((r) => !(r[0] === 'person' && r[1] === 'admin-xu'))).ok).toBe(true);
  });
});

describe('a place’s supervisor holds the supervisor role', () => {
  it('a staff member listed as a building’s supervisor is refused at that cell', async () => {
    const t = directoryToTable(await demo());
    const building = t.findIndex((r) => r[0] === 'building' && r[1] === 'bldg-b');
    t[building]![col('supervisors')] = 'staff-zhou';
    const result = importDirectory(t);
    if (result.ok) throw new Error('accepted');
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([[building + 1, 'supervisors']]);
    expect(result.problems[0]?.message.zh).toContain('staff-zhou');
    expect(result.problems[0]?.message.en).toContain('does not hold the supervisor role');
  });

  it('the directory file is held to it too', async () => {
    const dir = await demo();
    const r = validateDirectory({
      ...dir,
      buildings: dir.buildings.map((b) =>
        b.id === 'area-canteen-1' ? { ...b, supervisorIds: ['staff-zhao'] } : b,
      ),
    });
    if (r.ok) throw new Error('accepted');
    expect(r.problems.map((p) => p.where)).toEqual(['buildings[2].supervisorIds[0]']);
    expect(r.problems[0]?.text.zh).toContain('公共区域 area-canteen-1');
  });
});

describe('a person’s English name', () => {
  it('is kept beside the Chinese one, and the export gives both back', async () => {
    const dir = await demo();
    const t = directoryToTable(dir);
    const zhou = t.findIndex((r) => r[0] === 'person' && r[1] === 'staff-zhou');
    t[zhou]![col('name_en')] = 'Zhou Qiang';
    const result = importDirectory(t);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const person = result.directory.people.find((p) => p.id === 'staff-zhou');
    expect(person?.name).toBe(dir.people.find((p) => p.id === 'staff-zhou')?.name);
    expect(person?.nameEn).toBe('Zhou Qiang');
    expect(directoryToTable(result.directory)[zhou]?.[col('name_en')]).toBe('Zhou Qiang');
  });

  it('alone, it is the name', () => {
    const result = importIntoDirectory(
      [
        [...COLUMNS],
        rowOf({ kind: 'campus', id: 'campus', name_zh: '校', name_en: 'Campus', working_group: 'p1' }),
        rowOf({ kind: 'person', id: 'p1', name_en: 'Ann Lee', email: 'ann@demo.edu.cn', roles: 'admin' }),
      ],
      null,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.directory.people[0]).toMatchObject({ name: 'Ann Lee' });
    expect(result.directory.people[0]?.nameEn).toBeUndefined();
  });
});
