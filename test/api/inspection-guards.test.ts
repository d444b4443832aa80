import { randomUUID } from 'node:crypto';
import { type ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar.ts';
import {
  checklistFor,
  periodOf,
  roundId,
  scoreRound,
  type InspectionRound,
} from '../../domain/inspection.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { getRound, saveRound } from '../../store/inspections.ts';
import { InspectionRoundFailure, recordChecksUpdate } from '../../workflows/inspection-round/messages.ts';
import { inspectionRounds } from '../../workflows/inspection-round/workflow.ts';
import { ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';
import { inspectionRoundKit, until } from '../support/inspection-rounds.ts';
import { call, startApiStack, tokenFor, type ApiStack } from './harness.ts';

/**
 * What a probe of the running system found in the inspection rounds (issue 16), each guarded: a
 * round id runs once and its finished record is never reset.
 */
let s: ApiStack;
// Tables of this file's own: the lists below count every round of a building in a range.
const tables = ownTables(uniqueId('inspg'));
beforeAll(async () => {
  const aws = testDeps(testEnv(tables));
  await ensureTables(aws.ddb, aws.tables);
  s = await startApiStack({}, tables);
});
afterAll(async () => {
  await s?.stop();
});

const daily = checklistFor('daily').map((i) => i.id);
const { store, freshDate, roundNow, openRound } = inspectionRoundKit(() => s.deps, {
  from: 5000,
  span: 20_000,
});

/** Starts a scheduled run's work (the schedule's workflow) for one day of bldg-a. */
const runRounds = (date: string) =>
  s.deps.temporal.workflow.start(inspectionRounds, {
    taskQueue: s.deps.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueId('rounds'),
    args: [{ kind: 'daily', date, buildingIds: ['bldg-a'], timeZone: s.deps.env.CAMPUS_TZ }],
  });

/** Every item passes but the first, which fails (a case opens). */
const walked = () => [
  { itemId: daily[0]!, result: 'fail', note: '灭火器过期' },
  ...daily.slice(1).map((itemId) => ({ itemId, result: 'pass' })),
];

/** Opens a round through its schedule's workflow and finishes it: one failure, a case opened. */
async function finishedRound(): Promise<{ id: string; date: string; done: InspectionRound }> {
  const date = freshDate();
  const id = roundId('daily', 'bldg-a', date);
  const first = await runRounds(date);
  await until(
    () => getRound(store(), id),
    (r) => r !== null,
  );
  const res = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
    as: 'sup-wang',
    body: { results: walked() },
  });
  expect(res.status).toBe(200);
  await first.result();
  const done = await roundNow(id);
  expect(done).toMatchObject({ status: 'completed', results: expect.any(Array) });
  expect(done.results).toHaveLength(daily.length);
  expect(Object.keys(done.cases)).toEqual([daily[0]]);
  return { id, date, done };
}

describe('a round id runs once, and a finished round is never reset', () => {
  it('running the schedule again leaves a finished round, its record and its run alone', async () => {
    const { id, date, done } = await finishedRound();
    const { runId } = await s.deps.temporal.workflow.getHandle(id).describe();

    // The schedule triggered again for the same period.
    const again = await runRounds(date);
    expect(await again.result()).toEqual([id]);

    // No second run of the round was started, and the record is the finished one.
    const latest = await s.deps.temporal.workflow.getHandle(id).describe();
    expect(latest.runId).toBe(runId);
    expect(latest.status.name).toBe('COMPLETED');
    expect(await roundNow(id)).toEqual(done);
    const read = await call(s.app, 'GET', `/api/inspections/${id}`, { as: 'sup-wang' });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      status: 'completed',
      completedAt: done.completedAt,
      cases: done.cases,
    });
  });

  it('a second run of a finished round’s id started some other way changes nothing, and fails', async () => {
    const { id, date, done } = await finishedRound();
    // Started directly with Temporal's default id reuse policy (which allows it once the first closed).
    const rogue = await s.deps.temporal.workflow.start('inspectionRound', {
      taskQueue: s.deps.env.TEMPORAL_TASK_QUEUE,
      workflowId: id,
      args: [
        {
          kind: 'daily',
          buildingId: 'bldg-a',
          date,
          assigneeIds: ['sup-wang', 'sup-smith'],
          timeZone: s.deps.env.CAMPUS_TZ,
        },
      ],
    });
    await expect(rogue.result()).rejects.toThrow();
    expect(await roundNow(id)).toEqual(done);
  });
});

