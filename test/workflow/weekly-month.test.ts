import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { getCaseRecord } from '../../store/case-records.ts';
import { listDigests } from '../../store/digests.ts';
import { createApp } from '../../api/app.ts';
import type { Reporter } from '../../domain/case-model.ts';
import { countsLine } from '../../domain/digest-email.ts';
import { emptyCounts, type AreaSummary, type StaffDigest, type WeekCounts } from '../../domain/digest.ts';
import { computeKpis, emptyTally, type KpiValue } from '../../domain/kpi.ts';
import { feedbackScheduleSpecs } from '../../infra/schedules.ts';
import type { rectificationCase } from '../../workflows/rectification-case/workflow.ts';
import { weeklyStatusQuery, type WeeklyFeedbackInput } from '../../workflows/weekly-feedback/messages.ts';
import { weeklyFeedback } from '../../workflows/weekly-feedback/workflow.ts';
import { call } from '../api/harness.ts';
import {
  caseInput,
  emailOf,
  advanceClearOfTimers,
  openCaseStack,
  pendingTimerDues,
  startCase,
  steps,
  type CaseStack,
  type NewCase,
} from '../support/case-harness.ts';
import { appDepsFor, recipients } from '../support/feedback-harness.ts';
import { sentEmails, uniqueId } from '../support/stack.ts';

// A month of the demo campus, 2023-W19..W22 (Monday 2023-05-08 to Sunday 2023-06-04, Shanghai):
// weeks and a year no other test file uses, so every digest, summary and KPI of the month is
// built from this file's cases alone. The clock starts on Monday 2023-05-08 08:00; the weekly
// runs start on each following Monday at 08:00, as the schedule would start them.
const START = new Date('2023-05-08T08:00:00+08:00');
const WEEKS = ['2023-W19', '2023-W20', '2023-W21', '2023-W22'] as const;
type Week = (typeof WEEKS)[number];

/** 'MM-DD HH:mm' in 2023, campus time. */
const when = (s: string) => Date.parse(`2023-${s.replace(' ', 'T')}:00+08:00`);

const room = (buildingId: 'bldg-a' | 'bldg-b', floorId: string, roomId?: string) => ({
  buildingId,
  floorId,
  ...(roomId ? { roomId } : {}),
});

type Key = 'C1' | 'C2' | 'C3' | 'C4' | 'C5' | 'C6' | 'C7' | 'C8' | 'C9' | 'C10' | 'C11' | 'C12' | 'C13';

/** The month's cases: who, where, what; `reporter` cases get a follow-up survey (回访). */
const CASES: Record<Key, Omit<NewCase, 'reporter'> & { reporter?: true }> = {
  C1: { source: 'repair', location: room('bldg-a', 'a-f1', 'A101'), reporter: true },
  C2: { source: 'repair', severity: 'urgent', location: room('bldg-a', 'a-f1', 'A102') },
  C3: {
    source: 'complaint',
    location: room('bldg-b', 'b-f1', 'B101'),
    assigneeId: 'staff-wu',
    openedBy: 'sup-li',
    reporter: true,
  },
  C4: { source: 'inspection', location: room('bldg-a', 'a-f2', 'A201'), assigneeId: 'staff-qian' },
  C5: { source: 'repair', location: room('bldg-a', 'a-f1', 'A103'), reporter: true },
  C6: {
    source: 'grid_report',
    location: room('bldg-b', 'b-f1', 'B102'),
    assigneeId: 'staff-wu',
    openedBy: 'sup-li',
  },
  C7: {
    source: 'repair',
    location: room('bldg-b', 'b-f2', 'B201'),
    assigneeId: 'staff-sun',
    openedBy: 'sup-li',
  },
  // A whole floor, no room: no department's students.
  C8: { source: 'evaluation', location: room('bldg-a', 'a-f1'), assigneeId: 'staff-qian' },
  C9: {
    source: 'repair',
    severity: 'urgent',
    location: room('bldg-b', 'b-f1', 'B103'),
    assigneeId: 'staff-wu',
    openedBy: 'sup-li',
    reporter: true,
  },
  C10: { source: 'complaint', location: room('bldg-a', 'a-f1', 'A105'), reporter: true },
  // Same place and kind as C1 three weeks later: a repeat problem.
  C11: { source: 'repair', location: room('bldg-a', 'a-f1', 'A101') },
  C12: {
    source: 'inspection',
    location: room('bldg-b', 'b-f1', 'B104'),
    assigneeId: 'staff-wu',
    openedBy: 'sup-li',
  },
  // Rated 1, reopened, reviewed again, then never rated: closes unrated.
  C13: {
    source: 'repair',
    location: room('bldg-b', 'b-f1', 'B105'),
    assigneeId: 'staff-wu',
    openedBy: 'sup-li',
    reporter: true,
  },
};

