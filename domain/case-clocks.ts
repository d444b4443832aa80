// Case-level clocks: the time limits the seeds set for a whole case, counted from the report
// (not from a stage), beside the stage deadlines. Pure: the workflow plans them once when
// the case opens; whether each is met comes from the case's own timeline and pauses, so
// the API, the KPIs and the digests read the same answer from the same view.
import { addDays, dayOfWeek, DEFAULT_TIME_ZONE, localDate, type Duration } from './calendar.ts';
import type { CaseAction } from './case-action.ts';
import { CASE_BUDGETS } from './case-budgets.ts';
import { DEFAULT_WORKING_HOURS, type WorkingHours } from './quiet-hours.ts';
import type { Severity, Source, TimedStage } from './sla.ts';
import type { Bilingual } from './text.ts';
import { addWorkingTime, workingTimeBetween, type WorkingTimeOptions } from './working-time.ts';

export const clockIds = [
  'on_site_arrival',
  'small_repair_done',
  'complaint_response',
  'complaint_handled',
  'complaint_investigation',
  'complaint_written_result',
  'evaluation_measures',
  'leadership_report',
] as const;
export type ClockId = (typeof clockIds)[number];

/** A clock the seeds set: its limit, the seed sentence it comes from, and the actions that meet it. */
export interface ClockRule {
  id: ClockId;
  label: Bilingual;
  seed: string;
  /** The seed's sentence as written (seed 002 transcribed to simplified Chinese). */
  quote: string;
  limit: Duration;
  /** The first of these actions on the timeline meets the clock. */
  metBy: readonly CaseAction[];
}

const minutes = (amount: number): Duration => ({ unit: 'minutes', amount });
const hours = (amount: number): Duration => ({ unit: 'hours', amount });
const workingDays = (amount: number): Duration => ({ unit: 'working_days', amount });

const REPAIR_QUOTE_000 = '一般维修2小时到场，急修需在半小时内到场，维修人员要填妥到场时间和维修内容';
const COMPLAINT_QUOTE_002 = '一般投诉在24小时内响应，重大投诉在48小时内处理并反馈结果';
const INVESTIGATION_QUOTE_002 = '对于投诉问题，后勤部门需在3个工作日内完成调查，并在5个工作日内出具处理结果';

/** A complaint is answered when its result reaches the reporter: the review that passes it. */
const ANSWERED: readonly CaseAction[] = ['review_passed'];

/**
 * The clocks a case runs under, by its source and severity (seed 000 for repairs, seed 002
 * for complaints, evaluations and major problems). An urgent or major repair is an urgent
 * repair (急修, 30 minutes); an urgent complaint takes the major complaint's 48 hours, as
 * its SLA rule does.
 */