const EventType = temporal.api.enums.v1.EventType;

describe('a reset round keeps its record: a reset is the same execution, not another', () => {
  it('the reset run opens and saves the round the first run opened, and takes results', async () => {
    const date = freshDate();
    const id = roundId('daily', 'bldg-a', date);
    const handle = await s.deps.temporal.workflow.start('inspectionRound', {
      taskQueue: s.deps.env.TEMPORAL_TASK_QUEUE,
      workflowId: id,
      args: [
        {
          kind: 'daily',
          buildingId: 'bldg-a',
          date,
          assigneeIds: ['sup-wang', 'sup-smith'],
          timeZone: s.deps.env.CAMPUS_TZ,
        },
      ],
    });
    await until(
      () => getRound(store(), id),
      (r) => r !== null,
    );
    const first = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { results: [{ itemId: daily[1]!, result: 'pass' }], finish: false },
    });
    expect(first.status).toBe(200);

    // Back to the first workflow task, before the round was opened: the reset run opens it again.
    const events = (await handle.fetchHistory()).events ?? [];
    const firstTask = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    const reset = await s.deps.temporal.workflowService.resetWorkflowExecution({
      namespace: s.deps.env.TEMPORAL_NAMESPACE,
      workflowExecution: { workflowId: id, runId: handle.firstExecutionRunId },
      reason: 'test: a reset run of an open round',
      workflowTaskFinishEventId: firstTask?.eventId,
      requestId: randomUUID(),
    });
    expect(reset.runId).toBeTruthy();
    expect(reset.runId).not.toBe(handle.firstExecutionRunId);

    // The reset run's save is taken (it was refused as InspectionRoundTaken when the record was the run's).
    const again = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { results: [{ itemId: daily[2]!, result: 'pass' }], finish: false },
    });
    expect(again.status).toBe(200);
    expect((await roundNow(id)).results.map((r) => r.itemId)).toContain(daily[2]);
    const now = await s.deps.temporal.workflow.getHandle(id).describe();
    expect(now.runId).toBe(reset.runId);
    expect(now.status.name).toBe('RUNNING');
    await s.deps.temporal.workflow.getHandle(id).terminate('test over');
  });
});

/** A stored round of a day (no workflow behind it): what the lists and reads show. */
async function storedRound(buildingId: string, date: string, over: Partial<InspectionRound> = {}) {
  const { period, from, to } = periodOf('daily', date);
  const round: InspectionRound = {
    roundId: roundId('daily', buildingId, period),
    kind: 'daily',
    buildingId,
    period,
    from,
    to,
    due: `${addDays(to, 1)}T00:00:00.000Z`,
    assigneeIds: buildingId === 'bldg-a' ? ['sup-wang', 'sup-smith'] : ['sup-li'],
    checklist: daily,
    status: 'open',
    results: [],
    scores: scoreRound(daily, []),
    cases: {},
    ...over,
  };
  await saveRound(store(), round);
  return round;
}

