// Longer than most modules because opening a case carries its whole idempotency story (claim, replay, a racing retry) beside listing and stepping.
import { createHash, randomUUID } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { BadCursorError, listCases, type ListPage } from '../store/case-lists.ts';
import { nextCaseNumber } from '../store/counters.ts';
import {
  claimIdempotencyKey,
  findClaim,
  releaseKey,
  RESERVATION_MS,
  reserveKey,
  type IdempotencyClaim,
} from '../store/idempotency.ts';
import {
  addDays,
  localDate,
  localTime,
  localTimeToInstant,
  pinCalendar,
  pinYears,
  type PinnedCalendar,
} from '../domain/calendar.ts';
import { REPORT_WINDOW, reportTimeRefusal } from '../domain/case-clocks.ts';
import {
  checkStep,
  isTerminal,
  type Actor,
  type CaseInput,
  type CasePolicy,
  type CaseView,
  type Reporter,
  type StepName,
  type StepRefusal,
} from '../domain/case-model.ts';
import { reporterPersonId } from '../domain/survey-rater.ts';
import { CASE_BUDGETS, checkOpeningBudget, isBudgetRefusal } from '../domain/case-budgets.ts';
import { isItemId, withItemRule } from '../domain/case-citation.ts';
import { buildPolicy } from '../domain/case-policy.ts';
import { standardItem } from '../domain/standards/catalogue.ts';
import { locationExists, withSupervision, type Directory } from '../domain/directory.ts';
import { canonicalJson } from '../domain/hash-chain.ts';
import { placeNameOf } from '../domain/place-name.ts';
import { splitBilingual } from '../domain/text.ts';
import type { rectificationCaseV2 } from '../workflows/rectification-case/workflow.ts';
import { activityCalendar } from '../infra/calendar.ts';
import { openedUpdate, type StepAck } from '../workflows/rectification-case/messages.ts';
import { viewAfterStep } from './step-view.ts';
import { assertCanRead, listScope, openRefusal, readRefusal } from './middleware/access.ts';
import type { Caller } from './auth.ts';
import { directoryForCase, directoryOrFail, readCase } from './reads.ts';
import { tellReportersOfWithdrawal } from './report-notices.ts';
import type { AppDeps } from './deps.ts';
import { citedEvidenceProblem } from '../store/evidence.ts';
import { ProblemError, type FieldError, type Lang } from './middleware/problems.ts';
import type { NewCaseBody } from './schemas.ts';

/**
 * What opening, listing and stepping a case mean, whoever asks: the JSON API
 * (`api/cases.ts`) and the web pages (`api/pages/app/*`) both call these, so
 * there is one rule for who may do what and one path to the workflow.
 */

export interface OpenedCase {
  view: CaseView;
  /** True when an earlier request with the same idempotency key made this case. */
  replayed: boolean;
}

/**
 * Opens a case for `caller`: checks who may open where, the place and the
 * assignee, claims the idempotency key (scoped to the caller) before taking a
 * case number's workflow, and waits until the case is open.
 */
