import { appendAudit } from '../../store/audit-chain.ts';
import type { AwsDeps } from '../../store/clients.ts';
import { saveDigests } from '../../store/digests.ts';
import { addWeeks, buildWeeklyDigests, reportedWeek } from '../../domain/digest.ts';
import type { Directory } from '../../domain/directory.ts';
import type { CaseView, DeadlineView } from '../../domain/case-model.ts';
import type { Severity, Source } from '../../domain/sla.ts';

/**
 * Eight weeks of finished and running cases in the demo campus, written as
 * case records with their first audit entry (the way the workflow writes
 * them), so the dashboard the screenshots show has figures to draw. They are
 * records only: no workflow runs behind them, and the browser tests' own case
 * is the one taken through every step.
 */
const titles: [string, Source, Severity][] = [
  ['卫生间水龙头漏水', 'repair', 'routine'],
  ['走廊灯不亮', 'repair', 'routine'],
  ['宿舍门锁损坏', 'repair', 'urgent'],
  ['楼道杂物堆放', 'inspection', 'routine'],
  ['热水器不出热水', 'repair', 'urgent'],
  ['公共区域卫生不达标', 'inspection', 'routine'],
  ['夜间噪音投诉', 'complaint', 'routine'],
  ['消防通道被占用', 'inspection', 'major'],
  ['空调漏水', 'repair', 'routine'],
  ['维修人员未按时到场', 'complaint', 'routine'],
];
const rooms: Record<string, { floorId: string; rooms: string[] }[]> = {
  'bldg-a': [
    { floorId: 'a-f1', rooms: ['A101', 'A103', 'A106', 'A108'] },
    { floorId: 'a-f2', rooms: ['A201', 'A204', 'A207'] },
  ],
  'bldg-b': [
    { floorId: 'b-f1', rooms: ['B101', 'B104', 'B109'] },
    { floorId: 'b-f2', rooms: ['B202', 'B205'] },
  ],
};
const staff = ['staff-zhou', 'staff-zhao', 'staff-qian', 'staff-sun'];
const HOUR = 3_600_000;

// A fixed pseudo-random sequence: the same history (and screenshots) every run.
function sequence(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
}

function deadline(
  stage: DeadlineView['stage'],
  start: number,
  hours: number,
  late: boolean,
  done: boolean,
): DeadlineView {
  const due = start + hours * HOUR;
  const closed = late ? due + 5 * HOUR : start + hours * 0.6 * HOUR;
  return {
    stage,
    round: 1,
    startedAt: new Date(start).toISOString(),
    due: new Date(due).toISOString(),
    approximate: false,
    calendarVersion: 'demo',
    state: !done ? (late ? 'breached' : 'pending') : late ? 'breached' : 'met',
    ...(done ? { closedAt: new Date(closed).toISOString() } : {}),
    ...(late ? { breachedAt: new Date(due).toISOString() } : {}),
  };
}

export async function seedDemoHistory(deps: AwsDeps, now = new Date(), count = 48): Promise<CaseView[]> {
  const rnd = sequence(20_260_302);
  const year = now.getUTCFullYear();
  const views: CaseView[] = [];
  for (let i = 0; i < count; i++) {
    const [title, source, severity] = titles[i % titles.length] ?? titles[0]!;
    const buildingId = rnd() < 0.55 ? 'bldg-a' : 'bldg-b';
    const floors = rooms[buildingId] ?? [];
    const floor = floors[Math.floor(rnd() * floors.length)] ?? floors[0]!;
    const roomId = floor.rooms[Math.floor(rnd() * floor.rooms.length)] ?? floor.rooms[0]!;
    // The last few are this week's, still being fixed; the rest spread over eight weeks.
    const recent = i >= count - 4;
    const opened =
      now.getTime() - (recent ? (i % 2 === 0 ? 40 : 10) + (i % 4) : Math.floor((2 + rnd() * 53) * 24)) * HOUR;
    const running = recent;
    const lateAnalysis = rnd() < 0.08;
    // Half of this week's are past their rectification deadline: the overdue list has some.
    const lateFix = recent ? i % 2 === 0 : rnd() < 0.15;
    const assigneeId = staff[Math.floor(rnd() * staff.length)] ?? 'staff-zhou';
    const caseId = `ZG-${year}-9${String(10_000 + i * 137).padStart(5, '0')}`;
    const analysing = deadline('analysing', opened, severity === 'routine' ? 2 : 0.5, lateAnalysis, true);
    const fixStart = opened + 6 * HOUR;
    const overdue = running && lateFix;
    const rectifying = deadline('rectifying', fixStart, 24, lateFix, !running);
    const score = rnd() < 0.82 ? (rnd() < 0.5 ? 5 : 4) : 3;
    const closedAt = new Date(fixStart + 40 * HOUR).toISOString();
    const view: CaseView = {
      caseId,
      title: `${roomId} ${title}`,
      description: `${roomId}：${title}`,
      source,
      severity,
      location: { buildingId, floorId: floor.floorId, roomId },
      assigneeId,
      responsibleId: assigneeId,
      openedBy: buildingId === 'bldg-a' ? 'sup-wang' : 'sup-li',
      openedAt: new Date(opened).toISOString(),
      stage: running ? 'rectifying' : 'closed',
      round: 1,
      failedReviews: 0,
      overdue,
      sla: { version: '2026.1', ruleId: `${source}-${severity}`, label: { zh: '演示', en: 'demo' } },
      deadlines: running
        ? [analysing, rectifying]
        : [analysing, rectifying, deadline('reviewing', fixStart + 30 * HOUR, 24, false, true)],
      notices: [],
      signOffs: [],
      rectifications: [],
      reviews: [],
      adjudications: [],
      ...(running ? {} : { followUp: { score, at: closedAt, outcome: 'rated' as const }, closedAt }),
      comments: [],
      timeline: [],
      version: 1,
    };
    await appendAudit(deps.ddb, deps.tables, {
      caseId,
      stepId: 'demo-history',
      at: view.openedAt,
      actor: { id: view.openedBy, role: 'supervisor', via: 'api' },
      action: 'detected',
      payload: { title: view.title, source, severity, location: view.location },
      view,
    });
    views.push(view);
  }
  return views;
}

/**
 * The weekly summaries of the last `weeks` reported weeks built from those cases, as the
 * Monday feedback run builds and stores them (without its emails), so the dashboard links them.
 */
export async function seedWeeklyReports(
  deps: AwsDeps,
  dir: Directory,
  views: readonly CaseView[],
  timeZone: string,
  now = new Date(),
  weeks = 3,
): Promise<string[]> {
  const newest = reportedWeek(now.toISOString(), timeZone);
  const built: string[] = [];
  for (let i = 0; i < weeks; i++) {
    const week = addWeeks(newest, -i);
    const d = buildWeeklyDigests({ week, timeZone, views, directory: dir });
    await saveDigests(deps, [...d.buildings, d.workingGroup], `demo-weekly-${week}`);
    built.push(week);
  }
  return built;
}
