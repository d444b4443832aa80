import { randomUUID } from 'node:crypto';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { temporal } from '@temporalio/proto';
import type Long from 'long';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checklistFor } from '../../domain/inspection.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { opsKey } from '../../store/keys.ts';
import { inspectionRoundQuery } from '../../workflows/inspection-round/messages.ts';
import { createSession } from '../../store/sessions.ts';
import { ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';
import { inspectionRoundKit } from '../support/inspection-rounds.ts';
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

const daily = checklistFor('daily').map((i) => i.id);
const { roundNow, openRoundWithHandle: openRound } = inspectionRoundKit(() => s.deps, {
  from: 5000,
  span: 20_000,
});

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

const EventType = temporal.api.enums.v1.EventType;

/** Resets the round's workflow to a workflow task (its WorkflowTaskCompleted event id). */
async function resetTo(id: string, firstRunId: string, eventId: Long | null | undefined) {
  const reset = await s.deps.temporal.workflowService.resetWorkflowExecution({
    namespace: s.deps.env.TEMPORAL_NAMESPACE,
    workflowExecution: { workflowId: id, runId: firstRunId },
    reason: 'test: a reset run of an open round',
    workflowTaskFinishEventId: eventId,
    requestId: randomUUID(),
    // The posts after the reset point are not handed to the reset run again (as an operator may
    // choose, and as a post the server could not reapply): only the record still has them.
    resetReapplyExcludeTypes: [
      temporal.api.enums.v1.ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE,
    ],
  });
  expect(reset.runId).toBeTruthy();
  return reset.runId;
}

const post = (id: string, results: unknown[], finish = false) =>
  call(s.app, 'POST', `/api/inspections/${id}/results`, { as: 'sup-wang', body: { results, finish } });

describe('a reset round keeps the results saved before the reset', () => {
  it('reset to before the round opened: the reset run picks the saved results up as it opens the round again', async () => {
    const { id, handle } = await openRound();
    expect((await post(id, [{ itemId: daily[1]!, result: 'pass' }])).status).toBe(200);
    expect((await post(id, [{ itemId: daily[0]!, result: 'fail', note: '灭火器过期' }])).status).toBe(200);
    const caseId = (await roundNow(id)).cases[daily[0]!];
    expect(caseId).toMatch(/^ZG-/);

    const events = (await handle.fetchHistory()).events ?? [];
    const firstTask = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    await resetTo(id, handle.firstExecutionRunId, firstTask?.eventId);

    expect((await post(id, [{ itemId: daily[2]!, result: 'pass' }])).status).toBe(200);
    const round = await roundNow(id);
    expect(round.results.map((r) => r.itemId).sort()).toEqual([daily[0], daily[1], daily[2]].sort());
    expect(round.cases).toEqual({ [daily[0]!]: caseId });
    // The run knows them too: its failure stays the case's, and the round finishes with them.
    const changed = await post(id, [{ itemId: daily[0]!, result: 'pass' }]);
    expect(changed.status).toBe(409);
    const rest = daily.slice(3).map((itemId) => ({ itemId, result: 'pass' }));
    const done = await post(id, rest.length > 0 ? rest : [{ itemId: daily[2]!, result: 'pass' }], true);
    expect(done.status).toBe(200);
    expect(await s.deps.temporal.workflow.getHandle(id).result()).toMatchObject({ status: 'completed' });
    const final = await roundNow(id);
    expect(final.status).toBe('completed');
    expect(final.results).toHaveLength(daily.length);
    expect(final.results.find((r) => r.itemId === daily[0])).toMatchObject({ result: 'fail' });
  });

  it('reset to after the round opened: the next save keeps what the reset run lost from its memory', async () => {
    const { id, handle } = await openRound();
    expect((await post(id, [{ itemId: daily[1]!, result: 'pass' }])).status).toBe(200);
    expect((await post(id, [{ itemId: daily[3]!, result: 'na' }])).status).toBe(200);

    // Back to the task that accepted the second post: the reset run has the first post only.
    const events = (await handle.fetchHistory()).events ?? [];
    const accepted = events
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    expect(accepted).toHaveLength(2);
    const task = events
      .slice(0, accepted[1]!.i)
      .reverse()
      .find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    await resetTo(id, handle.firstExecutionRunId, task?.eventId);
    const inMemory = await s.deps.temporal.workflow.getHandle(id).query(inspectionRoundQuery);
    expect(inMemory.results.map((r) => r.itemId)).toEqual([daily[1]]);

    expect((await post(id, [{ itemId: daily[2]!, result: 'pass' }])).status).toBe(200);
    const round = await roundNow(id);
    expect(round.results.map((r) => r.itemId).sort()).toEqual([daily[1], daily[2], daily[3]].sort());
    expect(round.results.find((r) => r.itemId === daily[3])).toMatchObject({ result: 'na' });
    // The run took the record's results up with the save.
    const after = await s.deps.temporal.workflow.getHandle(id).query(inspectionRoundQuery);
    expect(after.results.map((r) => r.itemId).sort()).toEqual(round.results.map((r) => r.itemId).sort());
    await handle.terminate('test over');
  });
});
