// Longer than most modules because the three digest audiences (staff, departments, areas) are built from one pass over the same cases.
/**
 * The weekly feedback and the daily brief as data: ISO weeks in the campus time
 * zone, and the digests per staff member, department, building and the working
 * group, built from case views. Pure: the activities load the views and store
 * and send what comes out.
 *
 * A case belongs to a week when something happened to it in that week: it was
 * opened, closed, withdrawn, a deadline was breached, the staff member disputed,
 * a review failed, or the reporter rated it. KPIs in the summaries are over the
 * week's cohort (cases opened in the week), see kpi.ts; the yearly limit on valid
 * complaints is judged on the calendar year to the week's end, when the caller
 * gives those counts.
 */
import { stageOnHold } from './case-clocks.ts';
import { caseCitation } from './case-citation.ts';
import {
  countByDimension,
  scoresByBuilding,
  weeklyDimensionTrend,
  type BuildingDimensionScore,
  type WeekDimensionPoint,
} from './inspection-scores.ts';
import { dutyCompletionKpi } from './duty-kpi.ts';
import { categoryLabel } from './intake.ts';
import { placeNameOf } from './place-name.ts';
import { studentFollowUpAsk } from './student-follow-up.ts';
import type { DutyOccurrence } from './duties.ts';
import type { InspectionRound } from './inspection.ts';
import type { DimensionKey } from './standards/catalogue.ts';
import type { CaseView, DeadlineView } from './case-model.ts';
import { addDays, dayOfWeek, localDate, localTimeToInstant } from './calendar.ts';
import {
  countsOf,
  dormitoryIds,
  type Bilingual,
  type Department,
  type Directory,
  type Location,
} from './directory.ts';
import {
  SATISFIED_SCORE,
  computeKpis,
  followUpRatings,
  tallyCases,
  clockKpis,
  type ClockKpi,
  type ComplaintYear,
  type KpiId,
  type KpiTally,
  type KpiValue,
} from './kpi.ts';

/** What a summary's duty figure reads of an occurrence. */
type DutyDue = Pick<DutyOccurrence, 'status' | 'buildingId' | 'dueDate'>;

// ---------------------------------------------------------------- ISO weeks

const WEEK_RE = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;

const utcMs = (date: string) =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
const isoDayOfWeek = (date: string) => dayOfWeek(date) || 7;