export async function openNewCase(
  deps: AppDeps,
  caller: Caller,
  body: NewCaseBody,
  idemKey: string | undefined,
  lang: Lang,
  /** What the request body does not carry: a scanned-code report's own time. */
  extra: { reportedAt?: string | undefined } = {},
): Promise<OpenedCase> {
  const dir = await directoryOrFail(deps);
  const refusal = openRefusal(caller, dir, body.location);
  const mayOpenSomewhere = caller.person.roles.some((r) =>
    ['supervisor', 'grid_member', 'admin', 'working_group'].includes(r),
  );
  if (refusal && !mayOpenSomewhere) throw new ProblemError('forbidden', refusal);
  assertKnownPlaceAndAssignee(dir, body, lang);
  assertKnownItem(body, lang);
  if (refusal) throw new ProblemError('forbidden', refusal);
  // The case would pin these budgets: refuse here what its first step could never fit.
  const overBudget = checkOpeningBudget(CASE_BUDGETS, body);
  if (overBudget) throw refusalProblem(overBudget);

  const requestHash = createHash('sha256').update(canonicalJson(body)).digest('hex');
  if (idemKey) {
    const existing = await findClaim(deps.aws.ddb, deps.aws.tables, caller.person.id, idemKey);
    if (existing) return replay(deps, existing, requestHash);
  }
  const now = new Date();
  const openedAt = now.toISOString();
  assertReportWindow(body.reportedAt, now, deps.env.CAMPUS_TZ, lang);
  // The clocks run from the report: its year's official days are pinned too when it is earlier.
  const { year, from } = pinYears(openedAt, body.reportedAt ?? extra.reportedAt, deps.env.CAMPUS_TZ);
  // Read before a case number is taken: a calendar that cannot be read wastes none.
  const calendar = await calendarToPin(deps, year, from);
  if (idemKey) {
    // Of requests racing with one key (a double click), one takes a number; the others answer
    // from its claim, so no case number is burnt.
    const token = randomUUID();
    const scope = caller.person.id;
    const claimed = await reserveOrClaim(deps, scope, idemKey, token);
    if (claimed) return replay(deps, claimed, requestHash);
    try {
      return await openNumbered(deps, dir, caller, body, idemKey, requestHash, openedAt, calendar, extra);
    } catch (err) {
      await releaseKey(deps.aws.ddb, deps.aws.tables, scope, idemKey, token).catch(() => undefined);
      throw err;
    }
  }
  return openNumbered(deps, dir, caller, body, undefined, requestHash, openedAt, calendar, extra);
}

/**
 * Holds the key's reservation (null), or the claim of the request that held it (which this one
 * answers from). A reservation whose holder died runs out and is taken over; a claim made just
 * before the reservation was won is found all the same.
 */
