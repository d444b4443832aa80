import { z } from 'zod';
import { addDays } from './calendar.ts';
import type { Directory, Location } from './directory.ts';
import { isoWeekOfDate, weekMonday } from './digest.ts';
import { placeNameOf } from './place-name.ts';
import { refuseFlaws } from './safe-text.ts';
import { dimensionKeys, standards, type DimensionKey, type StandardItem } from './standards/catalogue.ts';
import type { Bilingual } from './text.ts';

/**
 * Inspection rounds against the 6T standard (seed 000): the daily inspection,
 * weekly check and monthly evaluation (日检、周查、月评) of one building, each
 * a checklist of catalogue items marked pass, fail or not applicable. Pure:
 * the round's workflow imports it.
 */
export const roundKinds = ['daily', 'weekly', 'monthly'] as const;
export type RoundKind = (typeof roundKinds)[number];

export const roundKindNames: Record<RoundKind, { zh: string; en: string }> = {
  daily: { zh: '日检', en: 'Daily inspection' },
  weekly: { zh: '周查', en: 'Weekly check' },
  monthly: { zh: '月评', en: 'Monthly evaluation' },
};

/** On-site dimensions a weekly check walks; the desk-work ones wait for the monthly evaluation. */
const WEEKLY_DIMENSIONS: readonly DimensionKey[] = ['safety', 'service', 'management'];

/**
 * The items a round checks: the daily round the items whose failure opens a
 * case (they carry an SLA rule), the weekly check every item of the on-site
 * dimensions (安全、人性、规范), the monthly evaluation all of them.
 */
export function checklistFor(kind: RoundKind): StandardItem[] {
  const all = standards.dimensions.flatMap((d) => d.items);
  if (kind === 'daily') return all.filter((i) => i.slaRuleId !== undefined);
  if (kind === 'weekly') return all.filter((i) => WEEKLY_DIMENSIONS.includes(i.dimension));
  return all;
}

/** The period a round covers, from a campus date: the day, its ISO week, or its month. */
export function periodOf(kind: RoundKind, date: string): { period: string; from: string; to: string } {
  if (kind === 'daily') return { period: date, from: date, to: date };
  if (kind === 'weekly') {
    const week = isoWeekOfDate(date);
    const monday = weekMonday(week);
    return { period: week, from: monday, to: addDays(monday, 6) };
  }
  const first = `${date.slice(0, 7)}-01`;
  let last = first;
  while (addDays(last, 1).slice(0, 7) === first.slice(0, 7)) last = addDays(last, 1);
  return { period: date.slice(0, 7), from: first, to: last };
}

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * A round as people name it, not by its id: "2026年12月 月评（A栋）" / "Monthly evaluation, December
 * 2026 (Building A)"; a day as 2026年12月6日, a week as 2026年第49周.
 */
export function roundName(
  round: Pick<InspectionRound, 'kind' | 'period'>,
  building: { zh: string; en: string },
): { zh: string; en: string } {
  const kind = roundKindNames[round.kind];
  const [y = '', m = '', d = ''] = round.period.split('-');
  const week = /^(\d{4})-W(\d{2})$/.exec(round.period);
  const when =
    round.kind === 'weekly' && week
      ? { zh: `${week[1]}年第${Number(week[2])}周`, en: `week ${Number(week[2])} of ${week[1]}` }
      : round.kind === 'monthly'
        ? { zh: `${y}年${Number(m)}月`, en: `${MONTHS_EN[Number(m) - 1] ?? m} ${y}` }
        : {
            zh: `${y}年${Number(m)}月${Number(d)}日`,
            en: `${Number(d)} ${MONTHS_EN[Number(m) - 1] ?? m} ${y}`,
          };
  return { zh: `${when.zh} ${kind.zh}（${building.zh}）`, en: `${kind.en}, ${when.en} (${building.en})` };
}

/** The round's id, also its workflow id: one round per kind, building and period. */
export const roundId = (kind: RoundKind, buildingId: string, period: string) =>
  `inspection.${kind}.${buildingId}.${period}`;

export const checkResults = ['pass', 'fail', 'na'] as const;
export type CheckResult = (typeof checkResults)[number];

const placeId = (what: { zh: string; en: string; example: string }) =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/,
      `须为名录中${what.zh}的编号，如 ${what.example} / must be the id of ${what.en} in the directory, such as ${what.example}`,
    );

/** A whole evidence reference, as store/evidence.ts writes one (domain code does not read the store). */
const EVIDENCE_REF = /^evidence:ev_[A-Za-z0-9_-]{16}#sha256=[0-9a-f]{64}$/;

/**
 * A failed item's note becomes the description of the case it opens (mail, audit, pages), so it
 * is held to the rule every other text a person types is (domain/safe-text.ts), worded as
 * api/schemas.ts `safeString` words it.
 */
const noteText = z.string().trim().max(2000).superRefine(refuseFlaws());