describe('a supervisor reads the rounds of their own buildings only', () => {
  it('the list, the round and the checklist page refuse another building’s, as the KPIs do', async () => {
    const date = freshDate();
    const a = await storedRound('bldg-a', date);
    const b = await storedRound('bldg-b', date, {
      results: [
        { itemId: daily[0]!, result: 'fail', note: '秘密备注', by: 'sup-li', at: '2030-01-01T00:00:00Z' },
      ],
      cases: { [daily[0]!]: 'ZG-2030-000001' },
    });
    const range = `from=${date}&to=${date}`;

    const list = await call(s.app, 'GET', `/api/inspections?${range}&buildingId=bldg-b`, { as: 'sup-wang' });
    expect(list.status).toBe(403);
    // The building by its name, not its id.
    expect(((await list.json()) as { detail: string }).detail).toContain('（学生公寓B栋不归您管）');
    const kpis = await call(s.app, 'GET', `/api/kpis?buildingId=bldg-b`, { as: 'sup-wang' });
    expect(kpis.status).toBe(403);

    const read = await call(s.app, 'GET', `/api/inspections/${b.roundId}?lang=en`, { as: 'sup-wang' });
    expect(read.status).toBe(403);
    const readText = await read.text();
    expect(readText).toContain('(Dormitory B is not yours)');
    expect(readText).not.toContain('秘密备注');
    expect(readText).not.toContain('ZG-2030-000001');

    // Without a building, a supervisor's list is their own buildings'.
    const mine = await call(s.app, 'GET', `/api/inspections?${range}`, { as: 'sup-wang' });
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as { rounds: { roundId: string }[] }).rounds.map((r) => r.roundId)).toEqual([
      a.roundId,
    ]);
    // The campus readers read both.
    for (const as of ['wg-chen', 'lead-huang', 'audit-he', 'admin-xu']) {
      const all = await call(s.app, 'GET', `/api/inspections?${range}`, { as });
      expect(all.status, as).toBe(200);
      const ids = ((await all.json()) as { rounds: { roundId: string }[] }).rounds.map((r) => r.roundId);
      expect(ids.sort(), as).toEqual([a.roundId, b.roundId].sort());
      expect((await call(s.app, 'GET', `/api/inspections/${b.roundId}`, { as })).status, as).toBe(200);
    }
    expect((await call(s.app, 'GET', `/api/inspections/${b.roundId}`, { as: 'sup-li' })).status).toBe(200);
  });

  it('a role that may not read rounds is told so once, with the roles that may', async () => {
    const res = await call(s.app, 'GET', '/api/inspections?from=2030-01-01&to=2030-01-02', {
      as: 'staff-zhou',
    });
    expect(res.status).toBe(403);
    const { detail } = (await res.json()) as { detail: string };
    expect(detail).toBe(
      '您的角色不能查看检查记录（须具备以下角色之一：主管、管理员、工作小组、校领导、审计人员）',
    );
  });

  it('the checklist page of another building is a 403 page in the reader’s language, with no form', async () => {
    const a = await storedRound('bldg-a', freshDate());
    const zh = await call(s.app, 'GET', `/inspection/${a.roundId}`, { as: 'sup-li' });
    expect(zh.status).toBe(403);
    expect(zh.headers.get('content-type')).toContain('text/html');
    const zhPage = await zh.text();
    expect(zhPage).toContain('主管只能查看所管楼栋的检查记录（学生公寓A栋不归您管）');
    expect(zhPage).not.toContain('<form');
    const en = await call(s.app, 'GET', `/inspection/${a.roundId}?lang=en`, { as: 'sup-li' });
    expect(en.status).toBe(403);
    expect(await en.text()).toContain('supervisors read the rounds of the buildings they supervise only');
    // The form's post is refused the same way, before anything is looked at.
    const posted = await s.app.request(`/inspection/${a.roundId}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await tokenFor('sup-li')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams([[`${daily[0]!}.result`, 'pass']]).toString(),
    });
    expect(posted.status).toBe(403);
    expect(await posted.text()).toContain('主管只能记录所管楼栋的检查结果（学生公寓A栋不归您管）');
    // A campus reader who does not walk the round reads it, without a form to fill in.
    const lead = await call(s.app, 'GET', `/inspection/${a.roundId}`, { as: 'lead-huang' });
    expect(lead.status).toBe(200);
    const leadPage = await lead.text();
    expect(leadPage).not.toContain('<form');
    expect(leadPage).toContain('您不是本次检查的检查人，只能查看');
    // Its own supervisor gets the form.
    const own = await call(s.app, 'GET', `/inspection/${a.roundId}`, { as: 'sup-wang' });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('<form');
  });
});

async function postForm(id: string, fields: [string, string][], as = 'sup-wang', query = '') {
  return s.app.request(`/inspection/${id}${query}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await tokenFor(as)}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(fields).toString(),
  });
}

