import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  DIRECTORY_ENTRY_MAX_BYTES,
  storedEntryBytes,
  validateDirectory,
} from '../../../domain/directory-schema.ts';
import type { Directory } from '../../../domain/directory.ts';
import {
  COLUMNS,
  diffDirectory,
  directoryToTable,
  importDirectory,
  importIntoDirectory,
  parseCsv,
  problemPlace,
  readTable,
  tableToCsv,
  tableToXlsx,
} from './admin-import.ts';
import { placesLost } from './admin-import-impact.ts';
import { mergedWith } from './admin-import-merge.ts';

const demo = async (): Promise<Directory> => {
  const raw = JSON.parse(
    await readFile(path.join(import.meta.dirname, '../../../infra/local/demo-campus.json'), 'utf8'),
  ) as unknown;
  const r = validateDirectory(raw);
  if (!r.ok) throw new Error('demo campus invalid');
  return r.directory;
};

const bytes = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;

describe('directory import table', () => {
  it('reads quoted CSV fields, doubled quotes, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\n\nlast,')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      [''],
      ['last', ''],
    ]);
  });

  it('round-trips the demo campus through CSV and XLSX unchanged', async () => {
    const dir = await demo();
    const table = directoryToTable(dir);
    for (const [name, data] of [
      ['d.csv', bytes(tableToCsv(table))],
      ['d.xlsx', await tableToXlsx(table)],
    ] as const) {
      const read = await readTable(name, data);
      if (!read.ok) throw new Error(JSON.stringify(read.problem));
      const result = importDirectory(read.rows);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      expect(result.directory).toEqual(dir);
      const diff = diffDirectory(dir, result.directory);
      expect(diff.people).toMatchObject({ added: [], changed: [], kept: [] });
      expect(diff.campus).toEqual([]);
    }
  });

  it('reports each problem by spreadsheet row and column', async () => {
    const table = directoryToTable(await demo());
    const personAt = table.findIndex((r) => r[0] === 'person' && r[1] === 'staff-zhou');
    const clusterAt = table.findIndex((r) => r[0] === 'cluster');
    const edited = table.map((r, i) => {
      if (i === personAt) return r.map((c, j) => (table[0]?.[j] === 'email' ? 'nope' : c));
      if (i === clusterAt) return r.map((c, j) => (table[0]?.[j] === 'grid_members' ? 'ghost' : c));
      return r;
    });
    const result = importDirectory(edited);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([
      [personAt + 1, 'email'],
      [clusterAt + 1, 'grid_members'],
    ]);
  });

  it('names layout mistakes: unknown kind, a floor without its building, no campus row', () => {
    const result = importDirectory([
      ['kind', 'id', 'parent', 'name_zh'],
      ['person', 'p1', '', '甲'],
      ['room', 'r1', '', ''],
      ['floor', 'f1', 'nowhere', '1层'],
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // The person row's own problems come in the same pass as the layout's.
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'email'],
      [2, 'roles'],
      [3, 'kind'],
      [4, 'parent'],
      [null, 'kind'],
    ]);
  });

  it('refuses a file that is neither UTF-8 CSV nor XLSX', async () => {
    const r = await readTable('x.csv', new Uint8Array([0xff, 0xfe, 0x00, 0xd8]).buffer);
    expect(r.ok).toBe(false);
    const x = await readTable('x.xlsx', bytes('kind,id'));
    expect(x.ok).toBe(false);
  });

  it('says a damaged XLSX is damaged, in both languages, without the zip library’s words', async () => {
    // A zip's signature and nothing after it: no central directory.
    const broken = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00]).buffer;
    const r = await readTable('people.xlsx', broken);
    if (r.ok) throw new Error('a damaged XLSX was read');
    expect(r.problem.message.zh).toContain('文件已损坏或不完整');
    expect(r.problem.message.en).toContain('damaged or incomplete');
    expect(`${r.problem.message.zh} ${r.problem.message.en}`).not.toMatch(/zip|central directory/i);
  });
});

/** The demo campus as a table, with `edit` applied to a copy; then checked as the import does. */
const demoTable = async () => directoryToTable(await demo());
const at = (table: string[][], kind: string, id: string) =>
  table.findIndex((r) => r[0] === kind && r[1] === id);