// ---------------------------------------------------------------- the hand-computed figures

type Figures = Partial<WeekCounts>;
const counts = (f: Figures): WeekCounts => ({ ...emptyCounts(), ...f });
const sum = (fs: Figures[]): WeekCounts => {
  const out = emptyCounts();
  for (const f of fs) for (const k of Object.keys(out) as (keyof WeekCounts)[]) out[k] += f[k] ?? 0;
  return out;
};

/**
 * Per staff member and week, what the timeline below makes happen (events inside the week
 * only): the case lines each digest must list and its counts. zhou and qian work in building
 * A, wu and sun in building B, so the building and campus figures are their sums.
 */
const STAFF: Record<Week, Record<string, { cases: Key[]; counts: Figures }>> = {
  '2023-W19': {
    // C1 opened, closed, rated 5; C2 opened, two deadlines breached (on site, repair), closed.
    'staff-zhou': {
      cases: ['C1', 'C2'],
      counts: { opened: 2, closed: 2, late: 2, ratings: 1, satisfied: 1, scoreSum: 5 },
    },
    // C3 opened, disputed.
    'staff-wu': { cases: ['C3'], counts: { opened: 1, disputed: 1 } },
    'staff-qian': { cases: ['C4'], counts: { opened: 1 } },
  },
  '2023-W20': {
    // C5 opened, rated 2 (reopened for review).
    'staff-zhou': { cases: ['C5'], counts: { opened: 1, ratings: 1, scoreSum: 2 } },
    // C3 closed, rated 4; C6 opened, analysis deadline breached.
    'staff-wu': {
      cases: ['C3', 'C6'],
      counts: { opened: 1, closed: 1, late: 1, ratings: 1, satisfied: 1, scoreSum: 4 },
    },
    // C4 failed its first review, then closed.
    'staff-qian': { cases: ['C4'], counts: { closed: 1, failedReviews: 1 } },
    // C7 opened and withdrawn (a duplicate report).
    'staff-sun': { cases: ['C7'], counts: { opened: 1, withdrawn: 1 } },
  },
  '2023-W21': {
    // C5 rated 4 after its second review, closed; C10 opened.
    'staff-zhou': {
      cases: ['C5', 'C10'],
      counts: { opened: 1, closed: 1, ratings: 1, satisfied: 1, scoreSum: 4 },
    },
    // C6 sign-off deadline breached, then closed; C9 opened; C13 opened, rated 1 (reopened).
    'staff-wu': {
      cases: ['C6', 'C9', 'C13'],
      counts: { opened: 2, closed: 1, late: 1, ratings: 1, scoreSum: 1 },
    },
    'staff-qian': { cases: ['C8'], counts: { opened: 1 } },
  },
  '2023-W22': {
    // C10 failed a review, closed, rated 3; C11 opened, rectification late, closed.
    'staff-zhou': {
      cases: ['C10', 'C11'],
      counts: { opened: 1, closed: 2, late: 1, failedReviews: 1, ratings: 1, scoreSum: 3 },
    },
    // C9 and C13 closed unrated; C12 opened, disputed, sent back to analysis, which breached.
    'staff-wu': {
      cases: ['C9', 'C12', 'C13'],
      counts: { opened: 1, closed: 2, late: 1, disputed: 1 },
    },
  },
};
const BUILDING_STAFF = { 'bldg-a': ['staff-zhou', 'staff-qian'], 'bldg-b': ['staff-wu', 'staff-sun'] };
const areaCounts = (week: Week, buildingId?: keyof typeof BUILDING_STAFF) =>
  sum(
    Object.entries(STAFF[week])
      .filter(([id]) => !buildingId || BUILDING_STAFF[buildingId].includes(id))
      .map(([, s]) => s.counts),
  );

