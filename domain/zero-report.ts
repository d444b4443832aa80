import { z } from 'zod';
import type { Bilingual, Directory, Role } from './directory.ts';
import { refuseFlaws } from './safe-text.ts';

/**
 * The grid's nightly zero report (零报告, seed 001): between 22:20 and 22:40
 * every grid cell reports its late and absent returns upwards, "none"
 * included. Pure: the night's workflow imports it.
 */

/** Level 3 = a room cluster, level 2 = a floor, level 1 = a building (seed 001 二、网格划分). */
export type GridLevel = 1 | 2 | 3;

export interface ZeroCell {
  /** `L3:<cluster>`, `L2:<floor>`, `L1:<building>`: directory ids may repeat across kinds. */
  cellId: string;
  level: GridLevel;
  buildingId: string;
  floorId?: string | undefined;
  name: Bilingual;
  memberIds: string[];
  /** The rooms the cell answers for (a floor's or building's are all of those under it). */
  rooms: string[];
}

export interface ZeroReportConfig {
  timeZone: string;
  /** Campus wall-clock 'HH:mm' the reporting opens (the schedule's time). */
  openAt: string;
  /** Missing reports escalate at this time. */
  closeAt: string;
  /** Late reports are still taken (and marked late) this long after the close. */
  lateMinutes: number;
}

export const defaultZeroReportConfig: ZeroReportConfig = {
  timeZone: 'Asia/Shanghai',
  openAt: '22:20',
  closeAt: '22:40',
  lateMinutes: 60,
};

/** Every cell of the grid that has someone on it, buildings first, then floors, then clusters. */
export function gridCells(dir: Pick<Directory, 'buildings'>): ZeroCell[] {
  const cells: ZeroCell[] = [];
  for (const b of dir.buildings) {
    const allRooms = b.floors.flatMap((f) => f.clusters.flatMap((c) => c.rooms));
    cells.push({
      cellId: `L1:${b.id}`,
      level: 1,
      buildingId: b.id,
      name: { zh: `${b.name.zh}（一级网格）`, en: `${b.name.en} (level 1)` },
      memberIds: [...b.gridMemberIds],
      rooms: allRooms,
    });
    for (const f of b.floors) {
      cells.push({
        cellId: `L2:${f.id}`,
        level: 2,
        buildingId: b.id,
        floorId: f.id,
        name: { zh: `${b.name.zh} ${f.name.zh}（二级网格）`, en: `${b.name.en} ${f.name.en} (level 2)` },
        memberIds: [...f.gridMemberIds],
        rooms: f.clusters.flatMap((c) => c.rooms),
      });
      for (const c of f.clusters) {
        const span =
          c.rooms.length > 1 ? `${c.rooms[0]}–${c.rooms[c.rooms.length - 1]}` : (c.rooms[0] ?? c.id);
        cells.push({
          cellId: `L3:${c.id}`,
          level: 3,
          buildingId: b.id,
          floorId: f.id,
          name: { zh: `${b.name.zh} ${span}（三级网格）`, en: `${b.name.en} ${span} (level 3)` },
          memberIds: [...c.gridMemberIds],
          rooms: [...c.rooms],
        });
      }
    }
  }
  return cells.filter((c) => c.memberIds.length > 0);
}

/**
 * How much one cell may report in a night. A report holds a cell's late and absent returns (a
 * building's level-1 cell is the largest: a bad night is some dozens of students), each with a
 * short note (a time, a reason); the report page offers as many rows. The night's run carries
 * every report, its earlier versions and its answers in its history, so a cell's reports are
 * bounded in number too: each post is one more copy, and a report corrected over and over is a
 * question for the level above, not the board.
 */
export const zeroReportLimits = {
  /** Rows in each list, late and absent. */
  rows: 60,
  /** Characters in a row's room number (the form's field holds no more). */
  room: 32,
  /** Characters in a row's name. */
  name: 64,
  /** Characters in a row's note. */
  note: 200,
  /** Reports (the first and its corrections, a report sent again included) per cell and night. */
  reportsPerCell: 6,
} as const;

