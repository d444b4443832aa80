import { condition } from '@temporalio/workflow';
import { clockRules, clockWorkingTime, openPause, type CaseClock } from '../../domain/case-clocks.ts';
import { SYSTEM_ACTOR, isTerminal } from '../../domain/case-model.ts';
import { planDeadline, type PlanDeadlineResult } from '../../domain/deadline-plan.ts';
import { stagePlanInput, type DeadlinePlanner } from './deadlines.ts';
import type { CaseState } from './state.ts';

/** patched() id: case-level clocks are planned at the opening and pauses end by themselves (added after v4 histories). */
export const CASE_CLOCKS_PATCH = 'case-clocks';
/**
 * patched() id: an approved pause holds the stage's deadline too (its reminders and breach
 * wait, its due moves on by the pause), not only the case-level clocks (added after v11
 * histories). Asked at the approval with patched() itself, in both case types: `s.has`
 * answers yes to every id for a typed case, which was opened before this existed.
 */
export const PAUSE_HOLDS_STAGE_PATCH = 'pause-holds-stage';
/** A pause approved since counts a working-day stage's hold in working time (`PauseRecord.holdsInWorkingTime`). */
export const PAUSE_WORKING_TIME_PATCH = 'pause-working-time';

/**
 * Plans the case's clocks from the report (its `reportedAt`, else the opening), each due
 * computed by the deadline planner so a working-day clock uses the calendar pinned in
 * history. Whether a clock is met is read later from the timeline (domain/case-clocks.ts).
 */
export async function planClocks(s: CaseState, local: DeadlinePlanner): Promise<void> {
  const { input, policy } = s;
  const start = input.reportedAt ?? input.openedAt;
  const clocks: CaseClock[] = [];
  const rules = clockRules(input);
  const clockPlan = (rule: (typeof rules)[number]) => ({
    start,
    duration: rule.limit,
    timeZone: policy.timeZone,
    fractions: [],
  });
  // Behind TRANSITION_EFFECTS_PATCH: every clock and the first stage's deadline in one local activity.
  let plans: PlanDeadlineResult[] | undefined;
  if (s.batched) {
    const stageStart = new Date().toISOString();
    const inputs = [...rules.map(clockPlan), stagePlanInput(s, stageStart)];
    const pinned = s.calendar;
    plans = pinned ? inputs.map((i) => planDeadline(i, pinned)) : await local.planDeadlines(inputs);
    const stagePlan = plans.at(-1);
    if (stagePlan) s.earlyPlan = { startedAt: stageStart, plan: stagePlan };
  }
  for (const [k, rule] of rules.entries()) {
    const plan = plans?.[k] ?? (await local.planDeadline(clockPlan(rule)));
    // A working-day clock keeps the working days a pause is counted in (pure state, no command).
    const pinned = s.calendar;
    const working =
      rule.limit.unit === 'working_days' && pinned
        ? clockWorkingTime({ startedAt: start, due: plan.due }, pinned, policy.timeZone, policy.workingHours)
        : undefined;
    clocks.push({
      id: rule.id,
      label: rule.label,
      seed: rule.seed,
      limit: rule.limit,
      metBy: [...rule.metBy],
      startedAt: start,
      due: plan.due,
      approximate: plan.approximate,
      ...(working ? { working } : {}),
    });
  }
  s.view.clocks = clocks;
  s.view.pauses = [];
}

/**
 * Ends an approved pause when its maximum runs out, so a forgotten pause cannot hold the
 * clocks for ever. Runs beside the stages until the case is over.
 */
export async function watchPauses(s: CaseState): Promise<void> {
  const over = () => isTerminal(s.view.stage);
  for (;;) {
    await condition(() => openPause(s.view.pauses)?.state === 'approved' || over());
    const p = openPause(s.view.pauses);
    if (over() || !p?.endsBy) return;
    const left = Date.parse(p.endsBy) - Date.now();
    if (await condition(() => p.state !== 'approved' || over(), Math.max(1, left))) {
      if (p.state !== 'approved') continue;
      return;
    }
    p.state = 'ended';
    p.endedAt = p.endsBy;
    p.endedHow = 'expired';
    const due = s.releaseHold(p);
    await s.record(SYSTEM_ACTOR, 'pause_ended', { n: p.n, how: 'expired', ...(due ? { due } : {}) });
    // As for a decision: told within the transition's own activity, so older cases replay as before.
    if (s.batched)
      await s.email({
        kind: 'pause_ended',
        key: `p${p.n}`,
        to: { personIds: [p.requestedBy] },
        detail: 'expired',
      });
  }
}

/** The link an assignment email carries when the case has an on-site clock: the technician's "arrived". */
export const arrivalLink = (s: CaseState): { link?: { step: string; action: string } } =>
  s.view.clocks?.some((c) => c.metBy.includes('arrived'))
    ? { link: { step: 'arrived', action: 'arrived' } }
    : {};