export function clockRules(c: { source: Source; severity: Severity }): ClockRule[] {
  const out: ClockRule[] = [];
  if (c.source === 'repair') {
    const urgent = c.severity !== 'routine';
    out.push({
      id: 'on_site_arrival',
      label: urgent
        ? { zh: '急修30分钟内到场', en: 'Urgent repair, on site within 30 minutes' }
        : { zh: '一般维修2小时内到场', en: 'General repair, on site within 2 hours' },
      seed: '000',
      quote: REPAIR_QUOTE_000,
      limit: urgent ? minutes(30) : hours(2),
      metBy: ['arrived'],
    });
    out.push({
      id: 'small_repair_done',
      label: { zh: '零星维修24小时内完成', en: 'Small repair done within 24 hours' },
      seed: '000',
      quote: '零星维修24小时内完成，影响学生生活和公寓安全的报修应30分钟内到场并及时处置',
      limit: hours(24),
      metBy: ['rectification_reported'],
    });
  }
  if (c.source === 'complaint') {
    if (c.severity === 'routine')
      out.push({
        id: 'complaint_response',
        label: { zh: '一般投诉24小时内响应', en: 'Complaint responded to within 24 hours' },
        seed: '002',
        quote: COMPLAINT_QUOTE_002,
        limit: hours(24),
        // A response is the first thing staff do about it: going there, or the analysis.
        metBy: ['arrived', 'root_cause_submitted'],
      });
    else
      out.push({
        id: 'complaint_handled',
        label: {
          zh: '重大投诉48小时内处理并反馈结果',
          en: 'Major complaint handled and answered within 48 hours',
        },
        seed: '002',
        quote: COMPLAINT_QUOTE_002,
        limit: hours(48),
        metBy: ANSWERED,
      });
    out.push({
      id: 'complaint_investigation',
      label: { zh: '投诉3个工作日内完成调查', en: 'Complaint investigated within 3 working days' },
      seed: '002',
      quote: INVESTIGATION_QUOTE_002,
      limit: workingDays(3),
      metBy: ['root_cause_submitted'],
    });
    out.push({
      id: 'complaint_written_result',
      label: { zh: '投诉5个工作日内出具处理结果', en: 'Complaint answered in writing within 5 working days' },
      seed: '002',
      quote: INVESTIGATION_QUOTE_002,
      limit: workingDays(5),
      metBy: ANSWERED,
    });
  }
  if (c.source === 'evaluation')
    out.push({
      id: 'evaluation_measures',
      label: {
        zh: '评估问题15个工作日内制定整改措施',
        en: 'Rectification measures for an evaluation finding within 15 working days',
      },
      seed: '002',
      quote: '对于评估中发现的问题，后勤部门需在15个工作日内制定整改措施，并在整改完成后进行复查',
      limit: workingDays(15),
      // The same reading as the SLA catalogue's rule: the measures are in place when the rectification is reported.
      metBy: ['rectification_reported'],
    });
  if (c.severity === 'major')
    out.push({
      id: 'leadership_report',
      label: { zh: '重大问题48小时内上报校领导', en: 'Major problem reported to leadership within 48 hours' },
      seed: '002',
      quote: '对于服务执行过程中出现的问题，后勤部门需在24小时内响应并处理，重大问题须在48小时内上报校领导',
      limit: hours(48),
      metBy: ['leadership_notified'],
    });
  return out;
}

/** A clock as the case keeps it: planned once at the opening, its due computed with the case's calendar. */
export interface CaseClock {
  id: ClockId;
  label: Bilingual;
  seed: string;
  limit: Duration;
  metBy: CaseAction[];
  /** The report's time (the case's `reportedAt`, else its opening). */
  startedAt: string;
  due: string;
  /** The due lies in a year without official calendar data (counted with weekends only). */
  approximate: boolean;
  /**
   * For a clock of working days: the working time a pause holds of it (`clockWorkingTime`), set
   * when the case pinned its calendar. A clock of working days without it (planned by the worker)
   * counts a pause in the default working hours of weekdays in the campus's default zone.
   */
  working?: ClockWorkingTime | undefined;
}

/**
 * The working time of a working-day clock, as the case's pinned calendar counts it, kept with the
 * clock so that its status is read without a calendar (the API, the KPIs, the digests): the case's
 * zone and working hours, and one character a day from `from` on, '1' a working day, '0' not.
 * Days past the end count by weekends (no pause can reach them: see CLOCK_DAYS_AFTER_DUE).
 */
export interface ClockWorkingTime {
  timeZone: string;
  hours: WorkingHours;
  from: string;
  days: string;
}

/**
 * How many days after a clock's planned due its working days are kept: far past anything the
 * pauses can reach (MAX_PAUSES pauses of at most a week each, each moving the due on by at most
 * its own length of working time), so that a pause is never counted with guessed days.
 */
export const CLOCK_DAYS_AFTER_DUE = 120;

/** The working days a working-day clock keeps: from its start's local date to well past its due. */
export function clockWorkingTime(
  c: { startedAt: string; due: string },
  calendar: { isWorkingDay(date: string): boolean },
  timeZone: string,
  hours: WorkingHours = DEFAULT_WORKING_HOURS,
): ClockWorkingTime {
  const from = localDate(c.startedAt, timeZone);
  const last = addDays(localDate(c.due, timeZone), CLOCK_DAYS_AFTER_DUE);
  let days = '';
  for (let d = from; d <= last; d = addDays(d, 1)) days += calendar.isWorkingDay(d) ? '1' : '0';
  return { timeZone, hours: { from: hours.from, to: hours.to }, from, days };
}

const weekday = (date: string): boolean => dayOfWeek(date) !== 0 && dayOfWeek(date) !== 6;

