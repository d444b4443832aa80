import { z } from 'zod';
import { addDays, localTimeToInstant } from './calendar.ts';
import type { Term } from './calendar-file.ts';
import { splitBilingual, type Bilingual } from './text.ts';

/**
 * The recurring duties the 6T standard (seed 000) demands, as a compliance
 * calendar: each duty cites its catalogue items, has a frequency, an owner
 * (resolved from the directory), the evidence a completion must carry, the
 * reminders before it is due, and the parts it is made of (three standing
 * posts a day, postgraduates checked twice a term). Pure: the duty workflow
 * imports it, the plan activity feeds it the calendar.
 */
export const frequencies = ['daily', 'monthly', 'yearly', 'term', 'before_break'] as const;
export type Frequency = (typeof frequencies)[number];

export const frequencyNames: Record<Frequency, Bilingual> = {
  daily: { zh: '每天', en: 'Daily' },
  monthly: { zh: '每月', en: 'Monthly' },
  yearly: { zh: '每年', en: 'Yearly' },
  term: { zh: '每学期', en: 'Each term' },
  before_break: { zh: '节假日、假期前', en: 'Before each holiday and term break' },
};

/** Who a duty falls to, resolved per building from the directory. */
export const ownerKinds = ['supervisors', 'building_grid', 'manager', 'duty_staff'] as const;
export type OwnerKind = (typeof ownerKinds)[number];

export const ownerNames: Record<OwnerKind, Bilingual> = {
  supervisors: { zh: '楼栋主管', en: "The building's supervisors" },
  building_grid: { zh: '楼栋网格长', en: "The building's grid leaders" },
  manager: { zh: '宿舍管理员', en: 'The residence manager' },
  duty_staff: { zh: '楼宇值班员', en: 'The duty staff' },
};

export const evidenceKinds = ['record', 'photo', 'plan', 'minutes', 'roster'] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

export const evidenceNames: Record<EvidenceKind, Bilingual> = {
  record: { zh: '检查记录', en: 'Check record' },
  photo: { zh: '照片', en: 'Photos' },
  plan: { zh: '活动方案', en: 'Plan' },
  minutes: { zh: '会议记录', en: 'Minutes' },
  roster: { zh: '核对名单', en: 'Checked roster' },
};

export interface DutyPart {
  key: string;
  label: Bilingual;
  /** How many completions of this part the occurrence needs. */
  times: number;
}

export interface DutyDefinition {
  id: string;
  /** The catalogue items it comes from; the first is the one a missed occurrence's case cites. */
  items: readonly string[];
  name: Bilingual;
  requirement: Bilingual;
  frequency: Frequency;
  owner: OwnerKind;
  parts: readonly DutyPart[];
  /** Each completion must carry at least one reference of each kind. */
  evidence: readonly EvidenceKind[];
  /** A completion must last at least this long (standing posts). */
  minMinutes?: number | undefined;
  /** Campus-local time on the due date by which it must be done. */
  dueTime: string;
  /** Reminders to the owners, in minutes before it is due. */
  remindBefore: readonly number[];
}

const HOUR = 60;
const DAY = 24 * HOUR;
const once = (label: Bilingual): DutyPart[] => [{ key: 'done', label, times: 1 }];