/** A report's rows and notes over zeroReportLimits, each with its field (`late`, `absent.3.note`). */
export function overLimits(report: { late: readonly ReturnEntry[]; absent: readonly ReturnEntry[] }): {
  field: string;
  message: Bilingual;
}[] {
  const out: { field: string; message: Bilingual }[] = [];
  for (const k of ['late', 'absent'] as const) {
    const xs = report[k];
    if (xs.length > zeroReportLimits.rows)
      out.push({
        field: k,
        message: {
          zh: `每份报告最多 ${zeroReportLimits.rows} 行（此处 ${xs.length} 行）`,
          en: `at most ${zeroReportLimits.rows} rows a report (${xs.length} here)`,
        },
      });
    xs.forEach((e, i) => {
      if ((e.note ?? '').length > zeroReportLimits.note)
        out.push({
          field: `${k}.${i}.note`,
          message: {
            zh: `备注最多 ${zeroReportLimits.note} 字（此处 ${(e.note ?? '').length} 字）`,
            en: `a note is at most ${zeroReportLimits.note} characters (${(e.note ?? '').length} here)`,
          },
        });
    });
  }
  return out;
}

// The API's `safeString` rule (api/schemas.ts), here because domain/ does not import api/: what
// is reported goes into the board, the summary emails and the store.
const safe = (opts: { singleLine?: boolean } = {}) => z.string().superRefine(refuseFlaws(opts));

// Strict, as every other body the API takes: a key it does not know is refused, not dropped.
const entry = z.strictObject({
  room: z
    .string()
    .trim()
    .min(1)
    .max(zeroReportLimits.room)
    .pipe(safe({ singleLine: true })),
  name: z
    .string()
    .trim()
    .min(1)
    .max(zeroReportLimits.name)
    .pipe(safe({ singleLine: true }))
    .optional(),
  note: z.string().trim().max(500).pipe(safe()).optional(),
});
export type ReturnEntry = z.infer<typeof entry>;

/**
 * What a grid member reports for a cell. "Nothing to report" is said, not
 * implied: `none: true` with no entries, so an empty body is never a report.
 */
export const zeroReportBody = z
  .strictObject({
    cellId: z
      .string()
      .min(1)
      .max(80)
      .pipe(safe({ singleLine: true }))
      .optional(),
    none: z.boolean().optional(),
    late: z.array(entry).max(200).default([]),
    absent: z.array(entry).max(200).default([]),
  })
  .superRefine((b, ctx) => {
    const entries = b.late.length + b.absent.length;
    if (b.none === true && entries > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['none'],
        message: 'none: true cannot come with late or absent entries / 报告"无"时不能同时列出晚归或未归',
      });
    if (b.none !== true && entries === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['none'],
        message: 'say none: true when nobody is late or absent / 无晚归、未归时请明确报告 none: true',
      });
    for (const r of repeatedEntries(b)) ctx.addIssue({ code: 'custom', path: r.path, message: r.message });
  });
export type ZeroReportBody = z.output<typeof zeroReportBody>;

/**
 * One person as the night's tallies count them (`nightCounts`: room and name): rooms matched
 * without regard to case, as `placeInCell` matches them, so "a101" and "A101" are one room.
 */
const personKey = (e: ReturnEntry) => `${e.room.toUpperCase()}#${(e.name ?? '').toLowerCase()}`;

/**
 * Entries naming a person already named: twice in one list, or both late and absent. Stored as
 * given, they would be counted once on the board and mailed twice, or say two things of one
 * student. Messages carry no typed text: a name in Chinese would keep the English half from
 * being told apart from the Chinese one.
 */