/** Working-time options of a working-day clock: its kept days, else weekdays (clocks planned without them). */
function clockWorkingOptions(clock: CaseClock): WorkingTimeOptions {
  const w = clock.working;
  if (!w) return { timeZone: DEFAULT_TIME_ZONE, hours: DEFAULT_WORKING_HOURS, isWorkingDay: weekday };
  const origin = Date.parse(`${w.from}T00:00:00Z`);
  return {
    timeZone: w.timeZone,
    hours: w.hours,
    isWorkingDay: (date) => {
      const k = Math.round((Date.parse(`${date}T00:00:00Z`) - origin) / 86_400_000);
      const kept = k >= 0 ? w.days[k] : undefined;
      return kept === undefined ? weekday(date) : kept === '1';
    },
  };
}

/**
 * When the problem was reported, where that is not the opening: the view's `reportedAt`, else (a
 * case whose view did not carry it yet) its clocks' start, which is the report's time.
 */
export function reportedAtOf(v: {
  openedAt: string;
  reportedAt?: string | undefined;
  clocks?: readonly { startedAt: string }[] | undefined;
}): string | undefined {
  const at = v.reportedAt ?? v.clocks?.[0]?.startedAt;
  return at !== undefined && Date.parse(at) !== Date.parse(v.openedAt) ? at : undefined;
}

/**
 * How far a report's time may lie from the opening. A case's clocks start at the report, so a
 * time far back would open a case with every clock already breached and count it in this
 * period's figures; a time ahead of the opening is only a device clock running fast.
 */
export const REPORT_WINDOW = { pastMs: 30 * 24 * 3_600_000, skewMs: 5 * 60_000 } as const;

/** Why a report's time is refused at `nowMs` (the opening), or null when it is in the window. */
export function reportTimeRefusal(reportedAt: string, nowMs: number): 'future' | 'too_old' | null {
  const at = Date.parse(reportedAt);
  if (at > nowMs + REPORT_WINDOW.skewMs) return 'future';
  if (at < nowMs - REPORT_WINDOW.pastMs) return 'too_old';
  return null;
}

// --- pauses --------------------------------------------------------------------------

export const pauseReasons = ['waiting_for_parts', 'student_absent', 'outside_contractor'] as const;
export type PauseReason = (typeof pauseReasons)[number];

export const pauseReasonLabels: Readonly<Record<PauseReason, Bilingual>> = {
  waiting_for_parts: { zh: '等待配件', en: 'Waiting for parts' },
  student_absent: { zh: '学生不在', en: 'Student absent' },
  outside_contractor: { zh: '外部单位施工', en: 'Outside contractor' },
};

const HOUR_MS = 3_600_000;
/**
 * The longest a pause holds the clocks, by its reason; after it the clocks run again by
 * themselves. Parts and outside contractors are a matter of days, an absent student of a
 * weekend.
 */
export const MAX_PAUSE_MS: Readonly<Record<PauseReason, number>> = {
  waiting_for_parts: 7 * 24 * HOUR_MS,
  student_absent: 3 * 24 * HOUR_MS,
  outside_contractor: 7 * 24 * HOUR_MS,
};
/** Pauses a case may ask for: each is a few records, and a case that needs more needs a supervisor. */
export const MAX_PAUSES = CASE_BUDGETS.pauses;
export const MAX_PAUSE_NOTE_LENGTH = 500;

export type PauseState = 'requested' | 'approved' | 'rejected' | 'ended';

export interface PauseRecord {
  n: number;
  reason: PauseReason;
  note: string;
  requestedBy: string;
  requestedAt: string;
  state: PauseState;
  decidedBy?: string | undefined;
  decidedAt?: string | undefined;
  decisionNotes?: string | undefined;
  /** When an approved pause ends by itself (its approval plus the reason's maximum). */
  endsBy?: string | undefined;
  endedAt?: string | undefined;
  /** `reported`: the technician reported the repair while it ran (the work it waited for was done). */
  endedHow?: 'resumed' | 'expired' | 'closed' | 'reported' | undefined;
  /**
   * The pause holds the stage's deadline too, not only the case-level clocks: its reminders
   * and breach wait, and the due moves on by the pause's length when it ends (approved since
   * the `pause-holds-stage` patch; earlier pauses held the clocks alone).
   */
  holdsStage?: boolean | undefined;
  /**
   * A stage counted in working days that the pause holds moves on by the working time the pause
   * took, not its clock length (approved since the `pause-working-time` patch): a pause over a
   * weekend gives no working day, a pause through working hours moves a due set at the end of
   * a working day into the next one's working hours, not into the night.
   */
  holdsInWorkingTime?: boolean | undefined;
}