/** The duty catalogue: every recurring duty issue 16 names, with the item it comes from. */
export const duties: readonly DutyDefinition[] = [
  {
    id: 'fire-drill',
    items: ['6t.safety.1'],
    name: { zh: '消防应急演练', en: 'Fire drill' },
    requirement: {
      zh: '制定消防应急预案并正常演练（每年一次以上）',
      en: 'A fire emergency plan, drilled at least once a year',
    },
    frequency: 'yearly',
    owner: 'manager',
    parts: once({ zh: '演练', en: 'Drill' }),
    evidence: ['plan', 'photo'],
    dueTime: '18:00',
    remindBefore: [60 * DAY, 14 * DAY, 2 * DAY],
  },
  {
    id: 'pre-break-safety-check',
    items: ['6t.safety.3'],
    name: { zh: '节假日前专项安全检查', en: 'Special safety check before a break' },
    requirement: {
      zh: '节假日、假期前开展专项安全检查',
      en: 'A special safety check before each public holiday and each term break',
    },
    frequency: 'before_break',
    owner: 'building_grid',
    parts: once({ zh: '专项检查', en: 'Check' }),
    evidence: ['record'],
    dueTime: '17:00',
    remindBefore: [3 * DAY, 4 * HOUR],
  },
  {
    id: 'accommodation-verification',
    items: ['6t.safety.6'],
    name: { zh: '住宿人员信息核对', en: 'Accommodation records verified' },
    requirement: {
      zh: '定期核对住宿人员信息（本、专科生每学期1次以上，研究生每学期2次以上）',
      en: 'Residents verified each term: undergraduates at least once, postgraduates at least twice',
    },
    frequency: 'term',
    owner: 'building_grid',
    parts: [
      { key: 'undergraduate', label: { zh: '本、专科生', en: 'Undergraduates' }, times: 1 },
      { key: 'postgraduate', label: { zh: '研究生', en: 'Postgraduates' }, times: 2 },
    ],
    evidence: ['roster'],
    dueTime: '18:00',
    remindBefore: [21 * DAY, 7 * DAY],
  },
  {
    id: 'standing-posts',
    items: ['6t.service.6', '6t.management.5'],
    name: { zh: '高峰时段立岗服务', en: 'Peak-hour standing posts' },
    requirement: {
      zh: '每天早中晚三次学生进出高峰时间段在出口处立岗服务，每次不少于30分钟',
      en: 'Three standing posts a day at the exit at the morning, noon and evening peaks, each at least 30 minutes',
    },
    frequency: 'daily',
    owner: 'duty_staff',
    parts: [
      { key: 'morning', label: { zh: '早高峰', en: 'Morning peak' }, times: 1 },
      { key: 'noon', label: { zh: '午高峰', en: 'Noon peak' }, times: 1 },
      { key: 'evening', label: { zh: '晚高峰', en: 'Evening peak' }, times: 1 },
    ],
    evidence: [],
    minMinutes: 30,
    dueTime: '21:00',
    remindBefore: [3 * HOUR],
  },
  {
    id: 'daily-equipment-check',
    items: ['6t.management.10'],
    name: { zh: '设备设施每日检查', en: 'Daily equipment check' },
    requirement: {
      zh: '每天一次检查楼内各类通用设备以及公用部位的门窗、照明、开关、龙头、阀门等使用状况，有检查记录',
      en: 'Once a day, equipment and the doors, windows, lights, switches, taps and valves of common areas checked, with a record',
    },
    frequency: 'daily',
    owner: 'manager',
    parts: once({ zh: '检查', en: 'Check' }),
    evidence: ['record'],
    dueTime: '18:00',
    remindBefore: [2 * HOUR],
  },
  {
    id: 'manager-round',
    items: ['6t.management.7'],
    name: { zh: '管理员每日巡视宿舍', en: "Manager's daily dormitory round" },
    requirement: {
      zh: '管理员除检查卫生和安全外，每天巡视宿舍不少于1次',
      en: 'Besides hygiene and safety checks, the manager walks the rooms at least once a day',
    },
    frequency: 'daily',
    owner: 'manager',
    parts: once({ zh: '巡视', en: 'Round' }),
    evidence: [],
    dueTime: '21:00',
    remindBefore: [2 * HOUR],
  },
  {
    id: 'cultural-activities',
    items: ['6t.education.10'],
    name: { zh: '文化活动', en: 'Cultural activities' },
    requirement: {
      zh: '每学期至少开展3次文化活动，并提供活动方案、活动照片等相关资料',
      en: 'At least three cultural activities a term, each with its plan and photos',
    },
    frequency: 'term',
    owner: 'building_grid',
    parts: [{ key: 'activity', label: { zh: '活动', en: 'Activity' }, times: 3 }],
    evidence: ['plan', 'photo'],
    dueTime: '18:00',
    remindBefore: [30 * DAY, 7 * DAY],
  },
  {
    id: 'student-forum',
    items: ['6t.feedback.4'],
    name: { zh: '学生座谈或访谈', en: 'Student forum or interviews' },
    requirement: {
      zh: '每月通过座谈会、学生访谈等方式与学生交流',
      en: 'Each month, a forum with students or interviews',
    },
    frequency: 'monthly',
    owner: 'supervisors',
    parts: once({ zh: '座谈或访谈', en: 'Forum or interviews' }),
    evidence: ['minutes'],
    dueTime: '18:00',
    remindBefore: [7 * DAY, 1 * DAY],
  },
  {
    id: 'morning-review',
    items: ['6t.evaluation.5'],
    name: { zh: '晨会讲评', en: 'Morning review meeting' },
    requirement: {
      zh: '现场管理人员晨会，讲评前日服务质量及工作表现，布置当日工作',
      en: "The on-site staff's morning meeting reviews the previous day and assigns the day's work, with its record",
    },
    frequency: 'daily',
    owner: 'manager',
    parts: once({ zh: '晨会', en: 'Meeting' }),
    evidence: ['minutes'],
    dueTime: '10:00',
    remindBefore: [1 * HOUR],
  },
];