// Strict, as every body the API takes: `{ itemId, result, zz }` is refused, not taken without zz.
export const checkEntrySchema = z.strictObject({
  itemId: z
    .string()
    .regex(
      /^6t\.[a-z]+\.\d+$/,
      '须为标准条目编号，如 6t.safety.1 / must be a catalogue item id like 6t.safety.1',
    ),
  result: z.enum(checkResults),
  note: noteText.optional(),
  floorId: placeId({ zh: '楼层', en: 'a floor', example: 'a-f1' }).optional(),
  /** Typed on the page: held to the same rule, one line, before the directory is asked for it. */
  roomId: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .superRefine(refuseFlaws({ singleLine: true }))
    .optional(),
  /**
   * Photos of a failure (the case carries them over, into its description: text rules): keys of
   * photos kept elsewhere, or whole references to photos uploaded for the round
   * (POST /api/inspections/{roundId}/photos), which its case takes as its own evidence as it
   * opens; the API checks each is the round's before it is taken.
   */
  photos: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(300)
        .superRefine(refuseFlaws({ singleLine: true }))
        // The case's audit checks every evidence reference its description names: anything
        // but a whole reference to one of the round's files could never be the case's own.
        .refine((k) => EVIDENCE_REF.test(k) || !/evidence:/i.test(k), {
          message:
            '证据引用须完整，形如 evidence:ev_…#sha256=…（由 POST /api/inspections/{roundId}/photos 返回），不能夹在其他文字中 / an evidence reference must be whole, evidence:ev_…#sha256=… as POST /api/inspections/{roundId}/photos returned it, with nothing around it',
        }),
    )
    .max(20)
    .optional(),
  /** Who rectifies a failure; defaults to the building's manager (管理员). */
  assigneeId: placeId({ zh: '员工', en: 'a staff member', example: 'staff-zhao' }).optional(),
});
export type CheckEntry = z.infer<typeof checkEntrySchema>;

export const checklistSubmission = z
  .strictObject({
    results: z.array(checkEntrySchema).min(1).max(200),
    /**
     * false keeps the round open for more results (a round walked in parts); true ends it, which
     * the round's workflow refuses while any checklist item is unanswered.
     */
    finish: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.results.forEach((r, i) => {
      if (seen.has(r.itemId))
        ctx.addIssue({
          code: 'custom',
          path: ['results', i, 'itemId'],
          message: `${r.itemId} 重复出现，每项只能给出一次结果 / ${r.itemId} listed twice: give each item one result`,
        });
      seen.add(r.itemId);
      if (r.result === 'fail' && !r.note)
        ctx.addIssue({
          code: 'custom',
          path: ['results', i, 'note'],
          message: 'a failed item needs a note saying what is wrong / 不合格项须注明问题',
        });
    });
  });
export type ChecklistSubmission = z.output<typeof checklistSubmission>;

/** Where an entry's case is, or which place field of the entry the round's building does not have. */
export type EntryPlace =
  | { ok: true; location: Location }
  | { ok: false; field: 'buildingId' | 'floorId' | 'roomId'; text: Bilingual };

/**
 * The place of an entry in a round's building. A room given without its floor takes the floor
 * the directory puts it on: case lists filter by floor, and the floor's grid reads its cases.
 */
export function entryPlace(
  dir: Pick<Directory, 'buildings'>,
  buildingId: string,
  entry: Pick<CheckEntry, 'floorId' | 'roomId'>,
): EntryPlace {
  const building = dir.buildings.find((b) => b.id === buildingId);
  if (!building)
    return {
      ok: false,
      field: 'buildingId',
      text: { zh: `名录中没有楼栋 ${buildingId}`, en: `the directory has no building ${buildingId}` },
    };
  const floor = entry.floorId ? building.floors.find((f) => f.id === entry.floorId) : undefined;
  if (entry.floorId && !floor)
    return {
      ok: false,
      field: 'floorId',
      text: {
        zh: `${building.name.zh}没有楼层 ${entry.floorId}`,
        en: `${building.name.en} has no floor ${entry.floorId}`,
      },
    };
  const { roomId } = entry;
  if (!roomId) return { ok: true, location: { buildingId, ...(floor ? { floorId: floor.id } : {}) } };
  // Typed on a phone: "b101" or " B101 " is the directory's B101, and the case carries its spelling.
  const key = roomKey(roomId);
  let room: string | undefined;
  const roomFloor = (floor ? [floor] : building.floors).find((f) =>
    f.clusters.some((c) => (room = c.rooms.find((r) => roomKey(r) === key)) !== undefined),
  );
  if (!roomFloor || room === undefined) {
    // The floor (or building) searched, named as every page names a place.
    const where = placeNameOf(dir, { buildingId, ...(floor ? { floorId: floor.id } : {}) });
    return {
      ok: false,
      field: 'roomId',
      text: { zh: `${where.zh}没有房间 ${roomId}`, en: `${where.en} has no room ${roomId}` },
    };
  }
  return { ok: true, location: { buildingId, floorId: roomFloor.id, roomId: room } };
}

const roomKey = (room: string) => room.replace(/\s+/g, '').toUpperCase();

/** The checklist's items that neither the results recorded nor those being added answer, in checklist order. */
export function unansweredItems(
  checklist: readonly string[],
  ...results: readonly (readonly Pick<CheckEntry, 'itemId'>[])[]
): string[] {
  const answered = new Set(results.flat().map((r) => r.itemId));
  return checklist.filter((id) => !answered.has(id));
}