/**
 * The stages a pause holds: every one the staff work in. Not the follow-up, which is the
 * reporter's survey window: the staff's pause has nothing to do with it.
 */
export const pauseHoldsStage = (stage: TimedStage): boolean => stage !== 'follow_up';

/** The pause that holds the clocks now, or waits for a decision: at most one at a time. */
export const openPause = (pauses: readonly PauseRecord[] | undefined): PauseRecord | undefined =>
  (pauses ?? []).find((p) => p.state === 'requested' || p.state === 'approved');

/**
 * Whether pause `p` holds `deadline` (or did, for one that has just ended): approved to hold the
 * stage, in a stage it holds, while the deadline is still to be met, and approved before the
 * deadline ran out (an approval that came with the breach does not hold it back).
 */
export function pauseHolds(
  p: PauseRecord,
  deadline: { stage: TimedStage; due: string; state: string },
): boolean {
  if (p.holdsStage !== true || !p.decidedAt) return false;
  return (
    deadline.state === 'pending' &&
    pauseHoldsStage(deadline.stage) &&
    Date.parse(p.decidedAt) < Date.parse(deadline.due)
  );
}

/** Whether a running pause holds a stage deadline now (`pauseHolds`, for the open pause). */
export function stageOnHold(
  pauses: readonly PauseRecord[] | undefined,
  deadline: { stage: TimedStage; due: string; state: string },
): boolean {
  const p = openPause(pauses);
  return p?.state === 'approved' && pauseHolds(p, deadline);
}

/** The stretch of time an approved (or ended) pause held the clocks, up to `nowMs`. */
export function pauseSpan(p: PauseRecord, nowMs: number): { from: number; to: number } | undefined {
  if (!p.decidedAt || (p.state !== 'approved' && p.state !== 'ended')) return undefined;
  const from = Date.parse(p.decidedAt);
  const cap = p.endsBy ? Date.parse(p.endsBy) : Infinity;
  const to = Math.min(p.endedAt ? Date.parse(p.endedAt) : nowMs, cap, nowMs);
  return to > from ? { from, to } : undefined;
}

/**
 * How far one pause moves a limit on: the part of it after the limit began (`startMs`) and
 * before `stopMs`, and nothing if it began once the limit (`dueMs`) had run out (a breach is
 * not undone by a later pause). The clocks and the stage deadlines count pauses alike.
 */
export function heldFor(
  span: { from: number; to: number },
  startMs: number,
  dueMs: number,
  stopMs = Infinity,
): number {
  const from = Math.max(span.from, startMs);
  if (from >= dueMs) return 0;
  return Math.max(0, Math.min(span.to, stopMs) - from);
}

/**
 * Where a deadline's due goes once pause `span` held it: on by the held clock time, or, given
 * `working` (a working-day stage, counted with the case's calendar), on by the working time the
 * held stretch took, from the due on. Undefined when the pause held none of it.
 */
export function heldDue(
  d: { startedAt: string; due: string },
  span: { from: number; to: number },
  working?: WorkingTimeOptions,
): { due: string; movedMs: number } | undefined {
  const start = Date.parse(d.startedAt);
  const dueMs = Date.parse(d.due);
  const length = heldFor(span, start, dueMs);
  if (length <= 0) return undefined;
  if (!working) return { due: new Date(dueMs + length).toISOString(), movedMs: length };
  const from = Math.max(span.from, start);
  const worked = workingTimeBetween(
    new Date(from).toISOString(),
    new Date(from + length).toISOString(),
    working,
  );
  // No working time held (a weekend): nothing moves, as for a pause that held nothing.
  if (worked <= 0) return undefined;
  const due = addWorkingTime(d.due, worked, working);
  return { due, movedMs: Date.parse(due) - dueMs };
}

/**
 * A stage deadline's due counted again from `base` (its limit counted anew, after a calendar
 * change): each ended pause that held it moves it on again as `heldDue` moved it when the pause
 * ended, in `workingFor(pause)` time where the pause counted so, so a hold counted in working
 * time is counted in the new working days, not carried over as clock time. A pause still running
 * moves it when it ends.
 */
