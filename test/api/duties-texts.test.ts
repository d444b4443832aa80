import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { getOccurrence } from '../../store/duties.ts';
import { ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';
import { call, startApiStack, type ApiStack } from './harness.ts';

/**
 * What the duty routes say: a grid member who may not record a duty is told who may record it
 * (not who may view it), with the building's supervisors called 主管 as everywhere else; the list
 * says plainly which due dates it covers. Own tables and a day of its own far ahead.
 */
const tables = ownTables(uniqueId('duty-texts'));
const DATE = addDays('2060-01-01', Math.floor(Math.random() * 10_000));
let s: ApiStack;
let id: string;

beforeAll(async () => {
  const aws = testDeps(testEnv(tables));
  await ensureTables(aws.ddb, aws.tables);
  s = await startApiStack({}, tables);
  const ids = await s.deps.temporal.workflow.execute('dutyCalendar', {
    taskQueue: s.deps.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueId('duties'),
    args: [
      {
        date: DATE,
        timeZone: s.deps.env.CAMPUS_TZ,
        buildingIds: ['bldg-a'],
        dutyIds: ['daily-equipment-check'],
      },
    ],
  });
  id = (ids as string[])[0] ?? '';
  const store = { ddb: s.deps.aws.ddb, tables: s.deps.aws.tables };
  for (let i = 0; i < 200 && !(await getOccurrence(store, id)); i++)
    await new Promise((r) => setTimeout(r, 100));
});
afterAll(async () => {
  await s?.deps.temporal.workflow
    .getHandle(id)
    .terminate('test over')
    .catch(() => undefined);
  await s?.stop();
});

describe('duty texts', () => {
  it('a grid member recording a duty is told who may record it, supervisors called 主管', async () => {
    const res = await call(s.app, 'POST', `/api/duties/occurrences/${id}/completions`, {
      as: 'grid-a1f',
      body: { note: 'checked', minutes: 10, evidence: [{ kind: 'record', ref: 'records/1.pdf' }] },
    });
    expect(res.status).toBe(403);
    const { detail } = (await res.json()) as { detail: string };
    expect(detail).toContain('只有责任人或楼栋主管可以登记');
    expect(detail).not.toContain('查看');
    expect(detail).not.toContain('督导');
  });

  it('the list says which due dates it covers', async () => {
    const res = await call(s.app, 'GET', `/duties?from=${DATE}&to=${addDays(DATE, 6)}`, { as: 'sup-wang' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`列出截止日期在 ${DATE} 至 ${addDays(DATE, 6)}（含）之间的职责`);
  });
});