async function reserveOrClaim(
  deps: AppDeps,
  scope: string,
  key: string,
  token: string,
): Promise<IdempotencyClaim | null> {
  const { ddb, tables } = deps.aws;
  const giveUp = Date.now() + RESERVATION_MS + 5_000;
  for (;;) {
    if (await reserveKey(ddb, tables, scope, key, token)) {
      const claimed = await findClaim(ddb, tables, scope, key);
      if (claimed) await releaseKey(ddb, tables, scope, key, token);
      return claimed;
    }
    const claimed = await findClaim(ddb, tables, scope, key);
    if (claimed) return claimed;
    if (Date.now() > giveUp)
      throw new ProblemError('conflict', {
        zh: '同一请求（相同的 Idempotency-Key）正在处理中，请稍后重试',
        en: 'the same request (this Idempotency-Key) is still being handled; try again in a moment',
      });
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Takes a case number, claims the key with it when there is one, and starts the case. */
async function openNumbered(
  deps: AppDeps,
  dir: Directory,
  caller: Caller,
  body: NewCaseBody,
  idemKey: string | undefined,
  requestHash: string,
  openedAt: string,
  calendar: PinnedCalendar,
  extra: { reportedAt?: string | undefined },
): Promise<OpenedCase> {
  const year = Number(localDate(openedAt, deps.env.CAMPUS_TZ).slice(0, 4));
  const caseId = await nextCaseNumber(deps.aws.ddb, deps.aws.tables, year);
  const reportedAt = earlierThan(extra.reportedAt, openedAt);
  const input: CaseInput = {
    ...caseInputFor(deps, dir, body, caseId, caller.actor, openedAt),
    calendar,
    // A report's time moves the clocks back only when it is earlier than the opening (never into the future).
    ...(reportedAt ? { reportedAt } : {}),
  };
  if (idemKey) {
    const claim = await claimIdempotencyKey(deps.aws.ddb, deps.aws.tables, {
      scope: caller.person.id,
      key: idemKey,
      requestHash,
      resultId: caseId,
      payload: JSON.stringify(input),
      createdAt: openedAt,
    });
    if (!claim.claimed) return replay(deps, claim.existing, requestHash);
  }
  // With a key, the case number is now the claim's: a concurrent retry that found the claim may
  // already have started the workflow from it, and that is the same case, not a conflict.
  return { view: await startCase(deps, input, idemKey !== undefined), replayed: false };
}

/**
 * Starts the case workflow and waits until it is open (its first deadline set). `fromClaim`: the
 * case number belongs to an idempotency claim, so a workflow already started under it is this
 * very request's case (started by a retry racing this one), never another case.
 */
async function startCase(deps: AppDeps, input: CaseInput, fromClaim: boolean): Promise<CaseView> {
  try {
    // Started with its first update in one request, so the case's first workflow task takes both.
    const start = new WithStartWorkflowOperation<typeof rectificationCaseV2>('rectificationCaseV2', {
      taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
      workflowId: input.caseId,
      // A case number is never reused, even after its case closed.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      args: [input],
    });
    const opened = await deps.temporal.workflow.executeUpdateWithStart(openedUpdate, {
      args: [{}],
      startWorkflowOperation: start,
    });
    return await viewAfterStep(await start.workflowHandle(), opened);
  } catch (err) {
    if (!(fromClaim && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  try {
    const handle = deps.temporal.workflow.getHandle(input.caseId);
    return await viewAfterStep(handle, handle.executeUpdate(openedUpdate, { args: [{}] }));
  } catch (err) {
    // The first request's case has already run its course: answer from what it became.
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    return (await readCase(deps, input.caseId)).view;
  }
}

const calendarReaders = new WeakMap<AppDeps, ReturnType<typeof activityCalendar>>();

/**
 * What a case opening in `year` pins: the calendar in force now (the newest saved on the admin
 * page, else the file) with the official days of that year and the next.
 */
async function calendarToPin(deps: AppDeps, year: number, from: number): Promise<PinnedCalendar> {
  let read = calendarReaders.get(deps);
  if (!read) {
    // The same reading the worker's activities make, so both pin the same calendar.
    read = activityCalendar(deps.env, { ddb: deps.aws.ddb, tables: deps.aws.tables });
    calendarReaders.set(deps, read);
  }
  return pinCalendar((await read()).overrides, year, from);
}

/**
 * The case a person's idempotency key opened, or null when it opened none (yet): started now if
 * its request died between taking the number and starting it. For a decision taken over from
 * someone whose request did not finish (a scanned report's triage), whatever body it carried.
 */
export async function caseOfKey(
  deps: AppDeps,
  personId: string,
  idemKey: string,
): Promise<OpenedCase | null> {
  const claim = await findClaim(deps.aws.ddb, deps.aws.tables, personId, idemKey);
  if (!claim) return null;
  return { view: await startCase(deps, JSON.parse(claim.payload) as CaseInput, true), replayed: true };
}

async function replay(deps: AppDeps, claim: IdempotencyClaim, requestHash: string): Promise<OpenedCase> {
  if (claim.requestHash !== requestHash) {
    throw new ProblemError('conflict', {
      zh: `Idempotency-Key「${claim.key}」已用于另一个不同的请求（案件 ${claim.resultId}）；新请求请换一个键`,
      en: `Idempotency-Key "${claim.key}" was already used with a different body (case ${claim.resultId}); use a new key for a new request`,
    });
  }
  const view = await startCase(deps, JSON.parse(claim.payload) as CaseInput, true);
  return { view, replayed: true };
}

/** The reporter as the case keeps them: the directory person with their email, if any, found here and only here. */
function pinnedReporter(dir: Directory, reporter: Reporter): Reporter {
  const { personId: _asked, ...given } = reporter;
  const personId = reporterPersonId(dir, given.email);
  return personId ? { ...given, personId } : given;
}

function caseInputFor(
  deps: AppDeps,
  dir: Directory,
  body: NewCaseBody,
  caseId: string,
  openedBy: Actor,
  openedAt: string,
): CaseInput {
  const item = standardItem(body.itemId ?? body.category ?? '');
  const reportedAt = earlierThan(body.reportedAt, openedAt);
  const policy = buildPolicy(
    dir,
    { ...body, category: item?.id ?? body.category },
    { timeZone: deps.env.CAMPUS_TZ, workingHours: deps.env.WORKING_HOURS },
  );
  return {
    caseId,
    title: body.title,
    description: body.description,
    source: body.source,
    severity: body.severity,
    category: item?.id ?? body.category,
    location: body.location,
    assigneeId: body.assigneeId,
    reporter: body.reporter && pinnedReporter(dir, body.reporter),
    openedBy,
    openedAt,
    // A report time within the clock skew after the opening is the opening itself.
    ...(reportedAt ? { reportedAt } : {}),
    policy: item ? withItemRule(policy, item, body.source) : policy,
  };
}

/** 422 for a cited item the catalogue lacks, or a category that says something else. */
function assertKnownItem(body: NewCaseBody, lang: Lang): void {
  const errors: FieldError[] = [];
  if (body.itemId && !standardItem(body.itemId))
    errors.push({
      field: 'itemId',
      message:
        lang === 'en'
          ? `no item ${body.itemId} in the 6T catalogue (see GET /api/standards)`
          : `“6T”标准中没有条目 ${body.itemId}（见 GET /api/standards）`,
    });
  else if (body.itemId && body.category && body.category !== body.itemId)
    errors.push({
      field: 'category',
      message:
        lang === 'en'
          ? `a case citing ${body.itemId} takes the item as its category; leave category out`
          : `引用条目 ${body.itemId} 的案件以该条目为类别，请不要另填类别`,
    });
  else if (!body.itemId && isItemId(body.category) && !standardItem(body.category ?? ''))
    errors.push({
      field: 'category',
      message:
        lang === 'en'
          ? `${body.category} looks like a 6T item but the catalogue has none (see GET /api/standards)`
          : `${body.category} 形如“6T”条目，但标准中没有（见 GET /api/standards）`,
    });
  if (errors.length > 0)
    throw new ProblemError(
      'unprocessable',
      { zh: '引用的标准条目不存在', en: 'the cited standard item does not exist' },
      errors,
    );
}

/** 422 with a field error for each reference the directory doesn't know. */
/** A report's time as an ISO instant when it is earlier than the opening, else undefined. */
function earlierThan(reportedAt: string | undefined, openedAt: string): string | undefined {
  if (reportedAt === undefined || Date.parse(reportedAt) >= Date.parse(openedAt)) return undefined;
  return new Date(reportedAt).toISOString();
}

/**
 * A report's time must lie in the window before the opening (domain/case-clocks.ts REPORT_WINDOW):
 * at most 30 days back, never ahead but for a device clock running a few minutes fast. A 400
 * that names the window in campus time.
 */
function assertReportWindow(reportedAt: string | undefined, now: Date, tz: string, lang: Lang): void {
  if (reportedAt === undefined) return;
  const refusal = reportTimeRefusal(reportedAt, now.getTime());
  if (!refusal) return;
  const at = (ms: number) => {
    const iso = new Date(ms).toISOString();
    return `${localDate(iso, tz)} ${localTime(iso, tz)}`;
  };
  const earliest = at(now.getTime() - REPORT_WINDOW.pastMs);
  const latest = at(now.getTime());
  const days = REPORT_WINDOW.pastMs / 86_400_000;
  const window = {
    zh: `报告时间须在立案前 ${days} 天内，即 ${earliest} 至 ${latest}（${tz}）之间`,
    en: `the report time must be within the ${days} days before the case is opened: from ${earliest} to ${latest} (${tz})`,
  };
  throw new ProblemError('validation', window, [
    {
      field: 'reportedAt',
      message:
        lang === 'en'
          ? `${reportedAt} is ${refusal === 'future' ? 'in the future' : `more than ${days} days ago`}; ${window.en}, or leave it out`
          : `${reportedAt} ${refusal === 'future' ? '在未来' : `早于 ${days} 天前`}；${window.zh}，或不填`,
    },
  ]);
}

function assertKnownPlaceAndAssignee(dir: Directory, body: NewCaseBody, lang: Lang): void {
  const errors: FieldError[] = [];
  if (!locationExists(dir, body.location)) {
    errors.push({
      field: 'location',
      message:
        lang === 'en'
          ? `no such place in the campus grid: ${JSON.stringify(body.location)} (see GET /api/directory/buildings)`
          : `校园网格中没有该位置：${JSON.stringify(body.location)}（见 GET /api/directory/buildings）`,
    });
  }
  const assignee = dir.people.find((p) => p.id === body.assigneeId);
  if (!assignee?.roles.includes('staff')) {
    errors.push({
      field: 'assigneeId',
      message:
        lang === 'en'
          ? `${body.assigneeId} is not a staff member of the directory (see GET /api/directory/people?role=staff)`
          : `${body.assigneeId} 不是名录中的员工（见 GET /api/directory/people?role=staff）`,
    });
  }
  if (errors.length > 0) {
    throw new ProblemError(
      'unprocessable',
      { zh: '位置或指派人不在校园名录中', en: 'the place or the assignee is not in the campus directory' },
      errors,
    );
  }
}

/** The filters a case list takes, as the API's query names them (dates already parsed by zod). */
export interface CaseListQuery {
  stage?: CaseView['stage'] | undefined;
  buildingId?: string | undefined;
  assigneeId?: string | undefined;
  overdue?: 'true' | 'false' | undefined;
  severity?: CaseView['severity'] | undefined;
  source?: CaseView['source'] | undefined;
  /** A campus date (YYYY-MM-DD, its local midnight) or an instant. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * One page of the cases `caller` may read that match `q`, newest first. `narrow` drops more
 * cases in code (filters the indexes can't serve, like a title search); it can only narrow
 * the caller's read scope, never widen it.
 */
export async function listCasesFor(
  deps: AppDeps,
  caller: Caller,
  q: CaseListQuery,
  lang: Lang,
  narrow?: (view: CaseView) => boolean,
): Promise<ListPage> {
  const dir = await directoryOrFail(deps);
  const scope = listScope(caller, dir);
  if (scope.onlyParty && q.assigneeId && q.assigneeId !== scope.onlyParty) {
    throw new ProblemError('forbidden', {
      zh: `员工只能查看指派给本人或由本人负责的案件；assigneeId 只能是本人（${scope.onlyParty}）或不填`,
      en: `staff may list only the cases assigned to them or that they are responsible for; leave assigneeId out or set it to yourself (${scope.onlyParty})`,
    });
  }
  if (scope.onlyBuildings && q.buildingId && !scope.onlyBuildings.includes(q.buildingId)) {
    // Named as the filter's list names it; an id the directory does not have, as given.
    const { buildingId } = q;
    const known = dir.buildings.some((b) => b.id === buildingId);
    const name = known ? placeNameOf(dir, { buildingId }) : { zh: `${buildingId} `, en: buildingId };
    throw new ProblemError('forbidden', {
      zh: `主管只能查看所管楼栋的案件（${name.zh}不归您管）`,
      en: `supervisors may list only the buildings they supervise (${name.en} is not yours)`,
    });
  }
  const tz = deps.env.CAMPUS_TZ;
  // A campus date as `to` takes in that whole day, as the KPIs' periods do: `to=2026-12-06`
  // lists the cases opened on the 6th too. An instant is taken as it is.
  const instant = (v: string | undefined, end: boolean) =>
    v === undefined
      ? undefined
      : /^\d{4}-\d{2}-\d{2}$/.test(v)
        ? localTimeToInstant(end ? addDays(v, 1) : v, '00:00', tz)
        : new Date(v).toISOString();
  const from = instant(q.from, false);
  const to = instant(q.to, true);
  // `to` as a date ends where its day does: a `from` on the day after it is as reversed as a later one.
  const dateOnlyTo = q.to !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(q.to);
  if (from && to && (from > to || (dateOnlyTo && from >= to))) {
    throw new ProblemError('validation', { zh: 'to 须晚于 from', en: 'to must not be before from' }, [
      { field: 'to', message: lang === 'en' ? 'before from' : '早于 from' },
    ]);
  }
  const readable = scope.all ? undefined : (v: CaseView) => readRefusal(caller, dir, v) === null;
  const keep =
    readable && narrow ? (v: CaseView) => readable(v) && narrow(v) : (readable ?? narrow ?? undefined);
  try {
    return await listCases(deps.aws.ddb, deps.aws.tables, {
      filters: {
        stage: q.stage,
        buildingId: q.buildingId,
        assigneeId: q.assigneeId,
        partyId: scope.onlyParty,
        overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
        severity: q.severity,
        source: q.source,
        from,
        to,
        buildingIn: q.buildingId ? undefined : scope.onlyBuildings,
      },
      limit: q.limit,
      cursor: q.cursor,
      keep,
    });
  } catch (err) {
    if (err instanceof BadCursorError) {
      throw new ProblemError(
        'validation',
        {
          zh: `cursor 无效：${err.reason.zh}。请用相同的筛选条件重发返回它的请求，使用其响应中的 nextCursor，或去掉 cursor 从第一页开始`,
          en: `bad cursor: ${err.reason.en}. Repeat the request that returned it with the same filters and use its nextCursor, or leave cursor out to start from the first page`,
        },
        [{ field: 'cursor', message: lang === 'en' ? err.reason.en : err.reason.zh }],
      );
    }
    throw err;
  }
}

/**
 * The cases of `q` (its limit and cursor aside) that `caller` may read, newest first, following
 * cursors until `most` are read or `maxReads` list reads are spent; `more` when cases remain.
 */
export async function listCasesUpTo(
  deps: AppDeps,
  caller: Caller,
  q: Omit<CaseListQuery, 'limit' | 'cursor'>,
  lang: Lang,
  opts: { most: number; maxReads?: number; narrow?: ((view: CaseView) => boolean) | undefined },
): Promise<{ items: CaseView[]; more: boolean }> {
  const items: CaseView[] = [];
  let cursor: string | undefined;
  let reads = 0;
  do {
    const limit = Math.min(100, opts.most - items.length);
    const page = await listCasesFor(deps, caller, { ...q, limit, cursor }, lang, opts.narrow);
    reads += 1;
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < opts.most && reads < (opts.maxReads ?? Infinity));
  return { items, more: cursor !== undefined };
}

/** A case `caller` may read, with the directory it was checked against (directoryForCase); 403/404 otherwise. */
export async function readCaseFor(
  deps: AppDeps,
  caller: Caller,
  caseId: string,
): Promise<{ view: CaseView; source: 'workflow' | 'record'; dir: Directory }> {
  const now = await directoryOrFail(deps);
  const { view, source } = await readCase(deps, caseId);
  const dir = await directoryForCase(deps, now, view);
  assertCanRead(caller, dir, view);
  return { view, source, dir };
}

/**
 * Whether `caller` may take `step` on the case now: the workflow's own rule
 * (checkStep) against the building's supervisors as the directory has them.
 * The workflow checks again against the policy it pinned, and its answer counts.
 */
export function stepRefusal(
  deps: AppDeps,
  dir: Directory,
  caller: Caller,
  step: StepName,
  view: CaseView,
): ProblemError | null {
  const refusal = checkStep(step, caller.actor, view, precheckPolicy(deps, dir, view));
  if (!refusal) return null;
  return refusalProblem(refusal);
}

/** A refusal from domain/ as a problem: each half of its "English / 中文" message, or its budget's. */
export function refusalProblem(r: StepRefusal): ProblemError {
  const type = r.kind === 'invalid' ? 'unprocessable' : r.kind;
  if (!isBudgetRefusal(r)) return new ProblemError(type, splitBilingual(r.message));
  return new ProblemError(type, r.text, undefined, { budget: r.budget, limit: r.limit });
}

/**
 * Takes one human step of a case through the workflow's update and returns the case after it.
 * Refuses at once where the outcome is already certain; the workflow decides the rest.
 */
export async function takeStep<I>(
  deps: AppDeps,
  caller: Caller,
  caseId: string,
  update: UpdateDefinition<StepAck, [I]>,
  toInput: (actor: Actor, dir: Directory) => I,
): Promise<CaseView> {
  const { view, dir } = await readCaseFor(deps, caller, caseId);
  // The running case's validator decides (its pinned policy); a case that is over has no workflow to ask.
  if (isTerminal(view.stage)) throw finishedCase(view);
  const input = toInput(withSupervision(dir, caller.actor), dir);
  const handle = deps.temporal.workflow.getHandle(caseId);
  return afterStep(deps, await viewAfterStep(handle, handle.executeUpdate(update, { args: [input] })));
}

/**
 * What a step sets off outside the case, whichever door it came through (JSON or page): a
 * withdrawal tells whoever reported the problem by scanning a code, with the reason (once each).
 */
export async function afterStep(deps: AppDeps, view: CaseView): Promise<CaseView> {
  // The case itself sends this notice too (reporters-told), durably; here it goes at once for
  // cases withdrawn before that, and the outbox sends each once whichever gets there first.
  if (view.stage === 'withdrawn' && view.withdrawal)
    await tellReportersOfWithdrawal(deps, view.caseId, view.withdrawal.reason).catch((err: unknown) =>
      console.warn(`[cases] ${view.caseId}: the withdrawal notice is left to the case`, err),
    );
  return view;
}

/** The colleague a case moves to must be staff in the directory as it is now. */
export function colleagueOf(dir: Directory, id: string, lang: Lang): string {
  if (dir.people.find((x) => x.id === id)?.roles.includes('staff')) return id;
  throw new ProblemError(
    'unprocessable',
    { zh: '接手人须为名录中的员工', en: 'the colleague taking over must be a staff member of the directory' },
    [{ field: 'assigneeId', message: lang === 'en' ? `${id} is not a staff member` : `${id} 不是员工` }],
  );
}

/** The root-cause update's input; the responsible person must be a staff member of the directory. */
export function rootCauseInput(
  b: { causes: string[]; responsibleId: string; plan: string; whys?: string[] | undefined },
  actor: Actor,
  dir: Directory,
  lang: Lang,
) {
  const p = dir.people.find((x) => x.id === b.responsibleId);
  if (!p?.roles.includes('staff')) {
    throw new ProblemError(
      'unprocessable',
      {
        zh: '责任人须为名录中的员工',
        en: 'the responsible person must be a staff member of the directory',
      },
      [
        {
          field: 'responsibleId',
          message: lang === 'en' ? `${b.responsibleId} is not a staff member` : `${b.responsibleId} 不是员工`,
        },
      ],
    );
  }
  return { actor, causes: b.causes, responsibleId: b.responsibleId, plan: b.plan, whys: b.whys };
}

/**
 * The policy the pages decide which step forms to show with: the case's building supervisors
 * as the directory has them now. Only advisory: the step itself goes to the running case, whose
 * validator checks the policy it pinned, and that answer counts.
 */
export function precheckPolicy(deps: AppDeps, dir: Directory, view: CaseView): CasePolicy {
  return buildPolicy(dir, view, { timeZone: deps.env.CAMPUS_TZ });
}

/** The refusal of a step on a case that is over: its record says so, without asking a workflow. */
export const finishedCase = (v: CaseView): ProblemError =>
  new ProblemError('conflict', {
    zh: `案件已${v.stage === 'closed' ? '关闭' : '撤销'}，不能再执行任何步骤`,
    en: `case is ${v.stage}; no further steps`,
  });

/** Refuses (422, naming the field) a step whose input cites a file not confirmed for this case as cited. */
export async function refuseBadEvidence(
  deps: AppDeps,
  caseId: string,
  input: unknown,
  lang: Lang,
): Promise<void> {
  const problem = await citedEvidenceProblem(deps, caseId, input);
  if (!problem) return;
  throw new ProblemError('unprocessable', problem.text, [
    { field: 'evidence', message: lang === 'en' ? problem.text.en : problem.text.zh },
  ]);
}
