// Longer than most modules because CSV and XLSX parsing, the per-row validation and the diff all serve one directory format.
import ExcelJS from 'exceljs';
import {
  floorInTwoBuildings,
  keepsStewards,
  validateDirectory,
  type DirectoryProblem,
} from '../../../domain/directory-schema.ts';
import type { Building, Department, Directory, Person } from '../../../domain/directory.ts';
import type { Bilingual } from '../../../domain/text.ts';
import {
  fileEntries,
  mergedPaths,
  mergeFile,
  renamedFloors,
  type DirectoryPart,
  type MergedFile,
} from './admin-import-merge.ts';
import { isZip, notATable } from './import-file-kind.ts';

/**
 * The campus directory as one table, for a school to keep in a spreadsheet:
 * one row per person, building, floor, room cluster or department (and one
 * for the campus), told apart by `kind`. Read from CSV or XLSX, turned into
 * the directory JSON and validated by the same schema as `npm start` uses;
 * every problem is reported by its row and column, nothing is half-applied.
 *
 * Lists (roles, people, rooms) are separated by `;`, `,`, `、`, `|` or spaces.
 * A cluster's `parent` is its floor's id, a floor's is its building's id.
 * The campus row's `working_group` and `leadership` list those people.
 */
export const COLUMNS = [
  'kind',
  'id',
  'parent',
  'name_zh',
  'name_en',
  'email',
  'roles',
  'language',
  'staff_kind',
  'department',
  'supervisors',
  'grid_members',
  'contacts',
  'rooms',
  'working_group',
  'leadership',
] as const;
export type Column = (typeof COLUMNS)[number];

// An `area` row is a public area (canteen, laundry, gate…): a building of its own with no floors.
export const KINDS = ['campus', 'person', 'building', 'area', 'floor', 'cluster', 'department'] as const;
type Kind = (typeof KINDS)[number];

/** Largest file accepted: a campus directory is a few thousand rows. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export interface ImportProblem {
  /** Spreadsheet row number (the header is row 1); null for the file as a whole. */
  row: number | null;
  column: Column | null;
  message: Bilingual;
}

type Row = { row: number; cells: Partial<Record<Column, string>> };

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, an optional BOM. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export const csvCell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The rows of the first worksheet as text (hyperlinked e-mails and numbers read as shown). */
export async function parseXlsx(data: ArrayBuffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data);
  const sheet = wb.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (r, n) => {
    const cells: string[] = [];
    for (let i = 1; i <= r.cellCount; i++) cells.push(r.getCell(i).text ?? '');
    rows[n - 1] = cells;
  });
  return Array.from(rows, (r) => r ?? []);
}