/** Every deadline of every case, in order, as the timeline leaves them by Monday 2023-06-05. */
const DEADLINES: Record<Key, [string, string]> = {
  C1: ['closed', 'analysing:met awaiting_signoff:met rectifying:met reviewing:met follow_up:met'],
  C2: ['closed', 'analysing:breached awaiting_signoff:met rectifying:breached reviewing:met'],
  C3: [
    'closed',
    'analysing:met awaiting_signoff:met adjudicating:met rectifying:met reviewing:met follow_up:met',
  ],
  C4: [
    'closed',
    'analysing:met awaiting_signoff:met rectifying:met reviewing:met rectifying:met reviewing:met',
  ],
  C5: [
    'closed',
    'analysing:met awaiting_signoff:met rectifying:met reviewing:met follow_up:met reviewing:met follow_up:met',
  ],
  C6: ['closed', 'analysing:breached awaiting_signoff:breached rectifying:met reviewing:met'],
  C7: ['withdrawn', 'analysing:cancelled'],
  C8: ['rectifying', 'analysing:met awaiting_signoff:met rectifying:pending'],
  C9: ['closed', 'analysing:met awaiting_signoff:met rectifying:met reviewing:met follow_up:cancelled'],
  C10: [
    'closed',
    'analysing:met awaiting_signoff:met rectifying:met reviewing:met rectifying:met reviewing:met follow_up:met',
  ],
  C11: ['closed', 'analysing:met awaiting_signoff:met rectifying:breached reviewing:met'],
  C12: ['analysing', 'analysing:met awaiting_signoff:met adjudicating:met analysing:breached'],
  C13: [
    'closed',
    'analysing:met awaiting_signoff:met rectifying:met reviewing:met follow_up:met reviewing:met follow_up:cancelled',
  ],
};

/**
 * The month's KPIs over the cohort of all thirteen cases, counted from DEADLINES and the
 * follow-ups by hand: [numerator, denominator].
 */
const KPI_RATIOS: Partial<Record<KpiValue['id'], [number, number]>> = {
  // C3 and C10, both answered and closed.
  complaint_handling_rate: [2, 2],
  // 14 analysis deadlines (C12 has two), C7's cancelled by its withdrawal; C2, C6 and C12's second one breached.
  on_time_analysing: [10, 13],
  // 12 sign-offs (C7 was withdrawn before one); C6's breached.
  on_time_awaiting_signoff: [11, 12],
  on_time_adjudicating: [2, 2],
  // 12 resolved rectification deadlines (C8's is still pending); C2's and C11's breached.
  on_time_rectifying: [10, 12],
  on_time_reviewing: [14, 14],
  // Counted by each repair's on-site clock: no one recorded an arrival, so each was on site when it
  // reported the repair, hours after the limit. Urgent C2 and C9 (30 minutes), routine C1, C5, C11
  // and C13 (2 hours) all late; C7 was withdrawn. (Their analyses were in time: that is not arrival.)
  urgent_repair_on_site_30min: [0, 2],
  general_repair_on_site_2h: [0, 4],
  // Repairs with a resolved rectification: C1, C2 (late), C5, C9, C11 (late), C13.
  small_repair_done_24h: [4, 6],
  // Latest scores of repairs: C1 5, C5 4 (its 2 was followed by a 4), C13 1 (its second round
  // went unrated, which does not erase the 1); of complaints: C3 4, C10 3. C9 is left out.
  repair_satisfaction: [2, 3],
  overall_satisfaction: [3, 5],
  // Reached follow-up: C1, C3, C5, C9, C10, C13; C5 and C13 were reopened by a low score.
  reopen_rate: [2, 6],
};

/** The catalogue from the standards (DOMAIN.md, issue 6): every KPI and its target. */
const CATALOGUE: [KpiValue['id'], number | null, KpiValue['comparator']][] = [
  ['complaint_handling_rate', 1, '>='],
  ['on_time_analysing', 1, '>='],
  ['on_time_awaiting_signoff', 1, '>='],
  ['on_time_adjudicating', 1, '>='],
  ['on_time_rectifying', 1, '>='],
  ['on_time_reviewing', 1, '>='],
  ['urgent_repair_on_site_30min', 1, '>='],
  ['general_repair_on_site_2h', 1, '>='],
  ['small_repair_done_24h', 1, '>='],
  ['repair_satisfaction', 0.9, '>='],
  ['overall_satisfaction', 0.85, '>='],
  ['etiquette_satisfaction', 0.8, '>='],
  ['inspection_pass_rate_safety', null, null],
  ['inspection_pass_rate_service', null, null],
  ['inspection_pass_rate_management', null, null],
  ['inspection_pass_rate_education', null, null],
  ['inspection_pass_rate_evaluation', null, null],
  ['inspection_pass_rate_feedback', null, null],
  ['valid_complaints_per_building_year', 5, '<='],
  ['average_time_to_close_hours', null, null],
  ['p90_time_to_close_hours', null, null],
  ['reopen_rate', 0.1, '<='],
];

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