const rowOf = (cells: Partial<Record<(typeof COLUMNS)[number], string>>) =>
  COLUMNS.map((c) => cells[c] ?? '');
const refused = (table: string[][]) => {
  const result = importDirectory(table);
  if (result.ok) throw new Error('the import passed');
  return result.problems;
};

describe('ids that key stored rows and grid cells are unique (what the apply cannot store is refused)', () => {
  it('a building id twice: refused on the second row, naming both rows, in Chinese and English', async () => {
    const table = await demoTable();
    const first = at(table, 'building', 'bldg-a');
    table.push(rowOf({ kind: 'building', id: 'bldg-a', name_zh: '另一栋', name_en: 'Another' }));
    const problems = refused(table);
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect([p?.row, p?.column]).toEqual([table.length, 'id']);
    expect(p?.message.zh).toContain('楼栋 id bldg-a 重复');
    expect(p?.message.zh).toContain(`第 ${first + 1} 行与第 ${table.length} 行`);
    expect(p?.message.en).toContain('duplicate building id bldg-a');
    expect(p?.message.en).toContain(`rows ${first + 1} and ${table.length}`);
  });

  it('a department id twice', async () => {
    const table = await demoTable();
    const first = at(table, 'department', 'cs');
    table.push(rowOf({ kind: 'department', id: 'cs', name_zh: '计算机二', name_en: 'CS 2' }));
    const problems = refused(table);
    expect(problems.map((p) => [p.row, p.column])).toEqual([[table.length, 'id']]);
    expect(problems[0]?.message.zh).toContain('院系 id cs 重复');
    expect(problems[0]?.message.en).toContain(`rows ${first + 1} and ${table.length}`);
  });

  it('a floor id twice in one building, or in two buildings (the zero report keys floors campus-wide)', async () => {
    const table = await demoTable();
    const floor = (parent: string, id = 'f9') =>
      rowOf({ kind: 'floor', id, parent, name_zh: '九层', name_en: 'F9' });
    const first = table.push(floor('bldg-a'));
    table.push(floor('bldg-a'));
    const problems = refused(table);
    expect(problems.map((p) => [p.row, p.column])).toEqual([[table.length, 'id']]);
    expect(problems[0]?.message.zh).toContain('楼栋 bldg-a 内的楼层 id f9 重复');
    expect(problems[0]?.message.en).toContain(`rows ${first} and ${table.length}`);

    const elsewhere = await demoTable();
    const inA = elsewhere.push(floor('bldg-a'));
    elsewhere.push(floor('bldg-b'));
    const across = refused(elsewhere);
    expect(across.map((p) => [p.row, p.column])).toEqual([[elsewhere.length, 'id']]);
    expect(across[0]?.message.zh).toContain('楼层 id f9 同时出现在楼栋 bldg-a 与楼栋 bldg-b 中');
    expect(across[0]?.message.en).toContain('floor id f9 is in both building bldg-a and building bldg-b');
    expect(across[0]?.message.en).toContain(`rows ${inA} and ${elsewhere.length}`);
    // A cluster under such a floor is not refused again: the floor's row says what to fix.
    elsewhere.push(rowOf({ kind: 'cluster', id: 'b-f9-c1', parent: 'f9', rooms: 'B901' }));
    expect(refused(elsewhere)).toEqual(across);

    const distinct = await demoTable();
    distinct.push(floor('bldg-a', 'a-f9'), floor('bldg-b', 'b-f9'));
    expect(importDirectory(distinct).ok).toBe(true);
  });

  it('a cluster id used twice, its room already listed: both refused, by row and column', async () => {
    const table = await demoTable();
    const first = at(table, 'cluster', 'a-f1-c1');
    table.push(rowOf({ kind: 'cluster', id: 'a-f1-c1', parent: 'a-f2', rooms: 'A101' }));
    const problems = refused(table);
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [table.length, 'id'],
      [table.length, 'rooms'],
    ]);
    expect(problems[0]?.message.zh).toContain('房间组 id a-f1-c1 重复');
    expect(problems[1]?.message.zh).toContain('楼栋 bldg-a 内的房间 「A101」 重复');
    expect(problems[1]?.message.en).toContain('duplicate room in building bldg-a: "A101"');
    for (const p of problems) expect(p.message.en).toContain(`rows ${first + 1} and ${table.length}`);
  });

  it('a room in two clusters of one building is refused; the same room name in another building is not', async () => {
    const table = await demoTable();
    const first = at(table, 'cluster', 'a-f2-c1');
    table.push(rowOf({ kind: 'cluster', id: 'a-f2-c9', parent: 'a-f2', rooms: 'A299;A201' }));
    const problems = refused(table);
    expect(problems.map((p) => [p.row, p.column])).toEqual([[table.length, 'rooms']]);
    expect(problems[0]?.message.zh).toContain(`第 ${first + 1} 行与第 ${table.length} 行`);

    const elsewhere = await demoTable();
    elsewhere.push(rowOf({ kind: 'cluster', id: 'b-f2-c9', parent: 'b-f2', rooms: 'A201' }));
    expect(importDirectory(elsewhere).ok).toBe(true);
  });

  it('the same checks hold for the directory JSON (npm start, the apply form)', async () => {
    const dir = await demo();
    const [a] = dir.buildings;
    const twice = { ...dir, buildings: [...dir.buildings, { ...a, floors: [] }] };
    const r = validateDirectory(twice);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      {
        where: `buildings[${dir.buildings.length}].id`,
        also: 'buildings[0]',
        message: 'duplicate building id bldg-a (buildings[0] has it too)',
        text: {
          zh: '楼栋 id bldg-a 重复（buildings[0] 已使用）',
          en: 'duplicate building id bldg-a (buildings[0] has it too)',
        },
        alone: { zh: '楼栋 id bldg-a 重复', en: 'duplicate building id bldg-a' },
      },
    ]);

    // Building B's first floor renamed to building A's: the message names the floor and both buildings.
    const b = dir.buildings.findIndex((x) => x.id === 'bldg-b');
    const shared = structuredClone(dir);
    shared.buildings[b]!.floors[0]!.id = 'a-f1';
    const floors = validateDirectory(shared);
    expect(floors.ok).toBe(false);
    if (floors.ok) return;
    expect(floors.problems).toMatchObject([
      {
        where: `buildings[${b}].floors[0].id`,
        also: 'buildings[0].floors[0]',
        text: {
          zh: expect.stringContaining('楼层 id a-f1 同时出现在楼栋 bldg-a 与楼栋 bldg-b 中'),
          en: expect.stringContaining('floor id a-f1 is in both building bldg-a and building bldg-b'),
        },
      },
    ]);
  });
});

