// An untriaged scanned-code report escalates like a case: reminders to the people who
// triage it, then up the grid until someone does. Pure: the report's workflow plans its
// timers with it, so it replays the same and is tested here.
import { clockRules } from './case-clocks.ts';
import { lengthText } from './text.ts';
import type { Directory, Location } from './directory.ts';
import { reportKindInfo, type ReportKind } from './intake.ts';
import { nextNotifyTime, type WorkingHours } from './quiet-hours.ts';
import type { Severity } from './sla.ts';
import type { Bilingual } from './text.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Who hears, bottom up: the triage queue's own people, then the building's level 1, its supervisors, the working group. */
export const triageRungs = ['triage', 'grid_l1', 'supervisors', 'working_group'] as const;
export type TriageRung = (typeof triageRungs)[number];

export const triageRungLabel: Record<TriageRung, Bilingual> = {
  triage: { zh: '分派人', en: 'the people who triage it' },
  grid_l1: { zh: '楼栋一级网格员', en: "the building's level-1 grid members" },
  supervisors: { zh: '楼栋主管', en: "the building's supervisors" },
  working_group: { zh: '网格化管理工作小组', en: 'the working group' },
};

/** The people of each rung for one place, resolved once when the report arrives and pinned. */
export type TriageRecipients = Record<TriageRung, string[]>;

export function triageRecipients(
  dir: Pick<Directory, 'buildings' | 'campus'>,
  loc: Location,
): TriageRecipients {
  const b = dir.buildings.find((x) => x.id === loc.buildingId);
  const gridL1 = [...(b?.gridMemberIds ?? [])];
  const supervisors = [...(b?.supervisorIds ?? [])];
  return {
    // The triage queue of a building is its supervisors' and its level-1 grid members'.
    triage: [...new Set([...supervisors, ...gridL1])],
    grid_l1: gridL1,
    supervisors,
    working_group: [...dir.campus.workingGroupIds],
  };
}

/**
 * How long after the report each notice is due, by the severity triage would start from:
 * a safety hazard is chased within the hour, anything else within the working day, and
 * the working group hears of a report nobody took up within a day (seed 002: respond
 * within 24 hours).
 */
export const TRIAGE_TIMING: Record<Severity, { reminderMs: number; rungsMs: number[] }> = {
  major: { reminderMs: 10 * MINUTE_MS, rungsMs: [30 * MINUTE_MS, HOUR_MS, 2 * HOUR_MS] },
  urgent: { reminderMs: 10 * MINUTE_MS, rungsMs: [30 * MINUTE_MS, HOUR_MS, 2 * HOUR_MS] },
  routine: { reminderMs: 2 * HOUR_MS, rungsMs: [4 * HOUR_MS, 8 * HOUR_MS, 24 * HOUR_MS] },
};

export interface TriageNotice {
  /** Its place in the plan: the email key, so a retry sends nothing twice. */
  index: number;
  /** `arrival`: the report has just come in and goes first (a safety hazard); then the ladder. */
  kind: 'arrival' | 'reminder' | 'escalation';
  rung: TriageRung;
  personIds: string[];
  at: string;
}

export interface TriagePlanInput {
  receivedAt: string;
  severity: Severity;
  recipients: TriageRecipients;
  timeZone: string;
  workingHours?: WorkingHours | undefined;
  /**
   * Tell the people who triage it the moment it arrives, before the ladder (`toldOnArrival`: a
   * safety hazard, a repair). Pinned in the chase's input rather than read from the kind's severity: a
   * chase started without it replays the plan it was started with.
   */
  arrivalNotice?: boolean | undefined;
}

/** A report's chase as its plan needs it: its time, the severity its kind carries, who triages it. */
export function triageChaseInput(
  dir: Pick<Directory, 'buildings' | 'campus'>,
  report: { reportId: string; receivedAt: string; kind: ReportKind; location: Location },
  campus: { timeZone: string; workingHours?: WorkingHours | undefined },
): TriagePlanInput & { reportId: string } {
  return {
    reportId: report.reportId,
    receivedAt: report.receivedAt,
    severity: reportKindInfo[report.kind].severity,
    recipients: triageRecipients(dir, report.location),
    timeZone: campus.timeZone,
    workingHours: campus.workingHours,
    ...(toldOnArrival(report.kind) ? { arrivalNotice: true } : {}),
  };
}

/**
 * Every notice of an untriaged report, in order, held to working hours: a held notice moves
 * the later ones with it so they keep their spacing, and the first notice of an urgent
 * report is never held (quiet-hours.ts). Rungs with nobody on them are skipped. With
 * `arrivalNotice` the first notice goes when the report arrives, and the ladder follows it.
 */
export function triageNoticePlan(input: TriagePlanInput): TriageNotice[] {
  const timing = TRIAGE_TIMING[input.severity];
  const wanted: Omit<TriageNotice, 'index' | 'at'>[] = [];
  const offsets: number[] = [];
  const push = (kind: TriageNotice['kind'], rung: TriageRung, afterMs: number) => {
    const personIds = input.recipients[rung];
    if (personIds.length === 0) return;
    wanted.push({ kind, rung, personIds: [...personIds] });
    offsets.push(afterMs);
  };
  if (input.arrivalNotice) push('arrival', 'triage', 0);
  push('reminder', 'triage', timing.reminderMs);
  (['grid_l1', 'supervisors', 'working_group'] as const).forEach((rung, i) =>
    push('escalation', rung, timing.rungsMs[i]!),
  );
  const start = Date.parse(input.receivedAt);
  const opts = { timeZone: input.timeZone, hours: input.workingHours };
  const out: TriageNotice[] = [];
  let prevPlanned = start;
  let prevSent = start;
  wanted.forEach((w, i) => {
    const planned = start + offsets[i]!;
    const at = nextNotifyTime(
      new Date(prevSent + (planned - prevPlanned)).toISOString(),
      input.severity,
      i === 0,
      opts,
    );
    out.push({ ...w, index: i, at });
    prevPlanned = planned;
    prevSent = Date.parse(at);
  });
  return out;
}

/**
 * Whether a report goes to the head of the triage queue: one whose kind starts above routine (a
 * safety hazard) is owed an answer before any routine report, however much older they are.
 */
export const triagedFirst = (kind: ReportKind): boolean => reportKindInfo[kind].severity !== 'routine';

/** Whether the case a report of this kind opens has an on-site clock (a repair: on site within 2 hours). */
function hasOnSiteClock(kind: ReportKind): boolean {
  const { source, severity } = reportKindInfo[kind];
  return clockRules({ source, severity }).some((c) => c.id === 'on_site_arrival');
}

/**
 * Whether the people who triage a report are told the moment it arrives. A safety hazard is; so
 * is a repair, though it keeps its place in the queue (`triagedFirst`): its case's on-site clock
 * counts from the report, so the routine first reminder, 2 hours on, would come only once that
 * promise had run out. Like any first notice of a non-urgent report it waits for working hours
 * (quiet-hours.ts): a repair reported at night is met in the morning, when its 2 hours are gone
 * either way, and nobody is mailed at midnight about a flickering light.
 */
export const toldOnArrival = (kind: ReportKind): boolean => triagedFirst(kind) || hasOnSiteClock(kind);

/** The one run that chases a report: a report has at most one. */
export const reportTriageWorkflowId = (reportId: string): string => `report-triage-${reportId}`;

/** How long a report has waited, for a person: whole hours, or minutes under two hours. */
export const waitedText = lengthText;