// Open-to-close hours of the ten closed cases (C7 withdrawn, C8 and C12 open), from the timeline.
const CLOSE_HOURS = [49, 53, 165, 149.5, 193, 198, 183, 193, 30, 217];

describe('a simulated month of the demo campus', () => {
  // One attempt per stack of its own (server, tables): the Java time-skipping server can strand a
  // run (sdk-java#3088), which shows here as a step that never answers. The steps land clear of
  // every timer (advanceClearOfTimers), which keeps them from it; should one still strand, the
  // attempt stops within STEP_STALL_MS with what the stranded run was doing (its refused task's
  // history, printed), and the month runs again from its first day on a fresh server. A wrong
  // figure fails every attempt alike.
  it(
    'sends every weekly digest once, stores figures that match the cases, and gives every KPI with its target',
    // A simulated month: about 90 s alone on two cores, several times that on a shared machine.
    // The bound only stops a hang; speed lives in the benchmarks.
    { timeout: 900_000, retry: 2 },
    async () => {
      const stack = await openCaseStack({ startAt: START, ownTables: true });
      try {
        await month(stack);
      } finally {
        await stack.teardown().catch(() => undefined);
      }
    },
  );
});

/** How long one step may take before its attempt is given up as stranded. */
const STEP_STALL_MS = 180_000;