describe('an entry too large to store is refused before anything is written', () => {
  /** A demo table with `n` more clusters (of `rooms` rooms each) under floor a-f1. */
  const withClusters = async (n: number) => {
    const table = await demoTable();
    for (let i = 0; i < n; i++)
      table.push(rowOf({ kind: 'cluster', id: `a-f1-x${i}`, parent: 'a-f1', rooms: `X${i}` }));
    return table;
  };

  it('20,000 clusters under one floor: refused on the building row, saying how to split it', async () => {
    const table = await withClusters(20_000);
    const problems = refused(table);
    expect(problems.map((p) => [p.row, p.column])).toEqual([[at(table, 'building', 'bldg-a') + 1, null]]);
    expect(problems[0]?.message.zh).toMatch(/楼栋 bldg-a 存储后约 \d+ KB，超过单条记录的上限 350 KB/);
    expect(problems[0]?.message.zh).toContain('拆成几栋');
    expect(problems[0]?.message.en).toMatch(/building bldg-a would be stored as about \d+ KB/);
    expect(problems[0]?.message.en).toContain('split building bldg-a');
  });

  it('measures the item as saveDirectory marshals it, and takes what fits under the margin', async () => {
    const table = await withClusters(5_000);
    const result = importDirectory(table);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const b = result.directory.buildings.find((x) => x.id === 'bldg-a');
    // The item saveDirectory writes, sized as DynamoDB counts it.
    const item = marshall({ kind: 'building', id: 'bldg-a', data: JSON.stringify(b) });
    const bytes = Object.entries(item).reduce(
      (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v.S ?? '', 'utf8'),
      0,
    );
    expect(storedEntryBytes('building', 'bldg-a', b)).toBe(bytes);
    expect(bytes).toBeGreaterThan(100 * 1024);
    expect(bytes).toBeLessThan(DIRECTORY_ENTRY_MAX_BYTES);
  });

  it('a department or person whose lists outgrow an item is refused too', async () => {
    const table = await demoTable();
    const rooms = table[0]!.indexOf('rooms');
    const dept = at(table, 'department', 'cs');
    table[dept]![rooms] = Array.from({ length: 60_000 }, (_, i) => `R${i}`).join(';');
    const problems = refused(table);
    expect(problems.map((p) => [p.row, p.column])).toEqual([[dept + 1, null]]);
    expect(problems[0]?.message.zh).toContain('院系 cs 存储后约');
  });
});

