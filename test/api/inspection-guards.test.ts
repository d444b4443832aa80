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
import { inspectionRounds } from '../../workflows/inspection-round/workflow.ts';
import { ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';
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

const store = () => ({ ddb: s.deps.aws.ddb, tables: s.deps.aws.tables });
const daily = checklistFor('daily').map((i) => i.id);

// Each test walks rounds of days of its own, far enough ahead that they stay open.
const usedDays = new Set<number>();
function freshDate(): string {
  let n: number;
  do n = 5000 + Math.floor(Math.random() * 20_000);
  while (usedDays.has(n));
  usedDays.add(n);
  return addDays('2030-01-01', n);
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('waited too long');
}

const roundNow = async (id: string): Promise<InspectionRound> => {
  const r = await getRound(store(), id);
  if (!r) throw new Error(`no round ${id}`);
  return r;
};

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
    expect(((await list.json()) as { detail: string }).detail).toContain('bldg-b 不归您管');
    const kpis = await call(s.app, 'GET', `/api/kpis?buildingId=bldg-b`, { as: 'sup-wang' });
    expect(kpis.status).toBe(403);

    const read = await call(s.app, 'GET', `/api/inspections/${b.roundId}?lang=en`, { as: 'sup-wang' });
    expect(read.status).toBe(403);
    const readText = await read.text();
    expect(readText).toContain('bldg-b is not yours');
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

  it('the checklist page of another building is a 403 page in the reader’s language, with no form', async () => {
    const a = await storedRound('bldg-a', freshDate());
    const zh = await call(s.app, 'GET', `/inspection/${a.roundId}`, { as: 'sup-li' });
    expect(zh.status).toBe(403);
    expect(zh.headers.get('content-type')).toContain('text/html');
    const zhPage = await zh.text();
    expect(zhPage).toContain('主管只能查看所管楼栋的检查记录（bldg-a 不归您管）');
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
    expect(await posted.text()).toContain('bldg-a 不归您管');
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