/** How long before it is due a reminder goes, in the largest whole unit: 14 天 / 14 days. */
function leadTime(minutes: number): Bilingual {
  const [n, zh, en] =
    minutes % DAY === 0
      ? [minutes / DAY, '天', 'day']
      : minutes % HOUR === 0
        ? [minutes / HOUR, '小时', 'hour']
        : [minutes, '分钟', 'minute'];
  return { zh: `${n} ${zh}`, en: `${n} ${en}${n === 1 ? '' : 's'}` };
}

/** When a duty's owners are reminded, as its definition says (the earliest first). */
export function reminderText(duty: Pick<DutyDefinition, 'remindBefore'>): Bilingual {
  const leads = [...duty.remindBefore].sort((a, b) => b - a).map(leadTime);
  if (leads.length === 0) return { zh: '不发提醒', en: 'No reminders' };
  const en = leads.map((l) => l.en);
  const enList = en.length > 1 ? `${en.slice(0, -1).join(', ')} and ${en[en.length - 1]}` : (en[0] ?? '');
  return {
    zh: `截止前 ${leads.map((l) => l.zh).join('、')}提醒责任人`,
    en: `The owners are reminded ${enList} before it is due`,
  };
}

const byId = new Map(duties.map((d) => [d.id, d]));
export const dutyById = (id: string): DutyDefinition | undefined => byId.get(id);

/** What the calendar of a campus says about breaks and terms. */
export interface DutyCalendar {
  terms: readonly Term[];
  /** Public holidays (official and the school's own), campus dates. */
  holidays: readonly string[];
  isWorkingDay: (date: string) => boolean;
}

/** One occurrence of a duty before owners are known: its period, window and due date. */
export interface DutyWindow {
  dutyId: string;
  period: string;
  periodLabel: Bilingual;
  /** First and last campus date it may be done on. */
  opens: string;
  dueDate: string;
}