export function dueAfterHolds(
  d: { startedAt: string; stage: TimedStage; state: string },
  base: string,
  pauses: readonly PauseRecord[],
  nowMs: number,
  workingFor: (p: PauseRecord) => WorkingTimeOptions | undefined,
): { due: string; heldMs: number } {
  let due = base;
  let heldMs = 0;
  for (const p of pauses) {
    if (p.state !== 'ended' || !pauseHolds(p, { ...d, due })) continue;
    const span = pauseSpan(p, nowMs);
    const moved = span ? heldDue({ startedAt: d.startedAt, due }, span, workingFor(p)) : undefined;
    if (!moved) continue;
    due = moved.due;
    heldMs += moved.movedMs;
  }
  return { due, heldMs };
}

/** Milliseconds of pauses within [fromMs, toMs]. */
export function pausedWithin(
  pauses: readonly PauseRecord[] | undefined,
  fromMs: number,
  toMs: number,
): number {
  let sum = 0;
  for (const p of pauses ?? []) {
    const span = pauseSpan(p, toMs);
    if (!span) continue;
    sum += Math.max(0, Math.min(span.to, toMs) - Math.max(span.from, fromMs));
  }
  return sum;
}

// --- status ------------------------------------------------------------------------

/** `cancelled`: the case ended (withdrawn, or closed without the step) before the clock ran out. */
export type ClockState = 'pending' | 'met' | 'breached' | 'cancelled';

export interface ClockStatus {
  id: ClockId;
  label: Bilingual;
  seed: string;
  startedAt: string;
  /** The planned due moved on by the pauses that held the clock before it ran out. */
  due: string;
  plannedDue: string;
  approximate: boolean;
  /** How much the pauses held: clock time for a clock of hours, working time for one of working days. */
  pausedMs: number;
  state: ClockState;
  metAt?: string | undefined;
}

/** What a clock's status is read from: the view's opening facts, timeline and pauses. */
export interface ClockFacts {
  clocks?: readonly CaseClock[] | undefined;
  pauses?: readonly PauseRecord[] | undefined;
  timeline: readonly { at: string; action: CaseAction }[];
  /** Set when the case is closed or withdrawn: its clocks stop there. */
  closedAt?: string | undefined;
}

/**
 * A step that takes back an earlier one for a clock: a rectification the review then failed was
 * not the repair done (the clock runs on to the next rectification report).
 */
const takenBackBy: Partial<Record<CaseAction, CaseAction>> = { rectification_reported: 'review_failed' };

/**
 * The event that met a clock: the first of its `metBy` steps that no later step took back. An
 * on-site clock (met by `arrived`) is met by the first rectification report at the latest: the
 * technician who reported the repair was there by then, whether or not they used the arrival
 * link, and a failed review does not take their having been there back.
 */
export function meetingEvent<E extends { at: string; action: CaseAction }>(
  clock: CaseClock,
  timeline: readonly E[],
): E | undefined {
  const onSite = clock.metBy.includes('arrived');
  let met: E | undefined;
  for (const e of timeline) {
    if (met && !onSite && takenBackBy[met.action] === e.action) met = undefined;
    else if (!met && (clock.metBy.includes(e.action) || (onSite && e.action === 'rectification_reported')))
      met = e;
  }
  return met;
}

/**
 * Where one clock stands at `nowMs`. A pause moves the due on, but only a pause that began
 * before the clock ran out (a breach is not undone by a later pause) and only the part of it
 * before the clock was met. A clock of hours or minutes moves on by that part's clock length; a
 * clock of working days by the working time it covered (working hours on working days, as a
 * working-day stage deadline does, `heldDue`): a pause over a weekend gives it nothing, a pause
 * through a working day moves it on by that day's working hours.
 */