/** Reads an uploaded file as CSV or XLSX (by its content: an XLSX is a zip archive). */
export async function readTable(
  name: string,
  data: ArrayBuffer,
): Promise<{ ok: true; rows: string[][]; encoding?: 'gb18030' } | { ok: false; problem: ImportProblem }> {
  const bytes = new Uint8Array(data);
  const fail = (zh: string, en: string) => ({
    ok: false as const,
    problem: { row: null, column: null, message: { zh, en } },
  });
  if (bytes.length === 0) return fail('文件是空的', 'the file is empty');
  const other = notATable(bytes);
  if (other)
    return fail(
      `这不是 CSV 或 XLSX 文件（看起来是${other.zh}）。目录导入只接受 CSV 文件（UTF-8 或 GBK 编码）或 Excel 工作簿（.xlsx）。`,
      `this is not a CSV or XLSX file (it looks like ${other.en}). The directory import takes a CSV file (UTF-8 or GBK) or an Excel workbook (.xlsx).`,
    );
  if (isZip(bytes)) {
    try {
      return { ok: true, rows: await parseXlsx(data) };
    } catch {
      // The zip library's own words ("Corrupted zip: can't find end of central directory") say
      // nothing an admin can act on, and only in English.
      return fail(
        '无法读取 XLSX 文件：文件已损坏或不完整。请在 Excel 或 WPS 中重新“另存为” .xlsx，或导出为 UTF-8 CSV 后上传。',
        'cannot read the XLSX file: it is damaged or incomplete. Save it again as .xlsx from Excel or WPS, or export it as UTF-8 CSV, and upload that.',
      );
    }
  }
  if (/\.xlsx?$/i.test(name)) return fail('不是有效的 XLSX 文件', 'not a valid XLSX file');
  try {
    return { ok: true, rows: parseCsv(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    // Excel on a Chinese Windows saves "CSV (逗号分隔)" in GBK: bytes that are not UTF-8 are read
    // as GB18030 (a superset of GBK), and the preview says so, for the admin to check the names.
  }
  try {
    return {
      ok: true,
      rows: parseCsv(new TextDecoder('gb18030', { fatal: true }).decode(bytes)),
      encoding: 'gb18030',
    };
  } catch {
    return fail(
      '无法识别 CSV 文件的编码（既不是 UTF-8，也不是 GBK/GB18030）。请在 Excel 中“另存为”选择“CSV UTF-8（逗号分隔）”，或在 WPS 中导出为 UTF-8 编码的 CSV，再上传。',
      'cannot tell the CSV file’s encoding (neither UTF-8 nor GBK/GB18030). In Excel use Save As “CSV UTF-8 (Comma delimited)”, or export a UTF-8 CSV from WPS, and upload that.',
    );
  }
}

const split = (v: string | undefined): string[] =>
  (v ?? '')
    .split(/[;,、|\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export interface TableDirectory {
  /** The directory as read, before the schema's checks (they run in {@link importDirectory}). */
  raw: unknown;
  /** Which spreadsheet row each entry came from, by its path in the directory. */
  rowOf: Map<string, number>;
}

/**
 * Turns the table into directory JSON, reporting what the layout itself gets wrong. With `base`
 * (the directory a merge goes into) the file may be partial: no campus row (the current one is
 * kept), and a floor or cluster row may name a building or floor of `base` as its parent, which
 * takes that building as it stands with the row's floor or cluster added or replaced by id.
 */
export function tableToDirectory(
  table: string[][],
  base: Directory | null = null,
): { value: TableDirectory; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const rowOf = new Map<string, number>();
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const known = new Set<string>(COLUMNS);
  header.forEach((h) => {
    if (h && !known.has(h))
      problems.push({
        row: 1,
        column: null,
        message: {
          zh: `未知的列 ${h}（可用：${COLUMNS.join(', ')}）`,
          en: `unknown column ${h} (known: ${COLUMNS.join(', ')})`,
        },
      });
  });
  for (const need of ['kind', 'id'] as const)
    if (!header.includes(need))
      problems.push({
        row: 1,
        column: need,
        message: { zh: `缺少列 ${need}`, en: `the column ${need} is missing` },
      });
  const rows: Row[] = [];
  table.slice(1).forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    const r: Row = { row: i + 2, cells: {} };
    header.forEach((h, j) => {
      if (known.has(h)) r.cells[h as Column] = (cells[j] ?? '').trim();
    });
    rows.push(r);
  });

  const people: Person[] = [];
  const buildings: Building[] = [];
  const departments: Department[] = [];
  const floorRows: Row[] = [];
  const clusterRows: Row[] = [];
  let campus: { row: number; value: Directory['campus'] } | undefined;
  const name = (r: Row) => ({ zh: r.cells.name_zh ?? '', en: r.cells.name_en || r.cells.name_zh || '' });

  // The floors and clusters of a building taken from `base`, by list and id: a row replaces them.
  const fromBase = new WeakMap<object[], Map<string, number>>();
  const indexed = (list: { id: string }[]) => fromBase.set(list, new Map(list.map((x, i) => [x.id, i])));
  // A merge keeps what the file does not mention: a building row of a building in `base` keeps its
  // floors (and they their clusters) unless floor rows replace them by id. Without this a building
  // row alone (a name fixed) silently took away every floor and room, their grid members and codes.
  const baseFloors = (buildingId: string): Building['floors'] => {
    const floors = structuredClone(base?.buildings.find((x) => x.id === buildingId)?.floors ?? []);
    indexed(floors);
    for (const f of floors) indexed(f.clusters);
    return floors;
  };
  for (const r of rows) {
    const kind = (r.cells.kind ?? '').toLowerCase() as Kind;
    const c = r.cells;
    switch (kind) {
      case 'campus':
        if (campus)
          problems.push({
            row: r.row,
            column: 'kind',
            message: {
              zh: `校园行只能有一行（第 ${campus.row} 行已有）`,
              en: `only one campus row (row ${campus.row} is one)`,
            },
          });
        campus = {
          row: r.row,
          value: {
            name: name(r),
            workingGroupIds: split(c.working_group),
            leadershipIds: split(c.leadership),
          },
        };
        rowOf.set('campus', r.row);
        break;
      case 'person': {
        rowOf.set(`people[${people.length}]`, r.row);
        const p: Record<string, unknown> = {
          id: c.id ?? '',
          name: c.name_zh || c.name_en || '',
          // Both halves are kept: an English name only beside a Chinese one (alone it is the name).
          ...(c.name_zh && c.name_en && c.name_en !== c.name_zh ? { nameEn: c.name_en } : {}),
          email: c.email ?? '',
          roles: split(c.roles),
        };
        if (c.language) p.language = c.language;
        if (c.staff_kind) p.staffKind = c.staff_kind;
        if (c.department) p.departmentId = c.department;
        people.push(p as unknown as Person);
        break;
      }
      case 'building':
      case 'area':
        rowOf.set(`buildings[${buildings.length}]`, r.row);
        buildings.push({
          id: c.id ?? '',
          name: name(r),
          ...(kind === 'area' ? { kind: 'public_area' as const } : {}),
          supervisorIds: split(c.supervisors),
          gridMemberIds: split(c.grid_members),
          floors: kind === 'building' ? baseFloors(c.id ?? '') : [],
        });
        break;
      case 'floor':
        floorRows.push(r);
        break;
      case 'cluster':
        clusterRows.push(r);
        break;
      case 'department': {
        rowOf.set(`departments[${departments.length}]`, r.row);
        const rooms = split(c.rooms);
        departments.push({
          id: c.id ?? '',
          name: name(r),
          contactIds: split(c.contacts),
          ...(rooms.length > 0 ? { rooms } : {}),
        });
        break;
      }
      default:
        problems.push({
          row: r.row,
          column: 'kind',
          message: {
            zh: `kind 须为 ${KINDS.join('、')} 之一（此处为「${c.kind ?? ''}」）`,
            en: `kind must be one of ${KINDS.join(', ')} (found "${c.kind ?? ''}")`,
          },
        });
    }
  }
  const copyFromBase = (buildingId: string): number => {
    const b = base?.buildings.find((x) => x.id === buildingId);
    if (!b || buildings.some((x) => x.id === buildingId)) return -1;
    const copy = structuredClone(b);
    indexed(copy.floors);
    for (const f of copy.floors) indexed(f.clusters);
    return buildings.push(copy) - 1;
  };
  // Where an entry read from a row goes: in place of the one from `base` with its id, else last
  // (a second row with the id is then the schema's duplicate to report).
  const place = <T extends { id: string }>(list: T[], item: T): number => {
    const ids = fromBase.get(list);
    const i = ids?.get(item.id);
    if (i === undefined) return list.push(item) - 1;
    ids?.delete(item.id);
    list[i] = item;
    return i;
  };
  const listed = (what: Bilingual): Bilingual =>
    base
      ? { zh: `文件或现有名录中的${what.zh}`, en: `a ${what.en} in the file or the current directory` }
      : { zh: `已列出的${what.zh}`, en: `a listed ${what.en}` };
  const building = listed({ zh: '楼栋 id', en: 'building id' });
  const floor = listed({ zh: '楼层 id', en: 'floor id' });
  // A cluster names its floor by id alone, so a floor id in two buildings is refused here, at its row.
  const floorAt = new Map<string, { buildingId: string; row: number }>();
  for (const r of floorRows) {
    const found = buildings.findIndex((b) => b.id === r.cells.parent);
    const bi = found >= 0 ? found : copyFromBase(r.cells.parent ?? '');
    const b = buildings[bi];
    if (!b) {
      problems.push({
        row: r.row,
        column: 'parent',
        message: {
          zh: `楼层的上级须为${building.zh}（「${r.cells.parent ?? ''}」不是）`,
          en: `a floor's parent must be ${building.en} ("${r.cells.parent ?? ''}" is not)`,
        },
      });
      continue;
    }
    const floorId = r.cells.id ?? '';
    const first = floorAt.get(floorId);
    if (!first) floorAt.set(floorId, { buildingId: b.id, row: r.row });
    // An empty id is the schema's to refuse (as one that is missing), not this check's.
    else if (first.buildingId !== b.id && floorId !== '') {
      const text = floorInTwoBuildings(floorId, first.buildingId, b.id);
      problems.push({
        row: r.row,
        column: 'id',
        message: {
          zh: `${text.zh}（见第 ${first.row} 行与第 ${r.row} 行）`,
          en: `${text.en} (rows ${first.row} and ${r.row})`,
        },
      });
    }
    // A floor row in place of a floor of `base` keeps its clusters, as a building row its floors.
    const prior = fromBase.get(b.floors)?.get(floorId);
    const fi = place(b.floors, {
      id: floorId,
      name: name(r),
      gridMemberIds: split(r.cells.grid_members),
      clusters: prior === undefined ? [] : (b.floors[prior]?.clusters ?? []),
    });
    rowOf.set(`buildings[${bi}].floors[${fi}]`, r.row);
  }
  const floorsWithId = (id: string | undefined) =>
    buildings.flatMap((b, bi) => b.floors.map((f, fi) => ({ f, bi, fi }))).filter((x) => x.f.id === id);
  for (const r of clusterRows) {
    let at = floorsWithId(r.cells.parent);
    const owner =
      at.length === 0
        ? base?.buildings.find((b) => b.floors.some((f) => f.id === r.cells.parent))
        : undefined;
    if (owner && copyFromBase(owner.id) >= 0) at = floorsWithId(r.cells.parent);
    const only = at[0];
    // Its floor's id is in two buildings: refused at the floor's row above.
    if (new Set(at.map((x) => x.bi)).size > 1) continue;
    if (!only || at.length > 1) {
      problems.push({
        row: r.row,
        column: 'parent',
        message:
          at.length > 1
            ? {
                zh: `楼层 id「${r.cells.parent ?? ''}」不唯一，无法确定所属楼层`,
                en: `floor id "${r.cells.parent ?? ''}" is not unique, so the cluster's floor is ambiguous`,
              }
            : {
                zh: `房间组的上级须为${floor.zh}（「${r.cells.parent ?? ''}」不是）`,
                en: `a cluster's parent must be ${floor.en} ("${r.cells.parent ?? ''}" is not)`,
              },
      });
      continue;
    }
    const ci = place(only.f.clusters, {
      id: r.cells.id ?? '',
      gridMemberIds: split(r.cells.grid_members),
      rooms: split(r.cells.rooms),
    });
    rowOf.set(`buildings[${only.bi}].floors[${only.fi}].clusters[${ci}]`, r.row);
  }
  // A merge keeps the current campus when the file has no campus row; a first load has none to keep.
  if (!campus && rows.length > 0 && !base)
    problems.push({
      row: null,
      column: 'kind',
      message: { zh: '缺少 kind 为 campus 的校园行', en: 'no campus row (kind campus)' },
    });
  const raw = {
    campus: campus?.value,
    people,
    buildings,
    departments,
  };
  return { value: { raw, rowOf }, problems };
}

const FIELD_COLUMN: Record<string, Column> = {
  id: 'id',
  name: 'name_zh',
  'name.zh': 'name_zh',
  'name.en': 'name_en',
  nameEn: 'name_en',
  email: 'email',
  roles: 'roles',
  language: 'language',
  staffKind: 'staff_kind',
  departmentId: 'department',
  supervisorIds: 'supervisors',
  gridMemberIds: 'grid_members',
  contactIds: 'contacts',
  rooms: 'rooms',
  workingGroupIds: 'working_group',
  leadershipIds: 'leadership',
};

/** `buildings[0].floors[1].gridMemberIds[2]` → the row that entry came from and its column. */
export function locate(
  where: string,
  rowOf: Map<string, number>,
): { row: number | null; column: Column | null } {
  // The longest entry path that prefixes `where` is the row; the rest names the field.
  let best = '';
  for (const path of rowOf.keys())
    if ((where === path || where.startsWith(`${path}.`)) && path.length > best.length) best = path;
  if (!best) return { row: null, column: null };
  const rest = where.slice(best.length + 1).replace(/\[\d+\]$/, '');
  return { row: rowOf.get(best) ?? null, column: FIELD_COLUMN[rest] ?? null };
}

export type ImportResult<D = Directory> =
  { ok: true; directory: D; rows: number } | { ok: false; problems: ImportProblem[]; rows: number };

/**
 * The whole import check of a file that is the whole directory: table layout, then the directory
 * schema, each problem by row and column.
 */
export function importDirectory(table: string[][]): ImportResult {
  const checked = checkTable(table, null);
  return checked.ok ? { ok: true, directory: checked.merged, rows: checked.rows } : checked;
}

/**
 * The check of a file merged into `current`: the file may list only what it adds or replaces, and
 * refer to people, buildings, floors and departments of `current`; the directory the merge makes
 * is checked, each problem at the file's row and column where it comes from the file. The result
 * is the file's entries. With no current directory the file must be a whole one.
 */
export function importIntoDirectory(
  table: string[][],
  current: Directory | null,
): ImportResult<DirectoryPart> {
  const checked = checkTable(table, current);
  return checked.ok
    ? { ok: true, directory: fileEntries(checked.merged, checked.m), rows: checked.rows }
    : checked;
}

function checkTable(
  table: string[][],
  base: Directory | null,
):
  | { ok: true; merged: Directory; m: MergedFile; rows: number }
  | { ok: false; problems: ImportProblem[]; rows: number } {
  const rows = Math.max(0, table.length - 1);
  if (table.length < 2)
    return {
      ok: false,
      rows,
      problems: [
        {
          row: null,
          column: null,
          message: {
            zh: '文件中没有数据行（第 1 行为表头）',
            en: 'the file has no data rows (row 1 is the header)',
          },
        },
      ],
    };
  const { value, problems } = tableToDirectory(table, base);
  const m = mergeFile(base, value.raw);
  const rowOf = mergedPaths(value.rowOf, m);
  const checked = validateDirectory(m.raw);
  if (checked.ok && problems.length === 0) {
    const lost = keepsStewards(checked.directory);
    if (lost.length === 0) return { ok: true, merged: checked.directory, m, rows };
    return {
      ok: false,
      rows,
      problems: lost.map((p) => ({ ...locate(p.where, rowOf), message: p.text })),
    };
  }
  // A floor whose id the file changed: one problem at its row saying why and what to do, in place
  // of a duplicate for each room and cluster of the floor the merge keeps.
  const renamed = checked.ok ? [] : renamedFloors(base, m.raw, rowOf);
  const ofKept = (p: DirectoryProblem) =>
    renamed.some((r) => p.also !== undefined && (p.also === r.keptAt || p.also.startsWith(`${r.keptAt}.`)));
  for (const r of renamed) problems.push({ ...locate(`${r.newAt}.id`, rowOf), message: r.message });
  const schemaProblems = checked.ok ? [] : withCrossChecks(m.raw, checked.problems).filter((p) => !ofKept(p));
  // A missing campus row is told once, by the layout check, not again as the schema's "campus".
  const campusMissing = !value.rowOf.has('campus');
  // A cell the layout check already refused (a floor id in two buildings) is not refused twice.
  const seen = new Set<string>(problems.map((p) => `${p.row}|${p.column}`));
  const located = schemaProblems
    .filter((p) => !(campusMissing && p.where === 'campus'))
    .map((p): ImportProblem => {
      const at = locate(p.where, rowOf);
      // A duplicate names both rows: the one reported and the one that had the id first.
      const first = p.also === undefined ? null : locate(p.also, rowOf).row;
      const both =
        first === null || at.row === null || first === at.row
          ? { zh: '', en: '' }
          : { zh: `（见第 ${first} 行与第 ${at.row} 行）`, en: ` (rows ${first} and ${at.row})` };
      // The row and column stand beside the message; only a problem neither names says where it is.
      const place = at.row === null || at.column === null ? problemPlace(p.where, m.raw) : null;
      // A duplicate whose first is a row of the file is told by its rows alone, not by a merged index.
      const text =
        base && p.also !== undefined && first === null
          ? alsoCurrent(p.text, p.also, m.raw)
          : first !== null
            ? (p.alone ?? p.text)
            : p.text;
      return {
        ...at,
        message: {
          zh: `${place ? `${place.zh}：` : ''}${text.zh}${both.zh}`,
          en: `${place ? `${place.en}: ` : ''}${text.en}${both.en}`,
        },
      };
    })
    .filter((p) => {
      const cell = `${p.row}|${p.column}`;
      const key = `${cell}|${p.message.en}`;
      if ((p.row !== null && p.column !== null && seen.has(cell)) || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const all = [...problems, ...located].sort(
    (a, b) => (a.row ?? Number.MAX_SAFE_INTEGER) - (b.row ?? Number.MAX_SAFE_INTEGER),
  );
  return { ok: false, rows, problems: all };
}

/**
 * A duplicate of an entry of the current directory (no row of the file): named by its id and name
 * in the current directory, not by its index in a merged one the admin never saw.
 */
function alsoCurrent(text: Bilingual, also: string, merged: unknown): Bilingual {
  const where = problemPlace(also, merged);
  return {
    zh: text.zh.replace(also, `现有名录中的${where.zh}`),
    en: text.en.replace(also, `the current directory's ${where.en}`),
  };
}

/**
 * zod skips the cross-reference checks (unknown people, duplicate ids…) once a value of the wrong
 * kind is found: a role or a language not in the list, or no campus row. So one pass would list a
 * bad role but not the unknown grid member three rows down. Those values are set aside (a
 * placeholder the check accepts) and the directory checked again, to report every row in one go.
 */
function withCrossChecks(raw: unknown, problems: DirectoryProblem[]): DirectoryProblem[] {
  const copy = structuredClone(raw) as {
    campus?: unknown;
    people: Record<string, unknown>[];
  };
  let repaired = false;
  for (const p of problems) {
    if (p.where === 'campus' && copy.campus === undefined) {
      copy.campus = { name: { zh: '校', en: 'campus' }, workingGroupIds: [], leadershipIds: [] };
      repaired = true;
      continue;
    }
    const m = /^people\[(\d+)\]\.(roles\[(\d+)\]|language|staffKind)$/.exec(p.where);
    const person = m ? copy.people[Number(m[1])] : undefined;
    if (!m || !person) continue;
    // A role no check refuses in any place a person is named (a building's supervisors need it).
    if (m[3] !== undefined && Array.isArray(person.roles))
      (person.roles as unknown[])[Number(m[3])] = 'supervisor';
    else if (m[2] === 'language') delete person.language;
    else if (m[2] === 'staffKind') delete person.staffKind;
    repaired = true;
  }
  if (!repaired) return problems;
  const again = validateDirectory(copy);
  if (again.ok) return problems;
  const known = new Set(problems.map((p) => `${p.where}|${p.text.en}`));
  return [...problems, ...again.problems.filter((p) => !known.has(`${p.where}|${p.text.en}`))];
}

/** The directory as the import table: what an admin downloads, edits and uploads again. */
export function directoryToTable(dir: Directory): string[][] {
  const rows: string[][] = [[...COLUMNS]];
  const line = (cells: Partial<Record<Column, string>>) => rows.push(COLUMNS.map((c) => cells[c] ?? ''));
  const list = (ids: readonly string[] | undefined) => (ids ?? []).join(';');
  line({
    kind: 'campus',
    id: 'campus',
    name_zh: dir.campus.name.zh,
    name_en: dir.campus.name.en,
    working_group: list(dir.campus.workingGroupIds),
    leadership: list(dir.campus.leadershipIds),
  });
  for (const p of dir.people)
    line({
      kind: 'person',
      id: p.id,
      name_zh: p.name,
      name_en: p.nameEn ?? '',
      email: p.email,
      roles: list(p.roles),
      language: p.language,
      staff_kind: p.staffKind ?? '',
      department: p.departmentId ?? '',
    });
  for (const b of dir.buildings) {
    line({
      kind: b.kind === 'public_area' ? 'area' : 'building',
      id: b.id,
      name_zh: b.name.zh,
      name_en: b.name.en,
      supervisors: list(b.supervisorIds),
      grid_members: list(b.gridMemberIds),
    });
    for (const f of b.floors) {
      line({
        kind: 'floor',
        id: f.id,
        parent: b.id,
        name_zh: f.name.zh,
        name_en: f.name.en,
        grid_members: list(f.gridMemberIds),
      });
      for (const cl of f.clusters)
        line({
          kind: 'cluster',
          id: cl.id,
          parent: f.id,
          grid_members: list(cl.gridMemberIds),
          rooms: list(cl.rooms),
        });
    }
  }
  for (const d of dir.departments)
    line({
      kind: 'department',
      id: d.id,
      name_zh: d.name.zh,
      name_en: d.name.en,
      contacts: list(d.contactIds),
      rooms: list(d.rooms),
    });
  return rows;
}

export const tableToCsv = (table: string[][]): string =>
  `\uFEFF${table.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

export async function tableToXlsx(table: string[][]): Promise<ArrayBuffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('directory');
  for (const r of table) sheet.addRow(r);
  sheet.getRow(1).font = { bold: true };
  const buf = await wb.xlsx.writeBuffer();
  return buf as ArrayBuffer;
}

export interface EntryChange {
  id: string;
  /** Field names that differ from the stored entry. */
  fields: string[];
}

export interface KindDiff {
  added: string[];
  changed: EntryChange[];
  unchanged: number;
  /** In the stored directory but not in the file: kept as they are (an import never deletes). */
  kept: string[];
}

export interface DirectoryDiff {
  campus: string[];
  people: KindDiff;
  /** A building's own fields; its floors and their clusters are counted on their own below. */
  buildings: KindDiff;
  /** Floors by id (floor ids are campus-wide); a floor's own fields, its clusters apart. */
  floors: KindDiff;
  /** Room clusters as `floor/cluster`. */
  clusters: KindDiff;
  departments: KindDiff;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * `ignore` is the nested list counted as a kind of its own: a floor row unchanged under a building
 * whose other floor changed was neither counted unchanged nor shown, and the building read as
 * changed ("floors") for a floor that was.
 */
function diffKind<T extends { id: string }>(
  before: readonly T[],
  after: readonly T[],
  ignore?: string,
): KindDiff {
  const old = new Map(before.map((x) => [x.id, x]));
  const out: KindDiff = { added: [], changed: [], unchanged: 0, kept: [] };
  for (const x of after) {
    const prev = old.get(x.id);
    if (!prev) {
      out.added.push(x.id);
      continue;
    }
    const keys = new Set([...Object.keys(prev), ...Object.keys(x)].filter((k) => k !== ignore));
    const fields = [...keys].filter(
      (k) => !same((prev as Record<string, unknown>)[k], (x as Record<string, unknown>)[k]),
    );
    if (fields.length > 0) out.changed.push({ id: x.id, fields });
    else out.unchanged += 1;
  }
  const inFile = new Set(after.map((x) => x.id));
  out.kept = before.filter((x) => !inFile.has(x.id)).map((x) => x.id);
  return out;
}

/**
 * What applying `next` would change in the stored directory (null when none is stored yet); a
 * merge file without a campus row leaves the campus as it is.
 */
export function diffDirectory(current: Directory | null, next: DirectoryPart): DirectoryDiff {
  const cur = current ?? { campus: null, people: [], buildings: [], departments: [] };
  const campus = next.campus;
  const campusFields = !campus
    ? []
    : cur.campus
      ? (['name', 'workingGroupIds', 'leadershipIds'] as const).filter(
          (k) => !same(cur.campus?.[k], campus[k]),
        )
      : ['name', 'workingGroupIds', 'leadershipIds'];
  const floorsOf = (bs: readonly Building[]) => bs.flatMap((b) => b.floors);
  const clustersOf = (bs: readonly Building[]) =>
    floorsOf(bs).flatMap((f) => f.clusters.map((cl) => ({ ...cl, id: `${f.id}/${cl.id}` })));
  return {
    campus: [...campusFields],
    people: diffKind(cur.people, next.people),
    buildings: diffKind(cur.buildings, next.buildings, 'floors'),
    floors: diffKind(floorsOf(cur.buildings), floorsOf(next.buildings), 'clusters'),
    clusters: diffKind(clustersOf(cur.buildings), clustersOf(next.buildings)),
    departments: diffKind(cur.departments, next.departments),
  };
}

const entryKinds: Record<string, Bilingual> = {
  people: { zh: '人员', en: 'person' },
  buildings: { zh: '楼栋', en: 'building' },
  departments: { zh: '院系', en: 'department' },
};

/**
 * Where a directory problem is, as an admin names it: the entry by its id (and name), then the
 * field, instead of the path into the stored document (`people[30].email`), whose index counts
 * entries of a merged directory the admin never saw.
 */
export function problemPlace(where: string, dir: unknown): Bilingual {
  const m = /^(people|buildings|departments)\[(\d+)\](?:\.(.+))?$/.exec(where);
  const list =
    m && typeof dir === 'object' && dir !== null ? (dir as Record<string, unknown>)[m[1]!] : undefined;
  const entry: unknown = m && Array.isArray(list) ? list[Number(m[2])] : undefined;
  if (!m || typeof entry !== 'object' || entry === null) return { zh: where, en: where };
  const { id, name } = entry as { id?: unknown; name?: unknown };
  const kind = entryKinds[m[1]!]!;
  const nameOf = (lang: 'zh' | 'en') =>
    typeof name === 'string'
      ? name
      : typeof name === 'object' && name !== null && typeof (name as Bilingual)[lang] === 'string'
        ? (name as Bilingual)[lang]
        : undefined;
  const label = (lang: 'zh' | 'en') => {
    const n = nameOf(lang);
    const who = typeof id === 'string' && id !== '' ? id : `#${Number(m[2]) + 1}`;
    return n && n !== who ? (lang === 'zh' ? `${who}（${n}）` : `${who} (${n})`) : who;
  };
  const field = m[3];
  const zh = label('zh');
  return field
    ? {
        zh: `${kind.zh} ${zh}${zh.endsWith('）') ? '' : ' '}的 ${field}`,
        en: `${kind.en} ${label('en')}, ${field}`,
      }
    : { zh: `${kind.zh} ${label('zh')}`, en: `${kind.en} ${label('en')}` };
}