describe('kind is read the same in any case', () => {
  it('AREA and Area rows are public areas, BUILDING a dormitory', async () => {
    const table = await demoTable();
    table.push(rowOf({ kind: 'AREA', id: 'area-x', name_zh: '东门', name_en: 'East gate' }));
    table.push(rowOf({ kind: 'Area', id: 'area-y', name_zh: '西门', name_en: 'West gate' }));
    table.push(rowOf({ kind: 'BUILDING', id: 'bldg-z', name_zh: 'Z 栋', name_en: 'Hall Z' }));
    const result = importDirectory(table);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const kindOf = (id: string) => result.directory.buildings.find((b) => b.id === id)?.kind;
    expect(kindOf('area-x')).toBe('public_area');
    expect(kindOf('area-y')).toBe('public_area');
    expect(kindOf('bldg-z')).toBeUndefined();
  });
});

describe('problems are told in Chinese and in English', () => {
  it('zod’s own messages and the schema’s: Chinese in zh, English in en', async () => {
    const table = await demoTable();
    const header = table[0]!;
    const person = at(table, 'person', 'staff-zhou');
    table[person]![header.indexOf('email')] = 'nope';
    table[person]![header.indexOf('name_zh')] = '';
    table[person]![header.indexOf('department')] = 'ghost-dept';
    const cluster = at(table, 'cluster', 'a-f1-c1');
    table[cluster]![header.indexOf('grid_members')] = 'ghost';
    const problems = refused(table);
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [person + 1, 'name_zh'],
      [person + 1, 'email'],
      [person + 1, 'department'],
      [cluster + 1, 'grid_members'],
    ]);
    const han = /\p{Script=Han}/u;
    for (const p of problems) {
      expect(p.message.zh).toMatch(han);
      expect(p.message.en).not.toMatch(han);
    }
    const [name, email, dept, ghost] = problems.map((p) => p.message);
    expect(name).toEqual({ zh: '不能为空', en: 'must not be empty' });
    // The row and column stand beside the message: no path into the JSON (people[31].email).
    expect(email).toEqual({
      zh: '不是有效的邮箱地址（例如 zhang.san@example.edu.cn）',
      en: 'not a valid email address (e.g. zhang.san@example.edu.cn)',
    });
    expect(ghost?.zh).toContain('未知的人员 ghost');
    expect(ghost?.en).toContain('unknown person ghost');
    expect(dept?.zh).toContain('未知的院系 ghost-dept');
  });

  it('an id of the wrong shape is told in both languages', () => {
    const r = validateDirectory({
      campus: { name: { zh: '校', en: 'C' }, workingGroupIds: [], leadershipIds: [] },
      people: [{ id: 'bad id', name: '甲', email: 'a@b.cn', roles: ['admin'] }],
      buildings: [],
      departments: [],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.where, p.text])).toEqual([
      [
        'people[0].id',
        {
          zh: 'id 只能由字母、数字和 _ . : - 组成（最多 64 个字符）',
          en: 'ids use letters, digits, _ . : - (max 64)',
        },
      ],
    ]);
  });
});