const lastDayOfMonth = (month: string): string => addDays(`${nextMonth(month)}-01`, -1);
const nextMonth = (month: string): string => {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/**
 * Where breaks start: the first day of each run of consecutive holidays, and
 * the day after each term ends (unless the next term starts that day). Sorted,
 * each once.
 */
export function breakStarts(cal: Pick<DutyCalendar, 'terms' | 'holidays'>): string[] {
  const holidays = new Set(cal.holidays);
  const starts = new Set<string>();
  for (const h of holidays) if (!holidays.has(addDays(h, -1))) starts.add(h);
  for (const t of cal.terms) {
    const after = addDays(t.to, 1);
    if (!cal.terms.some((u) => u.from <= after && after <= u.to)) starts.add(after);
  }
  // A break that a holiday run already begins inside (a term ending into a holiday) is one break.
  return [...starts].filter((s) => !holidays.has(addDays(s, -1))).sort();
}

/** The last working day before a break (the day before, when a week has none), searched a week back. */
export function lastWorkingDayBefore(start: string, isWorkingDay: (d: string) => boolean): string {
  for (let d = addDays(start, -1), n = 0; n < 7; d = addDays(d, -1), n++) if (isWorkingDay(d)) return d;
  return addDays(start, -1);
}

/** How long before a break its special check may be done. */
export const PRE_BREAK_WINDOW_DAYS = 7;

/** The window of a duty's occurrences whose window contains `date` (zero, one, or, before breaks, more). */
export function windowsOn(duty: DutyDefinition, date: string, cal: DutyCalendar): DutyWindow[] {
  const w = (period: string, periodLabel: Bilingual, opens: string, dueDate: string): DutyWindow => ({
    dutyId: duty.id,
    period,
    periodLabel,
    opens,
    dueDate,
  });
  switch (duty.frequency) {
    case 'daily':
      return [w(date, { zh: date, en: date }, date, date)];
    case 'monthly': {
      const month = date.slice(0, 7);
      return [w(month, { zh: month, en: month }, `${month}-01`, lastDayOfMonth(month))];
    }
    case 'yearly': {
      const year = date.slice(0, 4);
      return [w(year, { zh: `${year}年`, en: year }, `${year}-01-01`, `${year}-12-31`)];
    }
    case 'term':
      return (
        cal.terms
          .filter((t) => t.from <= date && date <= t.to)
          // A calendar names a term "2026-2027学年第一学期 / autumn term 2026": each reader gets their half.
          .map((t) => w(`term-${t.from}`, splitBilingual(t.name), t.from, t.to))
      );
    case 'before_break':
      return breakStarts(cal)
        .map((start) => {
          const dueDate = lastWorkingDayBefore(start, cal.isWorkingDay);
          const opens = [addDays(start, -PRE_BREAK_WINDOW_DAYS), dueDate].sort()[0] ?? dueDate;
          return w(
            `break-${start}`,
            { zh: `${start} 起放假前`, en: `before the break from ${start}` },
            opens,
            dueDate,
          );
        })
        .filter((x) => x.opens <= date && date <= x.dueDate);
  }
}

/** Every duty's windows containing `date`. */
export const allWindowsOn = (date: string, cal: DutyCalendar): DutyWindow[] =>
  duties.flatMap((d) => windowsOn(d, date, cal));

/** An occurrence's id, also its workflow id: one per duty, building and period. */
export const occurrenceId = (dutyId: string, buildingId: string, period: string) =>
  `duty.${dutyId}.${buildingId}.${period}`;

/** When an occurrence is due, and when its reminders go (those after it opens, oldest first). */
export function dueAndReminders(
  duty: DutyDefinition,
  window: Pick<DutyWindow, 'opens' | 'dueDate'>,
  timeZone: string,
): { opensAt: string; due: string; reminders: string[] } {
  const opensAt = localTimeToInstant(window.opens, '00:00', timeZone);
  const due = localTimeToInstant(window.dueDate, duty.dueTime, timeZone);
  const reminders = [...duty.remindBefore]
    .sort((a, b) => b - a)
    .map((m) => new Date(Date.parse(due) - m * 60_000).toISOString())
    .filter((r) => Date.parse(r) > Date.parse(opensAt));
  return { opensAt, due, reminders };
}

const ref = z.string().trim().min(1).max(300);

/**
 * What a person records: which part, a note, how long, and references to the evidence. Strict,
 * as every body the API takes: a misspelt key (`minute`, `evidence[].url`) is refused, not
 * dropped while the completion is recorded without it.
 */
export const completionSchema = z.strictObject({
  part: z.string().trim().min(1).max(40).optional(),
  note: z.string().trim().max(2000).optional(),
  minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
  evidence: z
    .array(z.strictObject({ kind: z.enum(evidenceKinds), ref }))
    .max(20)
    .default([]),
});
export type CompletionInput = z.output<typeof completionSchema>;

export interface DutyCompletion {
  part: string;
  note?: string | undefined;
  minutes?: number | undefined;
  evidence: { kind: EvidenceKind; ref: string }[];
  by: string;
  at: string;
}

/** The kinds of evidence given that the duty does not ask for, each once, in the order given. */
export function evidenceNotTaken(
  duty: Pick<DutyDefinition, 'evidence'>,
  evidence: readonly { kind: EvidenceKind }[],
): EvidenceKind[] {
  return [...new Set(evidence.map((e) => e.kind))].filter((k) => !duty.evidence.includes(k));
}

/**
 * Why evidence of these kinds is refused, naming the kinds the duty does take: kept, a roster
 * would stand on a standing post's record as if the duty asked for one.
 */
export function evidenceNotTakenText(
  duty: Pick<DutyDefinition, 'evidence'>,
  kinds: readonly EvidenceKind[],
  /** The kind as the API takes it beside each name, for a client; a form's reader needs only the name. */
  kindsNamed = true,
): Bilingual {
  const kind = (k: EvidenceKind, open: string, close: string) =>
    kindsNamed ? `${open}kind: ${k}${close}` : '';
  const zh = (ks: readonly EvidenceKind[]) =>
    ks.map((k) => `${evidenceNames[k].zh}${kind(k, '（', '）')}`).join('、');
  const en = (ks: readonly EvidenceKind[]) =>
    ks.map((k) => `${evidenceNames[k].en.toLowerCase()}${kind(k, ' (', ')')}`).join(', ');
  const taken = duty.evidence;
  return taken.length === 0
    ? {
        zh: `该职责不收佐证材料，请不要附${zh(kinds)}`,
        en: `this duty takes no evidence: leave out the ${en(kinds)}`,
      }
    : {
        zh: `该职责不收${zh(kinds)}；它收的佐证材料：${zh(taken)}`,
        en: `this duty takes no ${en(kinds)}; the evidence it takes: ${en(taken)}`,
      };
}

/** Why a completion does not count for this duty (zh and en), or null when it does. */
export function completionProblem(duty: DutyDefinition, c: CompletionInput): Bilingual | null {
  const part = c.part ?? (duty.parts.length === 1 ? duty.parts[0]?.key : undefined);
  if (!part || !duty.parts.some((p) => p.key === part))
    return {
      zh: `请选择环节：${duty.parts.map((p) => `${p.key}（${p.label.zh}）`).join('、')}`,
      en: `choose the part: ${duty.parts.map((p) => `${p.key} (${p.label.en})`).join(', ')}`,
    };
  const notTaken = evidenceNotTaken(duty, c.evidence);
  if (notTaken.length > 0) return evidenceNotTakenText(duty, notTaken);
  const missing = duty.evidence.filter((k) => !c.evidence.some((e) => e.kind === k));
  if (missing.length > 0)
    return {
      // The kind as the API takes it beside its name: a client reads which value to send.
      zh: `缺少佐证材料：${missing.map((k) => `${evidenceNames[k].zh}（kind: ${k}）`).join('、')}`,
      en: `evidence missing: ${missing.map((k) => `${evidenceNames[k].en.toLowerCase()} (kind: ${k})`).join(', ')}`,
    };
  if (duty.minMinutes !== undefined && (c.minutes ?? 0) < duty.minMinutes)
    return {
      zh: `每次不少于 ${duty.minMinutes} 分钟，请填写时长`,
      en: `each at least ${duty.minMinutes} minutes: give the minutes`,
    };
  return null;
}

/**
 * Whether a completion says what one already recorded says: the same person, part, note, minutes
 * and evidence (in any order). Such a completion is a request sent again, not a second activity,
 * and is not counted twice.
 */
export function sameCompletion(
  a: Pick<DutyCompletion, 'by' | 'part' | 'note' | 'minutes' | 'evidence'>,
  b: Pick<DutyCompletion, 'by' | 'part' | 'note' | 'minutes' | 'evidence'>,
): boolean {
  const refs = (c: Pick<DutyCompletion, 'evidence'>) =>
    c.evidence
      .map((e) => `${e.kind}\n${e.ref}`)
      .sort()
      .join('\n\n');
  return (
    a.by === b.by &&
    a.part === b.part &&
    (a.note ?? '') === (b.note ?? '') &&
    a.minutes === b.minutes &&
    refs(a) === refs(b)
  );
}

/** The part a completion counts for (the only one when the duty has one). */
export const partOf = (duty: DutyDefinition, c: Pick<CompletionInput, 'part'>): string =>
  c.part ?? duty.parts[0]?.key ?? 'done';

export interface PartProgress {
  key: string;
  label: Bilingual;
  done: number;
  times: number;
}

export function progressOf(duty: DutyDefinition, completions: readonly DutyCompletion[]): PartProgress[] {
  return duty.parts.map((p) => ({
    key: p.key,
    label: p.label,
    done: completions.filter((c) => c.part === p.key).length,
    times: p.times,
  }));
}

export const isComplete = (progress: readonly PartProgress[]): boolean =>
  progress.every((p) => p.done >= p.times);

export type OccurrenceStatus = 'open' | 'completed' | 'missed';

export const statusNames: Record<OccurrenceStatus, Bilingual> = {
  open: { zh: '待完成', en: 'Open' },
  completed: { zh: '已完成', en: 'Done' },
  missed: { zh: '已逾期', en: 'Missed' },
};

export interface DutyOccurrence extends DutyWindow {
  occurrenceId: string;
  buildingId: string;
  opensAt: string;
  due: string;
  reminders: string[];
  ownerIds: string[];
  /** The building's supervisors, who may record on the owners' behalf. */
  supervisorIds: string[];
  status: OccurrenceStatus;
  completions: DutyCompletion[];
  progress: PartProgress[];
  remindersSent: number;
  completedAt?: string | undefined;
  /** The case a missed occurrence opened. */
  caseId?: string | undefined;
}

/** A new occurrence from its window and the owners the directory names. */
export function newOccurrence(
  duty: DutyDefinition,
  window: DutyWindow,
  building: { buildingId: string; ownerIds: string[]; supervisorIds: string[] },
  timeZone: string,
): DutyOccurrence {
  const times = dueAndReminders(duty, window, timeZone);
  return {
    ...window,
    occurrenceId: occurrenceId(duty.id, building.buildingId, window.period),
    buildingId: building.buildingId,
    ...times,
    ownerIds: [...building.ownerIds],
    supervisorIds: [...building.supervisorIds],
    status: 'open',
    completions: [],
    progress: progressOf(duty, []),
    remindersSent: 0,
  };
}

/**
 * Duty completion rate: occurrences done over those decided (done or missed). One done before
 * its due time counts at once, so "decided" is the denominator, not "already due".
 */
export function completionRatio(occs: readonly Pick<DutyOccurrence, 'status'>[]): {
  num: number;
  den: number;
} {
  const decided = occs.filter((o) => o.status !== 'open');
  return { num: decided.filter((o) => o.status === 'completed').length, den: decided.length };
}