export function clockStatus(clock: CaseClock, facts: ClockFacts, nowMs: number): ClockStatus {
  const endMs = facts.closedAt ? Math.min(nowMs, Date.parse(facts.closedAt)) : nowMs;
  const met = meetingEvent(clock, facts.timeline);
  const stopMs = met ? Date.parse(met.at) : endMs;
  const startMs = Date.parse(clock.startedAt);
  let dueMs = Date.parse(clock.due);
  const spans = (facts.pauses ?? [])
    .map((p) => pauseSpan(p, stopMs))
    .filter((s): s is { from: number; to: number } => s !== undefined)
    .sort((a, b) => a.from - b.from);
  let pausedMs = 0;
  const working = clock.limit.unit === 'working_days' ? clockWorkingOptions(clock) : undefined;
  const iso = (ms: number) => new Date(ms).toISOString();
  // Sorted by start and the due only grows: once one pause began too late, so did every later one.
  for (const span of spans) {
    const length = heldFor(span, startMs, dueMs, stopMs);
    if (length <= 0) continue;
    if (!working) {
      pausedMs += length;
      dueMs += length;
      continue;
    }
    const from = Math.max(span.from, startMs);
    const worked = workingTimeBetween(iso(from), iso(from + length), working);
    if (worked <= 0) continue;
    pausedMs += worked;
    dueMs = Date.parse(addWorkingTime(iso(dueMs), worked, working));
  }
  let state: ClockState;
  if (met) state = stopMs <= dueMs ? 'met' : 'breached';
  else if (endMs > dueMs) state = 'breached';
  else state = facts.closedAt && Date.parse(facts.closedAt) <= nowMs ? 'cancelled' : 'pending';
  return {
    id: clock.id,
    label: labelNow(clock),
    seed: clock.seed,
    startedAt: clock.startedAt,
    due: new Date(dueMs).toISOString(),
    plannedDue: clock.due,
    approximate: clock.approximate,
    pausedMs,
    state,
    ...(met ? { metAt: met.at } : {}),
  };
}

/** Every clock of a case at `nowMs` (none for a case opened before clocks existed). */
export const clockStatuses = (facts: ClockFacts, nowMs: number): ClockStatus[] =>
  (facts.clocks ?? []).map((c) => clockStatus(c, facts, nowMs));

/** Counts of clock states over many cases, for the KPIs and the digests. */
export interface ClockTally {
  id: ClockId;
  met: number;
  breached: number;
  pending: number;
  cancelled: number;
}

export function tallyClocks(views: readonly ClockFacts[], nowMs: number): ClockTally[] {
  const by = new Map<ClockId, ClockTally>();
  for (const v of views)
    for (const s of clockStatuses(v, nowMs)) {
      const t = by.get(s.id) ?? { id: s.id, met: 0, breached: 0, pending: 0, cancelled: 0 };
      t[s.state] += 1;
      by.set(s.id, t);
    }
  return clockIds.filter((id) => by.has(id)).map((id) => by.get(id)!);
}

/** Every rule of every kind of case (a clock's id and limit name one of them). */
const everyRule: readonly ClockRule[] = (['repair', 'complaint', 'evaluation'] as const).flatMap((source) =>
  (['routine', 'major'] as const).flatMap((severity) => clockRules({ source, severity })),
);

/**
 * A planned clock's label as the rules word it now: a case keeps the label of its opening, and a
 * label reworded since (a colon taken out, as it is followed by ": <due>" on the pages) reads as
 * the new one; a clock no rule has any more keeps its own.
 */
function labelNow(clock: Pick<CaseClock, 'id' | 'limit' | 'label'>): Bilingual {
  const rule = everyRule.find(
    (r) => r.id === clock.id && r.limit.unit === clock.limit.unit && r.limit.amount === clock.limit.amount,
  );
  return rule?.label ?? clock.label;
}

/** Any rule of a clock, whatever case it runs in (a clock's id names one limit and one sentence). */
function anyRule(id: ClockId): ClockRule | undefined {
  for (const source of ['repair', 'complaint', 'evaluation'] as const)
    for (const severity of ['routine', 'major'] as const) {
      const rule = clockRules({ source, severity }).find((r) => r.id === id);
      if (rule) return rule;
    }
  return undefined;
}

/** A clock's label by id, for tallies that carry only the id. */
export function clockLabel(id: ClockId): Bilingual {
  const rule = anyRule(id);
  if (!rule) return { zh: id, en: id };
  return id === 'on_site_arrival' ? { zh: '维修到场', en: 'On-site arrival' } : rule.label;
}

/** The documents the clocks come from, by seed, as a campus reader knows them. */
const seedTitles: Readonly<Record<string, Bilingual>> = {
  '000': { zh: '《学生公寓“6T”现场管理标准》', en: 'the student-apartment 6T standard' },
  '002': { zh: '《学校后勤管理与服务指南（标准版）》', en: 'the school logistics service guide' },
};

/** Where a clock comes from: the document and its sentence as written (in Chinese). */
export function clockBasis(id: ClockId): { title: Bilingual; quote: string } | undefined {
  const rule = anyRule(id);
  if (!rule) return undefined;
  return {
    title: seedTitles[rule.seed] ?? { zh: `seed ${rule.seed}`, en: `seed ${rule.seed}` },
    quote: rule.quote,
  };
}