describe('where a directory problem is, for the admin', () => {
  const dir = {
    people: [{ id: 'staff-zhou', name: '周强' }, { name: 'no id' }],
    buildings: [{ id: 'bldg-a', name: { zh: '学生公寓A栋', en: 'Dormitory A' } }],
  };
  it('names the entry by its id and name, then the field', () => {
    expect(problemPlace('people[0].email', dir)).toEqual({
      zh: '人员 staff-zhou（周强）的 email',
      en: 'person staff-zhou (周强), email',
    });
    expect(problemPlace('buildings[0].floors[1].id', dir)).toEqual({
      zh: '楼栋 bldg-a（学生公寓A栋）的 floors[1].id',
      en: 'building bldg-a (Dormitory A), floors[1].id',
    });
    expect(problemPlace('buildings[0]', dir)).toEqual({
      zh: '楼栋 bldg-a（学生公寓A栋）',
      en: 'building bldg-a (Dormitory A)',
    });
  });
  it('counts from one where the entry has no id, and keeps any other path as it is', () => {
    expect(problemPlace('people[1].id', dir)).toEqual({
      zh: '人员 #2（no id）的 id',
      en: 'person #2 (no id), id',
    });
    expect(problemPlace('people[7].id', dir)).toEqual({ zh: 'people[7].id', en: 'people[7].id' });
    expect(problemPlace('campus.name', dir)).toEqual({ zh: 'campus.name', en: 'campus.name' });
    expect(problemPlace('people[0].email', null)).toEqual({ zh: 'people[0].email', en: 'people[0].email' });
  });
});