/** One item's fieldset on the page. */
function itemBlock(html: string, itemId: string): string {
  const start = html.indexOf(`id="item-${itemId}"`);
  expect(start, `item ${itemId} on the page`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</fieldset>', start));
}

describe('a failed item whose case opened keeps its failure', () => {
  const failure = {
    itemId: daily[0]!,
    result: 'fail',
    note: '灭火器过期',
    roomId: 'A103',
    photos: ['IMG_0412.jpg'],
  };

  it('the API refuses to change its result (409 naming the case); the same failure again changes nothing', async () => {
    const id = await openRound();
    const saved = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { results: [failure], finish: false },
    });
    expect(saved.status).toBe(200);
    const before = await roundNow(id);
    const caseId = before.cases[failure.itemId]!;
    expect(caseId).toMatch(/^ZG-/);

    for (const [lang, said] of [
      ['zh-CN', `已立案 ${caseId}：此项结果不能再修改，整改与复查在案件中进行`],
      [
        'en',
        `case ${caseId} was opened: this item's result can no longer be changed; it is handled in the case now`,
      ],
    ] as const) {
      const pass = await call(s.app, 'POST', `/api/inspections/${id}/results?lang=${lang}`, {
        as: 'sup-smith',
        body: { results: [{ itemId: failure.itemId, result: 'pass' }], finish: false },
      });
      expect(pass.status).toBe(409);
      const problem = (await pass.json()) as { detail: string; errors: { field: string; message: string }[] };
      expect(problem.detail).toContain(caseId);
      expect(problem.errors).toEqual([{ field: 'results.0.result', message: said }]);
    }
    // A changed note (the failure re-worded) is refused too: the case carries the note it opened with.
    const reworded = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { results: [{ ...failure, note: '已修好' }], finish: false },
    });
    expect(reworded.status).toBe(409);
    expect(await roundNow(id)).toEqual(before);

    // The same failure sent again (a retry) is taken, and keeps who recorded it and when.
    const same = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-smith',
      body: { results: [failure], finish: false },
    });
    expect(same.status).toBe(200);
    expect((await roundNow(id)).results).toEqual(before.results);

    // Straight to Temporal: the round's validator refuses it, naming the item and its case.
    const err: unknown = await s.deps.temporal.workflow
      .getHandle(id)
      .executeUpdate(recordChecksUpdate, {
        args: [{ by: 'sup-wang', results: [{ itemId: failure.itemId, result: 'na' }], finish: false }],
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe(InspectionRoundFailure.CaseOpened);
    expect(cause.details?.[0]).toEqual([{ itemId: failure.itemId, caseId }]);

    // Finishing the rest keeps the failure on the round and in its score.
    const done = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { results: daily.slice(1).map((itemId) => ({ itemId, result: 'pass' })) },
    });
    expect(done.status).toBe(200);
    const finished = await roundNow(id);
    expect(finished.status).toBe('completed');
    expect(finished.results.find((r) => r.itemId === failure.itemId)).toMatchObject(failure);
    expect(finished.scores.find((x) => x.dimension === 'safety')?.failed).toBe(1);
  });

  it('the page shows it held beside its case, refuses a stale change, and finishes without it', async () => {
    const id = await openRound();
    const failed = await postForm(id, [
      [`${failure.itemId}.result`, 'fail'],
      [`${failure.itemId}.note`, failure.note],
      ['finish', 'false'],
    ]);
    expect(failed.status).toBe(303);
    const caseId = (await roundNow(id)).cases[failure.itemId]!;
    const page = await (
      await s.app.request(`/inspection/${id}`, {
        headers: { authorization: `Bearer ${await tokenFor('sup-wang')}` },
      })
    ).text();
    const block = itemBlock(page, failure.itemId);
    expect(block).toContain(`已立案 ${caseId}`);
    expect(block).toContain('此项结果不能再修改');
    expect(block).toMatch(/value="fail" checked="" disabled=""/);
    expect(block).toMatch(/value="pass" disabled=""/);

    // A page loaded before the case opened posts the item as passed.
    const stale = await postForm(id, [
      [`${failure.itemId}.result`, 'pass'],
      ['finish', 'false'],
    ]);
    expect(stale.status).toBe(409);
    const stalePage = await stale.text();
    expect(itemBlock(stalePage, failure.itemId)).toContain(`已立案 ${caseId}：此项结果不能再修改`);
    expect((await roundNow(id)).results.find((r) => r.itemId === failure.itemId)?.result).toBe('fail');

    // The form as the page now is (the held item not posted) finishes the round.
    const done = await postForm(id, [
      ...daily.slice(1).map((itemId): [string, string] => [`${itemId}.result`, 'pass']),
      ['finish', 'true'],
    ]);
    expect(done.status).toBe(303);
    const round = await roundNow(id);
    expect(round.status).toBe('completed');
    expect(round.results.find((r) => r.itemId === failure.itemId)).toMatchObject({
      result: 'fail',
      note: failure.note,
    });
  });
});

