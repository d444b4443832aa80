import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar.ts';
import { checklistFor, roundId, type InspectionRound } from '../../domain/inspection.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { getRound } from '../../store/inspections.ts';
import { opsKey } from '../../store/keys.ts';
import { createSession } from '../../store/sessions.ts';
import { ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';
import { call, startApiStack, type ApiStack } from './harness.ts';

/**
 * What becomes of a post to a round when the round's save does not go through: the caller is
 * told why (a 4xx, or a 503 to try again), never a 500.
 */
let s: ApiStack;
const tables = ownTables(uniqueId('insps'));
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

/** A daily round of bldg-a started directly (as the schedule's workflow starts it), opened in the store. */
async function openRound() {
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
  return { id, handle };
}

/** The round's record as another execution of its id would have written it: its saves are refused. */
async function takeRecord(id: string) {
  const Key = marshall(opsKey.inspectionRound(id));
  const out = await s.deps.aws.ddb.send(
    new GetItemCommand({ TableName: s.deps.aws.tables.ops, Key, ConsistentRead: true }),
  );
  const item = unmarshall(out.Item ?? {});
  expect(item.runId).toBeTruthy();
  await s.deps.aws.ddb.send(
    new PutItemCommand({
      TableName: s.deps.aws.tables.ops,
      Item: marshall({ ...item, runId: 'another-execution' }),
    }),
  );
}

describe('a save refused because another execution owns the round is a 409, not a 500', () => {
  it('the API answers problem+json naming why, and the record is left as it was', async () => {
    const { id, handle } = await openRound();
    await takeRecord(id);
    const before = await roundNow(id);
    const res = await call(s.app, 'POST', `/api/inspections/${id}/results`, {
      as: 'sup-wang',
      body: { results: [{ itemId: daily[1]!, result: 'pass' }], finish: false },
    });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { detail: string; errors: { field: string; message: string }[] };
    expect(body.detail).toContain('属于该编号的另一次运行');
    expect(body.errors).toEqual([
      { field: 'roundId', message: expect.stringContaining('InspectionRoundTaken') as unknown },
    ]);
    // In English when asked.
    const en = await call(s.app, 'POST', `/api/inspections/${id}/results?lang=en`, {
      as: 'sup-wang',
      body: { results: [{ itemId: daily[2]!, result: 'pass' }], finish: false },
    });
    expect(en.status).toBe(409);
    expect(((await en.json()) as { detail: string }).detail).toContain(
      "this round's record belongs to another run of its id",
    );
    expect(await roundNow(id)).toEqual(before);
    await handle.terminate('test over');
  });

  it('the checklist page answers 409 with the reason on the page', async () => {
    const { id, handle } = await openRound();
    await takeRecord(id);
    const session = await createSession(s.deps.aws, { personId: 'sup-wang', via: 'link' });
    const res = await s.app.request(`/inspection/${id}`, {
      method: 'POST',
      headers: {
        cookie: `rectify_session=${session.id}`,
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams([
        ['_csrf', session.csrfToken],
        [`${daily[1]!}.result`, 'pass'],
        ['finish', 'false'],
      ]).toString(),
    });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('data-problem=""');
    expect(html).toContain('本轮检查的记录属于该编号的另一次运行');
    await handle.terminate('test over');
  });
});
