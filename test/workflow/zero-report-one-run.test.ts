import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { issueLocalToken } from '../../api/auth.ts';
import { loadNight } from '../../store/zero-reports.ts';
import { zeroNightQuery } from '../../workflows/zero-report/messages.ts';
import { zeroReportNight } from '../../workflows/zero-report/workflow.ts';
import { openCaseStack, plainClient, type CaseStack } from '../support/case-harness.ts';
import { appDepsFor } from '../support/feedback-harness.ts';
import { sentEmails, uniqueId } from '../support/stack.ts';

/**
 * One night, one run: the schedule triggered a second time for a night that already has its run
 * (a manual trigger, a catch-up) must not split the night's reports between two runs. Tables of
 * its own, so the night is this file's alone.
 */
const START = new Date('2017-06-20T14:10:00.000Z');
const NIGHT = `20${50 + Math.floor(Math.random() * 49)}-06-20`;
let stack: CaseStack & { teardown(): Promise<void> };

beforeAll(async () => {
  stack = await openCaseStack({ startAt: START, ownTables: true });
});
afterAll(async () => {
  await stack?.teardown();
});

describe('a second run for a night that has one', () => {
  it('ends at once without asking anyone, and every report goes to the first run', async () => {
    const deps = appDepsFor(stack.deps, stack.env.client);
    const app = createApp(deps);
    await stack.withWorker(async (taskQueue) => {
      const client = plainClient(stack.env);
      const first = await client.start(zeroReportNight, {
        taskQueue,
        workflowId: uniqueId('zero-first'),
        args: [{ night: NIGHT }],
      });
      for (let i = 0; i < 300 && (await first.query(zeroNightQuery)).phase !== 'open'; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect((await first.query(zeroNightQuery)).phase).toBe('open');

      const second = await client.start(zeroReportNight, {
        taskQueue,
        workflowId: uniqueId('zero-second'),
        args: [{ night: NIGHT }],
      });
      const ended = await second.result();
      expect(ended).toMatchObject({ night: NIGHT, phase: 'done', heldBy: first.workflowId, cells: [] });

      // The night stays the first run's: the store routes reports to it.
      const store = { ddb: stack.deps.ddb, tables: stack.deps.tables };
      expect((await loadNight(store, NIGHT))?.night.workflowId).toBe(first.workflowId);
      // Fourteen cells with a member each, asked once.
      const asks = await sentEmails((e) => e.subject.includes(`【零报告】${NIGHT}`));
      expect(asks.flatMap((m) => m.to)).toHaveLength(14);

      const token = await issueLocalToken(deps.jwtSecret ?? '', 'grid-a1c1');
      const res = await app.request(`/api/zero-reports/${NIGHT}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ none: true }),
      });
      expect(res.status).toBe(201);
      const taken = (await first.query(zeroNightQuery)).reports.map((r) => r.cellId);
      expect(taken).toEqual(['L3:a-f1-c1']);
      await first.terminate('test over');
    });
  });
});