/** Whether two entries of an item say the same: result, note, place, photos and rectifier. */
export function sameCheck(a: CheckEntry, b: CheckEntry): boolean {
  const text = (x: string | undefined) => x ?? '';
  return (
    a.itemId === b.itemId &&
    a.result === b.result &&
    text(a.note) === text(b.note) &&
    text(a.floorId) === text(b.floorId) &&
    text(a.roomId) === text(b.roomId) &&
    text(a.assigneeId) === text(b.assigneeId) &&
    JSON.stringify(a.photos ?? []) === JSON.stringify(b.photos ?? [])
  );
}

/**
 * The entries that would change an item whose failure opened a case: from then on the case is
 * where it is handled, and the round keeps the failure (its note, place and photos) as it opened
 * the case. The same failure sent again changes nothing and is not among them.
 */
export function entriesChangingCases(
  round: Pick<InspectionRound, 'cases' | 'results'>,
  entries: readonly CheckEntry[],
): { itemId: string; caseId: string }[] {
  return entries.flatMap((e) => {
    const caseId = round.cases[e.itemId];
    if (caseId === undefined) return [];
    const was = round.results.find((r) => r.itemId === e.itemId);
    // A case opened by a post that then failed, before such items were recorded: the failure
    // itself is what may still come.
    const same = was ? sameCheck(was, e) : e.result === 'fail';
    return same ? [] : [{ itemId: e.itemId, caseId }];
  });
}

export interface DimensionScore {
  dimension: DimensionKey;
  passed: number;
  failed: number;
  na: number;
  unchecked: number;
  /** Percentage of the applicable items checked that passed; null when none was. */
  score: number | null;
}

/** Scores per dimension of a round's results over its checklist. */
export function scoreRound(checklist: readonly string[], results: readonly CheckEntry[]): DimensionScore[] {
  const byItem = new Map(results.map((r) => [r.itemId, r.result]));
  return dimensionKeys
    .map((dimension) => {
      const items = checklist.filter((id) => id.startsWith(`6t.${dimension}.`));
      const count = (r: CheckResult) => items.filter((id) => byItem.get(id) === r).length;
      const passed = count('pass');
      const failed = count('fail');
      const na = count('na');
      return {
        dimension,
        passed,
        failed,
        na,
        unchecked: items.length - passed - failed - na,
        score: passed + failed > 0 ? Math.round((1000 * passed) / (passed + failed)) / 10 : null,
      };
    })
    .filter((s) => s.passed + s.failed + s.na + s.unchecked > 0);
}

export type RoundStatus = 'open' | 'completed' | 'missed';

export interface InspectionRound {
  roundId: string;
  kind: RoundKind;
  buildingId: string;
  period: string;
  from: string;
  to: string;
  due: string;
  assigneeIds: string[];
  checklist: string[];
  status: RoundStatus;
  results: (CheckEntry & { by: string; at: string })[];
  scores: DimensionScore[];
  /** Cases opened for failed items: item id → case id. */
  cases: Record<string, string>;
  completedAt?: string | undefined;
}

export interface RoundsInput {
  kind: RoundKind;
  /** Campus date in the period; defaults to the date the schedule started the run. */
  date?: string | undefined;
  /** Only these buildings (default: every building of the directory). */
  buildingIds?: string[] | undefined;
  timeZone?: string | undefined;
}

export interface RoundInput {
  kind: RoundKind;
  buildingId: string;
  /** A campus date in the round's period. */
  date: string;
  /** The building's supervisors, who walk the round. */
  assigneeIds: string[];
  timeZone: string;
}

/**
 * What a run of a round saves over the record already stored, which is the truth of what was
 * saved: a run reset to an earlier point has lost from its memory the posts it took since, the
 * record has not. Results only ever grow, so each item keeps its latest result of the two (by
 * when it was recorded) and the cases of both stay; a failure whose case opened stays as the
 * record has it. A record closed otherwise than the run has it (a finish the run lost, a round
 * already missed) is kept whole: a reset never reopens a round. The run's order comes first, so
 * a save over a record the run wrote itself stores the run's round as it is.
 */
export function mergeSavedRound(stored: InspectionRound, run: InspectionRound): InspectionRound {
  if (stored.status !== 'open' && stored.status !== run.status) return stored;
  const recorded = new Map(stored.results.map((r) => [r.itemId, r]));
  const results = run.results.map((r) => {
    const was = recorded.get(r.itemId);
    if (!was) return r;
    if (stored.cases[r.itemId] !== undefined && was.result === 'fail') return was;
    return was.at > r.at ? was : r;
  });
  const taken = new Set(run.results.map((r) => r.itemId));
  results.push(...stored.results.filter((r) => !taken.has(r.itemId)));
  return {
    ...run,
    results,
    scores: scoreRound(run.checklist, results),
    cases: { ...stored.cases, ...run.cases },
    // Finished once: the first finish's time, when the record has one.
    ...(run.status === 'completed' && stored.completedAt ? { completedAt: stored.completedAt } : {}),
  };
}