describe('a merge file lists only what it adds or replaces (issue 13)', () => {
  const header = [...COLUMNS];
  const newStaff = rowOf({
    kind: 'person',
    id: 'staff-new',
    name_zh: '新员工',
    name_en: 'New Staff',
    email: 'new.staff@demo.edu.cn',
    roles: 'staff',
    language: 'zh-CN',
  });
  const merged = async (...rows: string[][]) => importIntoDirectory([header, ...rows], await demo());

  it('one new person alone: no campus row needed, the campus kept, one added and the rest kept', async () => {
    const dir = await demo();
    const result = await merged(newStaff);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.directory.campus).toBeUndefined();
    expect(result.directory.people.map((p) => p.id)).toEqual(['staff-new']);
    const diff = diffDirectory(dir, result.directory);
    expect(diff.campus).toEqual([]);
    expect(diff.people.added).toEqual(['staff-new']);
    expect(diff.people.changed).toEqual([]);
    expect(diff.people.kept).toHaveLength(dir.people.length);
  });

  it('refers to the current directory: a person to its department, a building to its people, a floor to its building', async () => {
    const dir = await demo();
    const result = await merged(
      rowOf({ ...Object.fromEntries(COLUMNS.map((c, i) => [c, newStaff[i]])), department: 'cs' }),
      rowOf({ kind: 'building', id: 'bldg-c', name_zh: 'C栋', name_en: 'Hall C', supervisors: 'sup-wang' }),
      rowOf({ kind: 'floor', id: 'c-f1', parent: 'bldg-c', name_zh: 'C栋一层', grid_members: 'grid-a1f' }),
      rowOf({ kind: 'floor', id: 'a-f3', parent: 'bldg-a', name_zh: 'A栋三层', name_en: 'Hall A F3' }),
      rowOf({ kind: 'cluster', id: 'a-f1-c3', parent: 'a-f1', rooms: 'A-130' }),
      rowOf({ kind: 'department', id: 'dept-new', name_zh: '新院系', contacts: 'staff-zhou' }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.directory.people[0]?.departmentId).toBe('cs');
    // bldg-a is taken as it stands, its new floor and its floor's new cluster added.
    const a = result.directory.buildings.find((b) => b.id === 'bldg-a');
    const before = dir.buildings.find((b) => b.id === 'bldg-a');
    expect(a?.floors.map((f) => f.id)).toEqual([...(before?.floors.map((f) => f.id) ?? []), 'a-f3']);
    expect(a?.floors[0]?.clusters.map((c) => c.id)).toEqual(['a-f1-c1', 'a-f1-c2', 'a-f1-c3']);
    expect(a?.floors[1]).toEqual(before?.floors[1]);
    const diff = diffDirectory(dir, result.directory);
    expect(diff.buildings.added).toEqual(['bldg-c']);
    // bldg-a's own fields are as they were; its new floor and cluster are counted as such.
    expect(diff.buildings.changed).toEqual([]);
    expect(diff.buildings.unchanged).toBe(1);
    expect(diff.floors.added).toEqual(['c-f1', 'a-f3']);
    expect(diff.clusters.added).toEqual(['a-f1/a-f1-c3']);
    expect(diff.departments.added).toEqual(['dept-new']);
  });

  it('a floor row replaces the current floor with its id, keeping the building’s others and its clusters', async () => {
    const before = (await demo()).buildings.find((b) => b.id === 'bldg-a');
    const result = await merged(
      rowOf({
        kind: 'floor',
        id: 'a-f2',
        parent: 'bldg-a',
        name_zh: 'A栋二层（新）',
        name_en: 'Hall A F2 (new)',
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const a = result.directory.buildings.find((b) => b.id === 'bldg-a');
    expect(a?.floors.map((f) => [f.id, f.name.zh])).toEqual([
      ['a-f1', expect.any(String)],
      ['a-f2', 'A栋二层（新）'],
    ]);
    // Merge means what the file does not mention stays: the floor's rooms were dropped with no word.
    expect(a?.floors[1]?.clusters).toEqual(before?.floors[1]?.clusters);
  });

  it('a building row without its floor rows keeps its floors, rooms and grid members', async () => {
    const dir = await demo();
    const before = dir.buildings.find((b) => b.id === 'bldg-b');
    const result = await merged(
      newStaff,
      rowOf({
        kind: 'building',
        id: 'bldg-b',
        name_zh: 'B栋（新名）',
        name_en: 'Dormitory B',
        supervisors: 'sup-li',
        grid_members: 'grid-b1',
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const b = result.directory.buildings.find((x) => x.id === 'bldg-b');
    expect(b?.name.zh).toBe('B栋（新名）');
    expect(b?.floors).toEqual(before?.floors);
    const next = mergedWith(dir, result.directory);
    if (!next) throw new Error('no campus');
    expect(placesLost(dir, next)).toEqual({ floors: [], rooms: 0 });
    const diff = diffDirectory(dir, result.directory);
    expect(diff.buildings.changed).toEqual([{ id: 'bldg-b', fields: ['name'] }]);
    // Only the floors of the building the file does not touch are "not in the file", and stay.
    expect(diff.floors.kept).toEqual(['a-f1', 'a-f2']);
    expect(diff.floors.unchanged).toBe(2);
  });

  it('counts unchanged floor and cluster rows as unchanged, not only people, buildings and departments', async () => {
    const dir = await demo();
    const table = directoryToTable(dir).filter(
      (r) => r[0] === 'kind' || (r[0] === 'floor' && r[2] === 'bldg-a') || r[0] === 'cluster',
    );
    const clusterRows = table.filter((r) => r[0] === 'cluster' && r[2]?.startsWith('a-'));
    const result = importIntoDirectory(
      [table[0]!, ...table.filter((r) => r[0] === 'floor'), ...clusterRows, newStaff],
      dir,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const diff = diffDirectory(dir, result.directory);
    expect(diff.people.added).toEqual(['staff-new']);
    expect(diff.buildings.changed).toEqual([]);
    expect(diff.floors.unchanged).toBe(2);
    expect(diff.clusters.unchanged).toBe(4);
    expect(diff.floors.changed).toEqual([]);
  });

  it('a whole-directory file listing a building without its floor rows says which floors and rooms go', async () => {
    const dir = await demo();
    const table = directoryToTable(dir).filter(
      (r) =>
        !((r[0] === 'floor' && r[2]?.startsWith('bldg-b')) || (r[0] === 'cluster' && r[2]?.startsWith('b-'))),
    );
    const result = importDirectory(table);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(placesLost(dir, result.directory)).toEqual({ floors: ['b-f1', 'b-f2'], rooms: 20 });
  });

  it('an id neither in the file nor the current directory is refused at its row and column', async () => {
    const problems = await merged(
      newStaff,
      rowOf({ kind: 'building', id: 'bldg-c', name_zh: 'C栋', supervisors: 'sup-nobody' }),
      rowOf({ kind: 'department', id: 'dept-new', name_zh: '新院系', contacts: 'staff-new;ghost' }),
      rowOf({ kind: 'floor', id: 'x-f1', parent: 'bldg-x', name_zh: 'X' }),
      rowOf({ kind: 'cluster', id: 'x-c1', parent: 'x-f9', rooms: 'X-1' }),
    ).then((r) => (r.ok ? [] : r.problems));
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [3, 'supervisors'],
      [4, 'contacts'],
      [5, 'parent'],
      [6, 'parent'],
    ]);
    expect(problems[0]?.message.zh).toContain('未知的人员 sup-nobody');
    expect(problems[1]?.message.en).toContain('unknown person ghost');
    expect(problems[2]?.message).toEqual({
      zh: '楼层的上级须为文件或现有名录中的楼栋 id（「bldg-x」不是）',
      en: 'a floor\'s parent must be a building id in the file or the current directory ("bldg-x" is not)',
    });
  });

  it('an email or id the current directory already has is a duplicate at the file’s row, naming whose', async () => {
    const zhou = await merged(
      rowOf({
        kind: 'person',
        id: 'staff-new',
        name_zh: '新',
        email: 'ZHOU.qiang@demo.edu.cn',
        roles: 'staff',
      }),
      rowOf({ kind: 'floor', id: 'b-f1', parent: 'bldg-a', name_zh: 'A栋九层' }),
    ).then((r) => (r.ok ? [] : r.problems));
    expect(zhou.map((p) => [p.row, p.column])).toEqual([
      [2, 'email'],
      [3, 'id'],
    ]);
    expect(zhou[0]?.message.zh).toContain('现有名录中的人员 staff-zhou（周强）');
    expect(zhou[0]?.message.en).toContain("the current directory's person staff-zhou (周强) has it too");
    expect(zhou[1]?.message.zh).toContain('楼层 id b-f1 同时出现在楼栋');
  });

  it('an id twice in the file is told by its two rows, not by an index into the merged directory', async () => {
    const twice = (email: string) =>
      rowOf({ kind: 'person', id: 'staff-twice', name_zh: '双', email, roles: 'staff' });
    const problems = await merged(twice('twice.a@demo.edu.cn'), twice('twice.b@demo.edu.cn')).then((r) =>
      r.ok ? [] : r.problems,
    );
    expect(problems.map((p) => [p.row, p.column, p.message])).toEqual([
      [
        3,
        'id',
        {
          zh: '人员 id staff-twice 重复（见第 2 行与第 3 行）',
          en: 'duplicate person id staff-twice (rows 2 and 3)',
        },
      ],
    ]);
  });

  it('a file row replacing a current person by id is a change, not a duplicate', async () => {
    const dir = await demo();
    const result = await merged(
      rowOf({
        kind: 'person',
        id: 'staff-zhou',
        name_zh: '周强',
        email: 'zhou.q@demo.edu.cn',
        roles: 'staff',
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(diffDirectory(dir, result.directory).people.changed).toEqual([
      { id: 'staff-zhou', fields: ['email', 'staffKind'] },
    ]);
  });

  it('with no current directory, or as the whole directory, the file must be complete', async () => {
    const first = importIntoDirectory([header, newStaff], null);
    expect(first.ok).toBe(false);
    if (!first.ok)
      expect(first.problems).toContainEqual({
        row: null,
        column: 'kind',
        message: { zh: '缺少 kind 为 campus 的校园行', en: 'no campus row (kind campus)' },
      });
    const whole = importDirectory([
      header,
      rowOf({ kind: 'campus', id: 'campus', name_zh: '校', working_group: 'wg-chen' }),
      rowOf({ ...Object.fromEntries(COLUMNS.map((c, i) => [c, newStaff[i]])), department: 'cs' }),
    ]);
    expect(whole.ok).toBe(false);
    if (!whole.ok)
      expect(whole.problems.map((p) => [p.row, p.column])).toEqual([
        [2, 'working_group'],
        [3, 'department'],
      ]);
  });
});
