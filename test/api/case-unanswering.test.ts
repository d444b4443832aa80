import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSession } from '../../store/sessions.ts';
import { uniqueCaseNumber, uniqueId } from '../support/stack.ts';
import { call, useApiStack } from './harness.ts';

/**
 * A case whose workflow exists but cannot answer (its code no longer replays its history, or its
 * workflow task keeps failing) was "没有这个案件（该编号对应的不是案件流程）", a 404 saying the id
 * is not a case, or a bare 500. It is a 503 naming the workflow's failure, for an admin to look
 * at; a case number that reaches another kind of workflow is still the 404.
 */
const s = useApiStack();
const queue = uniqueId('tq-unanswering');
let connection: Connection;
let native: NativeConnection;
let client: Client;
const quiet = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const bundle = (file: string): Promise<WorkflowBundle> =>
  bundleWorkflowCode({
    workflowsPath: new URL(`../support/${file}`, import.meta.url).pathname,
    logger: quiet,
  });

beforeAll(async () => {
  const address = inject('stack').temporalAddress;
  [connection, native] = await Promise.all([
    Connection.connect({ address }),
    NativeConnection.connect({ address }),
  ]);
  client = new Client({ connection });
});
afterAll(async () => {
  await native?.close();
  await connection?.close();
});

/** Runs `body` while a worker with `workflowBundle` serves the queue. */
async function serving<T>(workflowBundle: WorkflowBundle, body: () => Promise<T>): Promise<T> {
  const worker = await Worker.create({
    connection: native,
    taskQueue: queue,
    workflowBundle,
    activities: {},
  });
  return worker.runUntil(body());
}

/**
 * Waits until the server refuses a query to the workflow at once because its task is failing
 * (FAILED_PRECONDITION), as it does once the task has failed for a while; before that a query
 * waits for a worker to answer and times out. Each try is cut short at 2 s.
 */
async function taskFailing(id: string): Promise<void> {
  const end = Date.now() + 120_000;
  for (;;) {
    const err = await connection
      .withDeadline(Date.now() + 2_000, () => client.workflow.getHandle(id).query('caseView'))
      .then(
        () => null,
        (e: unknown) => e,
      );
    const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
    if (code === 9) return;
    if (Date.now() > end) throw new Error(`${id}: its workflow task is not said to be failing within 120 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function page(path: string, personId: string) {
  const sess = await createSession(s.deps.aws, { personId, via: 'link' });
  return s.app.request(path, { headers: { cookie: `rectify_session=${sess.id}` } });
}

describe('a case whose workflow cannot answer', () => {
  it('is a 503 naming the failure, on the API and the case page; another kind of workflow stays a 404', async () => {
    const [before, after] = await Promise.all([
      bundle('unanswering-case-a.ts'),
      bundle('unanswering-case-b.ts'),
    ]);
    const changed = uniqueCaseNumber();
    const stuck = uniqueCaseNumber();
    const other = uniqueCaseNumber();
    await serving(before, async () => {
      await client.workflow.start('rectificationCaseV2', { taskQueue: queue, workflowId: changed });
      await client.workflow.start('rectificationCase', { taskQueue: queue, workflowId: stuck });
      await client.workflow.start('somethingElse', { taskQueue: queue, workflowId: other });
      // The case answers while its code is the one it started under.
      expect(await client.workflow.getHandle(changed).query('caseView')).toEqual({ caseId: 'answered' });
      await taskFailing(stuck);
    });
    // Its code changed under it (no patched()): replaying it for the query is a nondeterminism error.
    await serving(after, async () => {
      const nondeterministic = await call(s.app, 'GET', `/api/cases/${changed}?lang=en`, { as: 'audit-he' });
      expect(nondeterministic.status).toBe(503);
      const p = (await nondeterministic.json()) as { detail: string };
      expect(p.detail).toBe(
        "the case's workflow cannot answer right now (its workflow task fails: a nondeterminism error). This was logged; an admin must look at the case's workflow in Temporal.",
      );
      const zh = (await (await call(s.app, 'GET', `/api/cases/${changed}`, { as: 'audit-he' })).json()) as {
        detail: string;
      };
      expect(zh.detail).toMatch(
        /^案件流程暂时无法应答（工作流任务失败：代码与历史记录不一致（nondeterminism））/,
      );

      const failing = await call(s.app, 'GET', `/api/cases/${stuck}?lang=en`, { as: 'audit-he' });
      expect(failing.status).toBe(503);
      expect(((await failing.json()) as { detail: string }).detail).toMatch(
        /^the case's workflow cannot answer right now \(its workflow task is failing\)/,
      );

      const casePage = await page(`/app/cases/${changed}`, 'audit-he');
      expect(casePage.status).toBe(503);
      const html = await casePage.text();
      expect(html).toContain('案件流程暂时无法应答');
      expect(html).not.toContain('没有这个案件');

      const notACase = await call(s.app, 'GET', `/api/cases/${other}?lang=en`, { as: 'audit-he' });
      expect(notACase.status).toBe(404);
      expect(((await notACase.json()) as { detail: string }).detail).toMatch(/no such case/);
    });
    await Promise.all(
      [changed, stuck, other].map((id) => client.workflow.getHandle(id).terminate('test over')),
    );
  });
});