function repeatedEntries(b: {
  late: ReturnEntry[];
  absent: ReturnEntry[];
}): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const first = new Map<string, string>();
  for (const k of ['late', 'absent'] as const)
    b[k].forEach((e, i) => {
      const key = personKey(e);
      const earlier = first.get(key);
      if (earlier === undefined) {
        first.set(key, `${k}.${i}`);
        return;
      }
      const message = earlier.startsWith(`${k}.`)
        ? `the same room and name as ${earlier}: list each person once / 与 ${earlier} 房间、姓名相同：每人只列一次`
        : `the same room and name as ${earlier}: a person is either late or absent, not both / 与 ${earlier} 房间、姓名相同：同一人不能既晚归又未归`;
      out.push({ path: [k, i], message });
    });
  return out;
}

/** An entry whose room the cell does not answer for, with its field (`absent.0.room`). */
export interface OffCellRoom {
  field: string;
  room: string;
}

/**
 * Checks a report's rooms against the rooms its cell answers for. Rooms are
 * matched without regard to case and come back spelt as the directory spells
 * them ("a102" is A102); `outside` lists the ones that are not the cell's.
 */
export function placeInCell(
  rooms: Iterable<string>,
  report: { late: ReturnEntry[]; absent: ReturnEntry[] },
): { late: ReturnEntry[]; absent: ReturnEntry[]; outside: OffCellRoom[] } {
  const known = new Map<string, string>();
  for (const r of rooms) known.set(r.toUpperCase(), r);
  const outside: OffCellRoom[] = [];
  const place = (k: 'late' | 'absent') =>
    report[k].map((e, i) => {
      const room = known.get(e.room.toUpperCase());
      if (room === undefined) outside.push({ field: `${k}.${i}.room`, room: e.room });
      return { ...e, room: room ?? e.room };
    });
  const late = place('late');
  const absent = place('absent');
  return { late, absent, outside };
}

/** What a report says, short: `晚归 1 人（A101 张三）；未归 1 人（A102 李四）`, or "none" when it says nothing. */
export function reportGist(r: Pick<ZeroReport, 'late' | 'absent'>): Bilingual {
  const who = (xs: ReturnEntry[], sep: string) =>
    xs.map((e) => [e.room, e.name].filter(Boolean).join(' ')).join(sep);
  const zh: string[] = [];
  const en: string[] = [];
  if (r.late.length > 0) {
    zh.push(`晚归 ${r.late.length} 人（${who(r.late, '、')}）`);
    en.push(`${r.late.length} late (${who(r.late, ', ')})`);
  }
  if (r.absent.length > 0) {
    zh.push(`未归 ${r.absent.length} 人（${who(r.absent, '、')}）`);
    en.push(`${r.absent.length} absent (${who(r.absent, ', ')})`);
  }
  if (zh.length === 0) return { zh: '无晚归、未归', en: 'nobody late or absent' };
  return { zh: zh.join('；'), en: en.join('; ') };
}

export interface ZeroReportInput {
  cellId: string;
  personId: string;
  /** The one-click "none" link, the API, or the report page's form. */
  via: 'link' | 'api' | 'page';
  late: ReturnEntry[];
  absent: ReturnEntry[];
}

export interface ZeroReport extends ZeroReportInput {
  night: string;
  at: string;
  none: boolean;
  /** Came in after the close, when the cell had already been escalated. */
  afterClose: boolean;
  /**
   * What the cell reported before this correction, oldest first (each without its own history):
   * a student once reported late or absent stays on the board when a correction says otherwise.
   */
  earlier?: ZeroReportVersion[] | undefined;
}

/** One report as it stood before a correction replaced it. */
export type ZeroReportVersion = Omit<ZeroReport, 'earlier'>;

const sameEntries = (a: readonly ReturnEntry[], b: readonly ReturnEntry[]) =>
  a.length === b.length &&
  a.every((e, i) => e.room === b[i]?.room && e.name === b[i]?.name && e.note === b[i]?.note);

/**
 * The history a new report of a cell carries: the earlier versions of the one it replaces, and
 * that one too unless it said the same (a report sent again is not a correction).
 */
export function correctionHistory(
  onRecord: ZeroReport | undefined,
  next: Pick<ZeroReport, 'late' | 'absent'>,
): ZeroReportVersion[] | undefined {
  if (!onRecord) return undefined;
  const { earlier = [], ...was } = onRecord;
  const same = sameEntries(was.late, next.late) && sameEntries(was.absent, next.absent);
  const out = same ? earlier : [...earlier, was];
  return out.length > 0 ? out : undefined;
}