describe('the list of rounds takes strict input and pages', () => {
  const problemOf = async (res: Response) =>
    (await res.json()) as { detail: string; errors: { field: string; message: string }[] };

  it.each([
    ['a parameter it does not know', 'from=2026-12-01&to=2026-12-31&page=2', 'page'],
    ['a date that does not exist', 'from=2026-02-30&to=2026-03-31', 'from'],
    ['a date beyond the years taken', 'from=2026-12-01&to=2101-01-01', 'to'],
    ['more than 400 days', 'from=2000-01-01&to=2099-12-31', 'to'],
    ['a limit out of range', 'from=2026-12-01&to=2026-12-31&limit=0', 'limit'],
  ])('refuses %s with a 400 naming it', async (_, query, field) => {
    const res = await call(s.app, 'GET', `/api/inspections?${query}`, { as: 'wg-chen' });
    expect(res.status).toBe(400);
    // A field's own error names it; an unknown parameter's (on the query as a whole) says its name.
    const { errors } = await problemOf(res);
    expect(errors.some((e) => e.field === field || e.message.includes(field))).toBe(true);
  });

  it('says the range cap and a missing date in the caller’s language', async () => {
    const zh = await problemOf(
      await call(s.app, 'GET', '/api/inspections?from=2000-01-01&to=2099-12-31', { as: 'wg-chen' }),
    );
    expect(zh.errors).toEqual([{ field: 'to', message: '一次最多查询 400 天' }]);
    const en = await problemOf(
      await call(s.app, 'GET', '/api/inspections?from=2026-02-30&to=2026-03-01&lang=en', { as: 'wg-chen' }),
    );
    expect(en.errors).toEqual([
      { field: 'from', message: 'must be a date that exists, written like 2026-12-04' },
    ]);
  });

  it('pages with limit and nextCursor; scores and total cover the whole range on every page', async () => {
    const start = freshDate();
    const days = [0, 1, 2, 3, 4].map((n) => addDays(start, n));
    const made: InspectionRound[] = [];
    for (const [n, day] of days.entries()) {
      // Every other round completed, with one failure in safety each.
      const results =
        n % 2 === 0
          ? daily.map((itemId, i) => ({
              itemId,
              result: (i === 0 ? 'fail' : 'pass') as 'fail' | 'pass',
              ...(i === 0 ? { note: '灭火器过期' } : {}),
              by: 'sup-wang',
              at: `${day}T02:00:00.000Z`,
            }))
          : [];
      made.push(
        await storedRound('bldg-a', day, {
          status: n % 2 === 0 ? 'completed' : 'open',
          results,
          scores: scoreRound(daily, results),
        }),
      );
    }
    const range = `from=${days[0]}&to=${days[4]}&buildingId=bldg-a`;
    const whole = (await (
      await call(s.app, 'GET', `/api/inspections?${range}&limit=100`, { as: 'wg-chen' })
    ).json()) as { scores: unknown; total: number; nextCursor: string | null; rounds: { roundId: string }[] };
    expect(whole.total).toBe(5);
    expect(whole.nextCursor).toBeNull();
    const safety = (whole.scores as { dimension: string; failed: number }[]).find(
      (x) => x.dimension === 'safety',
    );
    expect(safety?.failed).toBe(3);

    const seen: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const res = await call(
        s.app,
        'GET',
        `/api/inspections?${range}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { as: 'wg-chen' },
      );
      expect(res.status).toBe(200);
      const page = (await res.json()) as typeof whole;
      expect(page.scores).toEqual(whole.scores);
      expect(page.total).toBe(5);
      sizes.push(page.rounds.length);
      seen.push(...page.rounds.map((r) => r.roundId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(made.map((r) => r.roundId));

    // A cursor continues only the list it came from, and only one it issued.
    const first = (await (
      await call(s.app, 'GET', `/api/inspections?${range}&limit=2`, { as: 'wg-chen' })
    ).json()) as typeof whole;
    const other = await call(
      s.app,
      'GET',
      `/api/inspections?from=${days[0]}&to=${days[3]}&buildingId=bldg-a&cursor=${first.nextCursor}`,
      { as: 'wg-chen' },
    );
    expect(other.status).toBe(400);
    expect((await problemOf(other)).errors.map((e) => e.field)).toEqual(['cursor']);
    const forged = await call(s.app, 'GET', `/api/inspections?${range}&cursor=not*a*cursor`, {
      as: 'wg-chen',
    });
    expect(forged.status).toBe(400);
  });
});

describe('the results’ validation speaks the caller’s language', () => {
  it('an item listed twice, an item id, a floor or a rectifier id malformed: said in Chinese, or English when asked', async () => {
    const id = roundId('daily', 'bldg-a', freshDate());
    const body = {
      results: [
        { itemId: daily[1]!, result: 'pass' },
        { itemId: daily[1]!, result: 'na' },
        { itemId: 'safety-1', result: 'pass' },
        { itemId: daily[2]!, result: 'pass', floorId: '*', assigneeId: '<zhao>' },
      ],
      finish: false,
    };
    const messages = async (lang: string) => {
      const res = await call(s.app, 'POST', `/api/inspections/${id}/results?lang=${lang}`, {
        as: 'sup-wang',
        body,
      });
      expect(res.status).toBe(400);
      const { errors } = (await res.json()) as { errors: { field: string; message: string }[] };
      return Object.fromEntries(errors.map((e) => [e.field, e.message]));
    };
    expect(await messages('zh-CN')).toEqual({
      'results.1.itemId': `${daily[1]!} 重复出现，每项只能给出一次结果`,
      'results.2.itemId': '须为标准条目编号，如 6t.safety.1',
      'results.3.floorId': '须为名录中楼层的编号，如 a-f1',
      'results.3.assigneeId': '须为名录中员工的编号，如 staff-zhao',
    });
    expect(await messages('en')).toEqual({
      'results.1.itemId': `${daily[1]!} listed twice: give each item one result`,
      'results.2.itemId': 'must be a catalogue item id like 6t.safety.1',
      'results.3.floorId': 'must be the id of a floor in the directory, such as a-f1',
      'results.3.assigneeId': 'must be the id of a staff member in the directory, such as staff-zhao',
    });
  });
});

describe('a finish sent again as it was is answered as the first was', () => {
  it('the API answers the identical finishing post 200 with the round as finished; anything else is still 409', async () => {
    const id = await openRound();
    const body = { results: walked() };
    const first = await call(s.app, 'POST', `/api/inspections/${id}/results`, { as: 'sup-wang', body });
    expect(first.status).toBe(200);
    const done = (await first.json()) as InspectionRound;
    expect(done.status).toBe('completed');

    const retry = await call(s.app, 'POST', `/api/inspections/${id}/results`, { as: 'sup-wang', body });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ status: 'completed', completedAt: done.completedAt });
    expect(await roundNow(id)).toMatchObject({ completedAt: done.completedAt, results: done.results });

    const changed = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { results: [{ itemId: daily[1]!, result: 'na' }] },
    });
    expect(changed.status).toBe(409);
    expect(((await changed.json()) as { detail: string }).detail).toContain('本次检查已结束');
    // Saving (not finishing) on a finished round is not a repeat of its finish.
    const save = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { ...body, finish: false },
    });
    expect(save.status).toBe(409);
  });

  it('the page takes its finishing form sent again as done', async () => {
    const id = await openRound();
    const form: [string, string][] = [
      ...daily.map((itemId): [string, string] => [`${itemId}.result`, 'pass']),
      [`${daily[1]!}.roomId`, 'a103'],
      ['finish', 'true'],
    ];
    expect((await postForm(id, form)).status).toBe(303);
    const done = await roundNow(id);
    expect(done.status).toBe('completed');
    const retry = await postForm(id, form);
    expect(retry.status).toBe(303);
    expect(await roundNow(id)).toEqual(done);
    const changed = await postForm(id, [
      [`${daily[0]!}.result`, 'na'],
      ['finish', 'true'],
    ]);
    expect(changed.status).toBe(409);
  });
});