/** The ISO week ('YYYY-Www') a local calendar date falls in. */
export function isoWeekOfDate(date: string): string {
  // The ISO week belongs to the year its Thursday falls in.
  const thursday = addDays(date, 4 - isoDayOfWeek(date));
  const year = thursday.slice(0, 4);
  const week = 1 + Math.floor((utcMs(thursday) - utcMs(`${year}-01-01`)) / DAY_MS / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The ISO week of an instant, in the campus time zone. */
export function isoWeekOf(instantIso: string, tz: string): string {
  return isoWeekOfDate(localDate(instantIso, tz));
}

/** The Monday ('YYYY-MM-DD') of an ISO week; throws RangeError for a week that does not exist. */
export function weekMonday(week: string): string {
  const m = WEEK_RE.exec(week);
  if (!m) throw new RangeError(`week must look like 2026-W07, got '${week}'`);
  const jan4 = `${m[1]}-01-04`;
  const monday = addDays(addDays(jan4, 1 - isoDayOfWeek(jan4)), (Number(m[2]) - 1) * 7);
  if (Number(m[2]) < 1 || isoWeekOfDate(monday) !== week) {
    throw new RangeError(`${week} does not exist (weeks run 01 to 52 or 53)`);
  }
  return monday;
}

export function isValidIsoWeek(week: string): boolean {
  try {
    weekMonday(week);
    return true;
  } catch {
    return false;
  }
}

export function addWeeks(week: string, n: number): string {
  return isoWeekOfDate(addDays(weekMonday(week), 7 * n));
}

/** Local midnight of the week's Monday to local midnight of the next Monday, as instants [from, to). */
export function weekBounds(week: string, tz: string): { from: string; to: string } {
  const monday = weekMonday(week);
  return {
    from: localTimeToInstant(monday, '00:00', tz),
    to: localTimeToInstant(addDays(monday, 7), '00:00', tz),
  };
}

/** The seven local dates of a week, Monday first. */
export function weekDates(week: string): string[] {
  const monday = weekMonday(week);
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** The week a run started at `instant` reports on: the last complete week before it. */
export function reportedWeek(instantIso: string, tz: string): string {
  return addWeeks(isoWeekOf(instantIso, tz), -1);
}

// ---------------------------------------------------------------- per-case facts

const within = (at: string | undefined, from: string, to: string): boolean => {
  if (!at) return false;
  const t = Date.parse(at);
  return t >= Date.parse(from) && t < Date.parse(to);
};

export interface WeekCounts {
  opened: number;
  closed: number;
  withdrawn: number;
  /** Deadlines breached in the week. */
  late: number;
  disputed: number;
  failedReviews: number;
  /** Follow-up scores received in the week. */
  ratings: number;
  satisfied: number;
  scoreSum: number;
}

export const emptyCounts = (): WeekCounts => ({
  opened: 0,
  closed: 0,
  withdrawn: 0,
  late: 0,
  disputed: 0,
  failedReviews: 0,
  ratings: 0,
  satisfied: 0,
  scoreSum: 0,
});

/** What happened to one case in a period: a line of a digest. */
export interface CaseLine {
  caseId: string;
  title: string;
  source: CaseView['source'];
  severity: CaseView['severity'];
  category?: string | undefined;
  /** The 6T item the case cites (seed 000): its dimension and number. */
  cited?: { itemId: string; dimension: DimensionKey; number: number } | undefined;
  buildingId: string;
  /** The place by its ids (building/floor/room): what lines stored before names were kept have. */
  place: string;
  /** The place by the directory's names, when the builder had the directory. */
  placeName?: Bilingual | undefined;
  stage: CaseView['stage'];
  responsibleId: string;
  opened: boolean;
  closed: boolean;
  withdrawn: boolean;
  late: number;
  disputed: number;
  failedReviews: number;
  /** The latest follow-up score received in the period. */
  score?: number | undefined;
  /** Every score received in the period: a low one reopens the case, so there can be more than one. */
  scores?: number[] | undefined;
}

/** The most specific place of a location: room, else floor, else building. */
export const placeOf = (loc: Location): string =>
  [loc.buildingId, loc.floorId, loc.roomId].filter((x): x is string => Boolean(x)).join('/');

/** A line's place in the reader's language, or its ids when it was stored without names. */
export const linePlace = (l: { place: string; placeName?: Bilingual | undefined }, lang: 'zh-CN' | 'en') =>
  l.placeName ? (lang === 'en' ? l.placeName.en : l.placeName.zh) : l.place;

const citedOf = (v: CaseView): CaseLine['cited'] => {
  const c = caseCitation(v);
  return c && { itemId: c.itemId, dimension: c.dimension, number: c.number };
};

/** The case's events within [from, to); null when nothing happened to it then. With the directory, its place by name. */
export function caseLine(
  v: CaseView,
  from: string,
  to: string,
  dir?: Pick<Directory, 'buildings'>,
): CaseLine | null {
  // From the rating history, not the latest follow-up: a score that reopened the case still
  // counts in its week after the reporter rated again or the next round closed unrated.
  const scores = followUpRatings(v)
    .filter((r) => within(r.at, from, to))
    .map((r) => r.score);
  const line: CaseLine = {
    caseId: v.caseId,
    title: v.title,
    source: v.source,
    severity: v.severity,
    category: v.category,
    cited: citedOf(v),
    buildingId: v.location.buildingId,
    place: placeOf(v.location),
    placeName: dir && placeNameOf(dir, v.location),
    stage: v.stage,
    responsibleId: v.responsibleId,
    opened: within(v.openedAt, from, to),
    closed: v.stage === 'closed' && within(v.closedAt, from, to),
    withdrawn: v.stage === 'withdrawn' && within(v.withdrawal?.at ?? v.closedAt, from, to),
    late: v.deadlines.filter((d) => d.state === 'breached' && within(d.breachedAt, from, to)).length,
    disputed: v.signOffs.filter((s) => s.decision === 'dispute' && within(s.at, from, to)).length,
    failedReviews: v.reviews.filter((r) => !r.passed && within(r.at, from, to)).length,
    score: scores.at(-1),
    scores: scores.length > 0 ? scores : undefined,
  };
  const any =
    line.opened ||
    line.closed ||
    line.withdrawn ||
    line.late > 0 ||
    line.disputed > 0 ||
    line.failedReviews > 0 ||
    line.score !== undefined;
  return any ? line : null;
}

export function countLines(lines: readonly CaseLine[]): WeekCounts {
  const c = emptyCounts();
  for (const l of lines) {
    if (l.opened) c.opened += 1;
    if (l.closed) c.closed += 1;
    if (l.withdrawn) c.withdrawn += 1;
    c.late += l.late;
    c.disputed += l.disputed;
    c.failedReviews += l.failedReviews;
    // Lines stored before `scores` existed carry only `score`.
    for (const score of l.scores ?? (l.score !== undefined ? [l.score] : [])) {
      c.ratings += 1;
      c.scoreSum += score;
      if (score >= SATISFIED_SCORE) c.satisfied += 1;
    }
  }
  return c;
}

export function diffCounts(now: WeekCounts, before: WeekCounts): WeekCounts {
  const out = emptyCounts();
  for (const k of Object.keys(out) as (keyof WeekCounts)[]) out[k] = now[k] - before[k];
  return out;
}

// ---------------------------------------------------------------- repeat problems

export interface RepeatProblem {
  /** The case's category, or its source when it has none. */
  category: string;
  /** The category as people read it (the source's or report kind's label, a 6T item's citation). */
  label?: Bilingual | undefined;
  place: string;
  placeName?: Bilingual | undefined;
  count: number;
  caseIds: string[];
}

export const REPEAT_WINDOW_WEEKS = 4;

/**
 * A summary is one DynamoDB item (400 KB at most): a campus of thousands of
 * staff lists its most notable rows; the counts and KPIs still cover every case.
 */
export const MAX_SUMMARY_ROWS = 200;

const trouble = (c: Pick<WeekCounts, 'late' | 'disputed' | 'failedReviews'>) =>
  c.late + c.disputed + c.failedReviews;

const SOURCE_LABELS: Record<CaseView['source'], Bilingual> = {
  inspection: { zh: '检查', en: 'Inspection' },
  complaint: { zh: '投诉', en: 'Complaint' },
  repair: { zh: '报修', en: 'Repair' },
  grid_report: { zh: '网格上报', en: 'Grid report' },
  evaluation: { zh: '评估', en: 'Evaluation' },
};

/** A case's category as people read it: a report kind's or 6T item's label, the source's, or as written. */
function categoryName(v: Pick<CaseView, 'category' | 'source'>): Bilingual {
  if (!v.category) return SOURCE_LABELS[v.source];
  const cited = caseCitation(v);
  return cited?.label ?? categoryLabel(v.category) ?? { zh: v.category, en: v.category };
}

/** Same category and place more than once among cases opened in the given window. */
export function repeatProblems(
  views: readonly CaseView[],
  from: string,
  to: string,
  dir?: Pick<Directory, 'buildings'>,
): RepeatProblem[] {
  const groups = new Map<string, RepeatProblem>();
  for (const v of views) {
    if (!within(v.openedAt, from, to)) continue;
    const category = v.category ?? v.source;
    const place = placeOf(v.location);
    const key = JSON.stringify([category, place]);
    const g = groups.get(key) ?? {
      category,
      label: categoryName(v),
      place,
      ...(dir ? { placeName: placeNameOf(dir, v.location) } : {}),
      count: 0,
      caseIds: [],
    };
    g.count += 1;
    g.caseIds.push(v.caseId);
    groups.set(key, g);
  }
  return [...groups.values()]
    .filter((g) => g.count > 1)
    .map((g) => ({ ...g, caseIds: [...g.caseIds].sort() }))
    .sort(
      (a, b) => b.count - a.count || a.place.localeCompare(b.place) || a.category.localeCompare(b.category),
    );
}

// ---------------------------------------------------------------- digests

export const digestId = (week: string, kind: DigestKind, id: string) => `${week}:${kind}:${id}`;
export type DigestKind = 'staff' | 'department' | 'building' | 'working_group';

export function parseDigestId(id: string): { week: string; kind: DigestKind; subject: string } | null {
  const m = /^(\d{4}-W\d{2}):(staff|department|building|working_group):(.+)$/.exec(id);
  return m ? { week: m[1] as string, kind: m[2] as DigestKind, subject: m[3] as string } : null;
}

export interface StaffDigest {
  kind: 'staff';
  id: string;
  week: string;
  personId: string;
  /** Buildings of the cases: their supervisors hear of an unacknowledged digest. */
  buildingIds: string[];
  counts: WeekCounts;
  cases: CaseLine[];
}

export interface FollowUpItem {
  caseId: string;
  title: string;
  place: string;
  placeName?: Bilingual | undefined;
  /** Absent in follow-ups stored before they kept it. */
  buildingId?: string | undefined;
  stage: CaseView['stage'];
  source: CaseView['source'];
  ask: Bilingual;
}

export interface DepartmentDigest {
  kind: 'department';
  id: string;
  week: string;
  departmentId: string;
  name: Bilingual;
  contactIds: string[];
  items: FollowUpItem[];
  /** The week's cases of its students that were withdrawn: told for information, nothing to follow up. */
  withdrawn?:
    { caseId: string; title: string; place: string; placeName?: Bilingual | undefined }[] | undefined;
}

export interface DailyPoint {
  date: string;
  opened: number;
  closed: number;
  late: number;
}

export interface KpiChange {
  id: KpiId;
  value: number | null;
  previous: number | null;
  delta: number | null;
}

export interface AreaSummary {
  kind: 'building' | 'working_group';
  id: string;
  week: string;
  /** Absent for the working group's campus-wide summary. */
  buildingId?: string | undefined;
  counts: WeekCounts;
  previous: WeekCounts;
  change: WeekCounts;
  kpis: KpiValue[];
  kpiChange: KpiChange[];
  /** The case-level clocks of the week's cohort, judged at the week's end (absent in digests from before). */
  clocks?: ClockKpi[] | undefined;
  /** The week's cohort tally, stored so KPIs over whole weeks need no case reads. */
  tally: KpiTally;
  repeats: RepeatProblem[];
  byStaff: { personId: string; counts: WeekCounts }[];
  byBuilding?: { buildingId: string; counts: WeekCounts }[] | undefined;
  daily: DailyPoint[];
  /** The most notable lines (late, disputed, failed review first), at most MAX_SUMMARY_ROWS. */
  cases: CaseLine[];
  /** Rows before the cap: `cases` and `byStaff` list at most MAX_SUMMARY_ROWS each. */
  totals: { cases: number; staff: number };
  /**
   * 6T inspection scores: per building and dimension over the week's completed rounds, and
   * the pass rate per dimension over the last INSPECTION_TREND_WEEKS weeks (absent in
   * summaries built before rounds were read).
   */
  inspection?: { scores: BuildingDimensionScore[]; trend: WeekDimensionPoint[] } | undefined;
}

/** Weeks of inspection trend a weekly summary carries. */
export const INSPECTION_TREND_WEEKS = 8;

export interface WeeklyDigests {
  week: string;
  staff: StaffDigest[];
  departments: DepartmentDigest[];
  buildings: AreaSummary[];
  workingGroup: AreaSummary;
}

export interface BuildDigestsInput {
  week: string;
  timeZone: string;
  /** Every case with anything in the week, the week before, or opened in the repeat window. */
  views: readonly CaseView[];
  directory: Pick<Directory, 'buildings' | 'departments'>;
  /**
   * The duty occurrences due in the week or the week before (campus dates): with them, each
   * summary also gives the duty completion rate. Without, it has no duty figure.
   */
  duties?: readonly DutyDue[] | undefined;
  /**
   * Valid complaints per building from the campus-local 1 January to the week's end (see
   * complaintYearBounds). Without it the summaries show the week's count with no verdict.
   */
  complaintYear?: ComplaintYear | undefined;
  /** Inspection rounds whose period starts in the INSPECTION_TREND_WEEKS weeks ending with `week`. */
  inspections?: readonly InspectionRound[] | undefined;
}

/** The complaint year as of the week before: this year's counts less this week's cohort. */
function complaintYearBefore(
  year: ComplaintYear,
  weekFrom: string,
  cohort: Readonly<Record<string, number>>,
): ComplaintYear | undefined {
  // Last week ended in the year before: its year-to-date is another year's count, not known here.
  if (Date.parse(weekFrom) <= Date.parse(year.from)) return undefined;
  const byBuilding: Record<string, number> = {};
  for (const [b, n] of Object.entries(year.byBuilding)) byBuilding[b] = Math.max(0, n - (cohort[b] ?? 0));
  return { from: year.from, to: weekFrom, byBuilding };
}

const VALID_COMPLAINTS: KpiId = 'valid_complaints_per_building_year';
/** The yearly complaint figure of one building's digest: its own count, not the campus's worst building. */
const ONE_BUILDING_COMPLAINTS: Bilingual = {
  zh: '本楼本年度有效投诉',
  en: 'Valid complaints this year in this building',
};

/**
 * A summary as its readers get it: one building's yearly complaint figure under that building's
 * wording, also in summaries stored before it had its own (which carry the campus's, "取最多的楼栋").
 */
export function withBuildingLabels<S extends AreaSummary>(s: S): S {
  if (s.kind !== 'building') return s;
  return {
    ...s,
    kpis: s.kpis.map((k) => (k.id === VALID_COMPLAINTS ? { ...k, label: ONE_BUILDING_COMPLAINTS } : k)),
  };
}

/** The department whose students live where the case is (by room), if any. */
export function departmentOf(departments: readonly Department[], loc: Location): Department | undefined {
  if (!loc.roomId) return undefined;
  return departments.find((d) => d.rooms?.includes(loc.roomId ?? ''));
}

function areaSummary(
  kind: AreaSummary['kind'],
  week: string,
  tz: string,
  views: readonly CaseView[],
  buildingCount: number,
  complaintYear: ComplaintYear | undefined,
  rounds: readonly InspectionRound[] | undefined,
  duties: readonly DutyDue[] | undefined,
  dir: Pick<Directory, 'buildings'>,
  buildingId?: string,
): AreaSummary {
  const { from, to } = weekBounds(week, tz);
  const prev = weekBounds(addWeeks(week, -1), tz);
  const lines = views.map((v) => caseLine(v, from, to, dir)).filter((l): l is CaseLine => l !== null);
  const prevLines = views
    .map((v) => caseLine(v, prev.from, prev.to))
    .filter((l): l is CaseLine => l !== null);
  const counts = countLines(lines);
  const previous = countLines(prevLines);
  const cohort = views.filter((v) => within(v.openedAt, from, to));
  const prevCohort = views.filter((v) => within(v.openedAt, prev.from, prev.to));
  // Clocks still running are judged at the week's end, so a stored digest never changes.
  const tally = tallyCases(cohort, Date.parse(to));
  const weekRounds = rounds?.filter((r) => isoWeekOfDate(r.from) === week);
  const prevRounds = rounds?.filter((r) => isoWeekOfDate(r.from) === addWeeks(week, -1));
  const kpis = computeKpis(tally, {
    periodDays: 7,
    buildings: buildingCount,
    complaintYear,
    inspections: weekRounds && countByDimension(weekRounds),
  }).map((k) =>
    kind === 'building' && k.id === VALID_COMPLAINTS ? { ...k, label: ONE_BUILDING_COMPLAINTS } : k,
  );
  const yearBefore =
    complaintYear && complaintYearBefore(complaintYear, from, tally.validComplaintsByBuilding);
  const prevKpis = computeKpis(tallyCases(prevCohort), {
    periodDays: 7,
    buildings: buildingCount,
    complaintYear: yearBefore,
    inspections: prevRounds && countByDimension(prevRounds),
  });
  if (duties) {
    // The duty calendar counts by due date (campus dates), like GET /api/kpis.
    const dueIn = (w: string) => duties.filter((o) => isoWeekOfDate(o.dueDate) === w);
    kpis.push(dutyCompletionKpi(dueIn(week)));
    prevKpis.push(dutyCompletionKpi(dueIn(addWeeks(week, -1))));
  }
  const kpiChange = kpis.map((k, i) => {
    // A year's count is not compared with a week's, nor with another year's.
    const comparable = k.id !== VALID_COMPLAINTS || !complaintYear || yearBefore !== undefined;
    const before = comparable ? (prevKpis[i]?.value ?? null) : null;
    return {
      id: k.id,
      value: k.value,
      previous: before,
      delta: k.value !== null && before !== null ? Math.round((k.value - before) * 10_000) / 10_000 : null,
    };
  });
  const repeatFrom = weekBounds(addWeeks(week, 1 - REPEAT_WINDOW_WEEKS), tz).from;
  const linesOf = new Map<string, CaseLine[]>();
  for (const l of lines) {
    const mine = linesOf.get(l.responsibleId);
    if (mine) mine.push(l);
    else linesOf.set(l.responsibleId, [l]);
  }
  const byStaff = [...linesOf.keys()]
    .sort()
    .map((personId) => ({ personId, counts: countLines(linesOf.get(personId) ?? []) }))
    .sort((x, y) => trouble(y.counts) - trouble(x.counts));
  const daily = weekDates(week).map((date) => {
    const d = {
      from: localTimeToInstant(date, '00:00', tz),
      to: localTimeToInstant(addDays(date, 1), '00:00', tz),
    };
    const c = countLines(
      views.map((v) => caseLine(v, d.from, d.to)).filter((l): l is CaseLine => l !== null),
    );
    return { date, opened: c.opened, closed: c.closed, late: c.late };
  });
  return {
    kind,
    id: digestId(week, kind, buildingId ?? 'campus'),
    week,
    buildingId,
    counts,
    previous,
    change: diffCounts(counts, previous),
    kpis,
    kpiChange,
    clocks: clockKpis(tally),
    tally,
    repeats: repeatProblems(views, repeatFrom, to, dir),
    byStaff: byStaff.slice(0, MAX_SUMMARY_ROWS),
    daily,
    cases: [...lines].sort((x, y) => trouble(y) - trouble(x)).slice(0, MAX_SUMMARY_ROWS),
    totals: { cases: lines.length, staff: byStaff.length },
    inspection: rounds && {
      scores: scoresByBuilding(weekRounds ?? []),
      trend: weeklyDimensionTrend(
        rounds,
        Array.from({ length: INSPECTION_TREND_WEEKS }, (_, i) =>
          addWeeks(week, i - (INSPECTION_TREND_WEEKS - 1)),
        ),
        isoWeekOfDate,
      ),
    },
  };
}

/** Every digest of a week: per staff member, department, building, and the campus for the working group. */
export function buildWeeklyDigests(input: BuildDigestsInput): WeeklyDigests {
  const { week, timeZone: tz, directory, complaintYear } = input;
  const { from, to } = weekBounds(week, tz);
  const views = [...input.views].sort(
    (a, b) => a.openedAt.localeCompare(b.openedAt) || a.caseId.localeCompare(b.caseId),
  );
  const lines = views.map((v) => caseLine(v, from, to, directory)).filter((l): l is CaseLine => l !== null);

  const byPerson = new Map<string, CaseLine[]>();
  for (const l of lines) {
    const mine = byPerson.get(l.responsibleId);
    if (mine) mine.push(l);
    else byPerson.set(l.responsibleId, [l]);
  }
  const staff: StaffDigest[] = [...byPerson.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([personId, cases]) => ({
      kind: 'staff',
      id: digestId(week, 'staff', personId),
      week,
      personId,
      buildingIds: [...new Set(cases.map((c) => c.buildingId))].sort(),
      counts: countLines(cases),
      cases,
    }));

  const active = new Set(lines.map((l) => l.caseId));
  const departments: DepartmentDigest[] = [];
  for (const dept of directory.departments) {
    const theirs = views.filter((v) => active.has(v.caseId) && departmentOf([dept], v.location));
    // A withdrawn case has nothing to follow up: the department hears of it, and is asked nothing.
    const items: FollowUpItem[] = theirs.flatMap((v) => {
      const ask = v.stage === 'withdrawn' ? undefined : studentFollowUpAsk(v);
      return ask
        ? [
            {
              caseId: v.caseId,
              title: v.title,
              place: placeOf(v.location),
              placeName: placeNameOf(directory, v.location),
              buildingId: v.location.buildingId,
              stage: v.stage,
              source: v.source,
              ask,
            },
          ]
        : [];
    });
    if (items.length === 0) continue;
    const withdrawn = theirs
      .filter((v) => v.stage === 'withdrawn' && studentFollowUpAsk(v))
      .map((v) => ({
        caseId: v.caseId,
        title: v.title,
        place: placeOf(v.location),
        placeName: placeNameOf(directory, v.location),
      }));
    departments.push({
      kind: 'department',
      id: digestId(week, 'department', dept.id),
      week,
      departmentId: dept.id,
      name: dept.name,
      contactIds: [...dept.contactIds],
      items,
      ...(withdrawn.length ? { withdrawn } : {}),
    });
  }

  // A public area's team hears of the weeks its place had cases; a dormitory's supervisors every week.
  const summarised = directory.buildings.filter(
    (b) => b.kind !== 'public_area' || views.some((v) => v.location.buildingId === b.id),
  );
  const buildings = summarised.map((b) =>
    areaSummary(
      'building',
      week,
      tz,
      views.filter((v) => v.location.buildingId === b.id),
      1,
      complaintYear && {
        ...complaintYear,
        byBuilding: { [b.id]: complaintYear.byBuilding[b.id] ?? 0 },
      },
      input.inspections?.filter((r) => r.buildingId === b.id),
      input.duties?.filter((o) => o.buildingId === b.id),
      directory,
      b.id,
    ),
  );
  // Campus-wide, the yearly complaint limit is per dormitory building (seed 000).
  const dorms = dormitoryIds(directory);
  const workingGroup = areaSummary(
    'working_group',
    week,
    tz,
    views,
    Math.max(1, dorms.length),
    complaintYear && {
      ...complaintYear,
      byBuilding: countsOf(complaintYear.byBuilding, dorms),
    },
    input.inspections,
    input.duties,
    directory,
  );
  workingGroup.byBuilding = buildings.map((b) => ({ buildingId: b.buildingId ?? '', counts: b.counts }));
  return { week, staff, departments, buildings, workingGroup };
}

// ---------------------------------------------------------------- daily brief

export interface DailyBrief {
  date: string;
  /** The campus time zone `date` is in: the brief's mail gives today's deadlines on its clock. */
  timeZone: string;
  buildingId: string;
  /** Yesterday's new, closed and breached cases. */
  opened: CaseLine[];
  closed: CaseLine[];
  breached: CaseLine[];
  /** Open deadlines falling due today, earliest first. */
  dueToday: {
    caseId: string;
    title: string;
    stage: DeadlineView['stage'];
    due: string;
    place: string;
    placeName?: Bilingual | undefined;
  }[];
}

/** The morning brief (晨会) for one building: yesterday's movement and today's deadlines. */
export function buildDailyBrief(input: {
  date: string;
  timeZone: string;
  buildingId: string;
  views: readonly CaseView[];
  /** With it, places by their names. */
  directory?: Pick<Directory, 'buildings'> | undefined;
}): DailyBrief {
  const { date, timeZone: tz } = input;
  const yesterday = addDays(date, -1);
  const y = { from: localTimeToInstant(yesterday, '00:00', tz), to: localTimeToInstant(date, '00:00', tz) };
  const today = { from: y.to, to: localTimeToInstant(addDays(date, 1), '00:00', tz) };
  const views = input.views.filter((v) => v.location.buildingId === input.buildingId);
  const dir = input.directory;
  const lines = views.map((v) => caseLine(v, y.from, y.to, dir)).filter((l): l is CaseLine => l !== null);
  const dueToday = views
    .flatMap((v) =>
      v.deadlines
        // A deadline a pause holds is not due today, whatever its due says: it moves on when the pause ends.
        .filter(
          (d) =>
            d.state === 'pending' &&
            !d.closedAt &&
            !stageOnHold(v.pauses, d) &&
            within(d.due, today.from, today.to),
        )
        .map((d) => ({
          caseId: v.caseId,
          title: v.title,
          stage: d.stage,
          due: d.due,
          place: placeOf(v.location),
          placeName: dir && placeNameOf(dir, v.location),
        })),
    )
    .sort((a, b) => a.due.localeCompare(b.due) || a.caseId.localeCompare(b.caseId));
  return {
    date,
    timeZone: tz,
    buildingId: input.buildingId,
    opened: lines.filter((l) => l.opened),
    closed: lines.filter((l) => l.closed),
    breached: lines.filter((l) => l.late > 0),
    dueToday,
  };
}

/** Whether a morning brief has nothing to say: a public area's team is not mailed one then. */
export function briefIsEmpty(b: DailyBrief): boolean {
  return b.opened.length + b.closed.length + b.breached.length + b.dueToday.length === 0;
}

// ---------------------------------------------------------------- stored before names were kept

/** A location back from its ids as `placeOf` joined them: the middle id is a floor when the building has it. */
function locationOfPlace(dir: Pick<Directory, 'buildings'>, place: string): Location {
  const [buildingId = '', second, third] = place.split('/');
  const floors = dir.buildings.find((b) => b.id === buildingId)?.floors ?? [];
  if (third !== undefined) return { buildingId, floorId: second, roomId: third };
  if (second === undefined) return { buildingId };
  return floors.some((f) => f.id === second)
    ? { buildingId, floorId: second }
    : { buildingId, roomId: second };
}

type Placed = { place: string; placeName?: Bilingual | undefined };
const named = <T extends Placed>(dir: Pick<Directory, 'buildings'>, x: T): T =>
  x.placeName ? x : { ...x, placeName: placeNameOf(dir, locationOfPlace(dir, x.place)) };

/**
 * A digest stored before places were named, with its places named by the directory now (reminders
 * and pages of a week still tracked read it): the lines, follow-ups and repeat problems.
 */
export function withPlaceNames<D extends StaffDigest | DepartmentDigest | AreaSummary>(
  d: D,
  dir: Pick<Directory, 'buildings'>,
): D {
  switch (d.kind) {
    case 'staff':
      return { ...d, cases: d.cases.map((l) => named(dir, l)) };
    case 'department':
      return {
        ...d,
        items: d.items.map((i) => named(dir, i)),
        withdrawn: d.withdrawn?.map((w) => named(dir, w)),
      };
    default:
      return {
        ...d,
        cases: d.cases.map((l) => named(dir, l)),
        repeats: d.repeats.map((r) => ({
          ...named(dir, r),
          // Its key is the category, or the source when the cases had none.
          label:
            r.label ??
            (Object.hasOwn(SOURCE_LABELS, r.category)
              ? SOURCE_LABELS[r.category as CaseView['source']]
              : categoryName({ category: r.category, source: 'inspection' })),
        })),
      };
  }
}