export interface ZeroEscalation {
  cellId: string;
  level: GridLevel;
  /** Who hears that the cell has not reported: the level above, or the working group above level 1. */
  toIds: string[];
  to: 'grid_l2' | 'grid_l1' | 'working_group';
}

/**
 * Where a missing report goes at the close: a cluster's to its floor's level 2
 * and the building's level 1, a floor's to level 1, a building's to the
 * working group (seed 001 五(三): what a level cannot settle goes one up).
 */
export function escalationsFor(
  cells: readonly ZeroCell[],
  missing: readonly string[],
  workingGroupIds: readonly string[],
): ZeroEscalation[] {
  const byId = new Map(cells.map((c) => [c.cellId, c]));
  const l1 = (buildingId: string) =>
    cells.find((c) => c.level === 1 && c.buildingId === buildingId)?.memberIds ?? [];
  const l2 = (floorId: string | undefined) =>
    cells.find((c) => c.level === 2 && c.floorId === floorId)?.memberIds ?? [];
  const out: ZeroEscalation[] = [];
  for (const id of missing) {
    const cell = byId.get(id);
    if (!cell) continue;
    if (cell.level === 3) {
      const up = [...new Set([...l2(cell.floorId), ...l1(cell.buildingId)])];
      if (up.length > 0) {
        out.push({
          cellId: id,
          level: 3,
          toIds: up,
          to: l2(cell.floorId).length > 0 ? 'grid_l2' : 'grid_l1',
        });
        continue;
      }
    }
    if (cell.level === 2 && l1(cell.buildingId).length > 0) {
      out.push({ cellId: id, level: 2, toIds: [...l1(cell.buildingId)], to: 'grid_l1' });
      continue;
    }
    out.push({ cellId: id, level: cell.level, toIds: [...workingGroupIds], to: 'working_group' });
  }
  return out.filter((e) => e.toIds.length > 0);
}

export interface NightCounts {
  cells: number;
  reported: number;
  none: number;
  missing: number;
  late: number;
  absent: number;
}

/** The night's tallies; returns are counted once, at the level-3 cells, where floors and buildings report them again. */
export function nightCounts(cells: readonly ZeroCell[], reports: readonly ZeroReport[]): NightCounts {
  const byCell = new Map(reports.map((r) => [r.cellId, r]));
  const reported = cells.filter((c) => byCell.has(c.cellId));
  const rooms = (r: ZeroReport, k: 'late' | 'absent') => r[k].map((e) => `${e.room}#${e.name ?? ''}`);
  const late = new Set(reports.flatMap((r) => rooms(r, 'late')));
  const absent = new Set(reports.flatMap((r) => rooms(r, 'absent')));
  return {
    cells: cells.length,
    reported: reported.length,
    none: reported.filter((c) => byCell.get(c.cellId)?.none).length,
    missing: cells.length - reported.length,
    late: late.size,
    absent: absent.size,
  };
}

/** Link claims carry the night and cell in their case id: `zero:<night>:<cellId>`. */
export const zeroLinkCaseId = (night: string, cellId: string) => `zero:${night}:${cellId}`;
export function parseZeroLinkCaseId(id: string): { night: string; cellId: string } | null {
  const m = /^zero:(\d{4}-\d{2}-\d{2}):(L[123]:.+)$/.exec(id);
  return m?.[1] && m[2] ? { night: m[1], cellId: m[2] } : null;
}
export const ZERO_REPORT_STEP = 'zero_report';

/** Who may read the night's board: grid members file on it, the rest follow it up or look back on it. */
export const ZERO_REPORT_BOARD_READERS = [
  'grid_member',
  'supervisor',
  'working_group',
  'leadership',
  'admin',
  'department_contact',
  'auditor',
] as const satisfies readonly Role[];

export const NIGHT = /^\d{4}-\d{2}-\d{2}$/;