/** `work`, or a failure naming `what` and the runs' pending timers if it takes longer than STEP_STALL_MS. */
async function unlessStalled<T>(work: Promise<T>, what: string, handles: WorkflowHandle[]): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void Promise.all(handles.map(stuckReport))
        .catch((e: unknown) => [String(e)])
        .then((lines) => {
          // Printed as well: vitest shows only the last attempt's error, and a retried one's is the clue.
          console.error(`step ${what} stalled:\n${lines.join('\n')}`);
          reject(new Error(`step ${what} did not answer in ${STEP_STALL_MS} ms:\n${lines.join('\n')}`));
        });
    }, STEP_STALL_MS);
  });
  try {
    return await Promise.race([work, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A run's pending timers and, when its history ends in a started workflow task (the task the
 * server refused to complete), the events since the last completed one: what that task was given.
 */
async function stuckReport(h: WorkflowHandle): Promise<string> {
  const dues = (await pendingTimerDues(h)).map((d) => new Date(d).toISOString()).join(', ');
  const events = (await h.fetchHistory()).events ?? [];
  const head = `${h.workflowId}: pending timers ${dues || 'none'}`;
  if (!events.at(-1)?.workflowTaskStartedEventAttributes) return head;
  const lastDone = events.findLastIndex((e) => e.workflowTaskCompletedEventAttributes);
  const tail = events.slice(Math.max(0, lastDone - 8)).map((e) => {
    const at = Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
    const [kind, attrs] = Object.entries(e).find(([k, v]) => k.endsWith('EventAttributes') && v) ?? ['?', {}];
    return `  ${String(e.eventId)} ${new Date(at).toISOString()} ${kind} ${JSON.stringify(attrs).slice(0, 200)}`;
  });
  return [`${head}; its last workflow task is still started:`, ...tail].join('\n');
}

async function month(stack: CaseStack & { teardown(): Promise<void> }): Promise<void> {
  {
    const { dir, env } = stack;
    // This attempt's mail: the emulator is shared, and an earlier attempt's stays in it.
    const mailsBefore = (await sentEmails()).length;
    const weekMails = async (week: string, tag: string) =>
      (await sentEmails())
        .slice(mailsBefore)
        .filter((e) => e.subject.includes(week) && e.subject.includes(tag));
    const prefix = uniqueId('MONTH');
    const caseId = (k: Key) => `${prefix}-${k}`;
    const reporters = new Map<Key, Reporter>();
    const handles = new Map<Key, WorkflowHandle<typeof rectificationCase>>();
    const weeklyRuns: WorkflowHandle[] = [];
    const weeklySpec = feedbackScheduleSpecs({ timeZone: 'Asia/Shanghai' }).find(
      (s) => s.workflowType === 'weeklyFeedback',
    );
    if (!weeklySpec) throw new Error('no weekly feedback schedule');

    await stack.withWorker(async (taskQueue) => {
      const open = (k: Key) => async () => {
        const { reporter, ...spec } = CASES[k];
        const r = reporter
          ? { name: '张同学', email: `${caseId(k).toLowerCase()}@students.demo.edu.cn` }
          : undefined;
        if (r) reporters.set(k, r);
        const input = {
          ...caseInput(dir, await stack.now(), { ...spec, reporter: r }),
          caseId: caseId(k),
          title: `${prefix} ${k} 月度案例 Month case`,
        };
        const { handle } = await startCase(env, taskQueue, input);
        handles.set(k, handle);
      };
      const act = (k: Key, fn: (s: ReturnType<typeof steps>) => Promise<unknown>) => () => {
        const handle = handles.get(k);
        if (!handle) throw new Error(`${k} is not open`);
        return fn(steps(dir, handle));
      };
      const rate = (k: Key, score: number) =>
        act(k, (s) => {
          const r = reporters.get(k);
          if (!r) throw new Error(`${k} has no reporter`);
          return s.rate(r, score);
        });
      /** The schedule's Monday 08:00 run: no week given, it reports the week before its start. */
      const weekly = (week: Week) => async () => {
        const handle = await env.client.workflow.start(weeklyFeedback, {
          taskQueue,
          workflowId: uniqueId(weeklySpec.scheduleId),
          args: weeklySpec.args as [WeeklyFeedbackInput],
        });
        weeklyRuns.push(handle);
        // Wait (clock locked) until every digest went out, before the clock moves on.
        let status = await handle.query(weeklyStatusQuery);
        for (let i = 0; (status.phase === 'build' || status.phase === 'send') && i < 600; i++) {
          await new Promise((r) => setTimeout(r, 100));
          status = await handle.query(weeklyStatusQuery);
        }
        expect(status).toMatchObject({ week, phase: 'track' });
      };
      const A = { sup: 'sup-wang' };
      const B = { sup: 'sup-li', staff: 'staff-wu' };

      const timeline: [string, () => Promise<unknown>][] = [
        // ---- 2023-W19
        ['05-08 09:00', open('C1')], // routine repair: on site within 2 hours
        ['05-08 10:00', act('C1', (s) => s.rootCause())],
        ['05-08 11:00', act('C1', (s) => s.confirm())],
        ['05-08 15:00', act('C1', (s) => s.report())],
        ['05-09 09:00', open('C2')], // urgent repair: on site within 30 minutes, breached at 09:30
        ['05-09 10:00', act('C2', (s) => s.rootCause())],
        ['05-09 10:30', act('C2', (s) => s.confirm())], // fix within 24 hours, breached 05-10 10:30
        ['05-09 11:00', act('C1', (s) => s.review(true, '复查合格'))],
        ['05-10 10:00', rate('C1', 5)],
        ['05-10 14:00', open('C3')],
        ['05-11 09:00', act('C2', (s) => s.report())],
        ['05-11 09:30', act('C3', (s) => s.rootCause(B.sup, B.staff))],
        ['05-11 10:00', open('C4')],
        ['05-11 14:00', act('C2', (s) => s.review(true, '复查合格'))],
        ['05-11 15:00', act('C3', (s) => s.dispute('投诉当晚不是我值班 Not my shift that night', B.staff))],
        ['05-11 16:00', act('C4', (s) => s.rootCause(A.sup, 'staff-qian'))],
        ['05-12 09:00', act('C4', (s) => s.confirm('staff-qian'))],
        ['05-12 10:00', act('C3', (s) => s.adjudicate('proceed', '值班记录显示当班 On the roster', B.sup))],
        // ---- 2023-W20
        ['05-15 08:00', weekly('2023-W19')],
        ['05-15 09:30', act('C4', (s) => s.report('staff-qian'))],
        ['05-15 10:00', open('C5')],
        ['05-15 11:00', act('C5', (s) => s.rootCause())],
        ['05-15 11:30', act('C5', (s) => s.confirm())],
        ['05-15 15:00', act('C4', (s) => s.review(false, '地面仍有污渍 Floor still stained'))],
        ['05-15 16:00', act('C5', (s) => s.report())],
        ['05-16 09:00', open('C6')], // nobody analyses it: breached 05-17 09:00, escalated daily
        ['05-16 10:00', act('C3', (s) => s.report(B.staff))],
        ['05-16 11:00', act('C5', (s) => s.review(true, '复查合格'))],
        ['05-16 16:00', act('C3', (s) => s.review(true, '复查合格', B.sup))],
        ['05-17 10:00', act('C4', (s) => s.report('staff-qian'))],
        ['05-17 10:30', rate('C5', 2)], // low score: reopened for review
        ['05-17 11:00', rate('C3', 4)],
        ['05-17 14:00', open('C7')],
        ['05-17 15:00', act('C7', (s) => s.withdraw('重复报修 Duplicate report', B.sup))],
        ['05-17 15:30', act('C4', (s) => s.review(true, '复查合格'))],
        ['05-18 10:00', act('C5', (s) => s.review(true, '再次复查合格'))],
        ['05-19 10:00', act('C6', (s) => s.rootCause(B.sup, B.staff))], // sign-off due Mon 05-22 18:00
        // ---- 2023-W21
        ['05-22 08:00', weekly('2023-W20')],
        ['05-22 10:00', open('C8')],
        ['05-22 15:00', act('C8', (s) => s.rootCause(A.sup, 'staff-qian'))],
        ['05-23 09:00', act('C6', (s) => s.confirm(B.staff))],
        ['05-23 10:00', act('C8', (s) => s.confirm('staff-qian'))], // 15 working days: still open at the end
        ['05-23 11:00', rate('C5', 4)],
        ['05-23 20:00', open('C9')],
        ['05-23 20:20', act('C9', (s) => s.rootCause(B.sup, B.staff))],
        ['05-23 20:30', act('C9', (s) => s.confirm(B.staff))],
        ['05-24 08:00', act('C9', (s) => s.report(B.staff))],
        ['05-24 10:00', act('C6', (s) => s.report(B.staff))],
        ['05-24 11:00', act('C9', (s) => s.review(true, '复查合格', B.sup))], // never rated: closes 05-31 11:00
        ['05-24 13:00', open('C13')],
        ['05-24 13:30', act('C13', (s) => s.rootCause(B.sup, B.staff))],
        ['05-24 13:45', act('C13', (s) => s.confirm(B.staff))],
        ['05-24 15:00', act('C6', (s) => s.review(true, '复查合格', B.sup))],
        ['05-24 17:00', act('C13', (s) => s.report(B.staff))],
        ['05-25 09:00', open('C10')],
        ['05-25 10:00', act('C13', (s) => s.review(true, '复查合格', B.sup))],
        ['05-25 15:00', act('C10', (s) => s.rootCause())],
        ['05-26 09:00', act('C10', (s) => s.confirm())],
        ['05-26 10:00', rate('C13', 1)], // reopened for review
        // Passed again; the reporter never answers the second survey: closes unrated 06-02 14:00.
        ['05-26 14:00', act('C13', (s) => s.review(true, '再次复查合格', B.sup))],
        // ---- 2023-W22
        ['05-29 08:00', weekly('2023-W21')],
        ['05-29 10:00', open('C11')],
        ['05-29 10:30', act('C11', (s) => s.rootCause())],
        ['05-29 11:00', act('C11', (s) => s.confirm())], // fix within 24 hours: breached 05-30 11:00
        ['05-30 14:00', act('C11', (s) => s.report())],
        ['05-30 16:00', act('C11', (s) => s.review(true, '复查合格'))],
        ['05-31 09:00', open('C12')],
        ['05-31 10:00', act('C10', (s) => s.report())],
        ['05-31 14:00', act('C12', (s) => s.rootCause(B.sup, B.staff))],
        ['05-31 16:00', act('C10', (s) => s.review(false, '答复不完整 Answer incomplete'))],
        ['06-01 10:00', act('C10', (s) => s.report())],
        ['06-01 10:30', act('C12', (s) => s.dispute('不属于我的区域 Not my area', B.staff))],
        ['06-01 15:00', act('C10', (s) => s.review(true, '复查合格'))],
        ['06-02 10:00', rate('C10', 3)],
        // Sent back to analysis (24 hours): nobody does it, breached Sat 06-03 10:30.
        ['06-02 10:30', act('C12', (s) => s.adjudicate('revise', '重新分析责任人 Re-analyse', B.sup))],
        ['06-05 08:00', weekly('2023-W22')],
      ];

      const chronological = timeline.map(([at]) => when(at));
      expect(chronological).toEqual([...chronological].sort((a, b) => a - b));
      for (const [at, run] of timeline) {
        // Just short of a timer due at that instant, those the leap starts included (see
        // advanceClearOfTimers), so the step comes first; what the leap set off (breaches,
        // escalations, reminders, closings) is done before it.
        await advanceClearOfTimers(stack, when(at), () => [...handles.values(), ...weeklyRuns]);
        await unlessStalled(run(), at, [...handles.values(), ...weeklyRuns]);
      }
    });

    // The cases are where the timeline meant them to be: the figures below rest on this.
    for (const k of Object.keys(CASES) as Key[]) {
      const v = await getCaseRecord(stack.deps.ddb, stack.deps.tables, caseId(k));
      expect([k, v?.stage, v?.deadlines.map((d) => `${d.stage}:${d.state}`).join(' ')]).toEqual([
        k,
        ...DEADLINES[k],
      ]);
    }

    const app = createApp(appDepsFor(stack.deps, stack.env.client));
    const store = { ddb: stack.deps.ddb, tables: stack.deps.tables };
    const ids = (keys: readonly Key[]) => keys.map(caseId).sort();
    const mine = (text: string) => [...new Set(text.match(new RegExp(`${prefix}-C\\d+`, 'g')))].sort();

    for (const [w, week] of WEEKS.entries()) {
      const staff = STAFF[week];

      // One digest email per staff member with cases that week, listing exactly their cases.
      const mails = await weekMails(week, '每周反馈');
      expect([week, recipients(mails)]).toEqual([
        week,
        Object.keys(staff)
          .map((id) => emailOf(dir, id))
          .sort(),
      ]);
      for (const [personId, s] of Object.entries(staff)) {
        const mail = mails.find((m) => m.to.includes(emailOf(dir, personId)));
        expect([week, personId, mine(mail?.text ?? '')]).toEqual([week, personId, ids(s.cases)]);
        expect(mail?.text).toContain(countsLine(counts(s.counts)));
        expect(mail?.text).toMatch(/确认 Acknowledge: http:\/\/rectify\.test\/actions\/v1\./);
      }

      // The stored staff digests.
      const digests = await listDigests<StaffDigest>(store, week, 'staff');
      expect(digests.map((d) => [d.personId, d.counts, d.cases.map((c) => c.caseId).sort()])).toEqual(
        Object.keys(staff)
          .sort()
          .map((id) => [id, counts(staff[id]?.counts ?? {}), ids(staff[id]?.cases ?? [])]),
      );

      // The campus summary through the reports API, as the working group reads it.
      const res = await call(app, 'GET', `/api/reports/weekly?week=${week}`, { as: 'wg-chen' });
      expect(res.status).toBe(200);
      const campus = (await res.json()) as AreaSummary;
      expect(campus).toMatchObject({ kind: 'working_group', week });
      expect(campus.counts).toEqual(areaCounts(week));
      expect(campus.previous).toEqual(w === 0 ? emptyCounts() : areaCounts(WEEKS[w - 1] as Week));
      expect(Object.fromEntries(campus.byStaff.map((b) => [b.personId, b.counts]))).toEqual(
        Object.fromEntries(Object.entries(staff).map(([id, s]) => [id, counts(s.counts)])),
      );
      expect(campus.byBuilding?.map((b) => [b.buildingId, b.counts])).toEqual([
        ['bldg-a', areaCounts(week, 'bldg-a')],
        ['bldg-b', areaCounts(week, 'bldg-b')],
      ]);
      expect(campus.cases.map((c) => c.caseId).sort()).toEqual(
        ids([...new Set(Object.values(staff).flatMap((s) => s.cases))]),
      );
      // C1 and C11: a repair in A101 twice within four weeks.
      expect(campus.repeats).toEqual(
        week === '2023-W22'
          ? [
              {
                category: 'repair',
                label: { zh: '报修', en: 'Repair' },
                place: 'bldg-a/a-f1/A101',
                placeName: { zh: '学生公寓A栋 A101', en: 'Dormitory A, A101' },
                count: 2,
                caseIds: ids(['C1', 'C11']),
              },
            ]
          : [],
      );
      // The case KPIs, then the duty calendar's completion rate, as GET /api/kpis gives them.
      expect(campus.kpis.map((k) => k.id)).toEqual([...CATALOGUE.map(([id]) => id), 'duty_completion_rate']);

      // Each building's summary, as its supervisor reads it.
      for (const [buildingId, as] of [
        ['bldg-a', 'sup-wang'],
        ['bldg-b', 'sup-li'],
      ] as const) {
        const r = await call(app, 'GET', `/api/reports/weekly?week=${week}&buildingId=${buildingId}`, { as });
        expect(r.status).toBe(200);
        const s = (await r.json()) as AreaSummary;
        expect([week, buildingId, s.counts]).toEqual([week, buildingId, areaCounts(week, buildingId)]);
      }
    }

    // The first week's cohort (C1-C4) as the Monday run saw it: C2 missed the 30 minutes.
    const w19 = (await (
      await call(app, 'GET', '/api/reports/weekly?week=2023-W19', { as: 'wg-chen' })
    ).json()) as AreaSummary;
    expect(w19.kpis.find((k) => k.id === 'on_time_analysing')).toMatchObject({
      numerator: 3,
      denominator: 4,
      value: 0.75,
    });

    // The month's KPIs: every one of the catalogue with its target, values as counted by hand.
    const kpis = async () => {
      const r = await call(app, 'GET', '/api/kpis?from=2023-05-08&to=2023-06-04', { as: 'wg-chen' });
      expect(r.status).toBe(200);
      return (await r.json()) as {
        cases: number;
        buildings: number;
        kpis: KpiValue[];
        source: { weeksFromCounters: number; partsFromIndex: number };
      };
    };
    const month = await kpis();
    expect(month.cases).toBe(13);
    // The case KPIs, then the duty calendar's completion rate (counted from the duties, not cases).
    expect(month.kpis.at(-1)).toMatchObject({ id: 'duty_completion_rate', target: 1, comparator: '>=' });
    const caseKpis = month.kpis.slice(0, -1);
    expect(caseKpis.map((k) => [k.id, k.target, k.comparator])).toEqual(CATALOGUE);
    expect(caseKpis.map((k) => [k.id, k.target, k.comparator])).toEqual(
      computeKpis(emptyTally(), { periodDays: 28, buildings: 2 }).map((k) => [k.id, k.target, k.comparator]),
    );
    for (const k of month.kpis) {
      expect(k.source.length).toBeGreaterThan(5);
      const ratio = KPI_RATIOS[k.id];
      if (!ratio) continue;
      const value = round4(ratio[0] / ratio[1]);
      const met = k.comparator === '<=' ? value <= (k.target ?? 0) : value >= (k.target ?? 0);
      expect(k).toMatchObject({ id: k.id, numerator: ratio[0], denominator: ratio[1], value, met });
    }
    const kpi = (id: KpiValue['id']) => month.kpis.find((k) => k.id === id);
    expect(kpi('valid_complaints_per_building_year')).toMatchObject({
      // One complaint in each building this calendar year: the worst building has 1, within the ≤ 5 a year.
      numerator: 2,
      denominator: 2,
      value: 1,
      met: true,
      period: { from: '2022-12-31T16:00:00.000Z', to: '2023-06-04T16:00:00.000Z' },
    });
    expect(kpi('average_time_to_close_hours')?.denominator).toBe(CLOSE_HOURS.length);
    // Steps land a few real seconds after their instant: hours agree to well under a minute.
    expect(kpi('average_time_to_close_hours')?.value).toBeCloseTo(
      CLOSE_HOURS.reduce((a, b) => a + b, 0) / CLOSE_HOURS.length,
      1,
    );
    expect(kpi('p90_time_to_close_hours')?.value).toBeCloseTo(198, 1);
    // The Monday runs' year-to-date read stored W19 and W20 once they had settled; the two weeks
    // that still had an open case are read from the index.
    expect(month.source).toEqual({ weeksFromCounters: 2, partsFromIndex: 2 });

    // W19 and W20 are settled now (every case closed or withdrawn): stored, then read back as counters.
    const again = await kpis();
    expect(again.source).toEqual({ weeksFromCounters: 2, partsFromIndex: 2 });
    expect(again.kpis).toEqual(month.kpis);
  }
}
